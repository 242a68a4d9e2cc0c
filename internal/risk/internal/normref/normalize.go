package normref

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TokenKind says what a normalised token stands for.
type TokenKind uint8

// Token kinds.
const (
	KindWord   TokenKind = iota // a word (possibly expanded from teencode)
	KindNumber                  // a number without a money unit
	KindMoney                   // an amount of money; Value holds VND
	KindPhone                   // a Vietnamese phone number
	KindDigits                  // a long digit string: account number, card code, OTP
)

// Token is one normalised token with the byte range [Start, End) it came
// from in the original text. Several tokens may share a range when a
// teencode abbreviation expands to several words ("stk" → "so tai khoan").
type Token struct {
	// Key is the diacritic-free, lower-case, teencode-expanded form that
	// rules are matched against ("được", "duoc", "dc" and "đc" all give "duoc").
	Key string
	// Word is the lower-case NFC form with diacritics kept and the tone mark
	// placed by one convention ("hoà" and "hòa" both give "hòa"). For an
	// expanded abbreviation it equals Key.
	Word  string
	Start int
	End   int
	Kind  TokenKind
	// Break reports punctuation (. , ; : ! ? or a line break) between this
	// token and the previous one; phrases do not run across it.
	Break bool
	// Value is the amount in VND for KindMoney and the number for KindNumber.
	Value int64
	num   float64 // the number with its fraction, before a unit word
	// Word and Key are slices of one arena string while normalising:
	// [Start of word, end of word) and [end of word, keyEnd).
	arenaWord, arenaWordEnd, arenaKeyEnd int32
	inArena                              bool
}

// Text is the normalised form of a message.
type Text struct {
	Original string
	Tokens   []Token
}

// Key returns the space-joined keys of all tokens.
func (t Text) Key() string {
	var b strings.Builder
	for i, tok := range t.Tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok.Key)
	}
	return b.String()
}

// Amounts returns the money amounts found, in VND, in order of appearance.
func (t Text) Amounts() []int64 {
	var out []int64
	for _, tok := range t.Tokens {
		if tok.Kind == KindMoney {
			out = append(out, tok.Value)
		}
	}
	return out
}

// char is one visible character of the original text after folding.
type char struct {
	lower rune // lower-case, diacritics kept (NFC)
	fold  rune // lower-case ASCII base letter/digit, or the symbol itself
	start int
	end   int
}

func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x00AD, r == 0x034F,
		r >= 0xFE00 && r <= 0xFE0F, r == 0x180E, r == 0x061C:
		return true
	}
	return false
}

// homoglyph maps Cyrillic, Greek and fullwidth look-alikes to Latin letters.
func homoglyph(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E { // fullwidth ASCII
		return r - 0xFEE0
	}
	switch r {
	case 'а', 'α', 'А', 'Α':
		return 'a'
	case 'в', 'β', 'В', 'Β':
		return 'b'
	case 'е', 'ε', 'Е', 'Ε', 'ё':
		return 'e'
	case 'к', 'κ', 'К', 'Κ':
		return 'k'
	case 'м', 'М', 'Μ':
		return 'm'
	case 'н', 'Н', 'Η', 'η':
		return 'h'
	case 'о', 'ο', 'О', 'Ο', 'σ':
		return 'o'
	case 'р', 'ρ', 'Р', 'Ρ':
		return 'p'
	case 'с', 'С', 'ϲ':
		return 'c'
	case 'т', 'Т', 'τ', 'Τ':
		return 't'
	case 'у', 'У', 'γ':
		return 'y'
	case 'х', 'Х', 'χ', 'Χ':
		return 'x'
	case 'і', 'І', 'ι', 'Ι', 'ı':
		return 'i'
	case 'ј', 'Ј':
		return 'j'
	case 'ѕ', 'Ѕ':
		return 's'
	case 'ν', 'Ν':
		return 'v'
	case 'υ':
		return 'u'
	case 'ω':
		return 'w'
	case 'Ζ':
		return 'z'
	}
	return r
}

