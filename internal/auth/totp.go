package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP parameters (RFC 6238 with the defaults every authenticator app
// supports): HMAC-SHA1, 30-second steps, 6 digits, one step of clock skew
// accepted either way.
const (
	TOTPPeriod = 30 * time.Second
	TOTPDigits = 6
	TOTPSkew   = 1
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns 20 random bytes (160 bits, RFC 4226's
// recommendation).
func NewTOTPSecret() ([]byte, error) {
	k := make([]byte, 20)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("drawing TOTP secret: %w", err)
	}
	return k, nil
}

// EncodeSecret is the base32 text users type into an authenticator app.
func EncodeSecret(key []byte) string { return b32.EncodeToString(key) }

// TOTPStep is the RFC 6238 time step counter for t.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// HOTP is RFC 4226's code for counter, with digits digits.
func HOTP(key []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// matchTOTP returns the step within ±TOTPSkew of now whose code equals code,
// or -1. Every candidate is compared, in constant time, so the timing does
// not say which step matched.
func matchTOTP(key []byte, code string, now time.Time) int64 {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != TOTPDigits {
		return -1
	}
	found := int64(-1)
	cur := TOTPStep(now)
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		if subtle.ConstantTimeCompare([]byte(HOTP(key, s, TOTPDigits)), []byte(code)) == 1 {
			found = s
		}
	}
	return found
}

// ProvisioningURI is the otpauth:// URI an authenticator app reads (from a
// QR code or pasted): issuer and account label the entry in the app.
func ProvisioningURI(issuer, account string, key []byte) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	q := url.Values{}
	q.Set("secret", EncodeSecret(key))
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(TOTPDigits))
	q.Set("period", fmt.Sprint(int(TOTPPeriod/time.Second)))
	return "otpauth://totp/" + label + "?" + q.Encode()
}
