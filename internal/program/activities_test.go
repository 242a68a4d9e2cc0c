package program

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// memActivities is an in-memory ActivityStore.
type memActivities struct {
	acts  map[int64]Activity
	next  int64
	enrol []Enrolment
}

func (m *memActivities) CreateActivity(_ context.Context, a *Activity) error {
	m.next++
	a.ID, a.Version = m.next, 1
	m.acts[a.ID] = *a
	return nil
}
func (m *memActivities) UpdateActivity(_ context.Context, a *Activity) error {
	old, ok := m.acts[a.ID]
	if !ok || old.TenantID != a.TenantID {
		return ErrNotFound
	}
	if old.Version != a.Version {
		return ErrConflict
	}
	a.Version++
	m.acts[a.ID] = *a
	return nil
}
func (m *memActivities) DeleteActivity(_ context.Context, tenant, id int64) error {
	if a, ok := m.acts[id]; !ok || a.TenantID != tenant {
		return ErrNotFound
	}
	delete(m.acts, id)
	return nil
}
func (m *memActivities) Activity(_ context.Context, tenant, id int64) (*Activity, error) {
	a, ok := m.acts[id]
	if !ok || a.TenantID != tenant {
		return nil, ErrNotFound
	}
	return &a, nil
}
func (m *memActivities) Activities(_ context.Context, tenant int64, f ActivityFilter) ([]Activity, int, error) {
	var out []Activity
	for _, a := range m.acts {
		if a.TenantID == tenant && (f.SchoolID == 0 || a.AtSchool(f.SchoolID)) && (f.CreatedBy == 0 || a.CreatedBy == f.CreatedBy) {
			out = append(out, a)
		}
	}
	return out, len(out), nil
}
func (m *memActivities) ActivitiesInPeriod(_ context.Context, tenant int64, p Period) ([]Activity, error) {
	var out []Activity
	for _, a := range m.acts {
		if a.TenantID == tenant && p.Contains(a.Date) {
			out = append(out, a)
		}
	}
	return out, nil
}
func (m *memActivities) SetEnrolment(_ context.Context, e Enrolment) error {
	m.enrol = slices.DeleteFunc(m.enrol, func(x Enrolment) bool {
		return x.TenantID == e.TenantID && x.SchoolID == e.SchoolID && x.SchoolYear == e.SchoolYear && x.Level == e.Level
	})
	m.enrol = append(m.enrol, e)
	return nil
}
func (m *memActivities) Enrolments(_ context.Context, tenant int64, year int) ([]Enrolment, error) {
	var out []Enrolment
	for _, e := range m.enrol {
		if e.TenantID == tenant && e.SchoolYear == year {
			out = append(out, e)
		}
	}
	return out, nil
}

type fixedSchools []School

func (f fixedSchools) Schools(context.Context) ([]School, error) { return f, nil }

type auditLine struct{ action, detail string }

func newTestService(t *testing.T) (*Service, *memActivities, *[]auditLine) {
	t.Helper()
	st := &memActivities{acts: map[int64]Activity{}}
	var log []auditLine
	s, err := New(Options{Store: st, Location: hcm, Now: func() time.Time { return time.Date(2025, 6, 15, 10, 0, 0, 0, hcm) },
		Schools: fixedSchools{{ID: 5, Name: "Trường THCS Phù Liễn"}, {ID: 6, Name: "Trường Tiểu học Lê Lợi"}},
		Audit: func(_ context.Context, _ Actor, action, _ string, _ int64, detail string) {
			log = append(log, auditLine{action, detail})
		}})
	if err != nil {
		t.Fatal(err)
	}
	return s, st, &log
}

var (
	officer = Actor{UserID: 1, Role: RoleOfficer}
	school5 = Actor{UserID: 2, Role: RoleSchool, OrgID: 5}
	school6 = Actor{UserID: 3, Role: RoleTeacher, OrgID: 6}
	viewer  = Actor{UserID: 4, Role: RoleViewer}
	other   = Actor{UserID: 5, Role: RoleOfficer, TenantID: 2}
	union   = Actor{UserID: 6, Role: RoleOrg, OrgID: 2}
)

