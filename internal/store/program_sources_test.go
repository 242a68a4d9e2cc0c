package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/cases"
	"manglanh/internal/filter"
	"manglanh/internal/program"
	"manglanh/internal/querylog"
)

var hcmLoc = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

func hcmDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, hcmLoc) }

// CasesForPeriod: received before the end, not closed before the start,
// the tenant's only, with their steps (notes sealed away).
func TestCasesForPeriod(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		q1 := program.Days(hcmDay(2025, 1, 1), hcmDay(2025, 3, 31), hcmLoc)
		ms := time.Millisecond
		type tc struct {
			code     string
			received time.Time
			closed   time.Time
			tenant   int64
			in       bool
		}
		list := []tc{
			{"INQ1AAAA", q1.From, time.Time{}, 1, true},                    // first instant
			{"INQ1BBBB", q1.To.Add(-ms), time.Time{}, 1, true},             // last millisecond
			{"OUTQ1CCC", q1.To, time.Time{}, 1, false},                     // the next midnight
			{"OLDOPEND", hcmDay(2024, 6, 1), time.Time{}, 1, true},         // received before, still open
			{"OLDCLOSE", hcmDay(2024, 6, 1), q1.From.Add(-ms), 1, false},   // closed just before
			{"OLDCLOS2", hcmDay(2024, 6, 1), q1.From, 1, true},             // closed at the first instant
			{"CROSSES2", hcmDay(2025, 3, 20), hcmDay(2025, 5, 2), 1, true}, // crosses the end
			{"OTHERWRD", hcmDay(2025, 2, 1), time.Time{}, 2, false},        // another ward's
		}
		for _, x := range list {
			c := sampleCase(x.code, x.received)
			c.TenantID = x.tenant
			if !x.closed.IsZero() {
				c.Status, c.ClosedAt = cases.StatusClosed, x.closed
			}
			if err := cs.CreateCase(ctx, c, nil); err != nil {
				t.Fatal(x.code, err)
			}
		}
		got, err := cs.CasesForPeriod(ctx, 1, q1)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, c := range got {
			codes = append(codes, c.Code)
			if len(c.Steps) != 1 || c.Steps[0].Action != cases.ActionIntake {
				t.Errorf("%s: steps %+v", c.Code, c.Steps)
			}
			if c.Steps[0].Note != "" || c.Sensitive.ChildName != "" {
				t.Errorf("%s: a note or the child's name was read for the figures", c.Code)
			}
		}
		var want []string
		for _, x := range list {
			if x.in {
				want = append(want, x.code)
			}
		}
		slices.Sort(codes)
		slices.Sort(want)
		if !slices.Equal(codes, want) {
			t.Errorf("cases of Q1 = %v\nwant %v", codes, want)
		}
		other, err := cs.CasesForPeriod(ctx, 2, q1)
		if err != nil || len(other) != 1 || other[0].Code != "OTHERWRD" {
			t.Errorf("ward 2's cases: %v %v", other, err)
		}
		if none, err := cs.CasesForPeriod(ctx, 3, q1); err != nil || len(none) != 0 {
			t.Errorf("ward 3 (no cases): %v %v", none, err)
		}
	})
}

// ProgramDNS and AlertCounts: months in the ward's zone, boundaries at
// local midnight, nothing for another tenant (alerts and the family tables
// have no tenant column: they belong to the deployment's own ward).
func TestProgramDNSAndAlertCounts(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		q1 := program.Days(hcmDay(2025, 1, 1), hcmDay(2025, 3, 31), hcmLoc)
		// 31/01 23:00 in Hanoi is 16:00 UTC: January's, not February's.
		rows := []querylog.Hourly{
			{Hour: q1.From, Profile: "lop6", Category: "gambling", Action: querylog.Blocked, Queries: 3},
			{Hour: time.Date(2025, 1, 31, 23, 0, 0, 0, hcmLoc), Profile: "lop6", Category: "adult", Action: querylog.Blocked, Queries: 4},
			{Hour: time.Date(2025, 2, 1, 0, 0, 0, 0, hcmLoc), Profile: "lop6", Category: "adult", Action: querylog.Blocked, Queries: 5},
			{Hour: time.Date(2025, 3, 31, 23, 0, 0, 0, hcmLoc), Profile: "lop7", Category: "", Action: querylog.Blocked, Queries: 6},
			{Hour: q1.To, Profile: "lop6", Category: "adult", Action: querylog.Blocked, Queries: 100},                   // April
			{Hour: q1.From.Add(-time.Hour), Profile: "lop6", Category: "adult", Action: querylog.Blocked, Queries: 100}, // 2024
			{Hour: q1.From, Profile: "lop6", Category: "", Action: querylog.Allowed, Queries: 1000},                     // allowed
		}
		if err := s.AddHourly(ctx, rows); err != nil {
			t.Fatal(err)
		}
		d := s.ProgramDNS()
		got, err := d.BlockedByMonth(ctx, 1, q1, hcmLoc)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]program.MonthCount{
			"gambling": {{Month: "2025-01", Count: 3}},
			"adult":    {{Month: "2025-01", Count: 4}, {Month: "2025-02", Count: 5}},
			"other":    {{Month: "2025-03", Count: 6}},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("blocked by month = %v\nwant %v", got, want)
		}
		if other, err := d.BlockedByMonth(ctx, 2, q1, hcmLoc); err != nil || len(other) != 0 {
			t.Errorf("ward 2's blocked look-ups: %v %v", other, err)
		}

		if err := s.SetDevicesSeen(ctx, []filter.DeviceSeen{
			{DeviceID: 1, LastSeen: q1.From}, {DeviceID: 2, LastSeen: q1.To.Add(-time.Second)},
			{DeviceID: 3, LastSeen: q1.To}, {DeviceID: 4, LastSeen: q1.From.Add(-time.Second)},
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := d.DevicesSeen(ctx, 1, q1); err != nil || n != 2 {
			t.Errorf("devices seen in Q1 = %d %v, want 2", n, err)
		}
		if n, err := d.DevicesSeen(ctx, 2, q1); err != nil || n != 0 {
			t.Errorf("ward 2's devices = %d %v", n, err)
		}
		if n, err := d.ProfileCount(ctx, 1); err != nil || n != 0 {
			t.Errorf("profiles = %d %v", n, err)
		}

		for i, a := range []alert.Alert{
			{Time: q1.From, Category: "scam", Level: "high"},
			{Time: q1.To.Add(-time.Millisecond), Category: "scam", Level: "medium"},
			{Time: q1.To, Category: "scam", Level: "high"},
			{Time: q1.From.Add(-time.Millisecond), Category: "gambling", Level: "high"},
			{Time: hcmDay(2025, 2, 14), Category: "grooming", Level: "critical", Digest: true},
		} {
			a.Rule, a.Source = "test", "dns"
			if err := s.SaveAlert(ctx, &a); err != nil {
				t.Fatal(i, err)
			}
		}
		byCat, byLevel, err := s.AlertCounts(ctx, 1, q1)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(byCat) != "map[grooming:1 scam:2]" || fmt.Sprint(byLevel) != "map[critical:1 high:1 medium:1]" {
			t.Errorf("alerts of Q1: %v %v", byCat, byLevel)
		}
		if c, l, err := s.AlertCounts(ctx, 2, q1); err != nil || len(c) != 0 || len(l) != 0 {
			t.Errorf("ward 2's alerts: %v %v %v", c, l, err)
		}
	})
}
