package family

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"manglanh/internal/filter"
)

// FieldError is one problem with one form field, in Vietnamese and English.
// Field is the form field's name: "login", "password", "name", "nickname",
// "birth_year", "block", "safe_search", "allow", "deny", "until",
// "schedules.<i>.<name|days|from|to|block|allow_only>",
// "budgets.<i>.<key|minutes>", "temp_allows.<i>".
type FieldError struct {
	Field string
	Vi    string
	En    string
}

// Message returns the text in lang ("en" or Vietnamese).
func (f FieldError) Message(lang string) string {
	if lang == "en" {
		return f.En
	}
	return f.Vi
}

// ValidationError lists every problem found in one input; nothing was
// saved.
type ValidationError struct {
	Errors []FieldError
}

// Error implements error (English, for logs).
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, f := range e.Errors {
		parts[i] = f.Field + ": " + f.En
	}
	return "family: invalid input: " + strings.Join(parts, "; ")
}

// For returns the first problem of field, or nil.
func (e *ValidationError) For(field string) *FieldError {
	for i := range e.Errors {
		if e.Errors[i].Field == field {
			return &e.Errors[i]
		}
	}
	return nil
}

func (e *ValidationError) add(field, vi, en string) {
	e.Errors = append(e.Errors, FieldError{Field: field, Vi: vi, En: en})
}

func (e *ValidationError) check(f *FieldError) {
	if f != nil {
		e.Errors = append(e.Errors, *f)
	}
}

func (e *ValidationError) err() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}

func fieldErr(field, vi, en string) *FieldError { return &FieldError{Field: field, Vi: vi, En: en} }

// hasControl reports a control or format character (newlines, NUL, bidi
// overrides), or invalid UTF-8.
func hasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// validText checks a short free text of min..max characters.
func validText(field, s string, minLen, maxLen int, what, whatEn string) *FieldError {
	n := utf8.RuneCountInString(s)
	switch {
	case hasControl(s):
		return fieldErr(field, what+" có ký tự không hợp lệ (xuống dòng, ký tự điều khiển).",
			whatEn+" has characters that are not allowed (line breaks, control characters).")
	case n < minLen:
		return fieldErr(field, "Hãy nhập "+strings.ToLower(what[:1])+what[1:]+".", "Enter "+strings.ToLower(whatEn)+".")
	case n > maxLen:
		return fieldErr(field, fmt.Sprintf("%s dài quá %d ký tự.", what, maxLen),
			fmt.Sprintf("%s is longer than %d characters.", whatEn, maxLen))
	}
	return nil
}

func validNickname(field, s string) *FieldError {
	return validText(field, s, 1, 40, "Tên gọi", "The nickname")
}

func validName(field, s string) *FieldError {
	if s == "" {
		return nil // optional
	}
	return validText(field, s, 1, 80, "Tên", "The name")
}

func validDeviceName(field, s string) *FieldError {
	return validText(field, s, 1, 40, "Tên thiết bị", "The device name")
}

// validBirthYear allows 0 (not given) or a year 0–18 years before now.
func validBirthYear(field string, y int, now time.Time) *FieldError {
	if y == 0 {
		return nil
	}
	if y > now.Year() || y < now.Year()-18 {
		return fieldErr(field, fmt.Sprintf("Năm sinh phải từ %d đến %d.", now.Year()-18, now.Year()),
			fmt.Sprintf("The birth year must be between %d and %d.", now.Year()-18, now.Year()))
	}
	return nil
}

// ValidLabel reports whether s is a DNS label a profile or device may use:
// 1–63 of a-z, 0-9 and "-", not starting or ending with "-".
func ValidLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// CheckLabel returns a problem when label is not a valid DNS label or is
// the name of a YAML profile.
func (s *Service) CheckLabel(field, label string) *FieldError {
	if !ValidLabel(label) {
		return fieldErr(field, "Tên hồ sơ phải là một nhãn DNS: 1–63 chữ a–z, số 0–9 và dấu gạch ngang, không bắt đầu hay kết thúc bằng gạch ngang.",
			"The profile name must be a DNS label: 1–63 letters a–z, digits 0–9 and hyphens, not starting or ending with a hyphen.")
	}
	if s.reserved[label] {
		return fieldErr(field, "Tên hồ sơ này đã dùng trong cấu hình của phường.", "This profile name is used by the ward's configuration.")
	}
	return nil
}