func goodActivity() *Activity {
	return &Activity{Kind: KindCommunication, Date: day(2025, 3, 12), Organiser: "UBND phường", Topic: "An toàn trên mạng",
		Places:       []Place{{Kind: PlaceSchool, OrgID: 5}},
		Participants: []Participant{pupils(5, 7, 120), {Group: GroupTeachers, SchoolID: 5, Count: 6}}}
}

func TestValidateActivity(t *testing.T) {
	s, _, _ := newTestService(t)
	tests := []struct {
		name   string
		change func(a *Activity)
		field  string
		key    string
	}{
		{"ok", func(*Activity) {}, "", ""},
		{"unknown kind", func(a *Activity) { a.Kind = "party" }, "kind", "activity.err.kind"},
		{"no date", func(a *Activity) { a.Date = time.Time{} }, "date", "activity.err.date_missing"},
		{"before 2000", func(a *Activity) { a.Date = day(1999, 12, 31) }, "date", "activity.err.date_early"},
		{"a year ahead is fine", func(a *Activity) { a.Date = day(2026, 6, 15) }, "", ""},
		{"beyond a year ahead", func(a *Activity) { a.Date = day(2026, 6, 16) }, "date", "activity.err.date_future"},
		{"end before start", func(a *Activity) { a.EndDate = day(2025, 3, 11) }, "end_date", "activity.err.end_before"},
		{"no place", func(a *Activity) { a.Places = nil }, "places", "activity.err.places_missing"},
		{"unknown school", func(a *Activity) { a.Places[0].OrgID = 99 }, "place.0", "activity.err.place_school"},
		{"typed place without a name", func(a *Activity) { a.Places = append(a.Places, Place{Kind: PlaceResidential, Name: " \x00 "}) }, "place.1", "activity.err.place_name"},
		{"place name too long", func(a *Activity) {
			a.Places = append(a.Places, Place{Kind: PlaceOther, Name: strings.Repeat("x", 201)})
		}, "place.1", "activity.err.too_long"},
		{"negative count", func(a *Activity) { a.Participants[0].Count = -1 }, "participant.0", "activity.err.count_range"},
		{"absurd count", func(a *Activity) { a.Participants[0].Count = 100_001 }, "participant.0", "activity.err.count_range"},
		{"total too big", func(a *Activity) {
			a.Participants = []Participant{{Group: GroupResidents, Count: 100_000}, {Group: GroupParents, Count: 100_000}, {Group: GroupStaff, Count: 1}}
		}, "participants", "activity.err.total_range"},
		{"grade 10", func(a *Activity) { a.Participants[0].Grade = 10 }, "participant.0", "activity.err.grade"},
		{"grade against level", func(a *Activity) { a.Participants[0].Level = LevelPrimary }, "participant.0", "activity.err.grade_level"},
		{"pupils of a school without level", func(a *Activity) { a.Participants[0].Grade, a.Participants[0].Level = 0, "" }, "participant.0", "activity.err.level_missing"},
		{"grade for parents", func(a *Activity) { a.Participants[1] = Participant{Group: GroupParents, Grade: 3, Count: 2} }, "participant.1", "activity.err.grade_adults"},
		{"unknown school of pupils", func(a *Activity) { a.Participants[0].SchoolID = 77 }, "participant.0", "activity.err.participant_school"},
		{"unknown group", func(a *Activity) { a.Participants[1].Group = "aliens" }, "participant.1", "activity.err.group"},
		{"topic 501", func(a *Activity) { a.Topic = strings.Repeat("á", 501) }, "topic", "activity.err.too_long"},
		{"topic 500", func(a *Activity) { a.Topic = strings.Repeat("á", 500) }, "", ""},
		{"notes 5001", func(a *Activity) { a.Notes = strings.Repeat("n", 5001) }, "notes", "activity.err.too_long"},
		{"attendees 2001", func(a *Activity) {
			for range 2001 {
				a.Attendees = append(a.Attendees, "Nguyễn Văn A")
			}
		}, "attendees", "activity.err.attendees_many"},
		{"attendee name 201", func(a *Activity) { a.Attendees = []string{strings.Repeat("b", 201)} }, "attendees", "activity.err.attendee_long"},
		{"copies for a session", func(a *Activity) { a.Copies = 3 }, "copies", "activity.err.copies_kind"},
		{"copies for a leaflet", func(a *Activity) { a.Kind, a.Copies = KindLeaflet, 3000 }, "", ""},
		{"negative copies", func(a *Activity) { a.Kind, a.Copies = KindBroadcast, -1 }, "copies", "activity.err.copies_range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodActivity()
			tt.change(a)
			err := s.prepare(context.Background(), officer, a)
			var fe FieldErrors
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v %v", err, fe)
				}
				return
			}
			if !errors.As(err, &fe) || fe[tt.field] != tt.key {
				t.Errorf("errors %v, want %s=%s", err, tt.field, tt.key)
			}
		})
	}
}

