// Package sources keeps the places reports come from: a QR poster at a
// school, a cultural house or a residential group. Its Service validates a
// new source, checks that the address a poster's QR code would carry is one
// a resident's phone can reach, and records both in the audit log, as the
// cases service does for cases.
package sources

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
)

// Source is one place reports come from; reports record its ID.
type Source struct {
	ID        int64
	Name      string
	Kind      string // one of Kinds
	Address   string // short address printed on the poster
	CreatedAt time.Time
	CreatedBy int64
	// TenantID is the ward whose poster it is: a report reached from it
	// is that ward's case.
	TenantID int64
}

// Store persists sources; internal/store implements it on SQLite and
// PostgreSQL. GetSource returns an error matching ErrNotFound for a
// missing source.
type Store interface {
	CreateSource(ctx context.Context, src *Source) error
	GetSource(ctx context.Context, id int64) (Source, error)
	ListSources(ctx context.Context) ([]Source, error)
}

// ErrNotFound is returned for a source that does not exist; a Store's
// GetSource must return an error matching it.
var ErrNotFound = errors.New("report source not found")

// ErrForbidden: the actor's role may not manage sources.
var ErrForbidden = errors.New("forbidden")

// Kinds are the places a QR poster hangs.
func Kinds() []string { return []string{"school", "cultural_house", "residential_group", "other"} }

// Limits of a source's fields, in characters.
const (
	MaxName    = 200
	MaxAddress = 200
)

// ValidationError names the field that failed and says why in Vietnamese
// and English.
type ValidationError struct {
	Field string
	Vi    string
	En    string
}

// Error implements error with the English message.
func (e *ValidationError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.En) }

// Message returns the message in lang ("vi" by default, or "en").
func (e *ValidationError) Message(lang string) string {
	if lang == "en" {
		return e.En
	}
	return e.Vi
}

// ValidationErrors is every field that failed, in form order.
type ValidationErrors []*ValidationError

// Error implements error.
func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// BaseURLError says why the portal's public address cannot go on a poster
// and which setting to change. It matches ErrNoPublicURL with errors.Is.
type BaseURLError struct {
	URL    string // the address as configured ("" when unset)
	Reason string // unset, loopback, private, localhost, invalid
}

// ErrNoPublicURL: web.base_url is unset or names an address a phone
// outside the server cannot reach.
var ErrNoPublicURL = errors.New("web.base_url is not a public address")

// Error implements error.
func (e *BaseURLError) Error() string {
	return fmt.Sprintf("web.base_url %q is %s: a poster's QR code needs the public address", e.URL, e.Reason)
}

// Is makes errors.Is(err, ErrNoPublicURL) true.
func (e *BaseURLError) Is(target error) bool { return target == ErrNoPublicURL }

// Message returns the explanation for staff in lang ("vi" or "en"), naming
// the setting and its environment variable.
func (e *BaseURLError) Message(lang string) string {
	const fix = "web.base_url (MANGLANH_WEB_BASE_URL)"
	if lang == "en" {
		why := map[string]string{
			"unset":     "The portal's public address is not set",
			"loopback":  "The portal's public address " + e.URL + " is this machine's own (loopback) address",
			"private":   "The portal's public address " + e.URL + " is a private network address",
			"localhost": "The portal's public address " + e.URL + " names this machine (localhost)",
			"invalid":   "The portal's public address " + e.URL + " is not a full http(s) address",
		}[e.Reason]
		return why + ": a phone scanning the poster could not open the report form. Set " + fix +
			" to the address residents reach the portal at, e.g. https://phuong.example.vn, restart, then print the poster."
	}
	why := map[string]string{
		"unset":     "Chưa đặt địa chỉ công khai của cổng thông tin",
		"loopback":  "Địa chỉ công khai " + e.URL + " là địa chỉ nội bộ của chính máy chủ (loopback)",
		"private":   "Địa chỉ công khai " + e.URL + " là địa chỉ mạng riêng (nội bộ)",
		"localhost": "Địa chỉ công khai " + e.URL + " chỉ trỏ về chính máy chủ (localhost)",
		"invalid":   "Địa chỉ công khai " + e.URL + " không phải địa chỉ http(s) đầy đủ",
	}[e.Reason]
	return why + ": điện thoại quét mã QR sẽ không mở được trang báo cáo. Hãy đặt " + fix +
		" là địa chỉ người dân truy cập được, ví dụ https://phuong.example.vn, khởi động lại rồi in áp phích."
}

