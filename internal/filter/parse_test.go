package filter

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

type entry struct {
	d     string
	allow bool
}

func parseAll(t *testing.T, in string) ([]entry, ParseStats) {
	t.Helper()
	var got []entry
	st, err := ParseList(strings.NewReader(in), func(d string, allow bool) { got = append(got, entry{d, allow}) })
	if err != nil {
		t.Fatalf("ParseList: %v", err)
	}
	return got, st
}

func TestParseListFormats(t *testing.T) {
	t.Parallel()
	in := "# hosts\r\n" +
		"0.0.0.0 a.com b.com # two\r\n" +
		"127.0.0.1 localhost\n" +
		"127.0.0.1\tx.org\n" +
		":: v6.example\n" +
		"\n" +
		"! adblock comment\n" +
		"[Adblock Plus 2.0]\n" +
		"||ads.example.net^\n" +
		"||imp.example.net^$important\n" +
		"@@||ok.ads.example.net^\n" +
		"||bad.example^$badfilter\n" +
		"||path.example/ads\n" +
		"/ads[0-9]+/\n" +
		"example.com##.banner\n" +
		"|http://x.example\n" +
		"Plain.Example.COM.\n" +
		"*.wild.example\n" +
		"bücher.de\n" +
		"xn--bcher-kva.example\n" +
		"1.2.3.4\n" +
		"localhost\n" +
		"singlelabel\n" +
		"bad_chars!.com\n" +
		"two words.com here\n" +
		"a..b.com\n"
	got, st := parseAll(t, in)
	want := []entry{
		{"a.com", false}, {"b.com", false}, {"x.org", false}, {"v6.example", false},
		{"ads.example.net", false}, {"imp.example.net", false}, {"ok.ads.example.net", true},
		{"plain.example.com", false}, {"wild.example", false}, {"xn--bcher-kva.de", false},
		{"xn--bcher-kva.example", false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries %v, want %v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %v, want %v", i, got[i], want[i])
		}
	}
	if st.Lines != 26 {
		t.Errorf("Lines = %d, want 26", st.Lines)
	}
	if st.Domains != 10 || st.Allows != 1 {
		t.Errorf("Domains, Allows = %d, %d; want 10, 1", st.Domains, st.Allows)
	}
	// localhost (hosts), badfilter, path, regex, cosmetic, url, IP, localhost,
	// single label, bad chars, two words, empty label.
	if st.Junk != 12 {
		t.Errorf("Junk = %d, want 12; samples %+v", st.Junk, st.Samples)
	}
	if len(st.Samples) != maxJunkSamples || st.Samples[0].Line != 3 || st.Samples[0].Reason != "localhost" {
		t.Errorf("samples = %+v", st.Samples)
	}
}

func TestParseListLongLine(t *testing.T) {
	t.Parallel()
	in := "a.com\n" + strings.Repeat("x", 10000) + ".com\nb.com\n" + strings.Repeat("y", MaxLineLength+1) + "\nc.com"
	got, st := parseAll(t, in)
	if len(got) != 3 || got[0].d != "a.com" || got[1].d != "b.com" || got[2].d != "c.com" {
		t.Fatalf("got %v", got)
	}
	if st.Lines != 5 || st.Junk != 2 {
		t.Errorf("Lines, Junk = %d, %d; want 5, 2", st.Lines, st.Junk)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		r.n--
		return copy(p, "a.com\n"), nil
	}
	return 0, errors.New("disk on fire")
}

func TestParseListReadError(t *testing.T) {
	t.Parallel()
	n := 0
	st, err := ParseList(&failingReader{n: 3}, func(string, bool) { n++ })
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v, want the read error", err)
	}
	if n != 3 || st.Domains != 3 {
		t.Errorf("got %d domains before the error (stats %d), want 3", n, st.Domains)
	}
	// A clean EOF is no error.
	if _, err := ParseList(io.LimitReader(strings.NewReader("a.com\n"), 3), func(string, bool) {}); err != nil {
		t.Errorf("truncated input: %v", err)
	}
}

func FuzzParseList(f *testing.F) {
	for _, s := range []string{
		"0.0.0.0 a.com b.com\n", "||a.com^$important\n@@||b.a.com^\n", "bücher.de.\r\n", "# c\n! d\n",
		"example.com##.ad\n", "/re/\n", "127.0.0.1 localhost\n", "*.x.y\n", "\xef\xbb\xbfa.vn\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n, allows int
		st, err := ParseList(bytes.NewReader(data), func(d string, allow bool) {
			n++
			if allow {
				allows++
			}
			if nd, reason := normalizeDomain([]byte(d), nil); reason != "" || string(nd) != d {
				t.Fatalf("emitted %q, which does not normalise to itself (%q, %s)", d, nd, reason)
			}
			if len(d) > 253 || strings.ContainsAny(d, " \t\r\n#!/*^$|") || d != strings.ToLower(d) {
				t.Fatalf("emitted bad name %q", d)
			}
		})
		if err != nil {
			t.Fatalf("error from a bytes.Reader: %v", err)
		}
		if st.Domains+st.Allows != n || st.Allows != allows {
			t.Fatalf("stats %+v disagree with %d calls (%d allows)", st, n, allows)
		}
		if st.Lines > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("Lines = %d for %d newlines", st.Lines, bytes.Count(data, []byte("\n")))
		}
	})
}