func TestValidateCleans(t *testing.T) {
	s, _, _ := newTestService(t)
	a := goodActivity()
	a.Topic = " Lừa\x00 đảo\u202e\ttrên\nmạng "
	a.Notes = "dòng 1\r\ndòng 2\x07"
	a.Attendees = []string{"  Nguyễn Văn A\x1b[31m ", "", "\x00"}
	a.Places = append(a.Places, Place{Kind: PlaceSchool, OrgID: 5, Name: "<b>forged</b>"})
	if err := s.prepare(context.Background(), officer, a); err != nil {
		t.Fatal(err)
	}
	if a.Topic != "Lừa đảo trên mạng" {
		t.Errorf("topic %q", a.Topic)
	}
	if strings.ContainsAny(a.Topic, "\x00\t\n") || a.Notes != "dòng 1\ndòng 2" || len(a.Attendees) != 1 || a.Attendees[0] != "Nguyễn Văn A[31m" {
		t.Errorf("not cleaned: %q %q %q", a.Topic, a.Notes, a.Attendees)
	}
	if len(a.Places) != 1 || a.Places[0].Name != "Trường THCS Phù Liễn" {
		t.Errorf("a school place takes the directory's name, once: %+v", a.Places)
	}
}

func TestActivityPermissions(t *testing.T) {
	ctx := context.Background()
	s, st, log := newTestService(t)
	a := goodActivity()
	if err := s.CreateActivity(ctx, viewer, a); !errors.Is(err, ErrForbidden) {
		t.Errorf("a viewer records: %v", err)
	}
	if err := s.CreateActivity(ctx, school6, goodActivity()); err == nil || !strings.Contains(err.Error(), "invalid") {
		t.Errorf("school 6 records an activity of school 5: %v", err)
	}
	if err := s.CreateActivity(ctx, school5, a); err != nil {
		t.Fatal(err)
	}
	for _, ac := range []Actor{officer, viewer, school5} {
		if _, err := s.Activity(ctx, ac, a.ID); err != nil {
			t.Errorf("%s cannot see it: %v", ac.Role, err)
		}
	}
	for _, ac := range []Actor{school6, other, union} {
		if _, err := s.Activity(ctx, ac, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s (tenant %d) sees it: %v", ac.Role, ac.TenantID, err)
		}
		if err := s.DeleteActivity(ctx, ac, a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s deletes it: %v", ac.Role, err)
		}
	}
	if list, n, _ := s.Activities(ctx, school6, ActivityFilter{SchoolID: 5}); n != 0 || len(list) != 0 {
		t.Errorf("school 6 lists school 5's activities by asking: %d", n)
	}
	if _, n, _ := s.Activities(ctx, officer, ActivityFilter{}); n != 1 {
		t.Errorf("the officer lists %d", n)
	}
	if err := s.DeleteActivity(ctx, viewer, a.ID); !errors.Is(err, ErrForbidden) {
		t.Errorf("a viewer deletes: %v", err)
	}
	// Optimistic version.
	stale := *a
	b := *a
	b.Topic = "Đổi chủ đề"
	if err := s.UpdateActivity(ctx, officer, &b); err != nil || b.Version != 2 {
		t.Fatalf("update: %v, version %d", err, b.Version)
	}
	stale.Topic = "Ghi đè"
	if err := s.UpdateActivity(ctx, school5, &stale); !errors.Is(err, ErrConflict) {
		t.Errorf("a stale update: %v", err)
	}
	if st.acts[a.ID].Topic != "Đổi chủ đề" {
		t.Errorf("stored topic %q", st.acts[a.ID].Topic)
	}
	// An organisation sees what it recorded only.
	u := &Activity{Kind: KindCommunication, Date: day(2025, 4, 1), Places: []Place{{Kind: PlaceCulturalHouse, Name: "NVH tổ 5"}},
		Participants: []Participant{{Group: GroupParents, Count: 30}}}
	if err := s.CreateActivity(ctx, union, u); err != nil {
		t.Fatal(err)
	}
	if list, n, _ := s.Activities(ctx, union, ActivityFilter{}); n != 1 || list[0].ID != u.ID {
		t.Errorf("the union lists %d", n)
	}
	if err := s.DeleteActivity(ctx, school5, a.ID); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, l := range *log {
		actions = append(actions, l.action)
		if strings.Contains(l.detail, "Phù Liễn") || strings.Contains(l.detail, "chủ đề") {
			t.Errorf("audit detail has content: %q", l.detail)
		}
	}
	if strings.Join(actions, ",") != "activity.create,activity.update,activity.create,activity.delete" {
		t.Errorf("audit %v", actions)
	}
}