// NormalizeDomain checks a site a parent typed ("Example.COM", "https://example.com/page",
// "*.example.com", an international name) and returns it as the filter
// stores it: lower-case ASCII, no scheme, path, port or trailing dot. ok is
// false for anything that is not a public domain name (an IP address, a
// single label, localhost, bad characters).
func NormalizeDomain(in string) (string, bool) {
	s := strings.TrimSpace(in)
	if s == "" || len(s) > 300 || hasControl(s) {
		return "", false
	}
	low := strings.ToLower(s)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(low, p) {
			s = s[len(p):]
			break
		}
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if _, err := strconv.Atoi(s[i+1:]); err == nil {
			s = s[:i]
		}
	}
	s = strings.TrimPrefix(s, "*.")
	s = strings.TrimSuffix(s, ".")
	if s == "" || strings.ContainsAny(s, "@ :[]") {
		return "", false
	}
	a, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return "", false
	}
	a = strings.ToLower(a)
	if len(a) > 253 {
		return "", false
	}
	labels := strings.Split(a, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	last := labels[len(labels)-1]
	if _, err := strconv.Atoi(last); err == nil {
		return "", false // an IPv4 address
	}
	if a == "localhost" || strings.HasSuffix(a, ".localhost") || strings.HasSuffix(a, ".local") {
		return "", false
	}
	return a, true
}

// BudgetGroups are the groups of services budgets count together.
var BudgetGroups = []string{"games", "social", "video"}

// Limits of one profile's rules, so a form cannot store megabytes.
const (
	maxNames     = 80
	maxSites     = 500
	maxSchedules = 20
	maxBudgets   = 40
	maxTemp      = 200
)

// knownName reports whether name is a category or service the filter knows.
func (s *Service) knownName(name string) bool {
	_, ok := s.reg.Tag(name)
	return ok
}

// isService reports whether name is a service of the catalogue.
func (s *Service) isService(name string) bool {
	t, ok := s.reg.Tag(name)
	return ok && s.reg.Info(t).Kind == filter.KindService
}

