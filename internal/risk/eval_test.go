package risk

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func loadExamples(t *testing.T, path string) []Example {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			t.Skipf("%s not present", path)
		}
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadExamples(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return ex
}

// TestEvaluateAims checks the engine against the project's aims: harmful
// recall ≥ 0.90 at level medium, false alarms ≤ 5 % of benign messages,
// right top category ≥ 85 %. The embedded model was trained on
// testdata/corpus.jsonl, so scoring that corpus with it would measure
// memory: there the aims are checked on 5-fold cross-validated predictions
// (each message scored by a model trained without it). risk-dev.jsonl is
// not used in training and is scored by the default engine.
func TestEvaluateAims(t *testing.T) {
	check := func(t *testing.T, rep Report) {
		t.Helper()
		var b bytes.Buffer
		if err := rep.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + b.String())
		if testing.Verbose() {
			for _, m := range rep.Misses {
				t.Logf("%-14s %v level=%s top=%s: %s", m.Kind, m.Labels, m.Level, m.Top, m.Text)
			}
		}
		if rep.Harmful > 0 && rep.HarmfulRecall < 0.90 {
			t.Errorf("harmful recall %.3f < 0.90", rep.HarmfulRecall)
		}
		if rep.Benign > 0 && rep.FalseAlarmRate > 0.05 {
			t.Errorf("false-alarm rate %.3f > 0.05", rep.FalseAlarmRate)
		}
		if rep.Harmful > 0 && rep.TopAccuracy < 0.85 {
			t.Errorf("top-category accuracy %.3f < 0.85", rep.TopAccuracy)
		}
	}
	t.Run("corpus cross-validated", func(t *testing.T) {
		ex := loadExamples(t, "testdata/corpus.jsonl")
		cv, err := CrossValidate(ex, mustDefault(t), DefaultTrainConfig(), 5)
		if err != nil {
			t.Fatal(err)
		}
		check(t, cv.Combined)
	})
	t.Run("risk-dev", func(t *testing.T) {
		check(t, Evaluate(newDefaultEngine(t), loadExamples(t, "../../../shared/data/risk-dev.jsonl")))
	})
}

func TestReadExamplesErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"{\"text\":\"a\",\"labels\":[]}\nnot json\n", "line 2"},
		{"{\"labels\":[]}\n", "line 1: missing \"text\""},
		{"{\"text\":\"a\"}\n", "missing \"labels\""},
		{"\n\n{\"text\":\"a\",\"labels\":[\"spam\"]}\n", "line 3: unknown label"},
	} {
		_, err := ReadExamples(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadExamples(%q) error = %v, want %q", tc.in, err, tc.want)
		}
	}
	ex, err := ReadExamples(strings.NewReader("{\"text\":\"x\",\"labels\":[\"scam\"],\"level\":\"high\",\"note\":\"n\"}\n\n"))
	if err != nil || len(ex) != 1 || ex[0].Labels[0] != "scam" {
		t.Fatalf("ReadExamples with extra fields = %v, %v", ex, err)
	}
}

func newDefaultEngine(t testing.TB) *Engine {
	t.Helper()
	r, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEvaluateIntent counts self-harm lines with intent: flagged, and
// critical with self_harm on top (the aim); a high one is reported.
func TestEvaluateIntent(t *testing.T) {
	ex := []Example{
		{Text: "a", Labels: []string{"self_harm"}, Intent: true},
		{Text: "b", Labels: []string{"self_harm"}, Intent: true},
		{Text: "c", Labels: []string{"self_harm"}, Intent: true},
		{Text: "d", Labels: []string{"self_harm"}},
	}
	sh := func(l Level) Result {
		return Result{Level: l, Categories: []CategoryScore{{Category: SelfHarm, Level: l}}}
	}
	rep := evaluateResults(ex, []Result{sh(LevelCritical), sh(LevelHigh), {}, sh(LevelHigh)})
	if rep.Intent != 3 || rep.IntentFlagged != 2 || rep.IntentCritical != 1 {
		t.Fatalf("intent %d flagged %d critical %d, want 3 2 1", rep.Intent, rep.IntentFlagged, rep.IntentCritical)
	}
	kinds := map[string]int{}
	for _, m := range rep.Misses {
		kinds[m.Kind]++
	}
	if kinds["intent_not_critical"] != 1 || kinds["missed"] != 1 {
		t.Fatalf("misses %v", kinds)
	}
	if _, err := ReadExamples(strings.NewReader(`{"text":"x","labels":["scam"],"intent":true}`)); err == nil {
		t.Fatal("intent on a scam line was accepted")
	}
}
