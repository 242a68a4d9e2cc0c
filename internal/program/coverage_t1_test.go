package program

import (
	"context"
	"testing"
)

// T1 counts only primary and lower-secondary schools: a kindergarten (or
// an upper-secondary school) of the directory is in neither side of
// Coverage.Schools; a school of unknown level counts.
func TestCoverageSchoolsOnlyPrimaryAndLowerSecondary(t *testing.T) {
	schools := []School{
		{ID: 1, Name: "THCS Mẫu", Levels: []string{LevelLowerSecondary}},
		{ID: 2, Name: "Tiểu học Mẫu", Levels: []string{LevelPrimary}},
		{ID: 3, Name: "Mầm non Hoa Sen", Levels: []string{LevelPreschool}},
		{ID: 4, Name: "THPT Mẫu", Levels: []string{LevelUpperSecondary}},
		{ID: 5, Name: "Liên cấp Mẫu", Levels: []string{LevelPrimary, LevelLowerSecondary, LevelUpperSecondary}},
		{ID: 6, Name: "Trường chưa ghi cấp học"},
	}
	acts := []Activity{
		atSchool(1, day(2025, 2, 1), pupils(1, 7, 40)),
		atSchool(2, day(2025, 2, 2), pupils(2, 5, 30)),
		atSchool(3, day(2025, 2, 3)), // an activity at the kindergarten counts for nothing in T1
		atSchool(4, day(2025, 2, 4)),
	}
	cov := ComputeCoverage(acts, nil, schools, q1)
	if want := (Ratio{Num: 2, Den: 4}); cov.Schools != want {
		t.Errorf("Schools = %+v, want %+v (schools 1, 2 of 1, 2, 5, 6)", cov.Schools, want)
	}
	if cov.SchoolsNoEnrolment != 4 {
		t.Errorf("SchoolsNoEnrolment = %d, want 4 (the kindergarten and the upper-secondary school are not counted)", cov.SchoolsNoEnrolment)
	}
	if len(cov.BySchool) != 6 {
		t.Errorf("BySchool lists %d schools, want all 6", len(cov.BySchool))
	}
}

type levelStore struct {
	levels map[int64][]string
}

func (l levelStore) SchoolLevels(context.Context) (map[int64][]string, error) { return l.levels, nil }

type schoolList []School

func (s schoolList) Schools(context.Context) ([]School, error) {
	return append([]School(nil), s...), nil
}

// The Service fills School.Levels from its store's SchoolLevels.
func TestServiceSchoolsLevelsFromStore(t *testing.T) {
	svc, err := New(Options{Store: levelStore{levels: map[int64][]string{3: {LevelPreschool}}},
		Schools: schoolList{{ID: 1, Name: "THCS"}, {ID: 3, Name: "Mầm non"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Schools(context.Background(), Actor{Role: RoleOfficer})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].InT1() || got[1].InT1() {
		t.Errorf("Schools = %+v, want THCS in T1 and the kindergarten out", got)
	}
}
