package risk

import (
	"strings"
	"testing"
)

func FuzzScore(f *testing.F) {
	for _, s := range []string{"Thầy cần gấp 3 triệu, ck vào stk 0123456789", "c.h.u.y.ể.n", "tai xiu 50k go88.vip", "\xff", "18+ 🔞 abc[.]com", "đừng chuyển tiền"} {
		f.Add(s)
	}
	e := newDefaultEngine(f)
	f.Fuzz(func(t *testing.T, s string) {
		res := e.Score(s)
		for _, r := range res.Reasons {
			if r.Start < 0 || r.End > len(s) || r.Start > r.End || r.Phrase != s[r.Start:r.End] {
				t.Fatalf("reason %+v out of bounds for %q", r, s)
			}
		}
		for i := 1; i < len(res.Categories); i++ {
			if res.Categories[i].Level > res.Categories[i-1].Level {
				t.Fatalf("categories not sorted: %+v", res.Categories)
			}
		}
		if len(res.Categories) > 0 && res.Level != res.Categories[0].Level {
			t.Fatalf("level %v but top category %v", res.Level, res.Categories[0].Level)
		}
	})
}

func FuzzParseRules(f *testing.F) {
	f.Add("rules:\n  - {id: r, signal: s, weights: {scam: 1}, phrases: [a b], vi: x, en: y}\n")
	f.Add("levels: {low: 1, medium: 2, high: 3, critical: 4}\ncombos:\n  - {id: c, signals: [a, b], weights: {scam: 1}, vi: x, en: y}\n")
	f.Add("rules:\n  - {id: r, signal: s, weights: {scam: 1}, phrases: ['* x *'], vi: x, en: y}\n")
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := ParseRules(strings.NewReader(s))
		if err != nil {
			return
		}
		if e, err := New(rs, Options{}); err == nil {
			e.Score("chuyển khoản gấp 2 triệu")
		}
	})
}
