package risk

import (
	"fmt"
	"io"
	"strings"
)

// WriteExplanation writes a plain-text account of r in Vietnamese ("vi") or
// English (any other lang): the level, the categories, each reason with the
// phrase as found, the links and the advice. The CLI's "check" command and
// the golden tests use it.
func (r Result) WriteExplanation(w io.Writer, lang string) error {
	vi := lang == "vi"
	pick := func(v, e string) string {
		if vi {
			return v
		}
		return e
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", pick("Mức độ", "Level"), r.Level)
	for _, c := range r.Categories {
		fmt.Fprintf(&b, "  %-15s %6.2f %s\n", c.Category, c.Score, c.Level)
	}
	if r.Damped {
		fmt.Fprintf(&b, "%s\n", pick("(đã giảm vì là lời cảnh báo, tin tức hoặc câu đùa)", "(lowered: warning, news or joking framing)"))
	}
	if len(r.Reasons) > 0 {
		fmt.Fprintf(&b, "%s:\n", pick("Lý do", "Reasons"))
	}
	for _, x := range r.Reasons {
		where := ""
		if x.End > x.Start {
			where = fmt.Sprintf(" %q [%d:%d]", x.Phrase, x.Start, x.End)
		}
		cat := string(x.Category)
		if cat == "" {
			cat = "-"
		}
		fmt.Fprintf(&b, "  - %s %s %.2f%s: %s\n", cat, x.RuleID, x.Weight, where, pick(x.Vi, x.En))
	}
	for _, l := range r.Links {
		var kinds []string
		for _, f := range l.Findings {
			k := f.Kind
			if f.Detail != "" {
				k += "(" + f.Detail + ")"
			}
			kinds = append(kinds, k)
		}
		fmt.Fprintf(&b, "%s: %s host=%s %s\n", pick("Liên kết", "Link"), l.Text, l.Host, strings.Join(kinds, " "))
	}
	advice := r.Advice.En
	if vi {
		advice = r.Advice.Vi
	}
	if len(advice) > 0 {
		fmt.Fprintf(&b, "%s:\n", pick("Nên làm", "Advice"))
		for _, a := range advice {
			fmt.Fprintf(&b, "  * %s\n", a)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
