package store

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"manglanh/internal/program"
)

// BenchmarkActivitiesInPeriod reads a year of 10,000 activities (two
// places and three participant lines each) for the figures, on SQLite.
// The rows are written in one transaction with plain SQL: the point is
// the read. b.Loop runs the set-up once (about a minute on 2 shared cores).
func BenchmarkActivitiesInPeriod(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	year := program.Days(localDay(2025, 1, 1), localDay(2025, 12, 31), storeHCM)
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i := range 10_000 {
			day := year.From.AddDate(0, 0, i%365)
			id, err := insertID(ctx, tx, `INSERT INTO program_activities (tenant_id, kind, day, topic, created_at, updated_at)
				VALUES (1, 'communication', $1, 'An toàn trên mạng', $2, $2)`, ms(day), ms(time.Now()))
			if err != nil {
				return err
			}
			a := &program.Activity{ID: id, TenantID: 1,
				Places: []program.Place{{Kind: program.PlaceSchool, OrgID: int64(1 + i%12), Name: "Trường"}, {Kind: program.PlaceResidential, Name: "Tổ 3"}},
				Participants: []program.Participant{{Group: program.GroupPupils, SchoolID: int64(1 + i%12), Level: program.LevelLowerSecondary, Grade: 6 + i%4, Count: 40},
					{Group: program.GroupParents, Count: 10}, {Group: program.GroupTeachers, SchoolID: int64(1 + i%12), Count: 3}}}
			if err := writeActivityLines(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		list, err := s.ActivitiesInPeriod(ctx, 1, year)
		if err != nil || len(list) != 10_000 {
			b.Fatal(len(list), err)
		}
	}
}

// BenchmarkComputeCoverage computes a year's coverage of 12 schools from
// 10,000 activities.
func BenchmarkComputeCoverage(b *testing.B) {
	year := program.Days(localDay(2025, 1, 1), localDay(2025, 12, 31), storeHCM)
	var acts []program.Activity
	var schools []program.School
	for i := range 12 {
		schools = append(schools, program.School{ID: int64(i + 1), Name: "Trường"})
	}
	for i := range 10_000 {
		acts = append(acts, program.Activity{Kind: program.KindCommunication, Date: year.From.AddDate(0, 0, i%365),
			Places:       []program.Place{{Kind: program.PlaceSchool, OrgID: int64(1 + i%12)}},
			Participants: []program.Participant{{Group: program.GroupPupils, SchoolID: int64(1 + i%12), Level: program.LevelLowerSecondary, Grade: 6 + i%4, Count: 40}}})
	}
	enrol := []program.Enrolment{{SchoolID: 1, Level: program.LevelLowerSecondary, Pupils: 400}}
	for b.Loop() {
		if c := program.ComputeCoverage(acts, enrol, schools, year); c.Schools.Num != 12 {
			b.Fatal(c.Schools)
		}
	}
}
