// Package secret seals small sensitive values (TOTP secrets, case details)
// with AES-256-GCM under a key kept in a file beside the database.
//
// The key file holds one key per line, "<id> <base64 of 32 bytes>", id 1 to
// 255. The last line is the current key: Seal uses it, Open uses whichever
// key the sealed value names. Rotation appends a line (Rotate), restarts the
// process, re-seals old values at leisure, and finally removes old lines; see
// docs/security.md.
package secret

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// ErrOpen is returned when a sealed value cannot be opened: it was made with
// a key this Sealer does not hold, or it was altered.
var ErrOpen = errors.New("secret: cannot open sealed value")

// Sealer encrypts and authenticates values. A sealed value is
// keyID(1) | nonce(12) | ciphertext | tag(16). It is safe for concurrent use.
type Sealer struct {
	aeads   map[byte]cipher.AEAD
	current byte
}

// New returns a Sealer holding keys by id; current names the key Seal uses.
// Ids must be 1 to 255 (0 is reserved for "not sealed" by callers).
func New(keys map[byte][]byte, current byte) (*Sealer, error) {
	s := &Sealer{aeads: map[byte]cipher.AEAD{}, current: current}
	for id, k := range keys {
		if id == 0 {
			return nil, errors.New("secret: key id 0 is reserved")
		}
		if len(k) != KeySize {
			return nil, fmt.Errorf("secret: key %d has %d bytes, want %d", id, len(k), KeySize)
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("secret: key %d: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secret: key %d: %w", id, err)
		}
		s.aeads[id] = aead
	}
	if _, ok := s.aeads[current]; !ok {
		return nil, fmt.Errorf("secret: current key %d is not among the keys", current)
	}
	return s, nil
}

// CurrentKeyID is the id of the key Seal uses.
func (s *Sealer) CurrentKeyID() byte { return s.current }

// Seal encrypts plain under the current key with a random nonce.
func (s *Sealer) Seal(plain []byte) ([]byte, error) {
	aead := s.aeads[s.current]
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = s.current
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("secret: drawing nonce: %w", err)
	}
	// The key id is authenticated as additional data, so a value cannot be
	// relabelled to another key.
	return aead.Seal(out, out[1:1+aead.NonceSize()], plain, out[:1]), nil
}

// Open decrypts a value made by Seal with any key this Sealer holds.
func (s *Sealer) Open(sealed []byte) ([]byte, error) {
	if len(sealed) < 1 {
		return nil, ErrOpen
	}
	aead, ok := s.aeads[sealed[0]]
	if !ok || len(sealed) < 1+aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, sealed[1:1+n], sealed[1+n:], sealed[:1])
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// KeyID reports which key sealed a value (0 if it is too short to tell), so
// a re-sealing job can find values still under an old key.
func KeyID(sealed []byte) byte {
	if len(sealed) == 0 {
		return 0
	}
	return sealed[0]
}

// LoadOrCreateKey reads the key file at path, or creates it with one fresh
// key (id 1) and mode 0600 when it does not exist. A file readable by group
// or others is refused on Unix: the key protects children's data.
func LoadOrCreateKey(path string) (*Sealer, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := create(path); err != nil {
			return nil, err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading key file: %w", err)
	}
	if err := checkMode(path); err != nil {
		return nil, err
	}
	keys, current, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return New(keys, current)
}

// Rotate appends a fresh key to the key file and makes it current; it
// returns the new key's id. Processes pick it up when they next start.
func Rotate(path string) (byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading key file: %w", err)
	}
	keys, _, err := parse(b)
	if err != nil {
		return 0, fmt.Errorf("key file %s: %w", path, err)
	}
	var id byte
	for i := 1; i <= 255; i++ {
		if _, used := keys[byte(i)]; !used {
			id = byte(i)
			break
		}
	}
	if id == 0 {
		return 0, errors.New("secret: all 255 key ids are used; remove retired keys first")
	}
	line, err := newLine(id)
	if err != nil {
		return 0, err
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	b = append(b, line...)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return 0, fmt.Errorf("writing key file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("replacing key file: %w", err)
	}
	return id, nil
}

func newLine(id byte) ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("secret: drawing key: %w", err)
	}
	return []byte(strconv.Itoa(int(id)) + " " + base64.StdEncoding.EncodeToString(k) + "\n"), nil
}

func create(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating key directory: %w", err)
	}
	line, err := newLine(1)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil // another process created it first: use theirs
	}
	if err != nil {
		return fmt.Errorf("creating key file: %w", err)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("writing key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing key file: %w", err)
	}
	return f.Close()
}

func checkMode(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("reading key file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("key file %s has mode %o: others may read it; run chmod 600 on it", path, st.Mode().Perm())
	}
	return nil
}

func parse(b []byte) (map[byte][]byte, byte, error) {
	keys := map[byte][]byte{}
	var current byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		idText, keyText, ok := strings.Cut(line, " ")
		id, err := strconv.Atoi(idText)
		if !ok || err != nil || id < 1 || id > 255 {
			return nil, 0, fmt.Errorf("line %d: want \"<id 1-255> <base64 key>\"", n)
		}
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(keyText))
		if err != nil || len(k) != KeySize {
			return nil, 0, fmt.Errorf("line %d: key is not %d bytes of base64", n, KeySize)
		}
		if _, dup := keys[byte(id)]; dup {
			return nil, 0, fmt.Errorf("line %d: key id %d appears twice", n, id)
		}
		keys[byte(id)] = k
		current = byte(id)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, err
	}
	if len(keys) == 0 {
		return nil, 0, errors.New("no key in file")
	}
	return keys, current, nil
}
