// Package config holds the bootstrap settings of Mạng Lành: a YAML file whose
// every key can be overridden by an environment variable MANGLANH_<KEY PATH>,
// validated once at start with errors in Vietnamese and English.
//
// Only internal/app and internal/cli read it; domain packages get their own
// Config structs filled from it.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds the configuration file: a config is hand-written text.
const MaxFileSize = 4 << 20

// Config is the whole bootstrap configuration. The YAML key names are fixed:
// scripts and docs/config.md rely on them.
type Config struct {
	// DataDir holds the SQLite database, the encryption key and uploads.
	DataDir string `yaml:"data_dir"`
	// Database is empty for SQLite in DataDir, or a postgres:// URL.
	Database string    `yaml:"database"`
	Log      Log       `yaml:"log"`
	Web      Web       `yaml:"web"`
	DNS      DNS       `yaml:"dns"`
	Lists    []List    `yaml:"lists"`
	Profiles []Profile `yaml:"profiles"`
	Ward     Ward      `yaml:"ward"`
	SMTP     SMTP      `yaml:"smtp"`
	Risk     Risk      `yaml:"risk"`
	Cases    Cases     `yaml:"cases"`
	Alerts   Alerts    `yaml:"alerts"`
	Families Families  `yaml:"families"`
	Figures  Figures   `yaml:"figures"`

	// File is the path the configuration was read from ("" for defaults).
	File string `yaml:"-"`
}

// Log selects the slog handler.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// Web is the HTTP listener of the portal, /healthz and /metrics.
type Web struct {
	Listen string `yaml:"listen"`
	// BaseURL is the public address printed on QR posters and in e-mails.
	BaseURL string `yaml:"base_url"`
	// SecureCookies marks session cookies Secure; on by default unless the
	// listener is loopback and BaseURL is plain http.
	SecureCookies *bool `yaml:"secure_cookies"`
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool `yaml:"trust_proxy"`
	// ReportBurst reports may come from one client network at once, then
	// one more every ReportEvery (a school behind one NAT needs more).
	ReportBurst int           `yaml:"report_burst"`
	ReportEvery time.Duration `yaml:"report_every"`
}

