package risk

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseThreadFormats(t *testing.T) {
	t.Parallel()
	type msg struct{ speaker, text string }
	for _, tc := range []struct {
		name string
		in   string
		want []msg
	}{
		{"name colon", "Lan: chào em\nHùng: chào chị\nLan: em học lớp mấy\nvậy?", []msg{{"Lan", "chào em"}, {"Hùng", "chào chị"}, {"Lan", "em học lớp mấy\nvậy?"}}},
		{"bracket time", "[21:05] Lan: chào\n[21:06] Hùng: ừ\n[12/3 21:07] Lan: đi chơi không", []msg{{"Lan", "chào"}, {"Hùng", "ừ"}, {"Lan", "đi chơi không"}}},
		{"zalo headers", "Minh Anh\n21:05\nê mày\nmai đi học không\nHoàng\nHôm qua 21:10\nđi chứ\nMinh Anh\nok", []msg{{"Minh Anh", "ê mày"}, {"Minh Anh", "mai đi học không"}, {"Hoàng", "đi chứ"}, {"Minh Anh", "ok"}}},
		{"messenger sent", "Bạn đã gửi\nchị ơi\nChị Hà\nsao em\nBạn đã gửi\nkhông có gì", []msg{{"Bạn", "chị ơi"}, {"Chị Hà", "sao em"}, {"Bạn", "không có gì"}}},
		{"no names", "ê\n\ndạ\ndạ\nok nha", []msg{{"", "ê"}, {"", "dạ"}, {"", "dạ"}, {"", "ok nha"}}},
		{"a colon in text is not a name", "Lưu ý: mai nộp bài\nnhớ mang áo", []msg{{"", "Lưu ý: mai nộp bài"}, {"", "nhớ mang áo"}}},
		{"link is not a name", "https://x.example/a\nxem đi", []msg{{"", "https://x.example/a"}, {"", "xem đi"}}},
		{"crlf", "Lan: a\r\nHùng: b\r\n", []msg{{"Lan", "a"}, {"Hùng", "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseThread(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var g []msg
			for i, m := range got {
				g = append(g, msg{m.Speaker, m.Text})
				if m.Index != i+1 {
					t.Errorf("message %d has index %d", i+1, m.Index)
				}
				// Single-line messages sit at their offsets in the paste.
				if !strings.Contains(m.Text, "\n") && tc.in[m.Start:m.End] != m.Text {
					t.Errorf("message %d: [%d:%d] is %q, text %q", i+1, m.Start, m.End, tc.in[m.Start:m.End], m.Text)
				}
			}
			if !slices.Equal(g, tc.want) {
				t.Errorf("got  %q\nwant %q", g, tc.want)
			}
		})
	}
}

func TestParseThreadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want error
	}{
		{"empty", " \n\n\t", ErrThreadEmpty},
		{"only times", "21:05\nHôm qua 21:10", ErrThreadEmpty},
		{"too long", strings.Repeat("a", MaxThreadBytes+1), ErrThreadTooLong},
		{"too many", strings.Repeat("x\n", MaxThreadMessages+1), ErrThreadTooMany},
		{"too many named", strings.Repeat("Lan: x\n", MaxThreadMessages+1), ErrThreadTooMany},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseThread(tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := ParseThread("a\xffb"); err == nil {
		t.Fatal("invalid UTF-8 accepted")
	}
	if _, err := ParseThread(strings.Repeat("x\n", MaxThreadMessages)); err != nil {
		t.Fatalf("%d messages refused: %v", MaxThreadMessages, err)
	}
}

func FuzzParseThread(f *testing.F) {
	for _, s := range []string{"Lan: a\nb", "[21:05] A: b", "A\n21:05\nb\nA\nc", "Bạn đã gửi\nx", ":\n::\n[]", "\x00\n\n"} {
		f.Add(s)
	}
	e, err := New(mustDefaultF(f), Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msgs, err := ParseThread(s)
		if err != nil {
			if len(msgs) != 0 {
				t.Fatal("messages with an error")
			}
			return
		}
		if len(msgs) == 0 || len(msgs) > MaxThreadMessages {
			t.Fatalf("%d messages", len(msgs))
		}
		prev := 0
		for i, m := range msgs {
			if m.Index != i+1 || m.Start < prev || m.End < m.Start || m.End > len(s) || m.Text == "" || !utf8.ValidString(m.Text) {
				t.Fatalf("bad message %d: %+v", i+1, m)
			}
			prev = m.End
		}
		tr := e.ScoreThread(msgs)
		if len(tr.Messages) != len(msgs) {
			t.Fatalf("%d verdicts for %d messages", len(tr.Messages), len(msgs))
		}
		for _, d := range tr.Decisive {
			if d < 1 || d > len(msgs) {
				t.Fatalf("decisive %d out of range", d)
			}
		}
		for _, r := range tr.Reasons {
			if r.Message > 0 && (r.Start < 0 || r.End > len(msgs[r.Message-1].Text) || r.Start > r.End) {
				t.Fatalf("reason %+v outside its message", r)
			}
		}
	})
}

