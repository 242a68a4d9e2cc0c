package risk

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"manglanh/internal/risk/internal/normref"
)

// The fast normaliser and link extractor must give exactly what the frozen
// reference (internal/normref) gives: the model's weights, the golden
// explanations and the rule matches all depend on these tokens.

func sameTokens(a []Token, b []normref.Token) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d tokens, reference %d", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Key != y.Key || x.Word != y.Word || x.Start != y.Start || x.End != y.End ||
			uint8(x.Kind) != uint8(y.Kind) || x.Break != y.Break || x.Value != y.Value {
			return fmt.Errorf("token %d = %+v, reference %+v", i, x, y)
		}
	}
	return nil
}

func sameLinks(a []Link, b []normref.Link) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d links, reference %d", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Text != y.Text || x.URL != y.URL || x.Host != y.Host || x.Start != y.Start || x.End != y.End ||
			len(x.Findings) != len(y.Findings) {
			return fmt.Errorf("link %d = %+v, reference %+v", i, x, y)
		}
		for k := range x.Findings {
			f, g := x.Findings[k], y.Findings[k]
			if f.Kind != g.Kind || f.Detail != g.Detail || string(f.Category) != string(g.Category) {
				return fmt.Errorf("link %d finding %d = %+v, reference %+v", i, k, f, g)
			}
		}
	}
	return nil
}

// checkSame compares Normalize and ExtractLinks with the reference, both
// fresh and through one reused scratch (as Engine.Score uses them).
func checkSame(t *testing.T, sc *scratch, s string) {
	t.Helper()
	ref := normref.Normalize(s).Tokens
	if err := sameTokens(Normalize(s).Tokens, ref); err != nil {
		t.Fatalf("Normalize(%q): %v", s, err)
	}
	if err := sameTokens(sc.normalize(s).Tokens, ref); err != nil {
		t.Fatalf("scratch normalize(%q): %v", s, err)
	}
	refLinks := normref.ExtractLinks(s)
	if err := sameLinks(ExtractLinks(s), refLinks); err != nil {
		t.Fatalf("ExtractLinks(%q): %v", s, err)
	}
	if err := sameLinks(extractLinks(s, sc), refLinks); err != nil {
		t.Fatalf("scratch extractLinks(%q): %v", s, err)
	}
}

// diffInputs returns the corpus texts, the rule phrases, the benchmark
// messages and, for each, variants that exercise the obfuscation paths.
func diffInputs(t *testing.T) []string {
	var in []string
	for _, x := range loadExamples(t, "testdata/corpus.jsonl") {
		in = append(in, x.Text)
	}
	if b, err := os.ReadFile("rules/default.yaml"); err == nil {
		in = append(in, strings.Split(string(b), "\n")...)
	} else {
		t.Fatal(err)
	}
	in = append(in, benchMessage(),
		"Zаlо ＺＡＬＯ @nh $ex l0tt0 t4i x1u n0 hu 7a2 t9 4g", "c k  c h o  t a o", "c\u200bh\u200bu\u200by\u200be\u200bn",
		"Mình\u200bmuốn\u200bchết", "gấppppp xoong", "0987 336 120 0071 0004 2236", "18+ 🔞 🤣🍆🏨🎰🔪🤫",
		"nạp 500k 5tr 3tr5 2 triệu 1.500.000đ 2m 50 nghìn đồng 1,5 triệu 800,000VND 2 lít 9999999999999999999999k",
		"abc[.]com hxxp://x.y/z.apk h**p://1.2.3.4/a (dot) [ . ] vietcombank . com abc .vn xn--vetcombank-abc.com",
		"http://[::1]:80/ ftp://a.b user@host.com:8080/p?q#f 1.2.3.4 ::1 192.168.0.1/admin a..b.com -a.com a-.com",
		"vіetcombank.com gov.vn.abc.xyz www.shopee.vn.top tiny.cc/x bit.ly/abc .com. com.",
		"\xff\xfe a\u0301\u0301\u0301 o\u031b\u0300 Chuye\u0302\u0309n khoa\u0309n İstanbul ΑΒΓ ǅ ﬁ ß ſ K Å",
	)
	base := len(in)
	r := rand.New(rand.NewPCG(1, 2))
	seps := []string{".", "/", "-", " ", "  ", "\u200b", "*", "_", "|"}
	for _, s := range in[:base] {
		in = append(in, strings.ToUpper(s), norm.NFD.String(s))
		// Spell out a random slice of the words.
		words := strings.Fields(s)
		if len(words) > 0 {
			w := words[r.IntN(len(words))]
			sep := seps[r.IntN(len(seps))]
			in = append(in, strings.Replace(s, w, strings.Join(strings.Split(w, ""), sep), 1))
		}
		// Byte-level mutations.
		for k := 0; k < 3 && len(s) > 0; k++ {
			b := []byte(s)
			for m := 0; m < 1+r.IntN(4); m++ {
				switch i := r.IntN(len(b)); r.IntN(4) {
				case 0:
					b[i] = byte(r.IntN(256))
				case 1:
					b = append(b[:i], b[i+1:]...)
				case 2:
					b = append(b[:i], append([]byte(".[]() 0"[r.IntN(7):][:1]), b[i:]...)...)
				default:
					b[i] = "0123456789.,kK@$"[r.IntN(16)]
				}
				if len(b) == 0 {
					break
				}
			}
			in = append(in, string(b))
		}
	}
	return in
}

func TestNormalizeMatchesReference(t *testing.T) {
	t.Parallel()
	var sc scratch
	for _, s := range diffInputs(t) {
		checkSame(t, &sc, s)
	}
}

