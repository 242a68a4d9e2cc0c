package store

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"manglanh/internal/program"
)

// BenchmarkCityRollUp114 is the city's roll-up of 114 wards that each sent
// a signed figure file for the year (12 months of trends, 8 schools each):
// the table /thanh-pho shows. Live wards' figures (computeFigures) are the
// dashboard part's cost and are not in this number.
func BenchmarkCityRollUp114(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	loc := time.FixedZone("ICT", 7*3600)
	year := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
	svc, err := program.New(program.Options{Store: s, Location: loc})
	if err != nil {
		b.Fatal(err)
	}
	city := program.Actor{UserID: 1, Role: program.RoleCity}
	for i := range 114 {
		key := ed25519.NewKeyFromSeed(append(make([]byte, 31), byte(i)))
		code := fmt.Sprintf("%05d", 11500+i)
		t := &program.Tenant{Code: code, Name: "Phường " + code,
			PublicKey: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))}
		if err := svc.CreateTenant(ctx, city, t); err != nil {
			b.Fatal(err)
		}
		f := &program.Figures{Format: program.FiguresFormat, Wards: []program.TenantRef{{Code: code, Name: t.Name}}, Period: year,
			Activities: program.ActivityFigures{Total: 38, ByKind: map[string]int{program.KindCommunication: 12, program.KindThemedMeeting: 21}},
			Coverage:   program.CoverageFigures{Pupils: program.Ratio{Num: 350, Den: 372}},
			Cases:      program.CaseFigures{Received: 20, InTime: program.Ratio{Num: 18, Den: 20}, ByCategory: map[string]int{"scam": 12, "grooming": 8}},
			DNS:        program.DNSFigures{DevicesProtected: 1200, BlockedByCategory: map[string]int64{"adult": 90000, "gambling": 40000}}}
		for m := 1; m <= 12; m++ {
			f.Activities.ByMonth = append(f.Activities.ByMonth, program.MonthCount{Month: fmt.Sprintf("2025-%02d", m), Count: 3})
			f.DNS.ByMonth = append(f.DNS.ByMonth, program.MonthCount{Month: fmt.Sprintf("2025-%02d", m), Count: 10000})
		}
		for sc := range 8 {
			f.Coverage.BySchool = append(f.Coverage.BySchool, program.SchoolCoverage{SchoolID: int64(sc + 1), Name: fmt.Sprintf("Trường %d", sc),
				Activities: 4, Reached: map[string]int{program.LevelPrimary: 40}, Enrolled: map[string]int{program.LevelPrimary: 45}})
		}
		data, err := program.SignFigures(f, key)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.ImportFigures(ctx, city, data); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		rows, total, err := svc.RollUpRows(ctx, city, year)
		if err != nil || len(rows) != 115 || total.Coverage.Pupils.Den != 114*372 {
			b.Fatalf("%d rows, %+v, %v", len(rows), total.Coverage.Pupils, err)
		}
	}
}
