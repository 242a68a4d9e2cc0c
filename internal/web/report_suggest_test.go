package web

import (
	"strings"
	"testing"

	"manglanh/internal/cases"
	"manglanh/internal/risk"
)

// TestSuggestTriagesNarrative checks that a new report's suggestion reads
// the description as the reporter's account, with the reporter's category
// and urgency, not as the suspect's message.
func TestSuggestTriagesNarrative(t *testing.T) {
	rules, err := risk.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	engine, err := risk.New(rules, risk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{Risk: engine}}
	tests := []struct {
		desc     string
		category string
		urgent   bool
		level    string
		cat      string
		reason   string
	}{
		{"Con tôi học lớp 6, đã gửi hai mã thẻ cào 200 nghìn cho người lạ trên Facebook.", cases.CategoryScam, false,
			cases.LevelHigh, cases.CategoryScam, "mã thẻ"},
		{"Có một người đàn ông lạ hẹn gặp con gái tôi 13 tuổi tối nay ở quán trà sữa.", cases.CategoryGrooming, true,
			cases.LevelCritical, cases.CategoryGrooming, "hẹn gặp"},
		{"Cho tôi hỏi cách cài bộ lọc.", cases.CategoryOther, true, cases.LevelMedium, "", "nguy hiểm"},
	}
	for _, tt := range tests {
		in := cases.Intake{Category: tt.category, Urgent: tt.urgent, Sensitive: cases.Sensitive{Description: tt.desc}}
		s.suggest(&in)
		if in.SuggestedLevel != tt.level || in.SuggestedCategory != tt.cat || !strings.Contains(in.SuggestedReasons, tt.reason) {
			t.Errorf("%q: suggested %s %q, reasons %q; want %s %q with %q", tt.desc, in.SuggestedLevel, in.SuggestedCategory,
				in.SuggestedReasons, tt.level, tt.cat, tt.reason)
		}
	}
}
