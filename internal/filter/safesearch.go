package filter

import (
	"fmt"
	"sort"
	"strings"
)

// SafeSearch is a profile's level of forced safe search.
type SafeSearch uint8

const (
	// SafeSearchOff leaves search engines alone.
	SafeSearchOff SafeSearch = iota
	// SafeSearchModerate forces Google, Bing and DuckDuckGo safe search and
	// YouTube's moderate Restricted Mode.
	SafeSearchModerate
	// SafeSearchStrict forces Google, Bing and DuckDuckGo safe search and
	// YouTube's strict Restricted Mode.
	SafeSearchStrict
)

// Short aliases for the levels.
const (
	Off      = SafeSearchOff
	Moderate = SafeSearchModerate
	Strict   = SafeSearchStrict
)

// String returns "off", "moderate" or "strict".
func (s SafeSearch) String() string {
	switch s {
	case SafeSearchModerate:
		return "moderate"
	case SafeSearchStrict:
		return "strict"
	}
	return "off"
}

// ParseSafeSearch reads "off", "moderate" or "strict" (any case; the
// Vietnamese "tắt", "vừa", "nghiêm" too).
func ParseSafeSearch(s string) (SafeSearch, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off", "tắt", "none", "false":
		return SafeSearchOff, nil
	case "moderate", "vừa", "on", "true":
		return SafeSearchModerate, nil
	case "strict", "nghiêm":
		return SafeSearchStrict, nil
	}
	return SafeSearchOff, fmt.Errorf("unknown safe search level %q (want off, moderate or strict)", s)
}

// Safe-search CNAME targets published by each engine.
const (
	googleSafe          = "forcesafesearch.google.com"
	bingSafe            = "strict.bing.com"
	duckSafe            = "safe.duckduckgo.com"
	youtubeStrict       = "restrict.youtube.com"
	youtubeModerateSafe = "restrictmoderate.youtube.com"
)

// googleTLDs are the suffixes of Google's search domains after "google.",
// sorted (a test checks), so a lookup is a binary search without allocation.
var googleTLDs = []string{
	"ad", "ae", "al", "am", "as", "at", "az", "ba", "be", "bf", "bg", "bi", "bj", "bs", "bt", "by",
	"ca", "cat", "cd", "cf", "cg", "ch", "ci", "cl", "cm", "cn", "co.ao", "co.bw", "co.ck", "co.cr",
	"co.id", "co.il", "co.in", "co.jp", "co.ke", "co.kr", "co.ls", "co.ma", "co.mz", "co.nz", "co.th",
	"co.tz", "co.ug", "co.uk", "co.uz", "co.ve", "co.vi", "co.za", "co.zm", "co.zw", "com", "com.af",
	"com.ag", "com.ar", "com.au", "com.bd", "com.bh", "com.bn", "com.bo", "com.br", "com.bz",
	"com.co", "com.cu", "com.cy", "com.do", "com.ec", "com.eg", "com.et", "com.fj", "com.gh",
	"com.gi", "com.gt", "com.hk", "com.jm", "com.kh", "com.kw", "com.lb", "com.ly", "com.mm",
	"com.mt", "com.mx", "com.my", "com.na", "com.ng", "com.ni", "com.np", "com.om", "com.pa",
	"com.pe", "com.pg", "com.ph", "com.pk", "com.pr", "com.py", "com.qa", "com.sa", "com.sb",
	"com.sg", "com.sl", "com.sv", "com.tj", "com.tr", "com.tw", "com.ua", "com.uy", "com.vc",
	"com.vn", "cv", "cz", "de", "dj", "dk", "dm", "dz", "ee", "es", "fi", "fm", "fr", "ga", "ge",
	"gg", "gl", "gm", "gr", "gy", "hn", "hr", "ht", "hu", "ie", "im", "iq", "is", "it", "je", "jo",
	"kg", "ki", "kz", "la", "li", "lk", "lt", "lu", "lv", "md", "me", "mg", "mk", "ml", "mn", "mu",
	"mv", "mw", "ne", "nl", "no", "nr", "nu", "pl", "pn", "ps", "pt", "ro", "rs", "ru", "rw", "sc",
	"se", "sh", "si", "sk", "sm", "sn", "so", "sr", "st", "td", "tg", "tl", "tm", "tn", "to", "tt",
	"vu", "ws",
}

// SafeSearchTarget returns the host name that name must be answered with (as
// a CNAME) to force safe search at level, and whether name is a search or
// video host at all. Google (google.com, www.google.<every Google country
// domain>), Bing and DuckDuckGo are forced at both Moderate and Strict;
// YouTube gets restrictmoderate.youtube.com at Moderate and
// restrict.youtube.com at Strict. name is matched ASCII case-insensitively
// and may end with a dot. It returns a constant and does not allocate.
func SafeSearchTarget(name string, level SafeSearch) (target string, ok bool) {
	return safeSearchTarget(name, level)
}

// SafeSearchTargetBytes is SafeSearchTarget for a name in bytes.
func SafeSearchTargetBytes(name []byte, level SafeSearch) (target string, ok bool) {
	return safeSearchTarget(name, level)
}

func safeSearchTarget[T name](s T, level SafeSearch) (string, bool) {
	if level == SafeSearchOff {
		return "", false
	}
	if n := len(s); n > 0 && s[n-1] == '.' {
		s = s[:n-1]
	}
	switch {
	case eqFold(s, "www.bing.com"), eqFold(s, "bing.com"):
		return bingSafe, true
	case eqFold(s, "duckduckgo.com"), eqFold(s, "www.duckduckgo.com"), eqFold(s, "start.duckduckgo.com"):
		return duckSafe, true
	case eqFold(s, "www.youtube.com"), eqFold(s, "m.youtube.com"), eqFold(s, "youtubei.googleapis.com"),
		eqFold(s, "youtube.googleapis.com"), eqFold(s, "www.youtube-nocookie.com"):
		if level == SafeSearchStrict {
			return youtubeStrict, true
		}
		return youtubeModerateSafe, true
	}
	rest := s
	if hasPrefixFold(rest, "www.") {
		rest = rest[4:]
	}
	if hasPrefixFold(rest, "google.") && isGoogleTLD(rest[len("google."):]) {
		return googleSafe, true
	}
	return "", false
}

func isGoogleTLD[T name](tld T) bool {
	i := sort.Search(len(googleTLDs), func(i int) bool { return cmpFold(googleTLDs[i], tld) >= 0 })
	return i < len(googleTLDs) && cmpFold(googleTLDs[i], tld) == 0
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// eqFold reports whether s equals the lower-case ASCII want, ignoring case.
func eqFold[T name](s T, want string) bool {
	if len(s) != len(want) {
		return false
	}
	for i := 0; i < len(want); i++ {
		if lower(s[i]) != want[i] {
			return false
		}
	}
	return true
}

func hasPrefixFold[T name](s T, prefix string) bool {
	return len(s) >= len(prefix) && eqFold(s[:len(prefix)], prefix)
}

// cmpFold compares the lower-case a with s folded to lower case.
func cmpFold[T name](a string, s T) int {
	for i := 0; i < len(a) && i < len(s); i++ {
		if c := lower(s[i]); a[i] != c {
			if a[i] < c {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(s)
}