func mustDefaultF(f *testing.F) *Rules {
	r, err := DefaultRules()
	if err != nil {
		f.Fatal(err)
	}
	return r
}

func TestScoreThreadShapes(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	score := func(s string) ThreadResult {
		t.Helper()
		msgs, err := ParseThread(s)
		if err != nil {
			t.Fatal(err)
		}
		return e.ScoreThread(msgs)
	}
	// Grooming through its stages; the child's replies decide nothing.
	g := score("Anh Tuấn: chào em, em xinh quá, học lớp mấy rồi?\nVy: dạ em lớp 7 ạ\nAnh Tuấn: anh nạp cho em 500 kim cương nhé\n" +
		"Anh Tuấn: chuyện mình nói đừng kể với bố mẹ nha, qua telegram nói cho riêng tư\nVy: dạ\nAnh Tuấn: cuối tuần anh qua đón em đi chơi nhé")
	if g.Top() != Grooming || g.Level != LevelCritical {
		t.Errorf("grooming thread: %s %s", g.Top(), g.Level)
	}
	if slices.Contains(g.Decisive, 2) || slices.Contains(g.Decisive, 5) || !slices.Contains(g.Decisive, 6) {
		t.Errorf("grooming decisive %v, want the adult's messages with 6 and without 2, 5", g.Decisive)
	}
	if len(g.Stages) < 4 || !slices.Contains(g.Stages, StageMeeting) {
		t.Errorf("grooming stages %v", g.Stages)
	}
	for _, r := range g.Reasons {
		if r.Phrase != "" && r.Message > 0 {
			if m := g.Messages[r.Message-1].Text; r.End > len(m) || m[r.Start:r.End] != r.Phrase {
				t.Errorf("reason %q does not point into message %d %q", r.Phrase, r.Message, m)
			}
		}
	}
	// Bullying repeated by three people is at least high.
	b := score("Nam: thằng béo kia nhìn ghê quá\nHà: đồ nhà quê\nTú: béo như heo")
	if b.Top() != Bullying || b.Level < LevelHigh || !hasRule(b.Reasons, "thread.bullying.repeat") {
		t.Errorf("bullying thread: %s %s %v", b.Top(), b.Level, b.Reasons)
	}
	// Friends joking stays benign.
	n := score("Lan: bài toán khó chết mất\nHoa: haha tao cũng thế\nLan: mai đi học sớm nha")
	if n.Level >= LevelMedium || len(n.Decisive) != 0 {
		t.Errorf("friends joking: %s decisive %v", n.Level, n.Decisive)
	}
}

func hasRule(rs []Reason, id string) bool {
	return slices.ContainsFunc(rs, func(r Reason) bool { return r.RuleID == id })
}

// BenchmarkScoreThread50 scores a pasted 50-message conversation (parse,
// the whole, and each message alone).
func BenchmarkScoreThread50(b *testing.B) {
	e := newDefaultEngine(b)
	lines := []string{"Anh Khoa: chào em, em xinh quá, học lớp mấy rồi?", "Na: dạ em lớp 6 ạ", "Anh Khoa: hôm nay đi học vui không",
		"Na: vui ạ, mai em kiểm tra toán", "Anh Khoa: anh nạp cho em 500 kim cương nhé", "Na: dạ em cảm ơn anh",
		"Anh Khoa: chuyện này đừng kể với bố mẹ nha", "Na: sao vậy anh", "Anh Khoa: qua telegram nói chuyện riêng đi",
		"Na: dạ để em hỏi chị đã"}
	var sb strings.Builder
	for i := range 50 {
		sb.WriteString(lines[i%len(lines)])
		sb.WriteString("\n")
	}
	paste := sb.String()
	b.SetBytes(int64(len(paste)))
	b.ReportAllocs()
	for b.Loop() {
		msgs, err := ParseThread(paste)
		if err != nil || len(msgs) != 50 {
			b.Fatal(err, len(msgs))
		}
		e.ScoreThread(msgs)
	}
}
