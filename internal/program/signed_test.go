package program

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func year2025() Period {
	return Days(time.Date(2025, 1, 1, 0, 0, 0, 0, hcm), time.Date(2025, 12, 31, 0, 0, 0, 0, hcm), hcm)
}

func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func wardFigures(code string) *Figures {
	return &Figures{Format: FiguresFormat, Wards: []TenantRef{{Code: code, Name: "Phường " + code}},
		Period: year2025(), Generated: time.Date(2026, 1, 5, 8, 0, 0, 0, hcm),
		Activities: ActivityFigures{Total: 38, ByKind: map[string]int{KindCommunication: 12, KindThemedMeeting: 21, KindSpecial: 5}},
		Coverage:   CoverageFigures{Pupils: Ratio{Num: 30, Den: 100}},
		Cases:      CaseFigures{Received: 4, InTime: Ratio{Num: 3, Den: 4}},
		Shops:      ShopFigures{Violations: 13, Handled: 13},
		DNS:        DNSFigures{DevicesProtected: 250}}
}

func trust(code string, key ed25519.PrivateKey) func(string) (ed25519.PublicKey, bool) {
	return func(c string) (ed25519.PublicKey, bool) {
		if c != code {
			return nil, false
		}
		return key.Public().(ed25519.PublicKey), true
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	key := testKey(1)
	data, err := SignFigures(wardFigures("11506"), key)
	if err != nil {
		t.Fatal(err)
	}
	var sf signedFile
	if err := json.Unmarshal(data, &sf); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(wardFigures("11506"))
	if !bytes.Equal(sf.Figures, want) {
		t.Fatalf("the figures member is not the signed bytes:\n%s\n%s", sf.Figures, want)
	}
	if sf.Format != SignedFormat || sf.Ward.Code != "11506" || sf.Key != base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)) {
		t.Fatalf("header: %+v", sf)
	}
	f, err := VerifyFigures(data, trust("11506", key))
	if err != nil {
		t.Fatal(err)
	}
	if f.Activities.ByKind[KindCommunication] != 12 || f.Coverage.Pupils != (Ratio{30, 100}) || !f.Period.From.Equal(year2025().From) {
		t.Fatalf("figures after the round trip: %+v", f)
	}
}

// resign rewrites a signed file: change edits the decoded parts, and the
// figures are signed again with key (nil: keep the old signature).
func resign(t *testing.T, data []byte, key ed25519.PrivateKey, change func(sf *signedFile, f *Figures)) []byte {
	t.Helper()
	var sf signedFile
	if err := json.Unmarshal(data, &sf); err != nil {
		t.Fatal(err)
	}
	var f Figures
	if err := json.Unmarshal(sf.Figures, &f); err != nil {
		t.Fatal(err)
	}
	change(&sf, &f)
	body, _ := json.Marshal(&f)
	sf.Figures = body
	if key != nil {
		sf.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, body))
	}
	out, _ := json.Marshal(sf)
	return out
}