// Base letters of the Latin-1 and Latin Extended-A/B letters Vietnamese uses
// (U+00C0–U+01B0) and of the Vietnamese block (U+1EA0–U+1EF9), lower-case;
// 0 where the rune has no ASCII base letter. Constants, so no global state.
// markLatin and markViet give, for the same ranges, the tone mark (1 grave,
// 2 acute, 3 tilde, 4 hook, 5 dot below) in the low bits and 8 when the
// letter has a quality mark (circumflex, breve, horn).
const (
	markLatin = "\x01\x02\x08\x03\x00\x00\x00\x00\x01\x02\x08\x00\x01\x02\x08\x00\x00\x03\x01\x02\x08\x03\x00\x00\x00\x01\x02\x08\x00\x02\x00\x00\x01\x02\x08\x03\x00\x00\x00\x00\x01\x02\x08\x00\x01\x02\x08\x00\x00\x03\x01\x02\x08\x03\x00\x00\x00\x01\x02\x08\x00\x02\x00\x00\x00\x00\x08\x08\x00\x00\x02\x02\x08\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x08\x00\x00\x00\x00\x00\x00\x08\x08\x08\x08\x00\x00\x00\x00\x08\x08\x00\x00\x03\x03\x00\x00\x08\x08\x00\x00\x00\x00\x00\x00\x08\x08\x00\x00\x00\x02\x02\x00\x00\x00\x00\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x08\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x02\x02\x08\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x08\x08\x00\x00\x00\x00\x00\x00\x08\x08\x08\x08\x00\x02\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x08"
	markViet  = "\x05\x05\x04\x04\x0a\x0a\x09\x09\x0c\x0c\x0b\x0b\x0d\x0d\x0a\x0a\x09\x09\x0c\x0c\x0b\x0b\x0d\x0d\x05\x05\x04\x04\x03\x03\x0a\x0a\x09\x09\x0c\x0c\x0b\x0b\x0d\x0d\x04\x04\x05\x05\x05\x05\x04\x04\x0a\x0a\x09\x09\x0c\x0c\x0b\x0b\x0d\x0d\x0a\x0a\x09\x09\x0c\x0c\x0b\x0b\x0d\x0d\x05\x05\x04\x04\x0a\x0a\x09\x09\x0c\x0c\x0b\x0b\x0d\x0d\x01\x01\x05\x05\x04\x04\x03\x03"
)

const (
	foldLatin = "aaaaaa\x00ceeeeiiii\x00nooooo\x00\x00uuuuy\x00\x00aaaaaa\x00ceeeeiiii\x00nooooo\x00\x00uuuuy\x00yaaaaaaccccccccddddeeeeeeeeeegggggggghh\x00\x00iiiiiiiii\x00\x00\x00jjkk\x00llllll\x00\x00\x00\x00nnnnnn\x00\x00\x00oooooo\x00\x00rrrrrrsssssssstttt\x00\x00uuuuuuuuuuuuwwyyyzzzzzz\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00oo\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00uu"
	foldViet  = "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy"
)

// foldRune returns the lower-case base letter of r without diacritics.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		return r
	}
	if r >= 0xC0 && r <= 0x1B0 {
		if b := foldLatin[r-0xC0]; b != 0 {
			return rune(b)
		}
	} else if r >= 0x1EA0 && r <= 0x1EF9 {
		if b := foldViet[r-0x1EA0]; b != 0 {
			return rune(b)
		}
	}
	if r == 'đ' || r == 'Đ' || r == 'ð' || r == 'Ð' {
		return 'd'
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFD.Properties(buf[:n]).Decomposition()
	if len(d) > 0 && d[0] < utf8.RuneSelf {
		c := rune(d[0])
		if c >= 'A' && c <= 'Z' {
			c += 32
		}
		return c
	}
	return unicode.ToLower(r)
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }

// isWordSymbol reports symbols used as letters in obfuscated words.
func isWordSymbol(r rune) bool { return r == '@' || r == '$' }

