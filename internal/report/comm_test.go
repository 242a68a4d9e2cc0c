package report

import (
	"strings"
	"testing"

	"manglanh/internal/program"
)

func generated(in Input) string {
	return strings.Join(FigureParagraphs(in)[NarrTargets], "\n")
}

// The sentence after "N communication sessions were held" cites the pupils
// those sessions reached, not every activity's (the demo printed 677, its
// coverage over all kinds of activity).
func TestCommunicationSentenceCitesCommunicationSessions(t *testing.T) {
	in := sample()
	in.Figures.Coverage.Pupils = program.Ratio{Num: 656, Den: 720}
	text := generated(in)
	if strings.Contains(text, "677") || !strings.Contains(text, "350 học sinh (90 học sinh Tiểu học, 260 học sinh THCS) được tuyên truyền tại các buổi truyền thông") {
		t.Errorf("communication sentence:\n%s", text)
	}
	if !strings.Contains(text, "410 lượt học sinh tham gia") || strings.Contains(text, "900 lượt học sinh") {
		t.Errorf("participations are not the sessions':\n%s", text)
	}

	// Sessions for adults only: no pupil figure is made up.
	in.Figures.Coverage.ReachedByKind = map[string]map[string]int{program.KindThemedMeeting: {program.LevelPrimary: 4}}
	if text := generated(in); !strings.Contains(text, "Các buổi truyền thông trong kỳ chưa ghi nhận học sinh tham gia.") {
		t.Errorf("no pupils at the sessions:\n%s", text)
	}

	// Figures saved before ReachedByKind: the rows' participations, said as such.
	old := sample()
	old.Figures.Coverage.ReachedByKind, old.Figures.Activities.ParticipantsByKind = nil, nil
	text = generated(old)
	if !strings.Contains(text, "120 lượt học sinh tham gia các buổi truyền thông") || strings.Contains(text, "350 học sinh") {
		t.Errorf("old figures:\n%s", text)
	}
}