func FuzzNormalizeMatchesReference(f *testing.F) {
	for _, s := range []string{
		"Chuyển khoản gấp 2 triệu vào stk 0123456789", "c.h.u.y.ể.n", "c h u y e n", "l0tt0",
		"a\u0301\u0301\u0301", "\xff\xfe", "1.2.3.4.5", "3tr5", "9999999999999999999999k", "🤣🔞", "\u200b\u200b",
		"ＺＡＬＯ", "o\u031b\u0300", "c k  c h o", "abc[.]com", "hxxp://a.b/c.apk", "x . vn", "a@b.com:80",
	} {
		f.Add(s)
	}
	var sc scratch
	f.Fuzz(func(t *testing.T, s string) {
		checkSame(t, &sc, s)
	})
}

// TestHelpersMatchReference compares the helpers that Engine.Score calls
// outside Normalize and ExtractLinks, and the bit sets of links.go.
func TestHelpersMatchReference(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80 ||
			strings.IndexByte("-._~:/?#@!$&*+=%", b) >= 0
		if isURLByte(b) != want {
			t.Errorf("isURLByte(%q) = %v", b, !want)
		}
		if r := rune(c); c < 128 && wordFold(r) != (isLetter(r) || isDigit(r) || isWordSymbol(r)) {
			t.Errorf("wordFold(%q) = %v", r, wordFold(r))
		}
		if trail := inSet(b, trailLo, trailHi); trail != (strings.IndexByte(".,:;!?*-_'\"", b) >= 0) {
			t.Errorf("trailing punctuation %q: %v", b, trail)
		}
	}
	hosts := []string{"vietcombank-xacminh.com", "VIETCOMBANK.com", "vіetcombank.com", "xn--vietcombank-abc.com",
		"xn--80ak6aa92e.com", "ＺＡＬＯ.vn", "đ.vn", "", ".", "a..b", "xn--", "İ.com"}
	for _, s := range diffInputs(t) {
		for _, l := range normref.ExtractLinks(s) {
			hosts = append(hosts, l.Host, strings.ToUpper(l.Host))
		}
		for _, w := range strings.Fields(s) {
			if foldString(w) != normref.FoldString(w) {
				t.Fatalf("foldString(%q) = %q, reference %q", w, foldString(w), normref.FoldString(w))
			}
			if len(w) <= 9 {
				if l := strings.ToLower(w); isSyllable(l) != normref.IsSyllable(l) {
					t.Fatalf("isSyllable(%q) = %v", l, isSyllable(l))
				}
			}
			// parseAmount sees a digit then digits, dots and commas.
			if n := numPrefix(w); n > 0 {
				v, ok := parseAmount([]byte(w[:n]))
				if rv, rok := normref.ParseAmount(w[:n]); v != rv || ok != rok {
					t.Fatalf("parseAmount(%q) = %v %v, reference %v %v", w[:n], v, ok, rv, rok)
				}
			}
			if got, want := canonicalTone([]rune(w)), normref.CanonicalTone([]rune(w)); got != want {
				t.Fatalf("canonicalTone(%q) = %q, reference %q", w, got, want)
			}
		}
	}
	for _, h := range hosts {
		if got, want := unicodeHost(h), normref.UnicodeHost(h); got != want {
			t.Errorf("unicodeHost(%q) = %q, reference %q", h, got, want)
		}
	}
}

func numPrefix(w string) int {
	k := 0
	for k < len(w) && (w[k] >= '0' && w[k] <= '9' || (w[k] == '.' || w[k] == ',') && k > 0) {
		k++
	}
	return k
}

// TestIsSyllableMatchesReference checks every lower-case string of up to
// four letters and a sample of longer ones.
func TestIsSyllableMatchesReference(t *testing.T) {
	t.Parallel()
	var b [7]byte
	var rec func(n int)
	rec = func(n int) {
		if n > 0 {
			if s := string(b[:n]); isSyllable(s) != normref.IsSyllable(s) {
				t.Fatalf("isSyllable(%q) = %v", s, isSyllable(s))
			}
		}
		if n == 4 {
			return
		}
		for c := byte('a'); c <= 'z'; c++ {
			b[n] = c
			rec(n + 1)
		}
	}
	rec(0)
	r := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		n := 5 + r.IntN(3)
		for k := range n {
			b[k] = "aeiouyngchtrqkpmbdlsvx"[r.IntN(22)]
		}
		if s := string(b[:n]); isSyllable(s) != normref.IsSyllable(s) {
			t.Fatalf("isSyllable(%q) = %v", s, isSyllable(s))
		}
	}
}

// TestFoldExpansion checks the folded forms written out in foldExpansion
// against foldString for every word teencode returns.
func TestFoldExpansion(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("teencode.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range regexp.MustCompile(`return "([^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		for _, w := range strings.Fields(m[1]) {
			n++
			if got, want := foldExpansion(w), foldString(w); got != want {
				t.Errorf("foldExpansion(%q) = %q, want %q", w, got, want)
			}
		}
	}
	if n < 100 {
		t.Fatalf("found only %d expansion words in teencode.go", n)
	}
}

// TestVietnameseBlockLower checks scanChars's shortcut: in U+1EA0–U+1EF9
// the lower case of r is r|1.
func TestVietnameseBlockLower(t *testing.T) {
	t.Parallel()
	for r := rune(0x1EA0); r <= 0x1EF9; r++ {
		if unicode.ToLower(r) != r|1 || isInvisible(r) || unicode.Is(unicode.Mn, r) || homoglyph(r) != r || emojiWord(r) != "" {
			t.Errorf("%U does not take the shortcut's path", r)
		}
	}
}
