package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// MaxPasswordLength bounds what is hashed, in bytes, so a megabyte
// "password" cannot tie up the CPU.
const MaxPasswordLength = 256

// HashParams are argon2id's cost parameters.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultHashParams follow OWASP's argon2id minimum (19 MiB, 2 passes, 1
// lane): about 30–60 ms on a small 2-core ward machine (see
// BenchmarkHashPassword).
var DefaultHashParams = HashParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// commonPasswords are the commonest passwords of public breach lists,
// including Vietnamese favourites; a new password equal to one of them (any
// case) is refused whatever its length.
var commonPasswords = []string{
	"123456", "123456789", "12345678", "password", "qwerty123", "qwerty1234",
	"1234567890", "12345", "1234567", "111111", "123123", "abc123",
	"password1", "iloveyou", "1q2w3e4r5t", "0123456789", "matkhau123",
	"anhyeuem", "anhyeuem123", "1234567891",
}

// CheckPasswordPolicy returns ErrPasswordTooShort or ErrPasswordCommon when
// p may not be used as a new password.
func CheckPasswordPolicy(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return ErrPasswordTooShort
	}
	lp := strings.ToLower(p)
	for _, c := range commonPasswords {
		if lp == c {
			return ErrPasswordCommon
		}
	}
	// A single character repeated ("aaaaaaaaaa") is as weak as a listed one.
	if strings.Count(lp, lp[:1]) == len(lp) {
		return ErrPasswordCommon
	}
	return nil
}

// HashPassword returns the PHC-style encoding of password under argon2id:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, salt and key in unpadded
// base64.
func HashPassword(password string, p HashParams) (string, error) {
	if len(password) > MaxPasswordLength {
		return "", ErrInvalidInput
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("drawing salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the encoded hash, in
// time independent of where they differ. A malformed hash is an error.
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if len(password) > MaxPasswordLength {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than p.
func NeedsRehash(encoded string, p HashParams) bool {
	got, _, _, err := decodeHash(encoded)
	return err != nil || got != p
}

var errBadHash = errors.New("auth: malformed password hash")

func decodeHash(encoded string) (HashParams, []byte, []byte, error) {
	var p HashParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, errBadHash
	}
	// Bounds keep a tampered row from asking for gigabytes or hours.
	if p.Memory < 8 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 20 || p.Threads < 1 {
		return p, nil, nil, errBadHash
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}