// CheckPublicURL reports whether base can go on a poster: a full http(s)
// URL whose host is a name other than localhost (and *.localhost, *.local)
// or a public IP address, not loopback, private (RFC 1918, ULA fc00::/7),
// link-local or unspecified. It does not resolve names: a name is the
// operator's choice, an address literal is checked here.
func CheckPublicURL(base string) error {
	base = strings.TrimSpace(base)
	if base == "" {
		return &BaseURLError{Reason: "unset"}
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return &BaseURLError{URL: base, Reason: "invalid"}
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		ip = ip.Unmap()
		switch {
		case ip.IsLoopback():
			return &BaseURLError{URL: base, Reason: "loopback"}
		case ip.IsPrivate(), ip.IsLinkLocalUnicast(), ip.IsUnspecified(), ip.IsMulticast(),
			ip.IsInterfaceLocalMulticast(), ip.IsLinkLocalMulticast():
			return &BaseURLError{URL: base, Reason: "private"}
		}
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return &BaseURLError{URL: base, Reason: "localhost"}
	}
	if strings.HasSuffix(host, ".local") || !strings.Contains(host, ".") {
		// mDNS names and single labels only resolve on the local network.
		return &BaseURLError{URL: base, Reason: "private"}
	}
	return nil
}

// Config is what NewService needs; Store and Audit are required.
type Config struct {
	Store Store
	Audit audit.Recorder
	// BaseURL is the portal's public address (web.base_url), checked by
	// CheckPublicURL before a poster is made.
	BaseURL string
	Clock   func() time.Time // time.Now when nil
}

// Service manages report sources and their posters.
type Service struct {
	store Store
	audit audit.Recorder
	base  string
	clock func() time.Time
}

// NewService validates cfg.
func NewService(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("sources: config has no Store")
	}
	if cfg.Audit == nil {
		return nil, errors.New("sources: config has no audit log")
	}
	s := &Service{store: cfg.Store, audit: cfg.Audit, base: strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/"),
		clock: cfg.Clock}
	if s.clock == nil {
		s.clock = time.Now
	}
	return s, nil
}

// mayManage: ward admins and officers make sources and posters.
func mayManage(a cases.Actor) bool {
	return a.UserID > 0 && (a.Role == cases.RoleWardAdmin || a.Role == cases.RoleOfficer)
}

func actorOf(a cases.Actor) audit.Actor { return audit.Actor{ID: a.UserID, Name: a.Name, Role: a.Role} }

// cleanLine checks a one-line field: valid UTF-8, no control characters,
// at most max characters, and not empty when required. It returns the
// trimmed value.
func cleanLine(v string, max int, required bool) (string, bool) {
	if !utf8.ValidString(v) {
		return strings.ToValidUTF8(v, "\uFFFD"), false
	}
	v = strings.TrimSpace(v)
	if strings.IndexFunc(v, unicode.IsControl) >= 0 || utf8.RuneCountInString(v) > max || (required && v == "") {
		return v, false
	}
	return v, true
}

