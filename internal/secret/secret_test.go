package secret

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadOrCreateKeySealsAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "key")
	s, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", st.Mode(), err)
	}
	sealed, err := s.Seal([]byte("JBSWY3DPEHPK3PXP"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("JBSWY3DP")) || KeyID(sealed) != 1 {
		t.Fatalf("sealed value leaks plain text or has key id %d", KeyID(sealed))
	}
	again, err := LoadOrCreateKey(path) // same file, same key
	if err != nil {
		t.Fatal(err)
	}
	plain, err := again.Open(sealed)
	if err != nil || string(plain) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open = %q, %v", plain, err)
	}
	other, _ := LoadOrCreateKey(filepath.Join(t.TempDir(), "key"))
	if _, err := other.Open(sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("another key opened the value: %v", err)
	}
}

func TestTamperedValueIsRefused(t *testing.T) {
	s, err := LoadOrCreateKey(filepath.Join(t.TempDir(), "key"))
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := s.Seal([]byte("secret"))
	for i := range sealed {
		c := bytes.Clone(sealed)
		c[i] ^= 0x40
		if _, err := s.Open(c); err == nil {
			t.Fatalf("flipping byte %d went unnoticed", i)
		}
	}
	if _, err := s.Open(sealed[:10]); err == nil {
		t.Fatal("short value opened")
	}
}

func TestRotateKeepsOldValuesReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	s1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := s1.Seal([]byte("old"))
	id, err := Rotate(path)
	if err != nil || id != 2 {
		t.Fatalf("rotate = %d, %v", id, err)
	}
	s2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if s2.CurrentKeyID() != 2 {
		t.Fatalf("current key %d", s2.CurrentKeyID())
	}
	if p, err := s2.Open(old); err != nil || string(p) != "old" {
		t.Fatalf("old value after rotation: %q, %v", p, err)
	}
	fresh, _ := s2.Seal([]byte("new"))
	if KeyID(fresh) != 2 {
		t.Fatalf("new value sealed with key %d", KeyID(fresh))
	}
	if _, err := s1.Open(fresh); err == nil {
		t.Fatal("a process without the new key opened a new value")
	}
}

func TestLooseKeyFileAndBadContentAreRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "key")
	if _, err := LoadOrCreateKey(path); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Fatal("world-readable key file accepted")
	}
	for name, body := range map[string]string{
		"empty":     "",
		"short key": "1 c2hvcnQ=\n",
		"id zero":   "0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
		"duplicate": "1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := LoadOrCreateKey(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
