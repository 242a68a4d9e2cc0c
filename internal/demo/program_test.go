package demo

import (
	"context"
	"testing"
	"time"

	"manglanh/internal/program"
)

// recordingProgram keeps what SeedProgram records.
type recordingProgram struct {
	schools []program.School
	acts    []program.Activity
	enrol   []program.Enrolment
	nextID  int64
}

func (r *recordingProgram) Activities(context.Context, program.Actor, program.ActivityFilter) ([]program.Activity, int, error) {
	return nil, len(r.acts), nil
}
func (r *recordingProgram) Schools(context.Context, program.Actor) ([]program.School, error) {
	return r.schools, nil
}
func (r *recordingProgram) SetEnrolment(_ context.Context, _ program.Actor, e program.Enrolment) error {
	r.enrol = append(r.enrol, e)
	return nil
}
func (r *recordingProgram) CreateActivity(_ context.Context, _ program.Actor, a *program.Activity) error {
	r.nextID++
	a.ID = r.nextID
	r.acts = append(r.acts, *a)
	return nil
}
func (r *recordingProgram) CreateShop(_ context.Context, _ program.Actor, sh *program.Shop) error {
	r.nextID++
	sh.ID = r.nextID
	return nil
}
func (r *recordingProgram) RecordInspection(_ context.Context, _ program.Actor, in *program.Inspection) error {
	for i := range in.Violations {
		r.nextID++
		in.Violations[i].ID = r.nextID
	}
	return nil
}
func (r *recordingProgram) AddAction(context.Context, program.Actor, int64, *program.Action) error {
	return nil
}

// The demo programme gives, for 2021–2025, the figures of the ward's
// hand-written report: 12 communication sessions reaching over 350 pupils,
// 21 themed meetings, 5 special sessions, 94 % of primary and lower
// secondary pupils reached.
func TestDemoProgrammeMatchesTheWardReport(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	r := &recordingProgram{schools: []program.School{
		{ID: 1, Name: "Trường THCS Mẫu", Levels: []string{program.LevelLowerSecondary}},
		{ID: 2, Name: "Trường Tiểu học Mẫu", Levels: []string{program.LevelPrimary}},
	}, nextID: 100}
	n, err := SeedProgram(context.Background(), r, loc)
	if err != nil || n == 0 {
		t.Fatalf("SeedProgram: %d, %v", n, err)
	}
	p := program.Days(time.Date(2021, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
	acts := program.CountActivities(r.acts, p, loc)
	for kind, want := range map[string]int{program.KindCommunication: 12, program.KindThemedMeeting: 21, program.KindSpecial: 5} {
		if got := acts.ByKind[kind]; got != want {
			t.Errorf("%s: %d activities, want %d", kind, got, want)
		}
	}
	cov := program.ComputeCoverage(r.acts, r.enrol, r.schools, p)
	if cov.Pupils.Num != 677 || cov.Pupils.Den != 720 {
		t.Errorf("coverage %d/%d, want 677/720 (94,0 %%)", cov.Pupils.Num, cov.Pupils.Den)
	}
	reached := 0
	for _, n := range program.ReachedByKind(r.acts, r.enrol, r.schools, p)[program.KindCommunication] {
		reached += n
	}
	if reached <= 350 {
		t.Errorf("the communication sessions reached %d pupils, want over 350", reached)
	}
}
