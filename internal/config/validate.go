package config

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // a static binary must know Asia/Ho_Chi_Minh without /usr/share/zoneinfo

	"manglanh/internal/upstream"
)

// FieldError is one invalid key, explained in Vietnamese and English.
type FieldError struct {
	Key string
	Vi  string
	En  string
}

// Errors is every problem found in one source (a file or the environment).
type Errors struct {
	File string
	List []FieldError
}

func (e *Errors) Error() string {
	var b strings.Builder
	src := e.File
	if src == "" {
		src = "cấu hình mặc định / defaults"
	}
	fmt.Fprintf(&b, "cấu hình không hợp lệ / invalid configuration (%s):", src)
	for _, f := range e.List {
		fmt.Fprintf(&b, "\n  %s: %s / %s", f.Key, f.Vi, f.En)
	}
	return b.String()
}

type checker struct{ errs []FieldError }

func (c *checker) add(key, vi, en string, args ...any) {
	c.errs = append(c.errs, FieldError{Key: key, Vi: fmt.Sprintf(vi, args...), En: fmt.Sprintf(en, args...)})
}

func (c *checker) hostPort(key, v string, required bool) {
	if v == "" {
		if required {
			c.add(key, "không được để trống", "must not be empty")
		}
		return
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		c.add(key, "cần dạng host:port, nhận được %q", "want host:port, got %q", v)
	}
}

