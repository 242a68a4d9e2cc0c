package risk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote is a suspect's message quoted or pasted in a report narrative, at
// bytes [Start, End) of the narrative.
type Quote struct {
	Text       string
	Start, End int
}

// maxQuote bounds one extracted quote (bytes); maxQuotes the number kept.
const (
	maxQuote  = 2000
	maxQuotes = 8
)

// quotePairs are the opening and closing marks of a quotation.
var quotePairs = [][2]rune{{'"', '"'}, {'«', '»'}, {'“', '”'}, {'„', '“'}, {'\'', '\''}, {'‘', '’'}}

// speechVerbs introduce a message after a colon: "nó nhắn: …".
var speechVerbs = []string{"nhan", "noi", "bao", "viet", "hoi", "doa", "de doa", "ghi", "rang", "gui", "nhan tin", "inbox", "ib", "comment", "binh luan", "that"}

// ExtractQuotes finds the messages a narrative quotes: text between
// quotation marks ("…", «…», “…”, and '…' when it holds at least four
// words, since single quotes also mark names and terms) and text after a
// speech verb and a colon ("nhắn: …", "nói: …") up to the end of the line.
// Quotes do not overlap; at most 8 are returned, each at most 2000 bytes.
// It never fails: an unclosed mark runs to the end of its line.
func ExtractQuotes(text string) []Quote {
	var out []Quote
	covered := func(start, end int) bool {
		for _, q := range out {
			if start < q.End && q.Start < end {
				return true
			}
		}
		return false
	}
	add := func(start, end int) {
		for start < end {
			r, n := utf8.DecodeRuneInString(text[start:])
			if !unicode.IsSpace(r) {
				break
			}
			start += n
		}
		for end > start {
			r, n := utf8.DecodeLastRuneInString(text[:end])
			if !unicode.IsSpace(r) {
				break
			}
			end -= n
		}
		if end-start > maxQuote {
			end = start + maxQuote
			for end > start && !utf8.RuneStart(text[end]) {
				end--
			}
		}
		if end <= start || covered(start, end) || len(out) >= maxQuotes {
			return
		}
		out = append(out, Quote{Text: text[start:end], Start: start, End: end})
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		closeR, ok := rune(0), false
		for _, p := range quotePairs {
			if r == p[0] {
				closeR, ok = p[1], true
				break
			}
		}
		if !ok {
			i += n
			continue
		}
		if r == '\'' && i > 0 {
			// An apostrophe inside a word ("don't") opens nothing.
			if pr, _ := utf8.DecodeLastRuneInString(text[:i]); unicode.IsLetter(pr) {
				i += n
				continue
			}
		}
		start := i + n
		end := len(text)
		next := len(text)
		if j := strings.IndexRune(text[start:], closeR); j >= 0 {
			end, next = start+j, start+j+utf8.RuneLen(closeR)
		} else if j := strings.IndexByte(text[start:], '\n'); j >= 0 {
			end, next = start+j, start+j+1
		}
		if nl := strings.IndexByte(text[start:end], '\n'); nl >= 0 && (r == '\'' || r == '"') {
			// Straight quotes do not span lines: an odd one is stray.
			end, next = start+nl, start+nl+1
		}
		if r == '\'' || r == '‘' {
			if len(strings.Fields(text[start:end])) < 4 {
				i = start
				continue
			}
		}
		add(start, end)
		i = next
	}
	// "nhắn: …" — a speech verb, then a colon, then the message to the end
	// of the line.
	for i := 0; i < len(text); i++ {
		if text[i] != ':' {
			continue
		}
		before := text[max(0, i-40):i]
		for len(before) > 0 && !utf8.RuneStart(before[0]) {
			before = before[1:]
		}
		words := Normalize(before).Tokens
		if len(words) == 0 {
			continue
		}
		last := words[len(words)-1].Key
		if len(words) >= 2 {
			last2 := words[len(words)-2].Key + " " + last
			if contains(speechVerbs, last2) {
				last = last2
			}
		}
		if !contains(speechVerbs, last) {
			continue
		}
		end := len(text)
		if j := strings.IndexByte(text[i+1:], '\n'); j >= 0 {
			end = i + 1 + j
		}
		add(i+1, end)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
