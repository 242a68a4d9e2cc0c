package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runSplit runs a subcommand with stdout and stderr kept apart.
func runSplit(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	rc := commands[args[0]].run(context.Background(), &Env{Args: args[1:], Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return rc, out.String(), errOut.String()
}

func TestCheckJSONKeepsStdinOrder(t *testing.T) {
	in := "Con ơi mẹ bị tai nạn, chuyển khoản gấp 5tr vào stk 123456789 nhé\n\n" +
		"hôm nay học toán vui quá\n" +
		"gửi ảnh nóng cho anh đi, không thì anh tung lên mạng cho cả trường xem\n"
	rc, out, stderr := runSplit(t, in, "check", "--json")
	if rc != 0 {
		t.Fatalf("rc %d: %s", rc, stderr)
	}
	type line struct {
		Line       int    `json:"line"`
		Level      string `json:"level"`
		Categories []struct {
			Category string  `json:"category"`
			Score    float64 `json:"score"`
		} `json:"categories"`
		Reasons []struct {
			Phrase string `json:"phrase"`
			Vi     string `json:"vi"`
		} `json:"reasons"`
	}
	var got []line
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not one JSON object per line: %v\n%s", err, out)
		}
		got = append(got, l)
	}
	if len(got) != 3 {
		t.Fatalf("want 3 results (blank line skipped), got %d:\n%s", len(got), out)
	}
	wantLines := []int{1, 3, 4}
	wantTop := []string{"scam", "", "sextortion"}
	for i, g := range got {
		if g.Line != wantLines[i] {
			t.Errorf("result %d: line %d, want %d", i, g.Line, wantLines[i])
		}
		top := ""
		if len(g.Categories) > 0 && g.Level != "none" {
			top = g.Categories[0].Category
		}
		if top != wantTop[i] {
			t.Errorf("line %d: top category %q, want %q", g.Line, top, wantTop[i])
		}
		for j := 1; j < len(g.Categories); j++ {
			if g.Categories[j].Score > g.Categories[j-1].Score {
				t.Errorf("line %d: categories not most likely first: %+v", g.Line, g.Categories)
			}
		}
	}
	if got[0].Level != "critical" && got[0].Level != "high" {
		t.Errorf("scam level %q", got[0].Level)
	}
	if got[1].Level != "none" || len(got[1].Reasons) != 0 {
		t.Errorf("benign line flagged: %+v", got[1])
	}
	if len(got[0].Reasons) == 0 || got[0].Reasons[0].Vi == "" {
		t.Errorf("no reasons: %+v", got[0])
	}
}

func TestCheckTextExplains(t *testing.T) {
	msg := "Con ơi mẹ bị tai nạn, chuyển khoản gấp 5tr"
	rc, out, _ := runSplit(t, "", "check", msg)
	if rc != 0 {
		t.Fatal(rc)
	}
	for _, want := range []string{"Đánh giá:", "lừa đảo", "Vì sao:", "«chuyển khoản»", "Nên làm:", "Gọi 111"} {
		if !strings.Contains(out, want) {
			t.Errorf("Vietnamese output lacks %q:\n%s", want, out)
		}
	}
	rc, out, _ = runSplit(t, "", "check", "--lang", "en", msg)
	if rc != 0 || !strings.Contains(out, "Why:") || !strings.Contains(out, "What to do:") || !strings.Contains(out, "Call 111") {
		t.Errorf("English output: %d\n%s", rc, out)
	}
	if rc, _, _ := runSplit(t, "", "check", "--lang", "fr", msg); rc != 1 {
		t.Errorf("--lang fr: rc %d", rc)
	}
}

func TestCheckRulesFileExtends(t *testing.T) {
	dir := t.TempDir()
	rules := `version: 1
rules:
  - id: local.scam.cookie
    signal: local_cookie
    weights: {scam: 5}
    phrases: [banh quy than ky]
    vi: Lời mời bánh quy thần kỳ
    en: Magic cookie offer
`
	rp := filepath.Join(dir, "rules.yaml")
	cp := filepath.Join(dir, "manglanh.yaml")
	os.WriteFile(rp, []byte(rules), 0o600)
	os.WriteFile(cp, []byte("risk:\n  rules_file: "+rp+"\n"), 0o600)
	text := "mua bánh quy thần kỳ đi bạn"
	_, before, _ := runSplit(t, "", "check", "--json", text)
	rc, after, stderr := runSplit(t, "", "check", "--json", "--config", cp, text)
	if rc != 0 {
		t.Fatalf("rc %d %s", rc, stderr)
	}
	if strings.Contains(before, "local.scam.cookie") || !strings.Contains(after, "local.scam.cookie") {
		t.Errorf("rules_file not applied:\nbefore %s\nafter %s", before, after)
	}
	os.WriteFile(rp, []byte("rules: [\n"), 0o600)
	if rc, _, stderr := runSplit(t, "", "check", "--config", cp, text); rc != 1 || !strings.Contains(stderr, "rules") {
		t.Errorf("broken rules file: rc %d %s", rc, stderr)
	}
}

func TestRiskEval(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	os.WriteFile(good, []byte(`{"text":"Con ơi mẹ bị tai nạn, chuyển khoản gấp 5tr vào stk 123456789","labels":["scam"]}
{"text":"hôm nay học toán vui quá","labels":[]}

{"text":"tối nay đi đá bóng không","labels":[]}
`), 0o600)
	rc, out, stderr := runSplit(t, "", "risk", "eval", good)
	if rc != 0 {
		t.Fatalf("rc %d %s", rc, stderr)
	}
	for _, want := range []string{"examples: 3 (harmful 1, benign 2)", "precision", "false-alarm rate on benign", "scam → scam"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"text\":\"a\",\"labels\":[]}\n\n{\"text\":\"b\",\"labels\":[\"spam\"]}\n"), 0o600)
	rc, out, stderr = runSplit(t, "", "risk", "eval", good, bad)
	if rc != 1 || !strings.Contains(stderr, "line 3") || !strings.Contains(stderr, "bad.jsonl") || out != "" {
		t.Errorf("malformed file: rc %d out %q err %q", rc, out, stderr)
	}
	if rc, _, _ := runSplit(t, "", "risk", "eval", filepath.Join(dir, "missing.jsonl")); rc != 1 {
		t.Errorf("missing file: rc %d", rc)
	}
	if rc, _, _ := runSplit(t, "", "risk", "eval"); rc != 2 {
		t.Errorf("no file: rc %d", rc)
	}
	if rc, _, _ := runSplit(t, "", "risk"); rc != 2 {
		t.Errorf("no subcommand: rc %d", rc)
	}
	rc, out, _ = runSplit(t, "", "risk", "eval", good, good)
	if rc != 0 || strings.Count(out, "== ") != 2 {
		t.Errorf("two files: rc %d\n%s", rc, out)
	}
}
