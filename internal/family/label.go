package family

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("drawing a random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// labelAlphabet is what the random end of a label is drawn from (32
// letters and digits, so no modulo bias from a byte).
const labelAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// Slug turns a nickname into ASCII a-z0-9 words joined by "-", at most 20
// characters: "Bé Đức Anh" → "be-duc-anh". Vietnamese tone marks are
// dropped and đ becomes d; what has no ASCII form is dropped. The result
// may be empty.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.Is(unicode.Mn, r):
			continue
		}
		r = unicode.ToLower(r)
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= 20 {
				break
			}
			continue
		}
		dash = true
	}
	return strings.Trim(b.String(), "-")
}

// newLabel draws a label for name: its slug (or "tre", a child, when the
// slug is empty), "-", and 4 random characters. It never returns a
// reserved name.
func (s *Service) newLabel(name string) (string, error) {
	base := Slug(name)
	if base == "" {
		base = "tre"
	}
	if len(base) > 40 {
		base = strings.Trim(base[:40], "-")
	}
	for {
		b := make([]byte, 4)
		if _, err := rand.Read(b); err != nil {
			return "", fmt.Errorf("drawing a label: %w", err)
		}
		for i := range b {
			b[i] = labelAlphabet[b[i]&31]
		}
		l := base + "-" + string(b)
		if !s.reserved[l] && ValidLabel(l) {
			return l, nil
		}
	}
}