func TestEnrolmentAndCoverage(t *testing.T) {
	ctx := context.Background()
	s, _, log := newTestService(t)
	for _, tt := range []struct {
		a   Actor
		e   Enrolment
		err string
	}{
		{officer, Enrolment{SchoolID: 5, SchoolYear: 2024, Level: LevelLowerSecondary, Pupils: 400}, ""},
		{school5, Enrolment{SchoolID: 5, SchoolYear: 2024, Level: LevelPrimary, Pupils: 0}, ""},
		{school6, Enrolment{SchoolID: 5, SchoolYear: 2024, Level: LevelPrimary, Pupils: 10}, "forbidden"},
		{viewer, Enrolment{SchoolID: 6, SchoolYear: 2024, Level: LevelPrimary, Pupils: 10}, "forbidden"},
		{officer, Enrolment{SchoolID: 6, SchoolYear: 2024, Level: LevelPrimary, Pupils: -1}, "invalid"},
		{officer, Enrolment{SchoolID: 6, SchoolYear: 2024, Level: "high", Pupils: 10}, "invalid"},
		{officer, Enrolment{SchoolID: 99, SchoolYear: 2024, Level: LevelPrimary, Pupils: 10}, "invalid"},
		{officer, Enrolment{SchoolID: 6, SchoolYear: 1990, Level: LevelPrimary, Pupils: 10}, "invalid"},
		{officer, Enrolment{SchoolID: 6, SchoolYear: 2024, Level: LevelPrimary, Pupils: 100_001}, "invalid"},
	} {
		err := s.SetEnrolment(ctx, tt.a, tt.e)
		if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s sets %+v: %v, want %q", tt.a.Role, tt.e, err, tt.err)
		}
	}
	if len(*log) != 2 || (*log)[0].action != "enrolment.set" {
		t.Errorf("audit %v", *log)
	}
	a := goodActivity()
	if err := s.CreateActivity(ctx, officer, a); err != nil {
		t.Fatal(err)
	}
	b := &Activity{Kind: KindThemedMeeting, Date: day(2025, 3, 20), Places: []Place{{Kind: PlaceSchool, OrgID: 6}},
		Participants: []Participant{pupils(6, 4, 50), pupils(5, 7, 10)}}
	if err := s.CreateActivity(ctx, officer, b); err != nil {
		t.Fatal(err)
	}
	cov, err := s.Coverage(ctx, officer, q1)
	if err != nil || cov.Pupils != (Ratio{120, 400}) || cov.SchoolsNoEnrolment != 1 || cov.ReachedNoEnrolment != 50 || cov.Schools != (Ratio{2, 2}) {
		t.Errorf("officer's coverage %+v %v", cov, err)
	}
	cov, err = s.Coverage(ctx, school6, q1)
	if err != nil || len(cov.BySchool) != 1 || cov.BySchool[0].SchoolID != 6 || cov.BySchool[0].Reached[LevelPrimary] != 50 || cov.Schools != (Ratio{1, 1}) {
		t.Errorf("school 6's coverage %+v %v", cov, err)
	}
	if _, err := s.Coverage(ctx, union, q1); !errors.Is(err, ErrForbidden) {
		t.Errorf("an organisation sees coverage: %v", err)
	}
	// Coverage of a period in the next school year uses that year's (none).
	if cov, _ := s.Coverage(ctx, officer, Days(day(2025, 9, 1), day(2025, 12, 31), hcm)); cov.Pupils.Den != 0 {
		t.Errorf("autumn 2025 used school year 2024's enrolment: %v", cov.Pupils)
	}
}
