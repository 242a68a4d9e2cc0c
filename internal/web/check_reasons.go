package web

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"manglanh/internal/risk"
)

// maxCheckReasons is how many reasons the check page gives: the few that
// matter, not every rule that fired.
const maxCheckReasons = 3

// plainReasons picks the reasons a person can act on: rule findings with
// the words that triggered them, in the categories the verdict names, the
// heaviest first, each said once. The statistical model's line (a class
// name and a probability) is for staff and tests, never for this page;
// neither are the damping notes, which the page explains in words.
func plainReasons(res risk.Result, lang string) []string {
	shown := map[risk.Category]bool{}
	for _, c := range res.Categories {
		if c.Level >= risk.LevelLow {
			shown[c.Category] = true
		}
	}
	var rs []risk.Reason
	for _, r := range res.Reasons {
		if r.Signal == "model" || r.Weight <= 0 || !shown[r.Category] {
			continue
		}
		rs = append(rs, r)
	}
	slices.SortStableFunc(rs, func(a, b risk.Reason) int { return cmp.Compare(b.Weight, a.Weight) })
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		text := r.Vi
		if lang == "en" && r.En != "" {
			text = r.En
		}
		if text == "" || seen[text+r.Phrase] {
			continue
		}
		seen[text+r.Phrase] = true
		if r.Phrase != "" {
			text += ": «" + r.Phrase + "»"
			if r.Message > 0 {
				text += " (" + T(lang, "check.inmsg", r.Message) + ")"
			}
		}
		out = append(out, text)
		if len(out) == maxCheckReasons {
			break
		}
	}
	return out
}

// adviceOnce drops from general the lines already given in specific (the
// same words, ignoring case and punctuation), and repeated lines of either.
func adviceOnce(specific, general []string) ([]string, []string) {
	seen := map[string]bool{}
	keep := func(in []string) []string {
		var out []string
		for _, a := range in {
			k := adviceKey(a)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, a)
		}
		return out
	}
	s := keep(specific)
	return s, keep(general)
}

func adviceKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
