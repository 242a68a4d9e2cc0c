package risk

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Link is a URL or bare domain found in a message.
type Link struct {
	Text     string        `json:"text"` // as found in the original message
	URL      string        `json:"url"`  // de-obfuscated, lower-case host
	Host     string        `json:"host"`
	Start    int           `json:"start"` // byte offsets of Text in the original
	End      int           `json:"end"`
	Findings []LinkFinding `json:"findings,omitempty"`
}

// LinkFinding is something risky about a link. Kind is one of the Finding*
// constants; Category is set for FindingListed.
type LinkFinding struct {
	Kind     string   `json:"kind"`
	Detail   string   `json:"detail,omitempty"`
	Category Category `json:"category,omitempty"`
}

// Kinds of link findings; link rules in the rules file refer to them.
const (
	FindingListed     = "listed"      // the DomainChecker lists the host
	FindingLookalike  = "lookalike"   // a brand label with a typo or a homoglyph
	FindingBrandWords = "brand_words" // a brand name plus other words on a foreign domain
	FindingGovFake    = "gov_fake"    // "gov.vn" inside a domain that is not under .gov.vn
	FindingPunycode   = "punycode"    // an internationalised (xn--) label
	FindingAPK        = "apk"         // a link to an Android package
	FindingShortener  = "shortener"   // a link shortener hides the target
	FindingCheapTLD   = "cheap_tld"   // a top-level domain favoured by throw-away sites
	FindingIP         = "ip_address"  // a URL to a bare IP address
	FindingObfuscated = "obfuscated"  // written "abc[.]com", "hxxp" or "abc . com"
	FindingAny        = "any"         // every link
)

// DomainChecker says whether a host is on a block list and under which
// category ("gambling", "adult", "scam", "phishing", "malware", or one of
// the Category names). The app passes the DNS filter's matcher.
type DomainChecker interface {
	Check(host string) (category string, listed bool)
}

// deobfuscate rewrites "[.]", "(.)", "[dot]", " . " and "hxxp" so links can
// be found; orig maps each byte of the result to its offset in s. When
// nothing is rewritten it returns s and a nil map without copying.
func deobfuscate(s string, bbuf *[]byte, obuf []int) (string, []int, bool) {
	if strings.IndexByte(s, '[') < 0 && strings.IndexByte(s, '(') < 0 && strings.IndexByte(s, '{') < 0 &&
		!strings.Contains(s, " .") && !strings.Contains(s, "xxp") && !strings.Contains(s, "XXP") && !strings.Contains(s, "**p") {
		return s, nil, false
	}
	first := firstRewrite(s)
	if first < 0 {
		return s, nil, false
	}
	b := append((*bbuf)[:0], s[:first]...)
	orig := obuf[:0]
	for k := 0; k < first; k++ {
		orig = append(orig, k)
	}
	for i := first; i < len(s); {
		switch kind, at, next := rewriteAt(s, i); kind {
		case rewriteDot:
			b = append(b, '.')
			orig = append(orig, at)
			i = next
		case rewriteHTTP:
			b = append(b, "http"...)
			orig = append(orig, i, i+1, i+2, i+3)
			i = next
		default:
			b = append(b, s[i])
			orig = append(orig, i)
			i++
		}
	}
	orig = append(orig, len(s))
	*bbuf = b
	return string(b), orig, true
}

// What rewriteAt found.
const (
	rewriteNone = iota
	rewriteDot  // an obfuscated dot: "." for the bytes up to next
	rewriteHTTP // "hxxp" or "h**p": "http"
)

// rewriteAt reports the obfuscation that starts at s[i], if any, the
// offset in s the rewritten dot stands for and where the scan resumes.
func rewriteAt(s string, i int) (kind, at, next int) {
	c := s[i]
	rest := s[i:]
	switch c {
	case '[', '(', '{':
		for _, pat := range [...]string{"[.]", "(.)", "{.}", "[dot]", "(dot)", "[dot ]", "[ . ]", "( . )"} {
			if len(rest) >= len(pat) && strings.EqualFold(rest[:len(pat)], pat) {
				return rewriteDot, i, i + len(pat)
			}
		}
	case 'h', 'H':
		if len(rest) >= 4 && (rest[1]|0x20 == 'x' || rest[1] == '*') &&
			(strings.EqualFold(rest[:4], "hxxp") || strings.EqualFold(rest[:4], "h**p")) {
			return rewriteHTTP, i, i + 4
		}
	case ' ':
		// "abc . com" or "abc .com": spaces around a dot between a label
		// and a known TLD.
		if i == 0 || !isAlnum(s[i-1]) {
			break
		}
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j < len(s) && s[j] == '.' {
			k := j + 1
			for k < len(s) && s[k] == ' ' {
				k++
			}
			e := k
			for e < len(s) && isAlnum(s[e]) {
				e++
			}
			if e > k && knownTLD(asciiLower(s[k:e])) && (e == len(s) || !isAlnum(s[e])) && (k > j+1 || j > i) {
				return rewriteDot, j, k
			}
		}
	}
	return rewriteNone, 0, 0
}

