package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/report"
)

// BenchmarkCityRollUp114Live rolls up a city of 114 wards that are live
// tenants of one PostgreSQL database (each with a ward account, so its
// figures are computed from its own rows, not read from a file): per ward
// 100 activities of 2025 and 20 cases with their steps. One iteration is
// RollUp (114 computeFigures) and then the city report built from it and
// written as DOCX and PDF. PostgreSQL only (MANGLANH_TEST_POSTGRES).
func BenchmarkCityRollUp114Live(b *testing.B) {
	ctx := context.Background()
	s := OpenTestPostgres(b)
	year := program.Days(localDay(2025, 1, 1), localDay(2025, 12, 31), storeHCM)
	cs, err := s.Cases(testSealer(b), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	var schools benchSchools
	for i := range 12 {
		schools = append(schools, program.School{ID: int64(i + 1), Name: fmt.Sprintf("Trường %d", i+1)})
	}
	svc, err := program.New(program.Options{Store: s, Cases: cs, DNS: s.ProgramDNS(), Alerts: s, Schools: schools, Location: storeHCM})
	if err != nil {
		b.Fatal(err)
	}
	city := program.Actor{UserID: 1, Role: program.RoleCity}
	kinds := program.ActivityKinds()
	now := time.Now()
	for w := range 114 {
		tid := int64(program.DefaultTenant)
		if w > 0 {
			code := fmt.Sprintf("%05d", 11500+w)
			t := &program.Tenant{Code: code, Name: "Phường " + code}
			if err := svc.CreateTenant(ctx, city, t); err != nil {
				b.Fatal(err)
			}
			tid = t.ID
		}
		u := auth.User{Email: fmt.Sprintf("o%d@ward.vn", w), Name: "Cán bộ", Role: auth.RoleOfficer, TenantID: tid,
			PasswordHash: "h", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := s.CreateUser(ctx, &u); err != nil {
			b.Fatal(err)
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			for i := range 100 {
				id, err := insertID(ctx, tx, `INSERT INTO program_activities (tenant_id, kind, day, topic, created_at, updated_at)
					VALUES ($1, $2, $3, 'An toàn trên mạng', $4, $4)`, tid, kinds[i%len(kinds)], ms(year.From.AddDate(0, 0, (i*3)%365)), ms(now))
				if err != nil {
					return err
				}
				a := &program.Activity{ID: id, TenantID: tid,
					Places:       []program.Place{{Kind: program.PlaceSchool, OrgID: int64(1 + i%12), Name: "Trường"}},
					Participants: []program.Participant{{Group: program.GroupPupils, SchoolID: int64(1 + i%12), Level: program.LevelPrimary, Grade: 1 + i%5, Count: 35}, {Group: program.GroupParents, Count: 10}}}
				if err := writeActivityLines(ctx, tx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 20 {
			at := year.From.Add(time.Duration(i*17) * 24 * time.Hour)
			c := sampleCase(fmt.Sprintf("W%03dC%03d", w, i), at)
			c.TenantID = tid
			c.Steps = append(c.Steps, cases.Step{At: at.Add(20 * time.Hour), ActorID: 1, ActorRole: cases.RoleOfficer,
				Action: cases.ActionAssess, From: cases.StatusReceived, To: cases.StatusAssessed})
			c.Status = cases.StatusAssessed
			if err := cs.CreateCase(ctx, c, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	var inRollUp time.Duration
	for b.Loop() {
		start := time.Now()
		total, per, err := svc.RollUp(ctx, city, year)
		inRollUp += time.Since(start)
		if err != nil || len(per) != 114 || total.Activities.Total != 114*100 || total.Cases.Received != 114*20 {
			b.Fatalf("%d wards, %d activities, %d cases, %v", len(per), total.Activities.Total, total.Cases.Received, err)
		}
		doc := report.Build(report.Input{Version: &program.ReportVersion{Period: year}, Figures: total, Wards: per})
		if err := doc.WriteDOCX(io.Discard); err != nil {
			b.Fatal(err)
		}
		if err := doc.WritePDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(inRollUp.Milliseconds())/float64(b.N), "rollup-ms/op")
}
