package risk

import (
	"encoding/json"
	"os"
	"testing"
)

func TestDebugScore(t *testing.T) {
	s := os.Getenv("RISK_DEBUG")
	if s == "" {
		t.Skip()
	}
	e := newDefaultEngine(t)
	t.Log(Normalize(s).Key())
	b, _ := json.MarshalIndent(e.Score(s), "", " ")
	t.Log(string(b))
}
