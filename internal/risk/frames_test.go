package risk

import (
	"strings"
	"testing"
)

// framesRules exercises spare_firm, consume and support on a tiny rule set,
// apart from the default rules and the model.
const framesRules = `
version: 1
levels: {low: 1, medium: 2.5, high: 4, critical: 9}
rules:
  - {id: t.wish, firm: true, signal: ideation, weights: {self_harm: 3}, floor: critical, phrases: [em muon chet], vi: x, en: y}
  - {id: t.ideation, signal: ideation, weights: {self_harm: 3}, floor: high, phrases: [muon chet], vi: x, en: y}
  - {id: t.method, signal: method, weights: {self_harm: 2.6}, phrases: [nhay cau], vi: x, en: y}
  - {id: t.time, signal: intent, support: true, weights: {self_harm: 1}, phrases: [toi nay], vi: x, en: y}
  - {id: t.hyper, signal: hyperbole, damp: 0.35, damp_only: [self_harm], consume: true, spare_firm: [self_harm], phrases: [cuoi muon chet], vi: x, en: y}
  - {id: t.context, signal: hyperbole, damp: 0.35, damp_only: [self_harm], spare_firm: [self_harm], phrases: [game], vi: x, en: y}
combos:
  - {id: c.plan, signals: [method, intent], weights: {self_harm: 2.5}, floor: critical, vi: x, en: y}
`

func TestFrameOptions(t *testing.T) {
	t.Parallel()
	rs, err := ParseRules(strings.NewReader(framesRules))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(rs, Options{NoModel: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		want Level
		why  string
	}{
		{"cười muốn chết", LevelNone, "consume: the hyperbole holds the 'muốn chết' inside it"},
		{"em muốn chết, cười muốn chết", LevelCritical, "consume and spare_firm: a firm wish outside the hyperbole stays critical"},
		{"muốn chết, cười muốn chết", LevelLow, "a non-firm ideation outside the hyperbole is still damped"},
		{"em muốn chết, game khó", LevelCritical, "spare_firm: context words leave a firm rule alone"},
		{"muốn chết vì game", LevelLow, "context words damp a non-firm rule"},
		{"tối nay", LevelNone, "support: a time alone counts for nothing"},
		{"tối nay nhảy cầu", LevelCritical, "support: a time beside a method makes the plan combination"},
	} {
		res := e.Score(tc.text)
		if res.Level != tc.want {
			t.Errorf("%q: level %s, want %s (%s); reasons %+v", tc.text, res.Level, tc.want, tc.why, res.Reasons)
		}
		if tc.text == "tối nay" && len(res.Reasons) != 0 {
			t.Errorf("%q: a lone support rule is listed as a reason: %+v", tc.text, res.Reasons)
		}
	}
	if _, err := ParseRules(strings.NewReader("rules:\n  - {id: r, signal: s, weights: {scam: 1}, consume: true, phrases: [a b], vi: x, en: y}\n")); err == nil || !strings.Contains(err.Error(), "without damp") {
		t.Errorf("consume without damp: error %v", err)
	}
	if _, err := ParseRules(strings.NewReader("rules:\n  - {id: r, signal: s, damp: 0.5, spare_firm: [spam], phrases: [a b], vi: x, en: y}\n")); err == nil || !strings.Contains(err.Error(), "spare_firm") {
		t.Errorf("spare_firm with an unknown category: error %v", err)
	}
}