// DNS is the protective resolver.
type DNS struct {
	// Listen is one address for both UDP and TCP; empty disables DNS.
	Listen         string   `yaml:"listen"`
	Upstreams      []string `yaml:"upstreams"`
	DefaultProfile string   `yaml:"default_profile"`
	// AllowNets are the client networks plain DNS answers; others are
	// refused. DNS-over-TLS and DNS-over-HTTPS answer any client.
	AllowNets []string `yaml:"allow_nets"`
	// TLSListen is the DNS-over-TLS address (Android's "Private DNS"),
	// e.g. "0.0.0.0:853"; empty disables it.
	TLSListen string `yaml:"tls_listen"`
	// HTTPSListen is the DNS-over-HTTPS address (/dns-query), e.g.
	// "0.0.0.0:443"; empty disables it.
	HTTPSListen string `yaml:"https_listen"`
	// CertFile and KeyFile are the PEM certificate (chain) and key of both
	// encrypted listeners: a wildcard certificate for *.<ProfileDomain>.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// ProfileDomain makes the host name <profile>.<ProfileDomain> choose
	// that profile over DoT and DoH, e.g. "dns.phuongmau.vn".
	ProfileDomain string `yaml:"profile_domain"`
	// BlockMode is "null" (0.0.0.0 and ::) or "nxdomain".
	BlockMode string `yaml:"block_mode"`
	// BlockPageIPv4 and BlockPageIPv6, when set, answer blocked A and AAAA
	// queries with the portal's address instead of 0.0.0.0 and ::, so a
	// plain-HTTP visit shows the block page (docs/families-dns.md says what
	// HTTPS visits show). Off by default.
	BlockPageIPv4 string `yaml:"block_page_ipv4"`
	BlockPageIPv6 string `yaml:"block_page_ipv6"`
	// RateLimit is queries per second per client address (0 = off);
	// RateBurst the bucket size.
	RateLimit int `yaml:"rate_limit"`
	RateBurst int `yaml:"rate_burst"`
	// ErrorRateLimit is REFUSED, FORMERR and NOTIMP answers per second
	// over UDP per client network (0 = off; beyond it they are dropped),
	// ErrorRateBurst the bucket size.
	ErrorRateLimit int `yaml:"error_rate_limit"`
	ErrorRateBurst int `yaml:"error_rate_burst"`
	// MaxTCPConns bounds open plain-TCP connections, and MaxTLSConns open
	// DoT connections and, separately, DoH connections; each is lowered at
	// start-up to fit the open-file limit. MaxConnsPerClient bounds what
	// one client network (an IPv4 address, an IPv6 /64) holds on each.
	MaxTCPConns       int `yaml:"max_tcp_conns"`
	MaxTLSConns       int `yaml:"max_tls_conns"`
	MaxConnsPerClient int `yaml:"max_conns_per_client"`
	// CacheMB is the answer cache's budget in MiB (each answer counted
	// with its bookkeeping); CacheSize optionally bounds the number of
	// answers as well (0: only the budget).
	CacheMB   int           `yaml:"cache_mb"`
	CacheSize int           `yaml:"cache_size"`
	Timeout   time.Duration `yaml:"timeout"`
	// ServeStale is how long past expiry an answer may be served when every
	// upstream is down (RFC 8767); 0 disables.
	ServeStale time.Duration `yaml:"serve_stale"`
	// StaleAnswerAfter is RFC 8767's client response timer: how long a
	// query with a stale answer in the cache waits for the upstreams.
	StaleAnswerAfter time.Duration `yaml:"stale_answer_after"`
	// UpstreamDownAfter is how many failed exchanges in a row mark an
	// upstream down; UpstreamProbeEvery how often one that is down is
	// probed.
	UpstreamDownAfter  int           `yaml:"upstream_down_after"`
	UpstreamProbeEvery time.Duration `yaml:"upstream_probe_every"`
	Prefetch           bool          `yaml:"prefetch"`
	// KeepECS keeps the EDNS Client Subnet option (stripped by default).
	KeepECS bool `yaml:"keep_ecs"`
	// EventQueue bounds the asynchronous query-event queue.
	EventQueue int `yaml:"event_queue"`
	// MemoryLimitMB is the process's soft memory limit in MiB
	// (runtime/debug.SetMemoryLimit): the garbage collector works harder as
	// the heap nears it instead of letting it grow to twice what is live.
	// 0 derives one at start-up from what is live after the lists load
	// and from CacheMB.
	MemoryLimitMB int `yaml:"memory_limit_mb"`
}

// List is one category list source.
type List struct {
	Category string        `yaml:"category"`
	Source   string        `yaml:"source"`
	Refresh  time.Duration `yaml:"refresh"`
}

// Profile is a filtering profile (a child, a class, a school network).
type Profile struct {
	Name       string     `yaml:"name"`
	Age        int        `yaml:"age"`
	Block      []string   `yaml:"block"`
	Allow      []string   `yaml:"allow"`
	SafeSearch string     `yaml:"safe_search"`
	Clients    []string   `yaml:"clients"`
	Schedules  []Schedule `yaml:"schedules"`
	TimeZone   string     `yaml:"time_zone"`
	// Retention is how long this profile's blocked and flagged events are
	// kept; hourly aggregates are kept for a year.
	Retention time.Duration `yaml:"retention"`
	// Contacts are the e-mail addresses (parents, a teacher) that receive
	// this profile's early-warning alerts.
	Contacts []string `yaml:"contacts"`
}

// Schedule is a time window of a profile.
type Schedule struct {
	Name      string   `yaml:"name"`
	Days      []string `yaml:"days"`
	From      string   `yaml:"from"`
	To        string   `yaml:"to"`
	Block     []string `yaml:"block"`
	AllowOnly []string `yaml:"allow_only"`
}

// Ward names the deployment. Agency names and hotlines are data.
type Ward struct {
	Name        string `yaml:"name"`
	City        string `yaml:"city"`
	Hotline     string `yaml:"hotline"`
	Police      string `yaml:"police"`
	TimeZone    string `yaml:"time_zone"`
	HolidayFile string `yaml:"holiday_file"`
}

// SMTP is the outgoing mail relay; empty Host disables e-mail.
type SMTP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	From     string `yaml:"from"`
	// TLS is "starttls" (default), "tls" or "none" (loopback relays only).
	TLS string `yaml:"tls"`
}