// firstRewrite returns the offset of the first obfuscation rewriteAt finds
// in s, or -1. It visits only the bytes each rewrite starts with, found by
// strings.IndexByte (vectorised), one byte value at a time: each search
// stops at its first rewrite, and the earliest of them is the first.
func firstRewrite(s string) int {
	first := len(s)
	// "[.]", "(dot)", …: at the bracket.
	for _, c := range [...]byte{'[', '(', '{'} {
		for off := 0; off < first; {
			k := strings.IndexByte(s[off:first], c)
			if k < 0 {
				break
			}
			if kind, _, _ := rewriteAt(s, off+k); kind != rewriteNone {
				first = off + k
				break
			}
			off += k + 1
		}
	}
	// "hxxp" and "h**p": at the h before the second letter.
	for _, c := range [...]byte{'x', 'X', '*'} {
		for off := 1; off <= first && off < len(s); {
			k := strings.IndexByte(s[off:min(first+1, len(s))], c)
			if k < 0 {
				break
			}
			if p := off + k - 1; p < first {
				if kind, _, _ := rewriteAt(s, p); kind != rewriteNone {
					first = p
					break
				}
			}
			off += k + 1
		}
	}
	// " . com": find the dot, then the first of the spaces before it.
	for off := 0; off < first; {
		k := strings.IndexByte(s[off:first], '.')
		if k < 0 {
			break
		}
		p := off + k
		q := p
		for q > 0 && s[q-1] == ' ' {
			q--
		}
		if q < p {
			if kind, _, _ := rewriteAt(s, q); kind != rewriteNone {
				first = min(first, q)
				break
			}
		}
		off = p + 1
	}
	if first == len(s) {
		return -1
	}
	return first
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// asciiLower lower-cases an ASCII string, allocating only when it has
// upper-case letters.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// URL bytes below 0x80 as bit sets: bits 0–63 and 64–127. urlTrail marks
// the punctuation trimmed from the end of a candidate.
const (
	urlLo, urlHi     uint64 = 0xa7ffec7a00000000, 0x47fffffe87ffffff // letters, digits and -._~:/?#@!$&*+=%
	trailLo, trailHi uint64 = 0x8c00748600000000, 0x80000000         // .,:;!?*-_'"
)

func inSet(c byte, lo, hi uint64) bool {
	if c < 64 {
		return lo>>c&1 != 0
	}
	return c < 128 && hi>>(c-64)&1 != 0
}

func isURLByte(c byte) bool { return c >= 0x80 || inSet(c, urlLo, urlHi) }

// ExtractLinks finds URLs and bare domains in text, including obfuscated
// ones ("abc[.]com", "abc . com", "hxxp://"). Findings that need no data
// (IP address, punycode, .apk, obfuscation) are filled in; Engine.Score adds
// the others.
func ExtractLinks(text string) []Link {
	var sc scratch
	return extractLinks(text, &sc)
}

func extractLinks(text string, sc *scratch) []Link {
	if !strings.ContainsAny(text, ".") {
		return nil
	}
	d, origMap, changed := deobfuscate(text, &sc.deob, sc.orig)
	if origMap != nil {
		sc.orig = origMap
	}
	_ = changed
	orig := func(i int) int {
		if origMap == nil {
			return i
		}
		return origMap[i]
	}
	var out []Link
	// Candidates are the runs of URL bytes with a dot: find the dots, then
	// the run around each.
	for off := 0; off < len(d); {
		p := strings.IndexByte(d[off:], '.')
		if p < 0 {
			break
		}
		p += off
		i := p
		for i > off && isURLByte(d[i-1]) {
			i--
		}
		j := p + 1
		for j < len(d) && isURLByte(d[j]) {
			j++
		}
		off = j
		// Trim trailing punctuation that ends a sentence.
		e := j
		for e > i && inSet(d[e-1], trailLo, trailHi) {
			e--
		}
		if strings.IndexByte(d[i:e], '.') < 0 {
			continue
		}
		if l, ok := parseLink(d[i:e]); ok {
			l.Start, l.End = orig(i), orig(e-1)+1
			l.Text = text[l.Start:l.End]
			if l.Text != d[i:e] {
				l.Findings = append(l.Findings, LinkFinding{Kind: FindingObfuscated})
			}
			out = append(out, l)
		}
	}
	return out
}

// parseLink recognises one candidate span as a URL or a bare domain.
func parseLink(span string) (Link, bool) {
	low := strings.ToLower(span)
	rest := low
	scheme := false
	if k := strings.Index(low, "://"); k > 0 {
		if s := low[:k]; s != "http" && s != "https" && s != "ftp" {
			// "xyz...http://" prefix junk: look for the scheme later.
			if m := strings.Index(low, "http"); m > 0 && strings.Contains(low[m:], "://") {
				return parseLink(span[m:])
			}
			return Link{}, false
		}
		rest = low[k+3:]
		scheme = true
	}
	host := rest
	if k := strings.IndexAny(host, "/?#"); k >= 0 {
		host = host[:k]
	}
	if k := strings.LastIndexByte(host, '@'); k >= 0 {
		host = host[k+1:]
	}
	if k := strings.LastIndexByte(host, ':'); k >= 0 && !strings.Contains(host, "]") {
		host = host[:k]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > 253 {
		return Link{}, false
	}
	l := Link{URL: low, Host: host}
	if mayBeIP(host) {
		if ip, err := netip.ParseAddr(host); err == nil {
			if !scheme && !strings.Contains(rest, "/") {
				return Link{}, false // "1.2.3.4" alone is more likely a version or score
			}
			if !scheme && !strings.HasPrefix(low, "www.") {
				l.URL = "http://" + low
			}
			l.Findings = append(l.Findings, LinkFinding{Kind: FindingIP, Detail: ip.String()})
			return l, true
		}
	}
	// At least two labels, none empty, longer than 63 bytes or starting or
	// ending with a hyphen.
	dots := 0
	for lb := range strings.SplitSeq(host, ".") {
		if lb == "" || len(lb) > 63 || lb[0] == '-' || lb[len(lb)-1] == '-' {
			return Link{}, false
		}
		dots++
	}
	if dots < 2 {
		return Link{}, false
	}
	tld := host[strings.LastIndexByte(host, '.')+1:]
	ascii := true
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			ascii = false
		}
	}
	if !scheme && !knownTLD(tld) {
		return Link{}, false
	}
	if !scheme && !strings.HasPrefix(low, "www.") {
		l.URL = "http://" + low
	}
	if !ascii || strings.Contains(host, "xn--") {
		l.Findings = append(l.Findings, LinkFinding{Kind: FindingPunycode})
	}
	path := strings.TrimPrefix(rest, host)
	if k := strings.IndexAny(path, "?#"); k >= 0 {
		path = path[:k]
	}
	if strings.HasSuffix(path, ".apk") || strings.HasSuffix(path, ".xapk") || tld == "apk" {
		l.Findings = append(l.Findings, LinkFinding{Kind: FindingAPK})
	}
	return l, true
}

