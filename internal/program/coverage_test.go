package program

import (
	"testing"
	"time"
)

var hcm = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, hcm) }

func pupils(school int64, grade, n int) Participant {
	return Participant{Group: GroupPupils, SchoolID: school, Level: LevelOfGrade(grade), Grade: grade, Count: n}
}

func atSchool(id int64, date time.Time, lines ...Participant) Activity {
	return Activity{Kind: KindCommunication, Date: date, Places: []Place{{Kind: PlaceSchool, OrgID: id, Name: "S"}}, Participants: lines}
}

// The first quarter of 2025 in the ward's zone.
var q1 = Days(day(2025, 1, 1), day(2025, 3, 31), hcm)

func TestComputeCoverage(t *testing.T) {
	schools := []School{{ID: 1, Name: "THCS Phù Liễn"}, {ID: 2, Name: "Tiểu học Lê Lợi"}, {ID: 3, Name: "Tiểu học Kiến An"}}
	enrol := []Enrolment{
		{SchoolID: 1, Level: LevelLowerSecondary, Pupils: 400},
		{SchoolID: 2, Level: LevelPrimary, Pupils: 300},
	}
	type want struct {
		reached  map[int64]map[string]int
		acts     map[int64]int
		pupils   Ratio
		schools  Ratio
		noEnrol  int
		reachedX int
		capped   map[int64][]string
	}
	tests := []struct {
		name  string
		acts  []Activity
		enrol []Enrolment
		want  want
	}{
		{
			name: "local midnight at the start is in, at the end is out",
			acts: []Activity{
				atSchool(1, q1.From, pupils(1, 7, 40)),
				atSchool(1, q1.To, pupils(1, 8, 90)),
				atSchool(1, q1.From.Add(-time.Nanosecond), pupils(1, 9, 50)),
			},
			want: want{reached: map[int64]map[string]int{1: {LevelLowerSecondary: 40}}, acts: map[int64]int{1: 1},
				pupils: Ratio{40, 700}, schools: Ratio{1, 3}, noEnrol: 1},
		},
		{
			name: "UTC midnight is not the ward's midnight",
			acts: []Activity{
				// 31/12/2024 23:00 in the ward (16:00 UTC): out; 31/03/2025
				// 23:00 in the ward: in.
				atSchool(1, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(-8*time.Hour), pupils(1, 7, 10)),
				atSchool(1, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC).Add(-8*time.Hour), pupils(1, 6, 30)),
			},
			want: want{reached: map[int64]map[string]int{1: {LevelLowerSecondary: 30}}, acts: map[int64]int{1: 1},
				pupils: Ratio{30, 700}, schools: Ratio{1, 3}, noEnrol: 1},
		},
		{
			name: "an activity at two schools counts for each",
			acts: []Activity{{Kind: KindThemedMeeting, Date: day(2025, 2, 10),
				Places:       []Place{{Kind: PlaceSchool, OrgID: 1}, {Kind: PlaceSchool, OrgID: 2}},
				Participants: []Participant{pupils(1, 6, 100), pupils(2, 5, 80), {Group: GroupParents, Count: 20}}}},
			want: want{reached: map[int64]map[string]int{1: {LevelLowerSecondary: 100}, 2: {LevelPrimary: 80}},
				acts: map[int64]int{1: 1, 2: 1}, pupils: Ratio{180, 700}, schools: Ratio{2, 3}, noEnrol: 1},
		},
		{
			name: "a school with no enrolled count is outside the ratio",
			acts: []Activity{atSchool(3, day(2025, 3, 1), pupils(3, 2, 60))},
			want: want{reached: map[int64]map[string]int{3: {LevelPrimary: 60}}, acts: map[int64]int{3: 1},
				pupils: Ratio{0, 700}, schools: Ratio{1, 3}, noEnrol: 1, reachedX: 60},
		},
		{
			name: "reached is capped at enrolled",
			acts: []Activity{atSchool(2, day(2025, 3, 1), pupils(2, 1, 200), pupils(2, 2, 150))},
			want: want{reached: map[int64]map[string]int{2: {LevelPrimary: 300}}, acts: map[int64]int{2: 1},
				pupils: Ratio{300, 700}, schools: Ratio{1, 3}, noEnrol: 1, capped: map[int64][]string{2: {LevelPrimary}}},
		},
		{
			name: "grade 0 lines are one bucket per level, by max",
			acts: []Activity{
				atSchool(1, day(2025, 1, 5), Participant{Group: GroupPupils, SchoolID: 1, Level: LevelLowerSecondary, Count: 70}),
				atSchool(1, day(2025, 1, 6), Participant{Group: GroupPupils, SchoolID: 1, Level: LevelLowerSecondary, Count: 50}, pupils(1, 9, 20)),
			},
			want: want{reached: map[int64]map[string]int{1: {LevelLowerSecondary: 90}}, acts: map[int64]int{1: 2},
				pupils: Ratio{90, 700}, schools: Ratio{1, 3}, noEnrol: 1},
		},
		{
			name: "two sessions for the same grade: the max, not the sum",
			acts: []Activity{
				atSchool(1, day(2025, 1, 5), pupils(1, 7, 40)),
				atSchool(1, day(2025, 2, 5), pupils(1, 7, 35)),
				atSchool(1, day(2025, 2, 6), pupils(1, 8, 30)),
			},
			want: want{reached: map[int64]map[string]int{1: {LevelLowerSecondary: 70}}, acts: map[int64]int{1: 3},
				pupils: Ratio{70, 700}, schools: Ratio{1, 3}, noEnrol: 1},
		},
		{
			name:  "no enrolment at all: not measurable",
			acts:  []Activity{atSchool(1, day(2025, 1, 5), pupils(1, 7, 40))},
			enrol: []Enrolment{},
			want: want{reached: map[int64]map[string]int{1: {LevelLowerSecondary: 40}}, acts: map[int64]int{1: 1},
				pupils: Ratio{0, 0}, schools: Ratio{1, 3}, noEnrol: 3, reachedX: 40},
		},
		{
			name: "an activity elsewhere with pupils of a school counts for the school",
			acts: []Activity{{Kind: KindContest, Date: day(2025, 3, 31), Places: []Place{{Kind: PlaceCulturalHouse, Name: "Nhà văn hóa tổ 3"}},
				Participants: []Participant{pupils(2, 4, 25)}}},
			want: want{reached: map[int64]map[string]int{2: {LevelPrimary: 25}}, acts: map[int64]int{2: 1},
				pupils: Ratio{25, 700}, schools: Ratio{1, 3}, noEnrol: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			en := enrol
			if tt.enrol != nil {
				en = tt.enrol
			}
			got := ComputeCoverage(tt.acts, en, schools, q1)
			if got.Pupils != tt.want.pupils || got.Schools != tt.want.schools || got.SchoolsNoEnrolment != tt.want.noEnrol ||
				got.ReachedNoEnrolment != tt.want.reachedX {
				t.Errorf("pupils %v schools %v no enrolment %d (%d reached), want %v %v %d (%d)", got.Pupils, got.Schools,
					got.SchoolsNoEnrolment, got.ReachedNoEnrolment, tt.want.pupils, tt.want.schools, tt.want.noEnrol, tt.want.reachedX)
			}
			if len(got.BySchool) != 3 {
				t.Fatalf("%d schools listed, want 3", len(got.BySchool))
			}
			for _, sc := range got.BySchool {
				w := tt.want.reached[sc.SchoolID]
				if len(sc.Reached) != len(w) {
					t.Errorf("school %d reached %v, want %v", sc.SchoolID, sc.Reached, w)
				}
				for lv, n := range w {
					if sc.Reached[lv] != n {
						t.Errorf("school %d %s reached %d, want %d", sc.SchoolID, lv, sc.Reached[lv], n)
					}
				}
				if sc.Activities != tt.want.acts[sc.SchoolID] {
					t.Errorf("school %d activities %d, want %d", sc.SchoolID, sc.Activities, tt.want.acts[sc.SchoolID])
				}
				if c := tt.want.capped[sc.SchoolID]; len(c) != len(sc.Capped) || (len(c) > 0 && c[0] != sc.Capped[0]) {
					t.Errorf("school %d capped %v, want %v", sc.SchoolID, sc.Capped, c)
				}
			}
			var sum Ratio
			for _, r := range got.ByLevel {
				sum = sum.add(r)
			}
			if sum != got.Pupils {
				t.Errorf("levels add up to %v, ward %v", sum, got.Pupils)
			}
		})
	}
}

