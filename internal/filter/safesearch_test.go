package filter

import (
	"slices"
	"testing"
)

func TestGoogleTLDsSorted(t *testing.T) {
	t.Parallel()
	if !slices.IsSorted(googleTLDs) {
		t.Fatal("googleTLDs must be sorted for binary search")
	}
	if len(slices.Compact(slices.Clone(googleTLDs))) != len(googleTLDs) {
		t.Fatal("googleTLDs has duplicates")
	}
}

func TestSafeSearchTarget(t *testing.T) {
	tests := []struct {
		name   string
		level  SafeSearch
		target string
	}{
		{"www.google.com", Moderate, "forcesafesearch.google.com"},
		{"google.com", Strict, "forcesafesearch.google.com"},
		{"WWW.Google.Com.VN.", Strict, "forcesafesearch.google.com"},
		{"www.google.co.uk", Moderate, "forcesafesearch.google.com"},
		{"www.google.cat", Moderate, "forcesafesearch.google.com"},
		{"www.google.com", Off, ""},
		{"www.google.xx", Strict, ""},
		{"mail.google.com", Strict, ""},
		{"www.google.com.evil", Strict, ""},
		{"google.com.vn.evil.com", Strict, ""},
		{"www.bing.com", Moderate, "strict.bing.com"},
		{"bing.com", Strict, "strict.bing.com"},
		{"duckduckgo.com", Moderate, "safe.duckduckgo.com"},
		{"www.duckduckgo.com", Strict, "safe.duckduckgo.com"},
		{"www.youtube.com", Strict, "restrict.youtube.com"},
		{"www.youtube.com", Moderate, "restrictmoderate.youtube.com"},
		{"m.youtube.com", Strict, "restrict.youtube.com"},
		{"youtubei.googleapis.com", Moderate, "restrictmoderate.youtube.com"},
		{"youtube.googleapis.com", Strict, "restrict.youtube.com"},
		{"www.youtube-nocookie.com", Strict, "restrict.youtube.com"},
		{"www.youtube.com", Off, ""},
		{"music.youtube.com", Strict, ""},
		{"", Strict, ""},
		{"g", Strict, ""},
	}
	for _, tc := range tests {
		got, ok := SafeSearchTarget(tc.name, tc.level)
		if got != tc.target || ok != (tc.target != "") {
			t.Errorf("SafeSearchTarget(%q, %v) = %q, %v; want %q", tc.name, tc.level, got, ok, tc.target)
		}
		if gotB, _ := SafeSearchTargetBytes([]byte(tc.name), tc.level); gotB != got {
			t.Errorf("bytes variant differs for %q", tc.name)
		}
	}
	for _, tld := range googleTLDs {
		if got, _ := SafeSearchTarget("www.google."+tld, Moderate); got != googleSafe {
			t.Errorf("www.google.%s not forced", tld)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		SafeSearchTarget("www.google.com.vn", Strict)
		SafeSearchTarget("WWW.YOUTUBE.COM.", Moderate)
		SafeSearchTarget("example.org", Moderate)
	}); n != 0 {
		t.Errorf("SafeSearchTarget allocates %.1f times", n)
	}
}

func TestParseSafeSearch(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]SafeSearch{"off": Off, "Moderate": Moderate, " strict ": Strict, "nghiêm": Strict} {
		if got, err := ParseSafeSearch(in); err != nil || got != want {
			t.Errorf("ParseSafeSearch(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseSafeSearch("max"); err == nil {
		t.Error("bad level accepted")
	}
}
