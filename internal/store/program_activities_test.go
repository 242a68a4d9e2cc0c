package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"manglanh/internal/program"
)

func activityStore(t *testing.T, s *Store) *ActivityStore {
	t.Helper()
	as, err := s.Activities(testSealer(t))
	if err != nil {
		t.Fatal(err)
	}
	return as
}

var storeHCM = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

func localDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, storeHCM) }

func sampleActivity(tenant int64, date time.Time, school int64) *program.Activity {
	now := time.Now()
	return &program.Activity{TenantID: tenant, Kind: program.KindCommunication, Date: date, Organiser: "UBND phường",
		Topic: "Lừa đảo trực tuyến", Notes: "dòng 1\ndòng 2",
		Places: []program.Place{{Kind: program.PlaceSchool, OrgID: school, Name: "Trường THCS Phù Liễn"}, {Kind: program.PlaceCulturalHouse, Name: "Nhà văn hóa tổ 3"}},
		Participants: []program.Participant{
			{Group: program.GroupPupils, SchoolID: school, Level: program.LevelLowerSecondary, Grade: 7, Count: 120},
			{Group: program.GroupParents, Count: 15},
		},
		Attendees: []string{"Nguyễn Văn An", "Trần Thị Bình"}, CreatedBy: 3, CreatedAt: now, UpdatedAt: now}
}

func TestActivityStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		as := activityStore(t, s)
		if _, err := s.Activities(nil); err == nil {
			t.Error("an activity store without a sealer")
		}
		a := sampleActivity(1, localDay(2025, 3, 12), 5)
		if err := as.CreateActivity(ctx, a); err != nil || a.ID == 0 || a.Version != 1 {
			t.Fatalf("create: %v id %d", err, a.ID)
		}
		got, err := as.Activity(ctx, 1, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Date.Equal(a.Date) || got.Topic != a.Topic || got.Notes != a.Notes || len(got.Places) != 2 || got.Places[1].Name != "Nhà văn hóa tổ 3" ||
			len(got.Participants) != 2 || got.Participants[0] != a.Participants[0] || len(got.Attendees) != 2 || got.Attendees[1] != "Trần Thị Bình" {
			t.Errorf("read back %+v", got)
		}
		// The names are sealed at rest.
		var raw []byte
		s.read.QueryRowContext(ctx, "SELECT attendees FROM program_activities WHERE id = $1", a.ID).Scan(&raw)
		if len(raw) == 0 || bytes.Contains(raw, []byte("Bình")) || bytes.Contains(raw, []byte("Nguy")) {
			t.Errorf("attendees stored in clear: %q", raw)
		}
		// Figures read from the Store get no names (they are sealed and
		// not needed); the view opens them.
		q := program.Days(a.Date, a.Date, storeHCM)
		if plain, err := s.ActivitiesInPeriod(ctx, 1, q); err != nil || len(plain) != 1 || plain[0].Attendees != nil || len(plain[0].Participants) != 2 {
			t.Errorf("Store.ActivitiesInPeriod: %+v %v", plain, err)
		}
		if full, err := as.ActivitiesInPeriod(ctx, 1, q); err != nil || len(full) != 1 || len(full[0].Attendees) != 2 {
			t.Errorf("ActivityStore.ActivitiesInPeriod: %+v %v", full, err)
		}
		// Another tenant sees nothing.
		if _, err := as.Activity(ctx, 2, a.ID); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("tenant 2 reads tenant 1's activity: %v", err)
		}
		if err := as.DeleteActivity(ctx, 2, a.ID); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("tenant 2 deletes it: %v", err)
		}
		b := *got
		b.TenantID = 2
		if err := as.UpdateActivity(ctx, &b); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("tenant 2 updates it: %v", err)
		}
		// Update with the version read; a second with the old version conflicts.
		c := *got
		c.Topic, c.Participants, c.Attendees = "Chủ đề mới", c.Participants[:1], nil
		if err := as.UpdateActivity(ctx, &c); err != nil || c.Version != 2 {
			t.Fatalf("update: %v version %d", err, c.Version)
		}
		stale := *got
		stale.Topic = "cũ"
		if err := as.UpdateActivity(ctx, &stale); !errors.Is(err, program.ErrConflict) {
			t.Errorf("stale update: %v", err)
		}
		got, _ = as.Activity(ctx, 1, a.ID)
		if got.Topic != "Chủ đề mới" || len(got.Participants) != 1 || len(got.Attendees) != 0 || got.Version != 2 {
			t.Errorf("after update %+v", got)
		}
		if err := as.DeleteActivity(ctx, 1, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := as.Activity(ctx, 1, a.ID); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("deleted but found: %v", err)
		}
		var lines int
		s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM program_activity_participants WHERE activity_id = $1", a.ID).Scan(&lines)
		if lines != 0 {
			t.Errorf("%d participant lines left after delete", lines)
		}
	})
}

