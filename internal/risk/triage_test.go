package risk

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTriageIssueExamples(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	// The two reports of the issue: the old suggestion read them as the
	// suspect's messages and said "none" and "low".
	cards := e.Triage(NarrativeInput{Text: "Con tôi bị lừa, cháu đã gửi hai mã thẻ cào cho người ta rồi.", Category: Scam})
	if cards.Level < LevelHigh || cards.Category != Scam {
		t.Errorf("two card codes sent: got %s %q, want at least high, scam; reasons %+v", cards.Level, cards.Category, cards.Reasons)
	}
	meet := e.Triage(NarrativeInput{Text: "Có một người lớn lạ mặt hẹn gặp cháu tối nay ở công viên, cháu mới 12 tuổi.", Category: Grooming, Urgent: true})
	if meet.Level != LevelCritical || meet.Category != Grooming {
		t.Errorf("adult meeting a child tonight: got %s %q, want critical, grooming; reasons %+v", meet.Level, meet.Category, meet.Reasons)
	}
}

func TestTriageGolden(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	tests := []struct {
		name   string
		in     NarrativeInput
		min    Level
		max    Level
		cat    Category // "" means any
		reason string   // a rule id the reasons must include, when set
	}{
		{"card codes no diacritics", NarrativeInput{Text: "thang be nha toi da gui 2 ma the 100k cho 1 dua tren game"}, LevelHigh, LevelHigh, Scam, "narr.card_sent"},
		{"negated card codes", NarrativeInput{Text: "Có người đòi cháu nạp thẻ nhưng cháu không gửi gì, cháu kể ngay với mẹ.", Category: Scam}, LevelLow, LevelMedium, Scam, ""},
		{"not yet paid", NarrativeInput{Text: "Họ bảo cháu chuyển 300 nghìn phí nhận thưởng, cháu chưa chuyển đồng nào."}, LevelLow, LevelMedium, Scam, ""},
		{"resolved by police", NarrativeInput{Text: "Tháng trước cháu bị lừa mất 1 triệu mua acc game, đã được công an xử lý, nay báo để biết.", Category: Scam}, LevelLow, LevelLow, Scam, "narr.resolved"},
		{"resolved but money not back", NarrativeInput{Text: "Tuần trước cháu bị lừa chuyển 2 triệu, đã báo công an nhưng chưa lấy lại được tiền."}, LevelHigh, LevelHigh, Scam, ""},
		{"fake police hotel", NarrativeInput{Text: "Một người xưng là công an bắt cháu thuê khách sạn ở một mình, không được liên lạc với gia đình.", Category: Scam}, LevelCritical, LevelCritical, Scam, "narr.hotel"},
		{"child missing", NarrativeInput{Text: "Con gái tôi 13 tuổi đi gặp bạn quen trên mạng từ hôm qua, chưa về nhà."}, LevelCritical, LevelCritical, Grooming, ""},
		{"pick up tomorrow quoted", NarrativeInput{Text: "Người lạ nhắn cho cháu: «mai anh qua đón em ở cổng trường nhé, đừng nói với mẹ»."}, LevelCritical, LevelCritical, Grooming, ""},
		{"gifts for photos", NarrativeInput{Text: "Có anh trên Roblox tặng cháu Robux rồi đòi cháu gửi ảnh, dặn không được kể với ai."}, LevelHigh, LevelHigh, Grooming, ""},
		{"threat to spread unless pays", NarrativeInput{Text: "Kẻ xấu doạ tung ảnh nóng của cháu nếu không chuyển tiền trước tối mai.", Category: Scam}, LevelCritical, LevelCritical, Sextortion, ""},
		{"self-harm with date", NarrativeInput{Text: "Cháu viết trên Facebook là tối nay sẽ uống hết lọ thuốc ngủ."}, LevelCritical, LevelCritical, SelfHarm, "narr.self_harm_intent"},
		{"self-harm talk", NarrativeInput{Text: "Dạo này cháu hay nói chán sống, muốn biến mất."}, LevelHigh, LevelHigh, SelfHarm, ""},
		{"threat knows home", NarrativeInput{Text: "Có đứa nhắn cho cháu là biết nhà cháu ở đâu và sẽ cho người đến đánh.", Category: Bullying}, LevelCritical, LevelCritical, Bullying, ""},
		{"group chat mocking", NarrativeInput{Text: "Mấy bạn trong nhóm lớp trêu cháu là béo.", Category: Bullying}, LevelMedium, LevelMedium, Bullying, ""},
		{"gambling debts", NarrativeInput{Text: "Cháu chơi tài xỉu trên mạng, nợ bạn bè 3 triệu, lấy trộm tiền của bố."}, LevelHigh, LevelHigh, Gambling, ""},
		{"gambling ads only", NarrativeInput{Text: "Cháu xem YouTube thấy quảng cáo cá độ, cháu chưa chơi."}, LevelLow, LevelLow, Gambling, ""},
		{"link not opened", NarrativeInput{Text: "Cháu nhận được đường link nhận quà miễn phí nhưng chưa bấm vào."}, LevelLow, LevelLow, Scam, ""},
		{"filter question", NarrativeInput{Text: "Cho tôi hỏi cách cài bộ lọc trên máy tính ở nhà.", Category: "other"}, LevelNone, LevelNone, "", ""},
		{"adult only", NarrativeInput{Text: "Tôi là người lớn, bị lừa 2 triệu khi mua hàng, không liên quan đến trẻ em.", Category: Scam}, LevelNone, LevelNone, "", "narr.no_child"},
		{"urgent test is medium", NarrativeInput{Text: "thử", Urgent: true}, LevelMedium, LevelMedium, "", "narr.urgent"},
		{"wrong pick overridden", NarrativeInput{Text: "Con tôi đã gửi 3 mã thẻ cào cho người tự xưng admin game.", Category: Gambling}, LevelHigh, LevelHigh, Scam, "narr.category"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := e.Triage(tt.in)
			if got.Level < tt.min || got.Level > tt.max {
				t.Errorf("level %s, want %s..%s; reasons %+v", got.Level, tt.min, tt.max, got.Reasons)
			}
			if tt.cat != "" && got.Category != tt.cat {
				t.Errorf("category %q, want %q", got.Category, tt.cat)
			}
			if tt.reason != "" {
				found := false
				for _, r := range got.Reasons {
					found = found || r.RuleID == tt.reason
				}
				if !found {
					t.Errorf("reasons %+v lack %s", got.Reasons, tt.reason)
				}
			}
			if len(got.Reasons) > maxTriageReasons {
				t.Errorf("%d reasons, want at most %d", len(got.Reasons), maxTriageReasons)
			}
			for _, r := range got.Reasons {
				if r.Vi == "" || r.En == "" {
					t.Errorf("reason %s lacks vi or en", r.RuleID)
				}
				if r.Phrase != "" && tt.in.Text[r.Start:r.End] != r.Phrase {
					t.Errorf("reason %s phrase %q is not text[%d:%d]", r.RuleID, r.Phrase, r.Start, r.End)
				}
			}
		})
	}
}

