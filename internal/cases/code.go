package cases

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// codeAlphabet has no look-alikes: no 0/O, 1/I/L, nor U/V pairs confusion
// (U is dropped; V stays).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLength is the length of a tracking code: 30^8 ≈ 6.6·10^11 codes.
const CodeLength = 8

// newCode draws a tracking code from r (crypto/rand.Reader in production)
// with rejection sampling, so every symbol is equally likely.
func newCode(r io.Reader) (string, error) {
	const n = len(codeAlphabet)
	limit := 256 - 256%n
	var b strings.Builder
	buf := make([]byte, 16)
	for b.Len() < CodeLength {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("drawing tracking code: %w", err)
		}
		for _, x := range buf {
			if int(x) < limit && b.Len() < CodeLength {
				b.WriteByte(codeAlphabet[int(x)%n])
			}
		}
	}
	return b.String(), nil
}

var errBadCode = errors.New("malformed tracking code")

// NormalizeCode upper-cases code and drops spaces and dashes, so that
// "abcd-2345" and "ABCD2345" match. It fails if the result is not a
// well-formed code.
func NormalizeCode(code string) (string, error) {
	if len(code) > 4*CodeLength {
		return "", errBadCode
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == ' ' || r == '-':
		case r < 128 && strings.IndexByte(codeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", errBadCode
		}
	}
	if b.Len() != CodeLength {
		return "", errBadCode
	}
	return b.String(), nil
}