func TestVerifyRefuses(t *testing.T) {
	key, other := testKey(1), testKey(2)
	good, err := SignFigures(wardFigures("11506"), key)
	if err != nil {
		t.Fatal(err)
	}
	otherKeyFile, _ := SignFigures(wardFigures("11506"), other)
	for _, tc := range []struct {
		name, reason string
		data         []byte
	}{
		{"over 5 MB", RefuseTooLarge, append(bytes.Repeat([]byte(" "), MaxSignedFile), good...)},
		{"not JSON", RefuseJSON, []byte("PK\x03\x04 a spreadsheet")},
		{"truncated", RefuseJSON, good[:len(good)/2]},
		{"unknown member", RefuseJSON, []byte(strings.Replace(string(good), `"format"`, `"extra":1,"format"`, 1))},
		{"two documents", RefuseJSON, append(append([]byte{}, good...), good...)},
		{"wrong format", RefuseFormat, []byte(strings.Replace(string(good), SignedFormat, "manglanh.figures.signed/9", 1))},
		{"unknown ward", RefuseUnknownWard, resign(t, good, key, func(sf *signedFile, f *Figures) {
			sf.Ward.Code, f.Wards[0].Code = "99999", "99999"
		})},
		{"another key", RefuseKeyMismatch, otherKeyFile},
		{"tampered figures", RefuseSignature, resign(t, good, nil, func(_ *signedFile, f *Figures) { f.Activities.Total++ })},
		{"pretty-printed figures", RefuseSignature, func() []byte {
			var sf signedFile
			json.Unmarshal(good, &sf)
			var b bytes.Buffer
			json.Indent(&b, sf.Figures, "", "  ")
			sf.Figures = b.Bytes()
			out, _ := json.Marshal(struct {
				Format    string          `json:"format"`
				Ward      TenantRef       `json:"ward"`
				Key       string          `json:"key"`
				Figures   json.RawMessage `json:"figures"`
				Signature string          `json:"signature"`
			}(sf))
			// json.Marshal compacts a RawMessage: put the indented bytes back.
			return bytes.Replace(out, mustCompact(b.Bytes()), b.Bytes(), 1)
		}()},
		{"bad signature encoding", RefuseSignature, []byte(strings.Replace(string(good), `"signature":"`, `"signature":"!!`, 1))},
		{"figures of another ward", RefuseFigures, resign(t, good, key, func(_ *signedFile, f *Figures) { f.Wards[0].Code = "11507" })},
		{"figures of two wards", RefuseFigures, resign(t, good, key, func(_ *signedFile, f *Figures) {
			f.Wards = append(f.Wards, TenantRef{Code: "11507"})
		})},
		{"negative count", RefuseFigures, resign(t, good, key, func(_ *signedFile, f *Figures) { f.Cases.Received = -1 })},
		{"negative map count", RefuseFigures, resign(t, good, key, func(_ *signedFile, f *Figures) { f.Activities.ByKind["x"] = -3 })},
		{"ratio over one", RefuseFigures, resign(t, good, key, func(_ *signedFile, f *Figures) { f.Coverage.Pupils = Ratio{101, 100} })},
		{"handled over violations", RefuseFigures, resign(t, good, key, func(_ *signedFile, f *Figures) { f.Shops.Handled = 14 })},
		{"reversed period", RefusePeriod, resign(t, good, key, func(_ *signedFile, f *Figures) {
			f.Period.From, f.Period.To = f.Period.To, f.Period.From
		})},
		{"period over ten years", RefusePeriod, resign(t, good, key, func(_ *signedFile, f *Figures) {
			f.Period.From = f.Period.To.AddDate(-11, 0, 0)
		})},
		{"inner format", RefuseFormat, resign(t, good, key, func(_ *signedFile, f *Figures) { f.Format = "x" })},
	} {
		_, err := VerifyFigures(tc.data, trust("11506", key))
		var fe *FileError
		if !errors.As(err, &fe) || fe.Reason != tc.reason {
			t.Errorf("%s: %v, want reason %s", tc.name, err, tc.reason)
		}
	}
}

func mustCompact(b []byte) []byte {
	var out bytes.Buffer
	json.Compact(&out, b)
	return out.Bytes()
}

func TestSignRefusesBadFigures(t *testing.T) {
	f := wardFigures("11506")
	f.Coverage.Pupils = Ratio{5, 4}
	if _, err := SignFigures(f, testKey(1)); err == nil {
		t.Error("signed a ratio over one")
	}
	two := wardFigures("11506")
	two.Wards = append(two.Wards, TenantRef{Code: "2"})
	if _, err := SignFigures(two, testKey(1)); err == nil {
		t.Error("signed two wards' figures as one ward's")
	}
	if _, err := SignFigures(wardFigures("11506"), ed25519.PrivateKey{1, 2}); err == nil {
		t.Error("signed with a short key")
	}
}

func TestSigningKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "figures.key")
	k1, err := LoadOrCreateSigningKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st.Mode(), err)
	}
	k2, err := LoadOrCreateSigningKey(path)
	if err != nil || !k1.Equal(k2) {
		t.Fatalf("the key changed on reload: %v", err)
	}
	os.WriteFile(path, []byte("not a key\n"), 0o600)
	if _, err := LoadOrCreateSigningKey(path); err == nil {
		t.Fatal("a corrupt key file was accepted")
	}
}

func FuzzVerifyFigures(f *testing.F) {
	key := testKey(1)
	good, _ := SignFigures(wardFigures("11506"), key)
	f.Add(good)
	f.Add([]byte(`{"format":"manglanh.figures.signed/1","ward":{"code":"11506"},"key":"","figures":{},"signature":""}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	trusted := trust("11506", key)
	f.Fuzz(func(t *testing.T, data []byte) {
		fig, err := VerifyFigures(data, trusted)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("an error that is not a FileError: %v", err)
			}
			return
		}
		// Whatever passes is ward 11506's, valid, and was signed by key.
		if len(fig.Wards) != 1 || fig.Wards[0].Code != "11506" || ValidateFigures(fig) != nil || fig.Period.Validate() != nil {
			t.Fatalf("accepted invalid figures: %+v", fig)
		}
	})
}