func TestComputeCoverageUnknownSchool(t *testing.T) {
	// An activity at a school no longer in the directory is listed under
	// its place's name and is not in T1's ratio.
	acts := []Activity{{Kind: KindCommunication, Date: day(2025, 1, 2),
		Places: []Place{{Kind: PlaceSchool, OrgID: 9, Name: "Trường đã sáp nhập"}}, Participants: []Participant{pupils(9, 3, 10)}}}
	got := ComputeCoverage(acts, nil, []School{{ID: 1, Name: "A"}}, q1)
	if got.Schools != (Ratio{0, 1}) || len(got.BySchool) != 2 || got.BySchool[1].Name != "Trường đã sáp nhập" || got.ReachedNoEnrolment != 10 {
		t.Errorf("got %+v", got)
	}
}

func TestCountActivities(t *testing.T) {
	acts := []Activity{
		{Kind: KindCommunication, Date: q1.From, Places: []Place{{Kind: PlaceSchool, OrgID: 1}, {Kind: PlaceSchool, OrgID: 2}},
			Participants: []Participant{pupils(1, 7, 40), pupils(2, 3, 30), {Group: GroupPupils, Level: LevelPrimary, Count: 5}, {Group: GroupTeachers, SchoolID: 1, Count: 4}}},
		{Kind: KindLeaflet, Date: day(2025, 3, 31), Copies: 500, Places: []Place{{Kind: PlaceResidential, Name: "Tổ 3"}}},
		{Kind: KindCommunication, Date: day(2025, 2, 14), Places: []Place{{Kind: PlaceCulturalHouse, Name: "NVH"}},
			Participants: []Participant{{Group: GroupParents, Count: 25}, {Group: GroupResidents, Count: 60}}},
		{Kind: KindCommunication, Date: q1.To, Participants: []Participant{{Group: GroupParents, Count: 1000}}},           // 01/04: out
		{Kind: KindTraining, Date: q1.From.Add(-time.Second), Participants: []Participant{{Group: GroupStaff, Count: 9}}}, // 31/12: out
	}
	f := CountActivities(acts, q1, hcm)
	if f.Total != 3 || f.ByKind[KindCommunication] != 2 || f.ByKind[KindLeaflet] != 1 || f.ByKind[KindTraining] != 0 {
		t.Errorf("total %d by kind %v", f.Total, f.ByKind)
	}
	if f.Participants[GroupPupils] != 75 || f.Participants[GroupParents] != 25 || f.Participants[GroupTeachers] != 4 ||
		f.Participants[GroupResidents] != 60 || f.Participants[GroupStaff] != 0 {
		t.Errorf("participants %v", f.Participants)
	}
	if f.PupilsByLevel[LevelPrimary] != 35 || f.PupilsByLevel[LevelLowerSecondary] != 40 {
		t.Errorf("pupils by level %v", f.PupilsByLevel)
	}
	if f.Copies[KindLeaflet] != 500 || f.ByPlace[PlaceSchool] != 1 || f.ByPlace[PlaceResidential] != 1 || f.ByPlace[PlaceCulturalHouse] != 1 {
		t.Errorf("copies %v by place %v", f.Copies, f.ByPlace)
	}
	want := []MonthCount{{"2025-01", 1}, {"2025-02", 1}, {"2025-03", 1}}
	if len(f.ByMonth) != 3 || f.ByMonth[0] != want[0] || f.ByMonth[1] != want[1] || f.ByMonth[2] != want[2] {
		t.Errorf("by month %v, want %v", f.ByMonth, want)
	}
}

func TestSchoolYearOf(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want int
	}{{day(2025, 8, 31), 2024}, {day(2025, 9, 1), 2025}, {day(2026, 1, 1), 2025}, {day(2025, 12, 31), 2025}} {
		if got := SchoolYearOf(tt.t); got != tt.want {
			t.Errorf("SchoolYearOf(%s) = %d, want %d", tt.t.Format("02/01/2006"), got, tt.want)
		}
	}
	if got := PeriodSchoolYear(Days(day(2025, 1, 1), day(2025, 12, 31), hcm)); got != 2025 {
		t.Errorf("the year 2025 uses school year %d, want 2025 (its last day)", got)
	}
	if got := PeriodSchoolYear(Days(day(2025, 1, 1), day(2025, 3, 31), hcm)); got != 2024 {
		t.Errorf("Q1 2025 uses school year %d, want 2024", got)
	}
}