// isTightSep reports characters used to split a word into letters
// ("c.h.u.y.ể.n", "t/ả/i", "c-h-u").
func isTightSep(r rune) bool {
	switch r {
	case '.', '/', '-', '_', '*', '|', '+', '\\', '~', ',', '\'', '`', '^', '\u00b7':
		return true
	}
	return false
}

// scanChars turns the original text into visible, folded characters,
// dropping invisible ones and attaching combining marks to their base.
func scanChars(s string, out []char) []char {
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 'A' && b <= 'Z' {
				b += 32
			}
			out = append(out, char{lower: rune(b), fold: rune(b), start: i, end: i + 1})
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		start := i
		i += n
		if r == utf8.RuneError && n <= 1 {
			out = append(out, char{lower: ' ', fold: ' ', start: start, end: i})
			continue
		}
		if isInvisible(r) {
			// Invisible characters both glue words ("Mình\u200bmuốn") and
			// split them ("c\u200bh\u200bu"): treat them as a tight
			// separator, which spelled-out letter runs then join.
			if len(out) > 0 && out[len(out)-1].fold != '\u00b7' {
				out = append(out, char{lower: '\u00b7', fold: '\u00b7', start: start, end: i})
			}
			continue
		}
		if r >= 0x300 && unicode.Is(unicode.Mn, r) {
			if len(out) > 0 && out[len(out)-1].end == start {
				p := &out[len(out)-1]
				c := norm.NFC.String(string(p.lower) + string(r))
				if cr, cn := utf8.DecodeRuneInString(c); cn == len(c) {
					p.lower = cr
					p.fold = foldRune(cr)
				}
				p.end = i
			}
			continue
		}
		if w := emojiWord(r); w != "" {
			// An emoji that carries meaning becomes a word over its bytes.
			out = append(out, char{lower: ' ', fold: ' ', start: start, end: i})
			for _, wr := range w {
				out = append(out, char{lower: wr, fold: foldRune(wr), start: start, end: i})
			}
			out = append(out, char{lower: ' ', fold: ' ', start: start, end: i})
			continue
		}
		r = homoglyph(r)
		lr := unicode.ToLower(r)
		if lr == 'İ' {
			lr = 'i'
		}
		out = append(out, char{lower: lr, fold: foldRune(lr), start: start, end: i})
	}
	return out
}

// rawTok is a run of word characters before normalisation.
type rawTok struct {
	from, to int  // index range into chars
	sepAfter rune // the single separator after it (' ' for spaces only, 0 for other/none)
	wide     bool // two or more spaces follow (words of spelled-out letters)
}

func wordChar(c char) bool {
	return isLetter(c.fold) || isDigit(c.fold) || isWordSymbol(c.fold) ||
		(c.fold > 0x7f && unicode.IsLetter(c.fold))
}

func splitRaw(cs []char, out []rawTok) []rawTok {
	i := 0
	for i < len(cs) {
		if !wordChar(cs[i]) {
			i++
			continue
		}
		j := i
		for j < len(cs) {
			c := cs[j]
			if wordChar(c) {
				j++
				continue
			}
			// Keep "1.500.000", "2,5" together.
			if (c.fold == '.' || c.fold == ',') && j > i && isDigit(cs[j-1].fold) &&
				j+1 < len(cs) && isDigit(cs[j+1].fold) {
				j++
				continue
			}
			break
		}
		// Which separator follows: exactly one tight separator, or only spaces.
		var sep rune
		wide := false
		k := j
		if k < len(cs) && isTightSep(cs[k].fold) && k+1 < len(cs) && wordChar(cs[k+1]) {
			sep = cs[k].fold
		} else {
			sp := 0
			for k < len(cs) && cs[k].fold == ' ' {
				k++
				sp++
			}
			if sp == 1 && k < len(cs) && wordChar(cs[k]) {
				sep = ' '
			}
			wide = sp >= 2
		}
		out = append(out, rawTok{from: i, to: j, sepAfter: sep, wide: wide})
		i = j
	}
	return out
}