func TestActivityStoreFiltersAndPages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		as := activityStore(t, s)
		q1 := program.Days(localDay(2025, 1, 1), localDay(2025, 3, 31), storeHCM)
		mk := func(tenant int64, date time.Time, kind string, school int64, group string) {
			a := &program.Activity{TenantID: tenant, Kind: kind, Date: date, CreatedBy: 1, CreatedAt: time.Now(), UpdatedAt: time.Now(),
				Places: []program.Place{{Kind: program.PlaceResidential, Name: "Tổ 1"}}}
			if school != 0 {
				a.Participants = append(a.Participants, program.Participant{Group: program.GroupPupils, SchoolID: school, Level: program.LevelPrimary, Grade: 3, Count: 10})
			}
			if group != "" {
				a.Participants = append(a.Participants, program.Participant{Group: group, Count: 4})
			}
			if err := as.CreateActivity(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		mk(1, q1.From, program.KindCommunication, 5, "")                                   // in: the first midnight
		mk(1, q1.To, program.KindCommunication, 5, "")                                     // out: the end midnight
		mk(1, q1.From.Add(-time.Millisecond), program.KindCommunication, 5, "")            // out
		mk(1, localDay(2025, 2, 1), program.KindThemedMeeting, 6, program.GroupParents)    // in
		mk(1, localDay(2025, 3, 31), program.KindCommunication, 0, program.GroupResidents) // in
		mk(2, localDay(2025, 2, 2), program.KindCommunication, 5, program.GroupParents)    // other tenant
		for i := range 7 {
			mk(1, localDay(2024, 6, 1+i), program.KindLeaflet, 0, "")
		}
		in, err := s.ActivitiesInPeriod(ctx, 1, q1)
		if err != nil || len(in) != 3 {
			t.Fatalf("in Q1: %d %v", len(in), err)
		}
		for _, tt := range []struct {
			f    program.ActivityFilter
			want int
		}{
			{program.ActivityFilter{}, 12},
			{program.ActivityFilter{Period: q1}, 3},
			{program.ActivityFilter{Period: q1, Kind: program.KindCommunication}, 2},
			{program.ActivityFilter{SchoolID: 5}, 3},
			{program.ActivityFilter{Period: q1, SchoolID: 6}, 1},
			{program.ActivityFilter{Group: program.GroupParents}, 1},
			{program.ActivityFilter{Kind: program.KindLeaflet}, 7},
			{program.ActivityFilter{CreatedBy: 2}, 0},
		} {
			list, total, err := as.Activities(ctx, 1, tt.f)
			if err != nil || total != tt.want || len(list) != min(tt.want, 100) {
				t.Errorf("%+v: %d rows, total %d, %v; want %d", tt.f, len(list), total, err, tt.want)
			}
		}
		var seen []string
		for off := 0; off < 12; off += 5 {
			list, total, err := as.Activities(ctx, 1, program.ActivityFilter{Limit: 5, Offset: off})
			if err != nil || total != 12 {
				t.Fatal(total, err)
			}
			for _, a := range list {
				seen = append(seen, fmt.Sprint(a.ID))
				if len(a.Places) != 1 {
					t.Errorf("activity %d has %d places on a page", a.ID, len(a.Places))
				}
			}
		}
		if len(seen) != 12 {
			t.Errorf("pages gave %d rows", len(seen))
		}
		list, _, _ := as.Activities(ctx, 1, program.ActivityFilter{Limit: 2})
		if !list[0].Date.After(list[1].Date) && !list[0].Date.Equal(list[1].Date) {
			t.Errorf("not newest first: %v %v", list[0].Date, list[1].Date)
		}
	})
}