var validDays = map[string]bool{"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true}

func validClock(s string) bool {
	_, err := time.Parse("15:04", s)
	return err == nil && len(s) == 5 || s == "24:00"
}

// Validate checks every key and returns *Errors listing all problems.
func (cfg *Config) Validate() error {
	c := &checker{}
	if cfg.DataDir == "" {
		c.add("data_dir", "không được để trống", "must not be empty")
	}
	if cfg.Database != "" {
		u, err := url.Parse(cfg.Database)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			c.add("database", "để trống (SQLite) hoặc một URL postgres://", "leave empty (SQLite) or give a postgres:// URL")
		}
	}
	switch cfg.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		c.add("log.level", "phải là debug, info, warn hoặc error", "must be debug, info, warn or error")
	}
	switch cfg.Log.Format {
	case "text", "json":
	default:
		c.add("log.format", "phải là text hoặc json", "must be text or json")
	}
	c.hostPort("web.listen", cfg.Web.Listen, false)
	if cfg.Web.BaseURL != "" {
		if u, err := url.Parse(cfg.Web.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			c.add("web.base_url", "cần một URL http(s) đầy đủ", "want a full http(s) URL")
		}
	}
	if cfg.Web.ReportBurst < 0 || cfg.Web.ReportEvery < 0 {
		c.add("web.report_burst", "giới hạn báo cáo không được âm", "report limits must not be negative")
	}
	c.hostPort("dns.listen", cfg.DNS.Listen, false)
	if cfg.DNS.Listen != "" && len(cfg.DNS.Upstreams) == 0 {
		c.add("dns.upstreams", "cần ít nhất một máy chủ phía trên", "at least one upstream is needed")
	}
	for i, u := range cfg.DNS.Upstreams {
		// The resolver's own parser decides, so that what passes here also
		// starts (e.g. tcp:// needs an IP, tls:// may name a host).
		if _, err := upstream.ParseAddress(u); err != nil {
			var ae *upstream.AddressError
			if errors.As(err, &ae) {
				c.add(fmt.Sprintf("dns.upstreams[%d]", i), "%q: %s", "%q: %s", u, ae.Vi)
				c.errs[len(c.errs)-1].En = fmt.Sprintf("%q: %s", u, ae.En)
			} else {
				c.add(fmt.Sprintf("dns.upstreams[%d]", i),
					"%q không hợp lệ: dùng host:port, tcp://host:port, tls://host:port hoặc https://host/dns-query",
					"%q is invalid: use host:port, tcp://host:port, tls://host:port or https://host/dns-query", u)
			}
		}
	}
	for i, n := range cfg.DNS.AllowNets {
		if _, err := netip.ParsePrefix(n); err != nil {
			if _, err2 := netip.ParseAddr(n); err2 != nil {
				c.add(fmt.Sprintf("dns.allow_nets[%d]", i), "%q không phải IP hay CIDR", "%q is not an IP or CIDR", n)
			}
		}
	}
	c.encryptedDNS(&cfg.DNS)
	switch cfg.DNS.BlockMode {
	case "null", "nxdomain":
	default:
		c.add("dns.block_mode", "phải là null hoặc nxdomain", "must be null or nxdomain")
	}
	if cfg.DNS.RateLimit < 0 || cfg.DNS.RateBurst < 0 || cfg.DNS.CacheSize < 0 || cfg.DNS.CacheMB < 0 || cfg.DNS.CacheMB > 1<<20 || cfg.DNS.EventQueue < 0 || cfg.DNS.MemoryLimitMB < 0 {
		c.add("dns", "các giới hạn không được âm", "limits must not be negative")
	}
	c.connLimits(&cfg.DNS)
	c.upstreamHealth(&cfg.DNS)
	if cfg.DNS.Listen != "" && cfg.DNS.Timeout <= 0 {
		c.add("dns.timeout", "phải lớn hơn 0", "must be greater than 0")
	}
	if len(cfg.Lists) > 64 {
		c.add("lists", "tối đa 64 danh sách, có %d", "at most 64 lists, got %d", len(cfg.Lists))
	}
	for i, l := range cfg.Lists {
		key := fmt.Sprintf("lists[%d]", i)
		if l.Category == "" {
			c.add(key+".category", "không được để trống", "must not be empty")
		}
		if l.Source == "" {
			c.add(key+".source", "cần đường dẫn tệp hoặc URL", "a file path or URL is needed")
		} else if strings.Contains(l.Source, "://") && !strings.HasPrefix(l.Source, "http://") && !strings.HasPrefix(l.Source, "https://") {
			c.add(key+".source", "URL phải là http hoặc https", "URL must be http or https")
		}
		if l.Refresh < 0 || (l.Refresh > 0 && l.Refresh < time.Minute) {
			c.add(key+".refresh", "phải từ 1 phút trở lên (hoặc 0 để không làm mới)", "must be at least 1m (or 0 for never)")
		}
	}
	names := map[string]bool{}
	for i, p := range cfg.Profiles {
		key := fmt.Sprintf("profiles[%d]", i)
		if p.Name == "" {
			c.add(key+".name", "không được để trống", "must not be empty")
		} else if names[p.Name] {
			c.add(key+".name", "tên hồ sơ %q bị trùng", "duplicate profile name %q", p.Name)
		}
		names[p.Name] = true
		if p.Age < 0 || p.Age > 120 {
			c.add(key+".age", "tuổi không hợp lệ: %d", "invalid age: %d", p.Age)
		}
		switch p.SafeSearch {
		case "", "off", "moderate", "strict":
		default:
			c.add(key+".safe_search", "phải là off, moderate hoặc strict", "must be off, moderate or strict")
		}
		if p.TimeZone != "" {
			if _, err := time.LoadLocation(p.TimeZone); err != nil {
				c.add(key+".time_zone", "múi giờ không biết: %q", "unknown time zone: %q", p.TimeZone)
			}
		}
		for j, cl := range p.Clients {
			if _, err := netip.ParsePrefix(cl); err != nil {
				if _, err2 := netip.ParseAddr(cl); err2 != nil {
					c.add(fmt.Sprintf("%s.clients[%d]", key, j), "%q không phải IP hay CIDR", "%q is not an IP or CIDR", cl)
				}
			}
		}
		for j, ct := range p.Contacts {
			if a, err := mail.ParseAddress(ct); err != nil || a.Address != ct {
				c.add(fmt.Sprintf("%s.contacts[%d]", key, j), "%q không phải địa chỉ e-mail", "%q is not an e-mail address", ct)
			}
		}
		for j, s := range p.Schedules {
			sk := fmt.Sprintf("%s.schedules[%d]", key, j)
			if len(s.Days) == 0 {
				c.add(sk+".days", "cần ít nhất một ngày (mon … sun)", "at least one day is needed (mon … sun)")
			}
			for _, d := range s.Days {
				if !validDays[strings.ToLower(d)] {
					c.add(sk+".days", "ngày không hợp lệ %q (dùng mon, tue, wed, thu, fri, sat, sun)", "invalid day %q (use mon, tue, wed, thu, fri, sat, sun)", d)
				}
			}
			if !validClock(s.From) {
				c.add(sk+".from", "giờ phải có dạng HH:MM, nhận %q", "time must be HH:MM, got %q", s.From)
			}
			if !validClock(s.To) {
				c.add(sk+".to", "giờ phải có dạng HH:MM, nhận %q", "time must be HH:MM, got %q", s.To)
			}
			if len(s.Block) == 0 && len(s.AllowOnly) == 0 {
				c.add(sk, "cần block hoặc allow_only", "block or allow_only is needed")
			}
		}
	}
	if cfg.DNS.Listen != "" && cfg.DNS.DefaultProfile != "" && !names[cfg.DNS.DefaultProfile] {
		c.add("dns.default_profile", "không có hồ sơ tên %q", "no profile named %q", cfg.DNS.DefaultProfile)
	}
	if cfg.Ward.TimeZone != "" {
		if _, err := time.LoadLocation(cfg.Ward.TimeZone); err != nil {
			c.add("ward.time_zone", "múi giờ không biết: %q", "unknown time zone: %q", cfg.Ward.TimeZone)
		}
	}
	switch cfg.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		c.add("smtp.tls", "phải là starttls, tls hoặc none", "must be starttls, tls or none")
	}
	if cfg.SMTP.Host != "" && (cfg.SMTP.Port <= 0 || cfg.SMTP.Port > 65535) {
		c.add("smtp.port", "cổng không hợp lệ", "invalid port")
	}
	if cfg.Alerts.WebhookURL != "" {
		if u, err := url.Parse(cfg.Alerts.WebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			c.add("alerts.webhook_url", "cần một URL http(s)", "want an http(s) URL")
		} else if cfg.Alerts.WebhookSecret == "" {
			c.add("alerts.webhook_secret", "cần khoá bí mật để ký webhook", "a secret is needed to sign the webhook")
		}
	}
	switch cfg.Families.Approval {
	case "none", "officer", "school":
	default:
		c.add("families.approval", "phải là none, officer hoặc school", "must be none, officer or school")
	}
	if cfg.Cases.Retention < 0 {
		c.add("cases.retention", "không được âm", "must not be negative")
	}
	if len(c.errs) > 0 {
		return &Errors{File: cfg.File, List: c.errs}
	}
	return nil
}

