package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRiskEvalNarratives(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "narr.jsonl")
	os.WriteFile(good, []byte(`{"text":"Con tôi đã gửi hai mã thẻ cào 200 nghìn cho người lạ.","category":"scam","urgent":false,"labels":["scam"],"level":"high"}
{"text":"Có người lớn hẹn gặp cháu tối nay, cháu 12 tuổi.","category":"grooming","urgent":true,"labels":["grooming"],"level":"critical"}

{"text":"Cho tôi hỏi cách cài bộ lọc.","category":"other","urgent":false,"labels":[],"level":"none"}
`), 0o600)
	rc, out, stderr := runSplit(t, "", "risk", "eval", "--narratives", "--baseline", "--misses", "5", good)
	if rc != 0 {
		t.Fatalf("rc %d %s", rc, stderr)
	}
	for _, want := range []string{"narratives: 3 (high or critical 2, urgent 1)", "-- before:", "-- after: Triage --",
		"level exact accuracy: 1.000", "false urgent-low (urgent predicted none/low): 0", "category accuracy (top category in labels): 1.000",
		"under-triage (below the true level): 0.000", "confusion (rows true level"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\":\"a\",\"category\":\"other\",\"labels\":[],\"level\":\"none\"}\n{\"text\":\"b\",\"category\":\"other\",\"labels\":[],\"level\":\"severe\"}\n"), 0o600)
	rc, out, stderr = runSplit(t, "", "risk", "eval", "--narratives", good, bad)
	if rc != 1 || !strings.Contains(stderr, "line 2") || !strings.Contains(stderr, "bad.jsonl") || out != "" {
		t.Errorf("malformed file: rc %d out %q err %q", rc, out, stderr)
	}
}
