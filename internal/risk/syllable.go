package risk

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Vietnamese tone marks as combining characters.
const (
	toneGrave = '\u0300'
	toneAcute = '\u0301'
	toneTilde = '\u0303'
	toneHook  = '\u0309'
	toneDot   = '\u0323'
)

func isTone(r rune) bool {
	return r == toneGrave || r == toneAcute || r == toneTilde || r == toneHook || r == toneDot
}

func isVowelBase(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// canonicalTone returns w as an NFC string with the tone mark on the vowel
// chosen by the traditional convention (hòa, thúy, quý, giữa, người): the
// vowel with a quality mark (â ă ê ô ơ ư, the last one for ươ) if any; else
// the last vowel when a final consonant follows; else the first of two
// vowels or the middle of three. Words that are not one syllable are only
// put in NFC.
func canonicalTone(w []rune) string {
	ascii := true
	for _, r := range w {
		if r >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(w)
	}
	if len(w) <= 16 && toneAlreadyCanonical(w) {
		return string(w)
	}
	var tone rune
	bare := make([]rune, len(w)) // vowels without tone, quality kept
	for k, r := range w {
		bare[k] = r
		if r < utf8.RuneSelf {
			continue
		}
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		d := norm.NFD.Properties(buf[:n]).Decomposition()
		if len(d) == 0 {
			continue
		}
		var keep []rune
		for _, m := range string(d) {
			if isTone(m) {
				if tone == 0 {
					tone = m
				}
				continue
			}
			keep = append(keep, m)
		}
		c := norm.NFC.String(string(keep))
		if cr, cn := utf8.DecodeRuneInString(c); cn == len(c) {
			bare[k] = cr
		}
	}
	if tone == 0 {
		return norm.NFC.String(string(w))
	}
	pos := tonePosition(bare)
	if pos < 0 {
		return norm.NFC.String(string(w))
	}
	var b strings.Builder
	for k, r := range bare {
		if k == pos {
			b.WriteString(norm.NFC.String(string([]rune{r, tone})))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// toneAlreadyCanonical reports, without allocating, whether w (NFC) has
// at most one tone mark and it already sits where tonePosition puts it —
// the common case, which then needs no recomposition.
func toneAlreadyCanonical(w []rune) bool {
	var base [16]rune
	var quality [16]bool
	toneAt := -1
	for k, r := range w {
		base[k] = r
		if r < utf8.RuneSelf {
			continue
		}
		var m byte
		switch {
		case r >= 0xC0 && r <= 0x1B0:
			m = markLatin[r-0xC0]
		case r >= 0x1EA0 && r <= 0x1EF9:
			m = markViet[r-0x1EA0]
		default:
			return false
		}
		if b := foldRune(r); b < utf8.RuneSelf {
			base[k] = b
		} else {
			return false
		}
		if m&8 != 0 {
			quality[k] = true
		}
		if m&7 != 0 {
			if toneAt >= 0 {
				return false
			}
			toneAt = k
		}
	}
	if toneAt < 0 {
		return true
	}
	return tonePositionOf(base[:len(w)], quality[:len(w)]) == toneAt
}

// tonePosition returns the index of the vowel that carries the tone, or -1
// when w is not a single Vietnamese syllable.
func tonePosition(w []rune) int {
	q := make([]bool, len(w))
	for k, r := range w {
		q[k] = r != foldRune(r)
	}
	return tonePositionOf(w, q)
}

// tonePositionOf is tonePosition given which letters carry a quality mark.
func tonePositionOf(w []rune, quality []bool) int {
	first, last := -1, -1
	for k, r := range w {
		if isVowelBase(foldRune(r)) {
			if first < 0 {
				first = k
			} else if last != k-1 {
				return -1 // vowels not contiguous: not one syllable
			}
			last = k
		}
	}
	if first < 0 {
		return -1
	}
	// "qu" and "gi" belong to the onset when another vowel follows.
	if first < last && first > 0 {
		on := foldRune(w[first-1])
		v := foldRune(w[first])
		if (on == 'q' && v == 'u') || (on == 'g' && v == 'i') {
			first++
		}
	}
	qpos := -1
	for k := first; k <= last; k++ {
		if quality[k] { // â ă ê ô ơ ư
			qpos = k
		}
	}
	if qpos >= 0 {
		return qpos
	}
	if last < len(w)-1 {
		return last
	}
	switch last - first {
	case 0:
		return first
	case 1:
		return first
	default:
		return first + 1
	}
}

// isSyllable reports whether s (lower-case ASCII) can be a Vietnamese
// syllable written without diacritics.
func isSyllable(s string) bool {
	// The onset: the longest of ngh, ch, gh, gi, kh, ng, nh, ph, qu, th,
	// tr and the single consonants that leaves something after it.
	i := 0
	switch {
	case len(s) > 3 && s[:3] == "ngh":
		i = 3
	case len(s) > 2 && twoLetterOnset(s[0], s[1]):
		i = 2
	case len(s) > 1 && strings.IndexByte("bcdghklmnprstvx", s[0]) >= 0:
		i = 1
	}
	v := i
	for v < len(s) && isVowelBase(rune(s[v])) {
		v++
	}
	nv := v - i
	if nv == 0 && !(s[:i] == "gi") {
		return false
	}
	if nv > 3 {
		return false
	}
	switch s[v:] {
	case "", "c", "ch", "m", "n", "ng", "nh", "p", "t":
		return true
	}
	return false
}

func twoLetterOnset(a, b byte) bool {
	switch a {
	case 'c', 'k', 'n', 'p', 't':
		return b == 'h' || (a == 'n' && b == 'g') || (a == 't' && b == 'r')
	case 'g':
		return b == 'h' || b == 'i'
	case 'q':
		return b == 'u'
	}
	return false
}

// segmentSyllables splits a run of letters ("chuyenkhoan") into syllables
// and returns the end index of each; it prefers long syllables and returns
// one cut at len(s) when no split works.
func segmentSyllables(s []byte, cuts []int) []int {
	n := len(s)
	// best[i] = length of the syllable starting at i in a full segmentation.
	var bestBuf [65]int8
	var okBuf [65]bool
	best, ok := bestBuf[:0], okBuf[:0]
	if n+1 <= len(bestBuf) {
		best, ok = bestBuf[:n+1], okBuf[:n+1]
	} else {
		best, ok = make([]int8, n+1), make([]bool, n+1)
	}
	ok[n] = true
	for i := n - 1; i >= 0; i-- {
		for l := min(7, n-i); l >= 1; l-- {
			if ok[i+l] && (isSyllable(string(s[i:i+l])) || spelledAcronym(string(s[i:i+l]))) {
				best[i], ok[i] = int8(l), true
				break
			}
		}
	}
	if !ok[0] {
		return append(cuts, n)
	}
	for i := 0; i < n; i += int(best[i]) {
		cuts = append(cuts, i+int(best[i]))
	}
	return cuts
}

// spelledAcronym lists non-syllables often spelt out letter by letter.
func spelledAcronym(s string) bool {
	switch s {
	case "otp", "stk", "ck", "tk", "sms", "cvv", "pin", "vip", "app", "link", "acc", "sdt", "mk", "ib", "fb", "zl", "tele", "momo", "bank", "sex", "clip", "hot", "free", "nude":
		return true
	}
	return false
}