// encryptedDNS checks the DNS-over-TLS / DNS-over-HTTPS keys: the
// listeners' addresses, a readable certificate and key that make a pair and
// have not expired, and a profile domain the certificate covers.
func (c *checker) encryptedDNS(d *DNS) {
	c.blockPage(d)
	c.hostPort("dns.tls_listen", d.TLSListen, false)
	c.hostPort("dns.https_listen", d.HTTPSListen, false)
	if d.ProfileDomain != "" && !validHostName(d.ProfileDomain) {
		c.add("dns.profile_domain", "%q không phải tên miền (ví dụ dns.phuongmau.vn, không có https:// hay cổng)",
			"%q is not a domain name (e.g. dns.phuongmau.vn, without https:// or a port)", d.ProfileDomain)
	}
	if d.TLSListen == "" && d.HTTPSListen == "" {
		return
	}
	if d.Listen == "" {
		c.add("dns.listen", "DNS mã hoá (tls_listen, https_listen) cần dns.listen (có thể chỉ 127.0.0.1:53)",
			"encrypted DNS (tls_listen, https_listen) needs dns.listen (it may be 127.0.0.1:53 only)")
	}
	if d.CertFile == "" {
		c.add("dns.cert_file", "cần tệp chứng chỉ (PEM) khi bật tls_listen hoặc https_listen",
			"a certificate file (PEM) is needed when tls_listen or https_listen is on")
	}
	if d.KeyFile == "" {
		c.add("dns.key_file", "cần tệp khoá riêng (PEM) khi bật tls_listen hoặc https_listen",
			"a private key file (PEM) is needed when tls_listen or https_listen is on")
	}
	if d.CertFile == "" || d.KeyFile == "" {
		return
	}
	certPEM, err := os.ReadFile(d.CertFile)
	if err != nil {
		c.add("dns.cert_file", "không đọc được tệp chứng chỉ: %v", "cannot read the certificate file: %v", err)
	}
	keyPEM, err2 := os.ReadFile(d.KeyFile)
	if err2 != nil {
		c.add("dns.key_file", "không đọc được tệp khoá: %v", "cannot read the key file: %v", err2)
	}
	if err != nil || err2 != nil {
		return
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		c.add("dns.cert_file", "chứng chỉ và khoá không dùng được cùng nhau (%v)", "the certificate and key do not make a usable pair (%v)", err)
		return
	}
	leaf := pair.Leaf
	if leaf == nil {
		return
	}
	if time.Now().After(leaf.NotAfter) {
		c.add("dns.cert_file", "chứng chỉ đã hết hạn ngày %s", "the certificate expired on %s", leaf.NotAfter.Format("02/01/2006"))
	}
	if d.ProfileDomain != "" {
		sample := "be-an." + strings.Trim(strings.ToLower(d.ProfileDomain), ".")
		if leaf.VerifyHostname(sample) != nil {
			c.add("dns.cert_file", "chứng chỉ không dùng được cho *.%s (cần chứng chỉ wildcard để Android dùng tên <hồ sơ>.%s)",
				"the certificate does not cover *.%s (a wildcard certificate is needed for Android names <profile>.%s)",
				d.ProfileDomain, d.ProfileDomain)
		}
	}
}