func TestActivityStoreNothingHalfSaved(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		as := activityStore(t, s)
		// A partial unique index makes the second of two "boom" lines fail
		// inside the transaction, after the activity row and the first line.
		if _, err := s.write.ExecContext(ctx, "CREATE UNIQUE INDEX boom ON program_activity_participants (activity_id, grp) WHERE grp = 'boom'"); err != nil {
			t.Fatal(err)
		}
		boom := []program.Participant{{Group: "boom", Count: 1}, {Group: "boom", Count: 2}}
		a := sampleActivity(1, localDay(2025, 3, 12), 5)
		a.Participants = append(a.Participants, boom...)
		if err := as.CreateActivity(ctx, a); err == nil {
			t.Fatal("created despite the failing line")
		}
		var n int
		s.read.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM program_activities) + (SELECT COUNT(*) FROM program_activity_places) + (SELECT COUNT(*) FROM program_activity_participants)").Scan(&n)
		if n != 0 || a.ID != 0 {
			t.Errorf("%d rows after a failed create (id %d)", n, a.ID)
		}
		a = sampleActivity(1, localDay(2025, 3, 12), 5)
		if err := as.CreateActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := *a
		b.Topic, b.Places = "không được lưu", b.Places[:1]
		b.Participants = append(append([]program.Participant{}, b.Participants...), boom...)
		if err := as.UpdateActivity(ctx, &b); err == nil {
			t.Fatal("updated despite the failing line")
		}
		got, _ := as.Activity(ctx, 1, a.ID)
		if got.Topic != a.Topic || len(got.Places) != 2 || len(got.Participants) != 2 || got.Version != 1 {
			t.Errorf("half saved: %+v", got)
		}
	})
}

func TestEnrolmentStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		as := activityStore(t, s)
		set := func(tenant, school int64, year int, level string, n int) {
			t.Helper()
			if err := as.SetEnrolment(ctx, program.Enrolment{TenantID: tenant, SchoolID: school, SchoolYear: year, Level: level, Pupils: n,
				UpdatedBy: 1, UpdatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		set(1, 5, 2024, program.LevelLowerSecondary, 400)
		set(1, 5, 2024, program.LevelLowerSecondary, 420) // replaces
		set(1, 6, 2024, program.LevelPrimary, 300)
		set(1, 6, 2025, program.LevelPrimary, 310)
		set(2, 5, 2024, program.LevelPrimary, 999)
		set(1, 6, 2024, program.LevelPrimary, 0) // removes
		es, err := as.Enrolments(ctx, 1, 2024)
		if err != nil || len(es) != 1 || es[0].SchoolID != 5 || es[0].Pupils != 420 {
			t.Errorf("2024: %+v %v", es, err)
		}
		if es, _ := s.Enrolments(ctx, 1, 2025); len(es) != 1 || es[0].Pupils != 310 {
			t.Errorf("2025: %+v", es)
		}
		if es, _ := s.Enrolments(ctx, 2, 2024); len(es) != 1 || es[0].Pupils != 999 {
			t.Errorf("tenant 2: %+v", es)
		}
	})
}