// mayBeIP reports whether netip.ParseAddr could accept host: an IPv6
// address has a colon, an IPv4 one only digits and dots. It saves the
// parser's error allocation for every ordinary name.
func mayBeIP(host string) bool {
	for i := 0; i < len(host); i++ {
		if c := host[i]; c == ':' {
			return true
		} else if c != '.' && (c < '0' || c > '9') {
			return strings.IndexByte(host[i:], ':') >= 0
		}
	}
	return true
}

// knownTLD reports top-level domains accepted for bare domains without a
// scheme, so that "3.5tr" or "v.v" are not taken for links.
func knownTLD(t string) bool {
	switch t {
	case "com", "net", "org", "vn", "info", "biz", "xyz", "top", "site", "online", "club", "vip",
		"cc", "me", "io", "co", "app", "link", "live", "shop", "store", "tk", "ml", "ga", "cf", "gq",
		"pw", "ws", "fun", "icu", "asia", "today", "win", "bet", "casino", "games", "game", "click",
		"buzz", "work", "life", "pro", "tv", "ly", "gl", "gd", "at", "id", "to", "us", "uk", "sg",
		"cn", "ru", "in", "tech", "space", "website", "press", "mobi", "cyou", "sbs", "cfd", "lol",
		"monster", "rest", "bond", "beauty", "hair", "skin", "quest", "homes", "support", "help",
		"news", "world", "edu", "gov", "net.vn", "ink", "best", "red", "loan", "men", "party",
		"date", "review", "trade", "racing", "download", "stream", "kim", "gg", "ai", "so", "la",
		"apk", "zip", "mov", "one", "plus", "fyi", "page", "dev", "land", "city", "center":
		return true
	}
	return false
}

// registrable returns the registrable domain of host (eTLD+1), or host.
func registrable(host string) string {
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// unicodeHost decodes punycode labels and folds homoglyphs and diacritics,
// so "vіetcombank" (Cyrillic і) reads "vietcombank".
func unicodeHost(host string) string {
	if !strings.Contains(host, "xn--") {
		// Without an ACE label idna.ToUnicode returns host unchanged; for
		// ASCII, folding is lower-casing.
		ascii, upper := true, false
		for i := 0; i < len(host); i++ {
			c := host[i]
			ascii = ascii && c < utf8.RuneSelf
			upper = upper || (c >= 'A' && c <= 'Z')
		}
		if ascii && !upper {
			return host
		}
		if ascii {
			return strings.ToLower(host)
		}
	}
	u, err := idna.ToUnicode(host)
	if err != nil {
		u = host
	}
	var b strings.Builder
	for _, r := range u {
		r = foldRune(homoglyph(r))
		if r < 0x80 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the optimal-string-alignment distance between a and b,
// stopping early once it exceeds limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
