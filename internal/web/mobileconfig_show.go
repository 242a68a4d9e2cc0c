package web

import (
	"bytes"
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// iosProfileRoutes registers the Apple configuration profile download
// (mobileconfig_show.go): the file itself, and the target of the no-JavaScript form
// on /cai-dat, which redirects to the file.
func (s *Server) iosProfileRoutes() {
	for _, p := range []string{"/cai-dat/ios", "/setup/ios"} {
		s.handle("GET "+p, s.iosProfileForm)
		s.handle("GET "+p+"/{file}", s.iosProfileShow)
	}
}

// mobileconfigExt ends every profile file name.
const mobileconfigExt = ".mobileconfig"

// iosProfileForm answers the set-up page's GET form (?ho-so=<name>, or
// ?profile=<name>) with a redirect to the profile file, so the browser
// saves it under its own name.
func (s *Server) iosProfileForm(w http.ResponseWriter, r *http.Request) {
	if s.iosDomain() == "" {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	name := r.URL.Query().Get("ho-so")
	if name == "" {
		name = r.URL.Query().Get("profile")
	}
	name = strings.ToLower(strings.TrimSpace(name))
	if !isDNSLabel(name) {
		s.iosBadName(w, r)
		return
	}
	// The prefix is the matched route's own (/cai-dat/ios or /setup/ios).
	target := strings.TrimSuffix(r.URL.Path, "/") + "/" + url.PathEscape(name) + mobileconfigExt
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// iosProfileShow serves an unsigned configuration profile that points an
// iPhone, iPad or Mac at the ward's DNS-over-HTTPS address for one profile.
//
// The portal holds no filter policy, so it cannot tell which profile names
// exist: any valid DNS label is accepted here. A name that is not a profile
// is refused by the DoH server itself (404 at /dns-query/<name>), so a
// mistyped name shows as soon as the phone tries to resolve.
func (s *Server) iosProfileShow(w http.ResponseWriter, r *http.Request) {
	domain := s.iosDomain()
	if domain == "" {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	file := r.PathValue("file")
	name, ok := strings.CutSuffix(file, mobileconfigExt)
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	// Profile names match case-insensitively at the DNS server; one
	// spelling here keeps the identifiers (and so replacement) stable.
	name = strings.ToLower(name)
	if !isDNSLabel(name) {
		s.iosBadName(w, r)
		return
	}
	org := s.cfg.Ward.Name
	if org == "" {
		org = "Mạng Lành"
	}
	body, err := mobileconfigNamed(s.dohServer(domain), domain, name, org, "Bộ lọc Mạng Lành – "+name)
	if err != nil {
		s.log.ErrorContext(r.Context(), "mobileconfig", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-apple-aspen-config")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "manglanh-" + name + mobileconfigExt}))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// dohServer is the DoH server's base address for domain: with the port of
// dns.https_listen unless it is 443 (or not set), as the setup page shows.
func (s *Server) dohServer(domain string) string {
	if _, port, err := net.SplitHostPort(s.cfg.DoHListen); err == nil && port != "" && port != "443" {
		return "https://" + net.JoinHostPort(domain, port)
	}
	return "https://" + domain
}

// iosDomain is the encrypted-DNS domain in canonical form, or "" when
// encrypted DNS is off.
func (s *Server) iosDomain() string {
	return strings.Trim(strings.ToLower(strings.TrimSpace(s.cfg.ProfileDomain)), ".")
}

func (s *Server) iosBadName(w http.ResponseWriter, r *http.Request) {
	msg := "Tên hồ sơ không hợp lệ: chỉ dùng chữ cái không dấu, chữ số và dấu gạch ngang (-), tối đa 63 ký tự, ví dụ be-an."
	if langOf(r) == "en" {
		msg = "Invalid profile name: use only letters without accents, digits and hyphens (-), at most 63 characters, for example be-an."
	}
	s.render(w, r, http.StatusBadRequest, "error", T(langOf(r), "error.title"), map[string]string{"Message": msg})
}

// isDNSLabel reports whether name is one DNS label: 1–63 ASCII letters,
// digits and hyphens, not starting or ending with a hyphen.
func isDNSLabel(name string) bool {
	if len(name) == 0 || len(name) > 63 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// uuidNamespaceURL is RFC 9562's name space for URLs.
var uuidNamespaceURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// nameUUID is the name-based (version 5, SHA-1) UUID of name in namespace
// ns, in upper case as Apple's tools write them.
func nameUUID(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%X-%X-%X-%X-%X", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// plistValue is one value in a property list: a string, an int, a dict
// (plistDict) or an array ([]plistValue).
type plistValue any

// plistEntry is one key of a dict; a slice keeps the order stable.
type plistEntry struct {
	Key   string
	Value plistValue
}

type plistDict []plistEntry

// mobileconfig builds the configuration profile for one profile name. All
// text, including the domain and name, goes through encoding/xml.
func mobileconfig(domain, name, org string) ([]byte, error) {
	return mobileconfigNamed("https://"+domain, domain, name, org, "Bộ lọc Mạng Lành – "+name)
}

// mobileconfigNamed is mobileconfig for the DoH server at server
// ("https://host[:port]") with the name the iPhone shows (display); the
// identifiers depend only on the address and the name, so profiles of one
// name replace each other whatever their display name.
func mobileconfigNamed(server, domain, name, org, display string) ([]byte, error) {
	serverURL := server + "/dns-query/" + name
	labels := strings.Split(domain, ".")
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	ident := strings.Join(labels, ".") + ".manglanh." + name
	desc := "Bộ lọc DNS mã hoá của " + org + " cho hồ sơ \u201c" + name + "\u201d: chặn trang cờ bạc, người lớn, lừa đảo và mã độc trên mọi mạng. " +
		"Gỡ trong Cài đặt → Cài đặt chung → VPN và quản lý thiết bị.\n\n" +
		"Encrypted DNS filter of " + org + " for profile \u201c" + name + "\u201d: blocks gambling, adult, scam and malware sites on every network. " +
		"Remove it in Settings → General → VPN & Device Management."
	dns := plistDict{
		{"DNSSettings", plistDict{
			{"DNSProtocol", "HTTPS"},
			{"ServerURL", serverURL},
		}},
		{"PayloadDescription", desc},
		{"PayloadDisplayName", display},
		{"PayloadIdentifier", ident + ".dns"},
		{"PayloadOrganization", org},
		{"PayloadType", "com.apple.dnsSettings.managed"},
		{"PayloadUUID", nameUUID(uuidNamespaceURL, serverURL+"#dnsSettings")},
		{"PayloadVersion", 1},
	}
	top := plistDict{
		{"PayloadContent", []plistValue{dns}},
		{"PayloadDescription", desc},
		{"PayloadDisplayName", display},
		{"PayloadIdentifier", ident},
		{"PayloadOrganization", org},
		{"PayloadType", "Configuration"},
		{"PayloadUUID", nameUUID(uuidNamespaceURL, serverURL)},
		{"PayloadVersion", 1},
	}

	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "\t")
	if err := enc.EncodeToken(xml.ProcInst{Target: "xml", Inst: []byte(`version="1.0" encoding="UTF-8"`)}); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	if err := enc.EncodeToken(xml.CharData("\n")); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	if err := enc.EncodeToken(xml.Directive(`DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"`)); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	if err := enc.EncodeToken(xml.CharData("\n")); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	root := xml.StartElement{Name: xml.Name{Local: "plist"}, Attr: []xml.Attr{{Name: xml.Name{Local: "version"}, Value: "1.0"}}}
	if err := enc.EncodeToken(root); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	if err := encodePlist(enc, top); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	if err := enc.Flush(); err != nil {
		return nil, fmt.Errorf("mobileconfig: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func encodePlist(enc *xml.Encoder, v plistValue) error {
	simple := func(tag, text string) error {
		if err := enc.EncodeElement(text, xml.StartElement{Name: xml.Name{Local: tag}}); err != nil {
			return fmt.Errorf("mobileconfig: %w", err)
		}
		return nil
	}
	container := func(tag string, body func() error) error {
		start := xml.StartElement{Name: xml.Name{Local: tag}}
		if err := enc.EncodeToken(start); err != nil {
			return fmt.Errorf("mobileconfig: %w", err)
		}
		if err := body(); err != nil {
			return err
		}
		if err := enc.EncodeToken(start.End()); err != nil {
			return fmt.Errorf("mobileconfig: %w", err)
		}
		return nil
	}
	switch v := v.(type) {
	case string:
		return simple("string", v)
	case int:
		return simple("integer", strconv.Itoa(v))
	case plistDict:
		return container("dict", func() error {
			for _, e := range v {
				if err := simple("key", e.Key); err != nil {
					return err
				}
				if err := encodePlist(enc, e.Value); err != nil {
					return err
				}
			}
			return nil
		})
	case []plistValue:
		return container("array", func() error {
			for _, e := range v {
				if err := encodePlist(enc, e); err != nil {
					return err
				}
			}
			return nil
		})
	default:
		return fmt.Errorf("mobileconfig: unsupported plist value %T", v)
	}
}
