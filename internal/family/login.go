package family

import (
	"strings"
	"unicode/utf8"
)

// NormalizeLogin reads what a parent typed as their login: an e-mail
// (returned lower-case in email) or a Vietnamese phone number (returned as
// E.164 "+84…" in phone): 0912 345 678, 0912.345.678, +84 912 345 678 and
// 84912345678 are one number. Mobile numbers have 9 digits after the
// country code and start with 3, 5, 7, 8 or 9; landlines 10 digits
// starting with 2. Anything else is a *FieldError for "login".
func NormalizeLogin(in string) (email, phone string, fe *FieldError) {
	s := strings.TrimSpace(in)
	bad := fieldErr("login", "Hãy nhập một địa chỉ e-mail hoặc số điện thoại Việt Nam (ví dụ 0912 345 678).",
		"Enter an e-mail address or a Vietnamese phone number (e.g. 0912 345 678).")
	if s == "" || len(s) > 254 || hasControl(s) {
		return "", "", bad
	}
	if strings.Contains(s, "@") {
		e := strings.ToLower(s)
		if !validEmail(e) {
			return "", "", fieldErr("login", "Địa chỉ e-mail không hợp lệ (ví dụ đúng: ten@example.com).",
				"The e-mail address is not valid (a valid one: name@example.com).")
		}
		return e, "", nil
	}
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", "", bad
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(d, "84") && (len(d) == 11 || len(d) == 12):
		d = d[2:]
	case strings.HasPrefix(d, "0") && (len(d) == 10 || len(d) == 11):
		d = d[1:]
	default:
		return "", "", bad
	}
	switch {
	case len(d) == 9 && strings.ContainsRune("35789", rune(d[0])):
	case len(d) == 10 && d[0] == '2':
	default:
		return "", "", bad
	}
	return "", "+84" + d, nil
}

// validEmail is a careful, not exhaustive, check: one "@", a local part
// and a dotted domain of printable ASCII or UTF-8 letters without spaces.
func validEmail(e string) bool {
	if len(e) > 254 || !utf8.ValidString(e) {
		return false
	}
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || len(local) > 64 || domain == "" || strings.Contains(domain, "@") {
		return false
	}
	if strings.ContainsAny(e, " \t<>()[],;:\"\\") {
		return false
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") {
		return false
	}
	return true
}

// DisplayPhone shows +84912345678 as 0912 345 678.
func DisplayPhone(e164 string) string {
	d, ok := strings.CutPrefix(e164, "+84")
	if !ok {
		return e164
	}
	d = "0" + d
	if len(d) == 10 {
		return d[:4] + " " + d[4:7] + " " + d[7:]
	}
	return d
}
