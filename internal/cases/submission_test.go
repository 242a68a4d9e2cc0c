package cases

import (
	"strings"
	"testing"
	"time"
)

func TestSubmissionDigests(t *testing.T) {
	base := Intake{Category: CategoryScam, Channel: ChannelWeb, SubmissionKey: "k2YpQ0Zr9bQbX1vU3mN7aA",
		Sensitive: Sensitive{Description: "Giả danh cô giáo đòi tiền."},
		Evidence:  []EvidenceItem{{ContentType: EvidencePNG, Data: []byte("png-1"), Width: 1, Height: 1}}}
	a := newSubmission(base)
	for _, tt := range []struct {
		name        string
		change      func(*Intake)
		sameKey     bool
		sameContent bool
	}{
		{"identical", func(*Intake) {}, true, true},
		{"another suggestion", func(in *Intake) { in.SuggestedLevel, in.SuggestedReasons = LevelHigh, "x" }, true, true},
		{"another description", func(in *Intake) { in.Sensitive.Description += "!" }, true, false},
		{"another image", func(in *Intake) { in.Evidence = []EvidenceItem{{ContentType: EvidencePNG, Data: []byte("png-2")}} }, true, false},
		{"urgent", func(in *Intake) { in.Urgent = true }, true, false},
		{"a date", func(in *Intake) { in.OccurredAt = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }, true, false},
		{"another key", func(in *Intake) { in.SubmissionKey = "k2YpQ0Zr9bQbX1vU3mN7aB" }, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			in.Sensitive.EvidenceLinks = nil
			tt.change(&in)
			b := newSubmission(in)
			if (a.KeyDigest == b.KeyDigest) != tt.sameKey || (a.ContentDigest == b.ContentDigest) != tt.sameContent {
				t.Fatalf("key same %v content same %v, want %v %v", a.KeyDigest == b.KeyDigest,
					a.ContentDigest == b.ContentDigest, tt.sameKey, tt.sameContent)
			}
		})
	}
	if strings.Contains(a.KeyDigest, base.SubmissionKey) || len(a.KeyDigest) != 64 {
		t.Fatalf("the key is kept readable: %q", a.KeyDigest)
	}
}

func TestSubmissionKeyValidation(t *testing.T) {
	for _, tt := range []struct {
		key string
		ok  bool
	}{
		{"", true},
		{"0123456789abcdef", true},
		{strings.Repeat("x", MaxSubmissionKey), true},
		{"short", false},
		{strings.Repeat("x", MaxSubmissionKey+1), false},
		{"0123456789 abcdef", false},
		{"0123456789abcdéf", false},
		{"0123456789abcdef\n", false},
	} {
		if err := validateSubmissionKey(tt.key); (err == nil) != tt.ok {
			t.Errorf("%q: %v, want ok %v", tt.key, err, tt.ok)
		}
	}
}