// names cleans a list of category/service names (trimmed, lower-case,
// duplicates dropped) and reports unknown ones.
func (s *Service) names(v *ValidationError, field string, in []string, allowNone, allowDomains bool) []string {
	if len(in) > maxNames {
		v.add(field, fmt.Sprintf("Quá nhiều mục (tối đa %d).", maxNames), fmt.Sprintf("Too many entries (at most %d).", maxNames))
		return nil
	}
	out := make([]string, 0, len(in))
	var bad []string
	for _, n := range in {
		n = strings.ToLower(strings.TrimSpace(n))
		switch {
		case n == "":
			continue
		case n == "none" && allowNone:
		case s.knownName(n):
		case allowDomains:
			d, ok := NormalizeDomain(n)
			if !ok {
				bad = append(bad, n)
				continue
			}
			n = d
		default:
			bad = append(bad, n)
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(bad) > 0 {
		list := quoteList(bad)
		v.add(field, "Không có nhóm hay dịch vụ tên "+list+".", "There is no category or service named "+list+".")
	}
	if slices.Contains(out, "none") && len(out) > 1 {
		v.add(field, "\"none\" (không chặn gì) không đi cùng mục khác.", "\"none\" (block nothing) cannot go with other entries.")
	}
	return out
}

// quoteList shows at most 5 bad entries, each cut to 40 characters.
func quoteList(bad []string) string {
	var parts []string
	for i, b := range bad {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		if utf8.RuneCountInString(b) > 40 {
			b = string([]rune(b)[:40]) + "…"
		}
		parts = append(parts, strconv.Quote(b))
	}
	return strings.Join(parts, ", ")
}

func (s *Service) sites(v *ValidationError, field string, in []string) []string {
	if len(in) > maxSites {
		v.add(field, fmt.Sprintf("Quá nhiều trang (tối đa %d).", maxSites), fmt.Sprintf("Too many sites (at most %d).", maxSites))
		return nil
	}
	out := make([]string, 0, len(in))
	var bad []string
	for _, d := range in {
		if strings.TrimSpace(d) == "" {
			continue
		}
		n, ok := NormalizeDomain(d)
		if !ok {
			bad = append(bad, d)
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(bad) > 0 {
		list := quoteList(bad)
		v.add(field, "Không phải tên trang web hợp lệ: "+list+" (ví dụ đúng: example.com).",
			"Not a valid site name: "+list+" (a valid one: example.com).")
	}
	return out
}

var validDays = map[string]bool{"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true}

// parseClock reads "HH:MM" (To may be "24:00") as minutes after midnight.
func parseClock(s string, allow24 bool) (int, bool) {
	hs, ms, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(hs) != 2 || len(ms) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || hs[0] == '+' || ms[0] == '+' {
		return 0, false
	}
	if h == 24 && m == 0 && allow24 {
		return 24 * 60, true
	}
	if h > 23 {
		return 0, false
	}
	return h*60 + m, true
}

// validBudgetKey reports whether key is "all", "group:<g>", "each:<g>" or a
// service name.
func (s *Service) validBudgetKey(key string) bool {
	if key == "all" {
		return true
	}
	if g, ok := strings.CutPrefix(key, "group:"); ok {
		return slices.Contains(BudgetGroups, g)
	}
	if g, ok := strings.CutPrefix(key, "each:"); ok {
		return slices.Contains(BudgetGroups, g)
	}
	return s.isService(key)
}

// ValidateRules checks every field of r and returns it cleaned (names
// lower-cased, sites normalised, duplicates dropped), or one
// *ValidationError with every problem.
func (s *Service) ValidateRules(r Rules) (Rules, error) {
	var v ValidationError
	now := s.now()
	out := Rules{SafeSearch: strings.TrimSpace(strings.ToLower(r.SafeSearch)), PausedUntil: r.PausedUntil}
	if r.Block != nil {
		out.Block = s.names(&v, "block", r.Block, true, false)
	}
	switch out.SafeSearch {
	case "", "off", "moderate", "strict":
	default:
		v.add("safe_search", "Tìm kiếm an toàn phải là tắt, vừa hoặc nghiêm.", "Safe search must be off, moderate or strict.")
	}
	out.Allow = s.sites(&v, "allow", r.Allow)
	out.Deny = s.sites(&v, "deny", r.Deny)
	var both []string
	for _, d := range out.Deny {
		if slices.Contains(out.Allow, d) {
			both = append(both, d)
		}
	}
	if len(both) > 0 {
		list := quoteList(both)
		v.add("deny", "Trang vừa được cho phép vừa bị chặn: "+list+".", "Sites both allowed and blocked: "+list+".")
	}
	if len(r.Schedules) > maxSchedules {
		v.add("schedules", fmt.Sprintf("Quá nhiều khung giờ (tối đa %d).", maxSchedules),
			fmt.Sprintf("Too many schedules (at most %d).", maxSchedules))
	} else {
		for i, sc := range r.Schedules {
			out.Schedules = append(out.Schedules, s.schedule(&v, fmt.Sprintf("schedules.%d.", i), sc))
		}
	}
	if r.Budgets != nil {
		out.Budgets = []Budget{}
	}
	if len(r.Budgets) > maxBudgets {
		v.add("budgets", fmt.Sprintf("Quá nhiều giới hạn thời gian (tối đa %d).", maxBudgets),
			fmt.Sprintf("Too many time budgets (at most %d).", maxBudgets))
	} else {
		seen := map[string]bool{}
		for i, b := range r.Budgets {
			f := fmt.Sprintf("budgets.%d.", i)
			key := strings.ToLower(strings.TrimSpace(b.Key))
			switch {
			case !s.validBudgetKey(key):
				v.add(f+"key", "Không có nhóm hay dịch vụ "+quoteList([]string{b.Key})+" để giới hạn thời gian.",
					"There is no group or service "+quoteList([]string{b.Key})+" to budget.")
			case seen[key]:
				v.add(f+"key", "Giới hạn này đã có ở trên.", "This budget is already set above.")
			}
			seen[key] = true
			if b.Minutes < 1 || b.Minutes > 1440 {
				v.add(f+"minutes", "Số phút phải từ 1 đến 1440 (24 giờ).", "The minutes must be between 1 and 1440 (24 hours).")
			}
			out.Budgets = append(out.Budgets, Budget{Key: key, Minutes: b.Minutes})
		}
	}
	if !r.PausedUntil.IsZero() && !r.PausedUntil.Equal(filter.PauseForever) && !r.PausedUntil.After(now) {
		v.add("until", "Thời điểm kết thúc tạm dừng phải ở tương lai.", "The end of the pause must be in the future.")
	}
	if len(r.TempAllows) > maxTemp {
		v.add("temp_allows", fmt.Sprintf("Quá nhiều trang cho phép tạm (tối đa %d).", maxTemp),
			fmt.Sprintf("Too many temporarily allowed sites (at most %d).", maxTemp))
	} else {
		for i, t := range r.TempAllows {
			d, ok := NormalizeDomain(t.Domain)
			if !ok {
				v.add(fmt.Sprintf("temp_allows.%d", i), "Không phải tên trang web hợp lệ.", "Not a valid site name.")
				continue
			}
			if !t.Until.After(now) {
				continue // expired: dropped, not an error
			}
			out.TempAllows = append(out.TempAllows, TempAllow{Domain: d, Until: t.Until.UTC()})
		}
	}
	if err := v.err(); err != nil {
		return Rules{}, err
	}
	return out, nil
}

func (s *Service) schedule(v *ValidationError, f string, sc Schedule) Schedule {
	out := Schedule{Name: strings.TrimSpace(sc.Name), From: strings.TrimSpace(sc.From), To: strings.TrimSpace(sc.To)}
	if out.Name != "" {
		v.check(validText(f+"name", out.Name, 1, 40, "Tên khung giờ", "The schedule name"))
	}
	var badDays []string
	for _, d := range sc.Days {
		d = strings.ToLower(strings.TrimSpace(d))
		if !validDays[d] {
			badDays = append(badDays, d)
			continue
		}
		if !slices.Contains(out.Days, d) {
			out.Days = append(out.Days, d)
		}
	}
	if len(badDays) > 0 {
		v.add(f+"days", "Ngày không hợp lệ: "+quoteList(badDays)+" (dùng mon…sun).", "Days not valid: "+quoteList(badDays)+" (use mon…sun).")
	}
	from, okF := parseClock(out.From, false)
	to, okT := parseClock(out.To, true)
	if !okF {
		v.add(f+"from", "Giờ bắt đầu phải theo dạng HH:MM, ví dụ 21:30.", "The start time must be HH:MM, e.g. 21:30.")
	}
	if !okT {
		v.add(f+"to", "Giờ kết thúc phải theo dạng HH:MM, ví dụ 06:00.", "The end time must be HH:MM, e.g. 06:00.")
	}
	if okF && okT && from == to {
		v.add(f+"to", "Giờ kết thúc phải khác giờ bắt đầu.", "The end time must differ from the start time.")
	}
	before := len(v.Errors)
	if len(sc.Block) > 0 {
		out.Block = s.names(v, f+"block", sc.Block, false, false)
	}
	if len(sc.AllowOnly) > 0 {
		out.AllowOnly = s.names(v, f+"allow_only", sc.AllowOnly, false, true)
	}
	// Nothing named (or only blanks), and no bad name already reported.
	if len(out.Block) == 0 && len(out.AllowOnly) == 0 && len(v.Errors) == before {
		v.add(f+"block", "Hãy chọn điều bị chặn trong khung giờ này.", "Choose what this schedule blocks.")
	}
	return out
}