// Create validates and stores a new source made by a, and records it in
// the audit log. in.Name, in.Kind and in.Address are read; the rest is set
// here. Invalid fields give ValidationErrors (every field that failed); the
// trimmed values are returned in the Source either way, for the form.
func (s *Service) Create(ctx context.Context, a cases.Actor, in Source) (Source, error) {
	if !mayManage(a) {
		return Source{}, ErrForbidden
	}
	var errs ValidationErrors
	var ok bool
	src := Source{Kind: in.Kind, CreatedBy: a.UserID, CreatedAt: s.clock(), TenantID: cases.TenantOf(a)}
	if src.Name, ok = cleanLine(in.Name, MaxName, true); !ok {
		errs = append(errs, &ValidationError{Field: "name",
			Vi: fmt.Sprintf("Vui lòng nhập tên nơi đặt (tối đa %d ký tự, không có ký tự lạ).", MaxName),
			En: fmt.Sprintf("Please enter the place name (at most %d characters, no strange characters).", MaxName)})
	}
	if !slices.Contains(Kinds(), src.Kind) {
		errs = append(errs, &ValidationError{Field: "kind", Vi: "Vui lòng chọn loại nơi đặt.", En: "Please choose the kind of place."})
	}
	if src.Address, ok = cleanLine(in.Address, MaxAddress, false); !ok {
		errs = append(errs, &ValidationError{Field: "address",
			Vi: fmt.Sprintf("Địa chỉ tối đa %d ký tự, không có ký tự lạ.", MaxAddress),
			En: fmt.Sprintf("The address takes at most %d characters, no strange characters.", MaxAddress)})
	}
	if len(errs) > 0 {
		return src, errs
	}
	if err := s.store.CreateSource(ctx, &src); err != nil {
		return src, fmt.Errorf("storing report source: %w", err)
	}
	if err := s.audit.RecordAction(ctx, actorOf(a), "source.create", "source", strconv.FormatInt(src.ID, 10),
		src.Kind+": "+src.Name); err != nil {
		return src, fmt.Errorf("recording new report source %d: %w", src.ID, err)
	}
	return src, nil
}

// List returns every source, newest first, for a ward admin or officer.
func (s *Service) List(ctx context.Context, a cases.Actor) ([]Source, error) {
	if !mayManage(a) {
		return nil, ErrForbidden
	}
	all, err := s.store.ListSources(ctx)
	if err != nil {
		return nil, err
	}
	var out []Source
	for _, src := range all {
		if sourceTenant(src) == cases.TenantOf(a) {
			out = append(out, src)
		}
	}
	return out, nil
}

func sourceTenant(src Source) int64 {
	if src.TenantID <= 0 {
		return cases.DefaultTenant
	}
	return src.TenantID
}

// Get returns source id; ErrNotFound when there is none. Anyone may look a
// source up: the public report form names the place it was reached from.
func (s *Service) Get(ctx context.Context, id int64) (Source, error) {
	if id <= 0 {
		return Source{}, ErrNotFound
	}
	src, err := s.store.GetSource(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Source{}, ErrNotFound
		}
		return Source{}, fmt.Errorf("reading report source %d: %w", id, err)
	}
	return src, nil
}

// PublicURLError is CheckPublicURL of the configured base URL: nil when
// posters can be printed.
func (s *Service) PublicURLError() error { return CheckPublicURL(s.base) }

// Poster returns source id and the address its QR code carries, for a ward
// admin or officer about to print its poster, and records the download. It
// refuses (a *BaseURLError) while web.base_url is not a public address.
func (s *Service) Poster(ctx context.Context, a cases.Actor, id int64) (Source, string, error) {
	if !mayManage(a) {
		return Source{}, "", ErrForbidden
	}
	src, err := s.Get(ctx, id)
	if err != nil {
		return Source{}, "", err
	}
	if sourceTenant(src) != cases.TenantOf(a) {
		return Source{}, "", ErrNotFound
	}
	if err := s.PublicURLError(); err != nil {
		return src, "", err
	}
	link := s.base + "/bao-cao?nguon=" + strconv.FormatInt(src.ID, 10)
	if err := s.audit.RecordAction(ctx, actorOf(a), "source.poster", "source", strconv.FormatInt(src.ID, 10), link); err != nil {
		return src, "", fmt.Errorf("recording poster of source %d: %w", src.ID, err)
	}
	return src, link, nil
}