func readNarratives(t testing.TB, path string) []NarrativeExample {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadNarratives(f)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestTriageDevSet asserts the figures measured on the development set
// (docs/BENCHMARKS.md, "Report triage"), with a small margin.
func TestTriageDevSet(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	ex := readNarratives(t, "testdata/narratives.jsonl")
	if len(ex) < 250 {
		t.Fatalf("%d narratives, want at least 250", len(ex))
	}
	rep := EvaluateNarratives(ex, e.TriageOf)
	if rep.UrgentLow != 0 {
		t.Errorf("%d urgent reports predicted none/low, want 0", rep.UrgentLow)
	}
	if rep.UnderSevere > 1 {
		t.Errorf("%d high/critical reports under-triaged by 2+ bands, want at most 1 (measured 0)", rep.UnderSevere)
	}
	if rep.Under > 0.04 {
		t.Errorf("under-triage %.3f, want at most 0.04 (measured 0.028)", rep.Under)
	}
	if rep.Exact < 0.89 {
		t.Errorf("exact level accuracy %.3f, want at least 0.89 (measured 0.909)", rep.Exact)
	}
	if rep.SeriousRecall < 0.97 {
		t.Errorf("high+critical recall %.3f, want at least 0.97 (measured 0.986)", rep.SeriousRecall)
	}
	if rep.CategoryAccuracy < 0.95 {
		t.Errorf("category accuracy %.3f, want at least 0.95 (measured 0.972)", rep.CategoryAccuracy)
	}
	// The old suggestion (the narrative scored as a message) is what the
	// triage replaces: it must stay clearly worse, or the comparison in
	// BENCHMARKS.md is stale.
	old := EvaluateNarratives(ex, e.MessageSuggestion)
	if old.Under < 2*rep.Under || old.UrgentLow == 0 {
		t.Errorf("baseline under-triage %.3f (urgent-low %d) no longer far worse than triage %.3f", old.Under, old.UrgentLow, rep.Under)
	}
}

// TestTriageUrgency checks on every development narrative that urgency
// never lowers the level and lifts it to at least medium.
func TestTriageUrgency(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	for _, x := range readNarratives(t, "testdata/narratives.jsonl") {
		in := x.Input
		in.Urgent = false
		calm := e.Triage(in)
		in.Urgent = true
		urgent := e.Triage(in)
		if urgent.Level < calm.Level || urgent.Level < LevelMedium {
			t.Errorf("urgent %s, not urgent %s: %q", urgent.Level, calm.Level, in.Text)
		}
	}
}

func TestNarrativeRuleExamples(t *testing.T) {
	t.Parallel()
	rs, err := DefaultNarrativeRules()
	if err != nil {
		t.Fatal(err)
	}
	e := newDefaultEngine(t)
	n, err := e.narrativeRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Rules {
		for _, x := range r.Examples {
			cs, _ := n.cues(x, nil)
			found := false
			for _, c := range cs {
				found = found || (c.rule != nil && c.rule.ID == r.ID)
			}
			if !found && !r.Negate && r.Damp == 0 {
				t.Errorf("rule %s: example %q does not match", r.ID, x)
			}
		}
	}
}

func TestExtractQuotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want []string
	}{
		{`Nó nhắn: "gửi tao mã thẻ đi". Cháu sợ.`, []string{"gửi tao mã thẻ đi"}},
		{"Hắn viết «em đừng kể với ai nhé» rồi gửi quà", []string{"em đừng kể với ai nhé"}},
		{"Tin nhắn “chuyển 500k vào số này” lúc 9 giờ", []string{"chuyển 500k vào số này"}},
		{"Người đó nói: mai anh qua đón em\nCháu 12 tuổi", []string{"mai anh qua đón em"}},
		{"ban do nhan: chi can gui anh la co tien", []string{"chi can gui anh la co tien"}},
		{"đi gặp 'anh người yêu' ở Hà Nội", nil},
		{"status 'ước gì ngủ một giấc không dậy nữa' hôm qua", []string{"ước gì ngủ một giấc không dậy nữa"}},
		{"không có trích dẫn nào: chỉ kể lại", nil},
		{`nó nhắn: "xoá tin nhắn đi"`, []string{"xoá tin nhắn đi"}},
		{`unclosed "rồi nó bỏ đi`, []string{"rồi nó bỏ đi"}},
	}
	for _, tt := range tests {
		got := ExtractQuotes(tt.text)
		var texts []string
		for _, q := range got {
			texts = append(texts, q.Text)
			if tt.text[q.Start:q.End] != q.Text {
				t.Errorf("%q: quote %q is not text[%d:%d]", tt.text, q.Text, q.Start, q.End)
			}
		}
		if strings.Join(texts, "|") != strings.Join(tt.want, "|") {
			t.Errorf("ExtractQuotes(%q) = %q, want %q", tt.text, texts, tt.want)
		}
	}
}