// validHostName reports whether s is a DNS host name of two or more labels
// (letters, digits, hyphens), with no scheme, port or wildcard.
func validHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) == 0 || len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			b := label[i] | 0x20
			if !(b >= 'a' && b <= 'z' || label[i] >= '0' && label[i] <= '9' || label[i] == '-') {
				return false
			}
		}
	}
	return true
}

// Location returns the ward's time zone (Asia/Ho_Chi_Minh by default).
func (cfg *Config) Location() *time.Location {
	name := cfg.Ward.TimeZone
	if name == "" {
		name = "Asia/Ho_Chi_Minh"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}

// blockPage checks dns.block_page_ipv4 / _ipv6: an IPv4 and an IPv6
// address, neither unspecified.
func (c *checker) blockPage(d *DNS) {
	for _, f := range []struct {
		key, v string
		v4     bool
	}{{"dns.block_page_ipv4", d.BlockPageIPv4, true}, {"dns.block_page_ipv6", d.BlockPageIPv6, false}} {
		if f.v == "" {
			continue
		}
		a, err := netip.ParseAddr(f.v)
		switch {
		case err != nil:
			c.add(f.key, "%q không phải địa chỉ IP", "%q is not an IP address", f.v)
		case f.v4 && !a.Unmap().Is4():
			c.add(f.key, "%q không phải địa chỉ IPv4", "%q is not an IPv4 address", f.v)
		case !f.v4 && (!a.Is6() || a.Is4In6()):
			c.add(f.key, "%q không phải địa chỉ IPv6", "%q is not an IPv6 address", f.v)
		case a.IsUnspecified():
			c.add(f.key, "%q là địa chỉ rỗng: bỏ trống mục này để trả 0.0.0.0 / ::", "%q is unspecified: leave the key empty for 0.0.0.0 / ::", f.v)
		}
	}
}