// Normalize turns a message into normalised tokens. It is deterministic and
// safe for any input, including invalid UTF-8.
func Normalize(s string) Text {
	var sc scratch
	return sc.normalize(s)
}

// scratch holds buffers reused across messages by one goroutine at a time
// (an Engine keeps them in a sync.Pool), so scoring allocates little.
type scratch struct {
	cs    []char
	raws  []rawTok
	runes []rune
	ar    []byte
	toks  []Token
	toks2 []Token
	ids   []int32
	cls   []int32
	ms    []match
	brk   []bool
	deob  []byte
	orig  []int
	// per-rule and per-signal state of Engine.Score
	seen     []bool
	extra    []uint8
	lastEnd  []int
	sigs     []bool
	dampSeen []int
	hashes   []uint32 // model features
}

// normalize is Normalize using sc's buffers; the returned tokens live in sc
// and are overwritten by the next call.
func (sc *scratch) normalize(s string) Text {
	sc.cs = scanChars(s, sc.cs[:0])
	cs := sc.cs
	sc.raws = splitRaw(cs, sc.raws[:0])
	raws := sc.raws
	toks := sc.toks[:0]
	buf := sc.runes[:0]
	ar := sc.ar[:0]
	for i := 0; i < len(raws); i++ {
		before := len(toks)
		brk := i > 0 && hasBreak(cs[raws[i-1].to:raws[i].from])
		// A run of single letters split by one repeated separator is one
		// obfuscated word or phrase.
		if n := singleLetterRun(cs, raws, i); n > 0 {
			toks = appendSpelled(toks, &ar, cs, raws[i:i+n])
			if brk && len(toks) > before {
				toks[before].Break = true
			}
			i += n - 1
			continue
		}
		rt := raws[i]
		buf = buf[:0]
		for _, c := range cs[rt.from:rt.to] {
			buf = append(buf, c.lower)
		}
		toks = appendWord(toks, &ar, buf, cs[rt.from].start, cs[rt.to-1].end)
		toks[len(toks)-1].Break = brk
		// "18+" is one token: adult-content markers depend on the plus.
		if last := &toks[len(toks)-1]; last.Kind == KindNumber && rt.to < len(cs) && cs[rt.to].fold == '+' {
			last.Key += "+"
			last.Word = last.Key
			last.End = cs[rt.to].end
		}
	}
	sc.runes, sc.ar = buf, ar
	// One string backs every word and key: one allocation instead of two
	// per token.
	str := string(ar)
	for i := range toks {
		if t := &toks[i]; t.inArena {
			t.Word = str[t.arenaWord:t.arenaWordEnd]
			t.Key = str[t.arenaWordEnd:t.arenaKeyEnd]
			if t.arenaKeyEnd == t.arenaWordEnd {
				t.Key = t.Word
			}
			t.inArena = false
		}
	}
	toks = joinDigits(toks)
	toks = joinMoney(toks)
	sc.toks = toks
	out := expandTeencode(toks, sc.toks2)
	if len(out) > 0 && len(toks) > 0 && &out[0] != &toks[0] {
		sc.toks2 = out
	}
	// "từ từ" (slowly) is not "tự tử": its second word gets its own key.
	for i := 1; i < len(out); i++ {
		if out[i].Word == "từ" && out[i-1].Word == "từ" && out[i].Key == "tu" {
			out[i].Key = "tutu"
		}
	}
	return Text{Original: s, Tokens: out}
}