func FuzzExtractQuotes(f *testing.F) {
	for _, s := range []string{`nhắn: "a b c"`, "«x» “y” 'a b c d'", "nói:", `"`, "'", "a:'b c d e", "\xff«\n»"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		qs := ExtractQuotes(s)
		if len(qs) > maxQuotes {
			t.Fatalf("%d quotes", len(qs))
		}
		for i, q := range qs {
			if q.Start < 0 || q.End > len(s) || q.Start >= q.End || s[q.Start:q.End] != q.Text || len(q.Text) > maxQuote {
				t.Fatalf("bad quote %+v of %q", q, s)
			}
			if utf8.ValidString(s) && !utf8.ValidString(q.Text) {
				t.Fatalf("quote %q cuts a rune", q.Text)
			}
			for _, p := range qs[:i] {
				if q.Start < p.End && p.Start < q.End {
					t.Fatalf("quotes %+v and %+v overlap", p, q)
				}
			}
		}
	})
}

func BenchmarkTriage1KB(b *testing.B) {
	e := newDefaultEngine(b)
	text := "Con gái tôi 13 tuổi quen một người trên Facebook được hai tuần. Người này khen cháu xinh, tặng kim cương Free Fire, " +
		"bảo cháu cài Telegram để nói chuyện riêng và dặn không được kể với bố mẹ. Hôm qua hắn nhắn: «tối mai anh qua đón em ở cổng trường nhé, " +
		"đừng nói với ai». Cháu đã gửi cho hắn mấy tấm ảnh và địa chỉ nhà. Tôi phát hiện khi xem điện thoại của cháu, cháu khóc và nói sợ. " +
		"Tôi đã chụp lại màn hình các tin nhắn, tài khoản của người đó vẫn đang hoạt động, gia đình chưa báo công an. "
	for len(text) < 1024 {
		text += "Cháu kể hắn còn hỏi nhà có ai không và bảo xoá tin nhắn. "
	}
	text = text[:1024]
	for !utf8.ValidString(text) {
		text = text[:len(text)-1]
	}
	in := NarrativeInput{Text: text, Category: Grooming}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		e.Triage(in)
	}
}
