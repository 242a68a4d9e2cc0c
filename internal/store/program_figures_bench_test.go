package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/querylog"
)

type benchSchools []program.School

func (b benchSchools) Schools(context.Context) ([]program.School, error) { return b, nil }

// seedWardYear fills s with a ward's 2025: 10,000 activities (two places,
// three participant lines each), 2,000 cases with their workflow steps
// (assessed, a plan submitted and approved, half closed), and a year of
// DNS hourly aggregates (3 profiles × 4 blocked categories + allowed,
// every hour: 113,880 rows). It returns the service the server would
// build over s.
func seedWardYear(tb testing.TB, s *Store) (*program.Service, program.Period) {
	tb.Helper()
	ctx := context.Background()
	year := program.Days(localDay(2025, 1, 1), localDay(2025, 12, 31), storeHCM)
	kinds := program.ActivityKinds()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i := range 10_000 {
			day := year.From.AddDate(0, 0, i%365)
			id, err := insertID(ctx, tx, `INSERT INTO program_activities (tenant_id, kind, day, topic, created_at, updated_at)
				VALUES (1, $1, $2, 'An toàn trên mạng', $3, $3)`, kinds[i%len(kinds)], ms(day), ms(time.Now()))
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
		tb.Fatal(err)
	}
	var schools benchSchools
	var enrol []program.Enrolment
	for i := range 12 {
		schools = append(schools, program.School{ID: int64(i + 1), Name: fmt.Sprintf("Trường %d", i+1)})
		enrol = append(enrol, program.Enrolment{TenantID: 1, SchoolID: int64(i + 1), SchoolYear: 2025, Level: program.LevelLowerSecondary, Pupils: 400})
	}
	acts, err := s.Activities(testSealer(tb))
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range enrol {
		if err := acts.SetEnrolment(ctx, e); err != nil {
			tb.Fatal(err)
		}
	}

	cs, err := s.Cases(testSealer(tb), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	cats := []string{cases.CategoryScam, cases.CategorySextortion, cases.CategoryGambling}
	for i := range 2_000 {
		at := year.From.Add(time.Duration(i) * 4 * time.Hour)
		c := sampleCase(fmt.Sprintf("B%07d", i), at)
		c.Category, c.Urgent = cats[i%len(cats)], i%10 == 0
		step := func(d time.Duration, a cases.Action, from, to cases.Status) cases.Step {
			return cases.Step{At: at.Add(d), ActorID: 1, ActorRole: cases.RoleOfficer, Action: a, From: from, To: to}
		}
		c.Steps = append(c.Steps,
			step(20*time.Hour, cases.ActionAssess, cases.StatusReceived, cases.StatusAssessed),
			step(4*24*time.Hour, cases.ActionSubmitPlan, cases.StatusAssessed, cases.StatusPlanDrafted),
			step(time.Duration(5+i%4)*24*time.Hour, cases.ActionApprove, cases.StatusPlanDrafted, cases.StatusPlanApproved))
		c.Status = cases.StatusPlanApproved
		if i%2 == 0 {
			c.Steps = append(c.Steps, step(30*24*time.Hour, cases.ActionClose, cases.StatusPlanApproved, cases.StatusClosed))
			c.Status, c.ClosedAt = cases.StatusClosed, at.Add(30*24*time.Hour)
		}
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			tb.Fatal(i, err)
		}
	}

	var rows []querylog.Hourly
	for h := year.From; h.Before(year.To); h = h.Add(time.Hour) {
		for _, p := range []string{"lop6", "lop7", "thcs"} {
			for j, cat := range []string{"adult", "gambling", "scam", "games"} {
				rows = append(rows, querylog.Hourly{Hour: h, Profile: p, Category: cat, Action: querylog.Blocked, Queries: int64(1 + j)})
			}
			rows = append(rows, querylog.Hourly{Hour: h, Profile: p, Action: querylog.Allowed, Queries: 200})
		}
	}
	if err := s.AddHourly(ctx, rows); err != nil {
		tb.Fatal(err)
	}
	svc, err := program.New(program.Options{Store: s, Activities: acts, Cases: cs, DNS: s.ProgramDNS(), Alerts: s,
		Schools: schools, Location: storeHCM})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, year
}

// BenchmarkFigures computes a year's figures for a ward with 10,000
// activities, 2,000 cases (deadlines computed from their steps) and a year
// of DNS hourly aggregates, on an on-disk SQLite store: what the dashboard
// and the report's "compute now" do. b.Loop runs the seeding once.
func BenchmarkFigures(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	svc, year := seedWardYear(b, s)
	officer := program.Actor{UserID: 1, Role: program.RoleOfficer, TenantID: 1}
	for b.Loop() {
		f, err := svc.Figures(ctx, officer, year)
		if err != nil {
			b.Fatal(err)
		}
		if f.Activities.Total != 10_000 || f.Cases.Received != 2_000 || f.DNS.Blocked != 8760*3*10 || len(f.Missing) != 0 {
			b.Fatalf("activities %d, cases %d, blocked %d, missing %v", f.Activities.Total, f.Cases.Received, f.DNS.Blocked, f.Missing)
		}
	}
}