// singleLetterRun returns how many raw tokens from i form a spelled-out
// word: at least 3 one-letter tokens joined by the same tight separator, or
// at least 4 joined by single spaces.
func singleLetterRun(cs []char, raws []rawTok, i int) int {
	one := func(k int) bool {
		return raws[k].to-raws[k].from == 1 && isLetter(cs[raws[k].from].fold)
	}
	if !one(i) {
		return 0
	}
	if raws[i].sepAfter == 0 {
		return 0
	}
	sep := raws[i].sepAfter
	n := 1
	for i+n < len(raws) && one(i+n) {
		n++
		if raws[i+n-1].sepAfter != sep {
			break
		}
	}
	if (sep == ' ' && n >= 4) || (sep != ' ' && n >= 3) {
		return n
	}
	// "c k  c h o  t a o": letters split by one space, words by two.
	last := raws[i+n-1]
	if sep == ' ' && n >= 2 {
		prevWide := i > 0 && (raws[i-1].wide || isDigit(cs[raws[i-1].to-1].fold))
		if (last.wide && (i == 0 || prevWide)) || (i+n == len(raws) && prevWide) {
			return n
		}
	}
	return 0
}

// appendSpelled joins spelled-out letters and splits them into syllables.
func appendSpelled(toks []Token, ar *[]byte, cs []char, run []rawTok) []Token {
	var foldBuf [64]byte
	var cutBuf [64]int
	var wBuf [64]rune
	fold := foldBuf[:0]
	for _, rt := range run {
		fold = append(fold, byte(cs[rt.from].fold))
	}
	cuts := segmentSyllables(fold, cutBuf[:0])
	prev := 0
	for _, cut := range cuts {
		w := wBuf[:0]
		for _, rt := range run[prev:cut] {
			w = append(w, cs[rt.from].lower)
		}
		toks = appendWord(toks, ar, w, cs[run[prev].from].start, cs[run[cut-1].from].end)
		prev = cut
	}
	return toks
}