// Risk configures the early-warning engine.
type Risk struct {
	// RulesFile is a local rules file that extends the embedded defaults.
	RulesFile string `yaml:"rules_file"`
}

// Cases configures the case workflow.
type Cases struct {
	// Retention deletes closed cases this long after closure.
	Retention time.Duration `yaml:"retention"`
	// KeyFile is the AES-256 key for sensitive fields; created on first start.
	KeyFile string `yaml:"key_file"`
}

// Figures configures the ward's signed figure files (issue 9).
type Figures struct {
	// KeyFile is the ed25519 key that signs the ward's figure files for
	// the city; figures.key in the data directory when empty, created 0600
	// on first use.
	KeyFile string `yaml:"key_file"`
}

// Alerts configures alert delivery.
type Alerts struct {
	WebhookURL    string `yaml:"webhook_url"`
	WebhookSecret string `yaml:"webhook_secret"`
	// PublicChecks lets a message checked on /kiem-tra or POST /api/v1/check
	// at level high or above raise a staff alert (its category, level and
	// rule explanations, never the text). Off by default: the check page
	// promises that nothing is stored.
	PublicChecks bool `yaml:"public_checks"`
}

// Families configures parent accounts (internal/family).
type Families struct {
	// Approval is who must approve a new parent account before it is
	// active: "none" (the default: active at once), "officer" (the ward's
	// officer, on /can-bo/phu-huynh) or "school" (the school the parent
	// chose; the officer for a parent who chose none).
	Approval string `yaml:"approval"`
}

// Default returns the embedded defaults: SQLite in ./data, web on
// 127.0.0.1:8080, DNS on 127.0.0.1:5353.
func Default() *Config {
	return &Config{
		DataDir: "data",
		Log:     Log{Level: "info", Format: "text"},
		Web:     Web{Listen: "127.0.0.1:8080"},
		DNS: DNS{
			Listen:             "127.0.0.1:5353",
			Upstreams:          []string{"1.1.1.1:53", "8.8.8.8:53"},
			DefaultProfile:     "default",
			AllowNets:          []string{"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "fe80::/10"},
			BlockMode:          "null",
			RateLimit:          300,
			RateBurst:          1000,
			ErrorRateLimit:     10,
			ErrorRateBurst:     20,
			MaxTCPConns:        4096,
			MaxTLSConns:        4096,
			MaxConnsPerClient:  64,
			CacheMB:            8,
			Timeout:            2 * time.Second,
			ServeStale:         24 * time.Hour,
			StaleAnswerAfter:   1800 * time.Millisecond,
			UpstreamDownAfter:  3,
			UpstreamProbeEvery: 3 * time.Second,
			Prefetch:           true,
			EventQueue:         65536,
		},
		Profiles: []Profile{{Name: "default", SafeSearch: "moderate", Retention: 30 * 24 * time.Hour}},
		Ward: Ward{
			Name:     "Phường Mẫu",
			Hotline:  "111",
			Police:   "113",
			TimeZone: "Asia/Ho_Chi_Minh",
		},
		SMTP:     SMTP{Port: 587, TLS: "starttls"},
		Cases:    Cases{Retention: 5 * 365 * 24 * time.Hour},
		Families: Families{Approval: "none"},
	}
}

// Load reads path (empty: defaults only), applies environment overrides from
// environ (os.Environ() form) and validates.
func Load(path string, environ []string) (*Config, error) {
	c := Default()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, &Errors{File: path, List: []FieldError{{Key: "-",
				Vi: fmt.Sprintf("không mở được tệp cấu hình: %v", err),
				En: fmt.Sprintf("cannot open the config file: %v", err)}}}
		}
		defer f.Close()
		if err := c.decode(f); err != nil {
			return nil, &Errors{File: path, List: []FieldError{{Key: "-",
				Vi: fmt.Sprintf("tệp cấu hình không hợp lệ: %v", err),
				En: fmt.Sprintf("invalid config file: %v", err)}}}
		}
		c.File = path
	}
	if err := applyEnv(c, environ); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) decode(r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return err
	}
	if len(data) > MaxFileSize {
		return fmt.Errorf("file larger than %d bytes", MaxFileSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// Lists in the file replace the defaults instead of merging into them.
	c.Profiles = nil
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if c.Profiles == nil {
		c.Profiles = Default().Profiles
	}
	return nil
}
