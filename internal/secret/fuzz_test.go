package secret

import "testing"

// FuzzParseKeyFile feeds arbitrary key files to the parser: it must refuse
// them or return keys of exactly KeySize bytes with ids 1–255.
func FuzzParseKeyFile(f *testing.F) {
	f.Add([]byte("1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	f.Add([]byte("# comment\n2 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n3 x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, current, err := parse(b)
		if err != nil {
			return
		}
		if _, ok := keys[current]; !ok || current == 0 {
			t.Fatalf("current key %d missing", current)
		}
		for id, k := range keys {
			if id == 0 || len(k) != KeySize {
				t.Fatalf("key %d has %d bytes", id, len(k))
			}
		}
		if _, err := New(keys, current); err != nil {
			t.Fatal(err)
		}
	})
}
