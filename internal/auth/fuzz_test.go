package auth

import (
	"strings"
	"testing"
	"time"
)

// FuzzVerifyPassword feeds arbitrary stored hashes (a tampered row) to the
// decoder: it must refuse them or verify without panicking, and never ask
// for unbounded memory.
func FuzzVerifyPassword(f *testing.F) {
	h, _ := HashPassword("mat khau du dai", cheap)
	f.Add(h)
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5")
	f.Fuzz(func(t *testing.T, encoded string) {
		p, _, _, err := decodeHash(encoded)
		if err != nil {
			return
		}
		if p.Memory > 1<<20 || p.Time > 20 {
			t.Fatalf("accepted costly parameters %+v", p)
		}
		if p.Memory <= 4096 && p.Time <= 2 { // keep each run fast
			VerifyPassword("x", encoded)
		}
	})
}

// FuzzMatchTOTP checks that no input other than the right code matches.
func FuzzMatchTOTP(f *testing.F) {
	key := []byte("12345678901234567890")
	now := time.Unix(1_800_000_000, 0)
	f.Add("123456")
	f.Add(HOTP(key, TOTPStep(now), 6))
	f.Fuzz(func(t *testing.T, code string) {
		step := matchTOTP(key, code, now)
		if step >= 0 && HOTP(key, step, 6) != strings.ReplaceAll(strings.TrimSpace(code), " ", "") {
			t.Fatalf("%q matched step %d", code, step)
		}
	})
}
