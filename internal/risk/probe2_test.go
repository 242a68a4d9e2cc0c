package risk

import (
	"bytes"
	"testing"
)

// TestGeneralisationProbe2 scores testdata/probe2.jsonl: 185 benign hard
// negatives (scam warnings and prevention posts, school and ward notices
// with amounts and account numbers, bank and police advisories naming the
// tricks, news of arrests, genuine OTP and transaction SMS, parents and
// children arranging money for real purchases, everyday chat with strong
// words) and 60 harmful messages, written from the domain description and
// not from corpus lines. The rules alone are checked too: the model was
// trained on the corpus, and rules that fire on everyday text are what
// makes unseen benign messages alarm.
func TestGeneralisationProbe2(t *testing.T) {
	t.Parallel()
	ex := loadExamples(t, "testdata/probe2.jsonl")
	r := mustDefault(t)
	rulesOnly, err := New(r, Options{NoModel: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                string
		e                   *Engine
		recall, falseAlarms float64
	}{
		// Measured 27/11/2026 before the framing rules were broadened:
		// rules and model 0.933 recall, 0.146 false alarms; rules alone
		// 0.917 and 0.173. The aim (≤ 0.05) is not yet met with the model:
		// the bounds below hold what was reached so that it cannot slip.
		{"rules and model", newDefaultEngine(t), 0.90, 0.08},
		{"rules alone", rulesOnly, 0.90, 0.06},
	} {
		rep := Evaluate(tc.e, ex)
		var b bytes.Buffer
		if err := rep.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if testing.Verbose() {
			t.Logf("%s:\n%s", tc.name, b.String())
			for _, m := range rep.Misses {
				t.Logf("%-14s %v level=%s top=%s: %s", m.Kind, m.Labels, m.Level, m.Top, m.Text)
			}
		}
		if rep.HarmfulRecall < tc.recall || rep.FalseAlarmRate > tc.falseAlarms {
			t.Errorf("%s: recall %.3f (want ≥ %.2f), false alarms %.3f (want ≤ %.2f)",
				tc.name, rep.HarmfulRecall, tc.recall, rep.FalseAlarmRate, tc.falseAlarms)
		}
	}
}