// appendWord normalises one raw word.
func appendWord(toks []Token, ar *[]byte, w []rune, start, end int) []Token {
	hasDigit := false
	for _, r := range w {
		if isDigit(foldRune(r)) {
			hasDigit = true
			break
		}
	}
	if hasDigit {
		if tok, ok := parseNumberToken(w, start, end); ok {
			return append(toks, tok)
		}
		if leetable(w) {
			w = deLeet(w)
		}
	} else {
		for k, r := range w {
			if r == '@' {
				w[k] = 'a'
			} else if r == '$' {
				w[k] = 's'
			}
		}
	}
	w = collapseRepeats(w)
	ws := len(*ar)
	ascii := true
	for _, r := range w {
		if r >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || (len(w) <= 16 && toneAlreadyCanonical(w)) {
		for _, r := range w {
			*ar = utf8.AppendRune(*ar, r)
		}
	} else {
		*ar = append(*ar, canonicalTone(w)...)
	}
	we := len(*ar)
	ke := we
	if !ascii {
		word := (*ar)[ws:we]
		for k := 0; k < len(word); {
			r, n := utf8.DecodeRune(word[k:])
			k += n
			*ar = utf8.AppendRune(*ar, foldRune(r))
		}
		ke = len(*ar)
	}
	return append(toks, Token{Start: start, End: end, Kind: KindWord,
		arenaWord: int32(ws), arenaWordEnd: int32(we), arenaKeyEnd: int32(ke), inArena: true})
}

// leetable reports whether a word mixing letters and digits reads as a
// word spelt with look-alike digits ("l0tt0", "nh0m", "h0t") rather than a
// code such as "7a2", "t9" or "4g": at least two letters, three characters
// and every digit a look-alike.
func leetable(w []rune) bool {
	letters := 0
	for _, r := range w {
		switch {
		case r == '2' || r == '6' || r == '8' || r == '9':
			return false
		case r >= '0' && r <= '9':
		default:
			letters++
		}
	}
	if len(w) == 2 {
		return letters == 1 && !(w[0] >= '0' && w[0] <= '9') // "n0", "l4" but not "4g"
	}
	return letters >= 2 && len(w) >= 3
}

// deLeet replaces digits used as letters ("l0tt0", "ch3t").
func deLeet(w []rune) []rune {
	for k, r := range w {
		switch r {
		case '0':
			w[k] = 'o'
		case '1':
			w[k] = 'i'
		case '3':
			w[k] = 'e'
		case '4', '@':
			w[k] = 'a'
		case '5', '$':
			w[k] = 's'
		case '7':
			w[k] = 't'
		}
	}
	return w
}

// collapseRepeats shortens runs of three or more equal letters to one
// ("gấppppp" → "gấp"); Vietnamese never triples a letter, while doubles
// ("xoong") are kept.
func collapseRepeats(w []rune) []rune {
	out := w[:0]
	for k := 0; k < len(w); {
		j := k + 1
		for j < len(w) && foldRune(w[j]) == foldRune(w[k]) {
			j++
		}
		if j-k >= 3 {
			out = append(out, w[k])
		} else {
			out = append(out, w[k:j]...)
		}
		k = j
	}
	return out
}

func foldString(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf || (w[i] >= 'A' && w[i] <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	b := make([]byte, 0, len(w))
	for _, r := range w {
		f := foldRune(r)
		if f < utf8.RuneSelf {
			b = append(b, byte(f))
		} else {
			b = utf8.AppendRune(b, f)
		}
	}
	return string(b)
}

// parseNumberToken recognises numbers, amounts with a unit attached
// ("500k", "5tr", "3tr5", "1.500.000đ", "2m") and phone/account digits.
func parseNumberToken(w []rune, start, end int) (Token, bool) {
	k := 0
	for k < len(w) && (isDigit(w[k]) || ((w[k] == '.' || w[k] == ',') && k > 0)) {
		k++
	}
	if k == 0 {
		return Token{}, false
	}
	num := string(w[:k])
	unit := foldString(string(w[k:]))
	v, ok := parseAmount(num)
	if !ok {
		return Token{}, false
	}
	digits := strings.Trim(num, ".,")
	if unit == "" {
		tok := Token{Key: digits, Word: digits, Start: start, End: end, Kind: KindNumber, Value: int64(v), num: v}
		plain := !strings.ContainsAny(digits, ".,")
		switch {
		case plain && len(digits) >= 9 && len(digits) <= 11 && digits[0] == '0':
			tok.Kind, tok.Key = KindPhone, "<phone>"
		case plain && len(digits) == 11 && strings.HasPrefix(digits, "84"):
			tok.Kind, tok.Key = KindPhone, "<phone>"
		case plain && len(digits) >= 6:
			tok.Kind, tok.Key = KindDigits, "<digits>"
		case strings.Count(num, ".") >= 2 || (strings.Count(num, ".") == 1 && len(num)-strings.LastIndexByte(num, '.') == 4 && v >= 10000):
			tok.Kind, tok.Key = KindMoney, "<money>"
		}
		return tok, true
	}
	// "3tr5" = 3.5 million.
	extra := 0.0
	if i := strings.IndexFunc(unit, func(r rune) bool { return r >= '0' && r <= '9' }); i > 0 {
		rest := unit[i:]
		unit = unit[:i]
		if len(rest) == 1 {
			extra = float64(rest[0]-'0') / 10
		} else {
			return Token{}, false
		}
	}
	mult, ok := moneyUnit(unit)
	if !ok {
		return Token{}, false
	}
	return Token{Key: "<money>", Word: string(w), Start: start, End: end, Kind: KindMoney, Value: int64((v + extra) * mult)}, true
}

// parseAmount reads "1.500.000", "1,5", "2.5" or "500".
func parseAmount(num string) (float64, bool) {
	num = strings.TrimRight(num, ".,")
	if num == "" {
		return 0, false
	}
	groups := strings.FieldsFunc(num, func(r rune) bool { return r == '.' || r == ',' })
	thousands := len(groups) > 1
	for _, g := range groups[1:] {
		if len(g) != 3 {
			thousands = false
		}
	}
	if thousands && (len(groups) > 2 || len(groups[0]) > 1 || groups[0] != "0") && !(len(groups) == 2 && strings.Contains(num, ",") && len(groups[1]) != 3) {
		v, err := strconv.ParseFloat(strings.Join(groups, ""), 64)
		return v, err == nil
	}
	if len(groups) > 2 {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", "."), 64)
	if err != nil || v > 1e15 {
		return 0, false
	}
	return v, true
}

// moneyUnit returns the VND multiplier of a unit written after a number.
func moneyUnit(u string) (float64, bool) {
	switch u {
	case "k", "ka", "nghin", "ngan", "ng", "nghn", "canh":
		return 1e3, true
	case "tr", "trieu", "m", "cu", "chai", "trc":
		return 1e6, true
	case "ty", "ti":
		return 1e9, true
	case "lit", "xi":
		return 1e5, true
	case "d", "dong", "vnd", "vnđ":
		return 1, true
	}
	return 0, false
}

// joinMoney merges "2 triệu", "500 k", "50 nghìn đồng" into one money token.
func joinMoney(toks []Token) []Token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if (t.Kind == KindNumber || t.Kind == KindMoney) && i+1 < len(toks) && toks[i+1].Kind == KindWord {
			u := toks[i+1].Key
			if t.Kind == KindMoney && (u == "d" || u == "dong" || u == "vnd") {
				t.End = toks[i+1].End
				out = append(out, t)
				i++
				continue
			}
			if t.Kind == KindNumber && u != "m" && u != "ng" {
				if mult, ok := moneyUnit(u); ok {
					t.Kind, t.Key = KindMoney, "<money>"
					t.Value = int64(t.num * mult)
					t.End = toks[i+1].End
					i++
					if i+1 < len(toks) && (toks[i+1].Key == "dong" || toks[i+1].Key == "d" || toks[i+1].Key == "vnd") {
						t.End = toks[i+1].End
						i++
					}
				}
			}
		}
		out = append(out, t)
	}
	return out
}

// joinDigits merges digit groups written with spaces ("0071 0004 2236",
// "0987 336 120") into one phone or account number.
func joinDigits(toks []Token) []Token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		group := func(x Token) bool {
			return x.Kind == KindNumber && len(x.Key) >= 2 && len(x.Key) <= 5 && !strings.ContainsAny(x.Key, ".,")
		}
		if !group(t) && t.Kind != KindPhone && t.Kind != KindDigits {
			out = append(out, t)
			continue
		}
		j := i + 1
		digits := len(t.Key)
		for j < len(toks) && group(toks[j]) && toks[j].Start-toks[j-1].End <= 1 {
			digits += len(toks[j].Key)
			j++
		}
		if j-i < 2 || digits < 8 || t.Kind != KindNumber {
			out = append(out, t)
			continue
		}
		var b strings.Builder
		for _, x := range toks[i:j] {
			b.WriteString(x.Key)
		}
		d := b.String()
		kind := KindDigits
		if d[0] == '0' && (len(d) == 10 || len(d) == 11) {
			kind = KindPhone
		}
		key := "<digits>"
		if kind == KindPhone {
			key = "<phone>"
		}
		out = append(out, Token{Key: key, Word: d, Start: t.Start, End: toks[j-1].End, Kind: kind})
		i = j - 1
	}
	return out
}

// emojiWord returns the word an emoji stands for in chat, or "".
func emojiWord(r rune) string {
	switch r {
	case '😂', '🤣', '😆', '😹', '😝', '😜', '🤪', '😁', '😄':
		return "haha"
	case '🤫':
		return "bí mật"
	case '🔞':
		return "18+"
	case '🍆', '🍑', '💦', '👅':
		return "sex"
	case '🏨':
		return "khách sạn"
	case '🎰':
		return "nổ hũ"
	case '🔪':
		return "dao"
	}
	return ""
}

// hasBreak reports sentence or clause punctuation among the characters
// between two words.
func hasBreak(between []char) bool {
	for _, c := range between {
		switch c.fold {
		case '.', ',', ';', ':', '!', '?', '\n', '(', ')', '"':
			return true
		}
	}
	return false
}
