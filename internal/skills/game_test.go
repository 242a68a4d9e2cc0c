package skills

import (
	"errors"
	"slices"
	"testing"
)

func TestDrawSpreadsTopicsAndRepeats(t *testing.T) {
	b, err := LoadBank(nil)
	if err != nil {
		t.Skipf("bank not loadable yet: %v", err)
	}
	for _, lv := range Levels() {
		a := b.Draw(lv, 42, GameLength)
		if len(a) != GameLength {
			t.Fatalf("%s: drew %d", lv, len(a))
		}
		topics := map[string]bool{}
		ids := map[string]bool{}
		for _, it := range a {
			if it.Level != lv {
				t.Errorf("%s: drew %s of level %s", lv, it.ID, it.Level)
			}
			if ids[it.ID] {
				t.Errorf("%s: %s drawn twice", lv, it.ID)
			}
			ids[it.ID], topics[it.Topic] = true, true
		}
		if len(topics) != len(Topics()) {
			t.Errorf("%s: %d topics in a game, want all %d", lv, len(topics), len(Topics()))
		}
		again := b.Draw(lv, 42, GameLength)
		if !slices.Equal(a, again) {
			t.Errorf("%s: the same seed drew other items", lv)
		}
		if other := b.Draw(lv, 43, GameLength); slices.Equal(a, other) {
			t.Errorf("%s: another seed drew the same game", lv)
		}
	}
}

func TestAnswers(t *testing.T) {
	it := &Item{Topic: "scam", Choices: []Choice{{}, {Correct: true}, {}}}
	it2 := &Item{Topic: "privacy", Choices: []Choice{{Correct: true}, {}, {}, {}}}
	items := []*Item{it, it2}
	a, err := ParseAnswers("13", items)
	if err != nil || !slices.Equal(a, []int{1, 3}) || FormatAnswers(a) != "13" {
		t.Fatalf("ParseAnswers: %v %v", a, err)
	}
	for _, bad := range []string{"3", "x", "123", "1-", "19"} {
		if _, err := ParseAnswers(bad, items); !errors.Is(err, ErrAnswers) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	sc := ScoreAnswers(items, []int{1, 2})
	if sc.Right != 1 || sc.Total != 2 || len(sc.Topics) != 2 || sc.Topics[1] != (TopicScore{"privacy", 1, 1}) {
		t.Errorf("score %+v", sc)
	}
	if sc := ScoreAnswers(items, nil); sc.Right != 0 || sc.Topics[0].Wrong != 1 {
		t.Errorf("unanswered %+v", sc)
	}
}
