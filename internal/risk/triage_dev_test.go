package risk

import (
	"os"
	"testing"
)

func TestTriageDevPrint(t *testing.T) {
	if os.Getenv("TRIAGE_DEV") == "" {
		t.Skip()
	}
	f, _ := os.Open("testdata/narratives.jsonl")
	defer f.Close()
	ex, err := ReadNarratives(f)
	if err != nil {
		t.Fatal(err)
	}
	e := newDefaultEngine(t)
	for _, name := range []string{"before", "after"} {
		fn := e.TriageOf
		if name == "before" {
			fn = e.MessageSuggestion
		}
		rep := EvaluateNarratives(ex, fn)
		t.Log(name)
		rep.WriteText(os.Stdout)
		if name == "after" {
			for _, m := range rep.Misses {
				tr := e.Triage(m.Example.Input)
				ids := ""
				for _, r := range tr.Reasons {
					ids += r.RuleID + "(" + r.Level.String() + ") "
				}
				t.Logf("want %s %v got %s %s | %s | %s", m.Example.Level, m.Example.Labels, m.Level, m.Category, m.Example.Input.Text, ids)
			}
		}
	}
}
