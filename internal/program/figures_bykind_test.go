package program

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReachedByKind(t *testing.T) {
	schools := []School{{ID: 1, Name: "THCS"}, {ID: 2, Name: "Tiểu học"}}
	enrol := []Enrolment{{SchoolID: 1, Level: LevelLowerSecondary, Pupils: 50}}
	meeting := atSchool(1, day(2025, 2, 5), pupils(1, 7, 45))
	meeting.Kind = KindThemedMeeting
	acts := []Activity{
		atSchool(1, day(2025, 2, 1), pupils(1, 7, 40)),
		atSchool(1, day(2025, 2, 2), pupils(1, 7, 35)), // the same grade again: 40, not 75
		atSchool(1, day(2025, 2, 3), pupils(1, 8, 30)), // 40 + 30 = 70, capped at 50
		atSchool(2, day(2025, 2, 3), pupils(2, 5, 60)), // no enrolment: counted as it is
		atSchool(2, day(2025, 5, 3), pupils(2, 4, 99)), // outside Q1
		meeting,
	}
	got := ReachedByKind(acts, enrol, schools, q1)
	comm := got[KindCommunication]
	if comm[LevelLowerSecondary] != 50 || comm[LevelPrimary] != 60 {
		t.Errorf("communication reached %v, want 50 lower-secondary and 60 primary", comm)
	}
	if m := got[KindThemedMeeting]; m[LevelLowerSecondary] != 45 || len(m) != 1 {
		t.Errorf("themed meetings reached %v", m)
	}
	f := CountActivities(acts, q1, hcm)
	if n := f.ParticipantsByKind[KindCommunication][GroupPupils]; n != 165 {
		t.Errorf("communication pupil participations %d, want 165", n)
	}
	if n := f.ParticipantsByKind[KindThemedMeeting][GroupPupils]; n != 45 {
		t.Errorf("themed-meeting pupil participations %d, want 45", n)
	}
}

// The new figures roll up, and figures without them (saved before) still
// read: the fields are omitted when empty and absent means nil.
func TestByKindFiguresAddAndJSON(t *testing.T) {
	a, b := &Figures{}, &Figures{}
	a.Coverage.ReachedByKind = map[string]map[string]int{KindCommunication: {LevelPrimary: 10}}
	a.Activities.ParticipantsByKind = map[string]map[string]int{KindCommunication: {GroupPupils: 12}}
	b.Coverage.ReachedByKind = map[string]map[string]int{KindCommunication: {LevelPrimary: 5, LevelLowerSecondary: 7}}
	b.Activities.ParticipantsByKind = map[string]map[string]int{KindTraining: {GroupStaff: 3}}
	total := &Figures{}
	total.Add(a)
	total.Add(b)
	if c := total.Coverage.ReachedByKind[KindCommunication]; c[LevelPrimary] != 15 || c[LevelLowerSecondary] != 7 {
		t.Errorf("rolled-up reached %v", c)
	}
	if p := total.Activities.ParticipantsByKind; p[KindCommunication][GroupPupils] != 12 || p[KindTraining][GroupStaff] != 3 {
		t.Errorf("rolled-up participations %v", p)
	}
	// a's maps are not b's: adding did not write into a ward's figures.
	if a.Coverage.ReachedByKind[KindCommunication][LevelPrimary] != 10 {
		t.Errorf("Add changed a ward's figures: %v", a.Coverage.ReachedByKind)
	}

	old, err := json.Marshal(&Figures{Format: FiguresFormat})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(old), "participants_by_kind") || strings.Contains(string(old), "reached_by_kind") {
		t.Errorf("empty new fields are written: %s", old)
	}
	var back Figures
	if err := json.Unmarshal([]byte(`{"format":"manglanh.figures/1","coverage":{"pupils":{"num":1,"den":2}}}`), &back); err != nil ||
		back.Coverage.ReachedByKind != nil || back.Coverage.Pupils.Num != 1 {
		t.Errorf("old figures: %+v %v", back.Coverage, err)
	}
	bad := &Figures{Format: FiguresFormat}
	bad.Coverage.ReachedByKind = map[string]map[string]int{KindCommunication: {LevelPrimary: -1}}
	if err := ValidateFigures(bad); err == nil {
		t.Error("a negative reached-by-kind count was valid")
	}
}
