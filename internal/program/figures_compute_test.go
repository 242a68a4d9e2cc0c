package program

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"manglanh/internal/cases"
)

type fakeCaseSource struct {
	cs     []*cases.Case
	tenant int64
	err    error
}

func (f *fakeCaseSource) CasesForPeriod(_ context.Context, tenant int64, _ Period) ([]*cases.Case, error) {
	f.tenant = tenant
	return f.cs, f.err
}

type fakeDNS struct{}

func (fakeDNS) BlockedByMonth(_ context.Context, _ int64, p Period, loc *time.Location) (map[string][]MonthCount, error) {
	return map[string][]MonthCount{"adult": {{"2026-01", 5}, {"2026-03", 2}}, "gambling": {{"2026-03", 4}}}, nil
}
func (fakeDNS) DevicesSeen(context.Context, int64, Period) (int, error) { return 7, nil }
func (fakeDNS) ProfileCount(context.Context, int64) (int, error)        { return 3, nil }

type fakeAlerts struct{}

func (fakeAlerts) AlertCounts(context.Context, int64, Period) (map[string]int, map[string]int, error) {
	return map[string]int{"scam": 2, "grooming": 1}, map[string]int{"high": 1, "medium": 2}, nil
}

func TestFigures(t *testing.T) {
	t.Parallel()
	q1 := quarter(2026, 1)
	src := &fakeCaseSource{cs: []*cases.Case{{ID: 1, Category: cases.CategoryScam, Channel: cases.ChannelWeb,
		ReceivedAt: hcmAt(2026, 2, 1, 9, 0)}}}
	ward := TenantRef{Code: "11506", Name: "Phường Phù Liễn"}
	now := hcmAt(2026, 4, 2, 8, 0)
	s, err := New(Options{Store: &fakeIndicators{}, Cases: src, DNS: fakeDNS{}, Alerts: fakeAlerts{},
		Location: hcm, Ward: ward, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	officer := Actor{Role: RoleChairman}
	f, err := s.Figures(context.Background(), officer, q1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != FiguresFormat || len(f.Wards) != 1 || f.Wards[0] != ward || !f.Generated.Equal(now) || f.Period != q1 {
		t.Errorf("header %+v", f)
	}
	if f.Cases.Received != 1 || src.tenant != DefaultTenant {
		t.Errorf("cases %+v tenant %d", f.Cases, src.tenant)
	}
	if f.DNS.Blocked != 11 || f.DNS.BlockedByCategory["adult"] != 7 || f.DNS.DevicesProtected != 7 || f.DNS.Profiles != 3 {
		t.Errorf("dns %+v", f.DNS)
	}
	if len(f.DNS.ByMonth) != 3 || f.DNS.ByMonth[2] != (MonthCount{"2026-03", 6}) || f.DNS.ByMonth[1].Count != 0 {
		t.Errorf("dns by month %v", f.DNS.ByMonth)
	}
	if f.Alerts.Raised != 3 || f.Alerts.ByCategory["scam"] != 2 {
		t.Errorf("alerts %+v", f.Alerts)
	}
	// The fake store has neither activities nor shops: both say so.
	for _, m := range []string{SourceActivities, SourceCoverage, SourceShops} {
		if !slices.Contains(f.Missing, m) {
			t.Errorf("missing %v lacks %s", f.Missing, m)
		}
	}
	if slices.Contains(f.Missing, SourceCases) || slices.Contains(f.Missing, SourceDNS) {
		t.Errorf("missing %v names a present source", f.Missing)
	}
	if len(f.Indicators) != len(DefaultIndicators()) {
		t.Errorf("%d indicators", len(f.Indicators))
	}
	for _, r := range f.Indicators {
		if r.Measure == "schools_with_activity_pct" && r.Known {
			t.Errorf("T1 known without activities: %+v", r)
		}
		if r.Measure == "devices_protected" && (!r.Known || r.Value.Num != 7) {
			t.Errorf("devices %+v", r)
		}
	}

	if _, err := s.Figures(context.Background(), Actor{Role: RoleSchool}, q1); !errors.Is(err, ErrForbidden) {
		t.Errorf("school account: %v", err)
	}
	if _, err := s.Figures(context.Background(), officer, Period{From: q1.To, To: q1.From}); err == nil {
		t.Error("reversed period accepted")
	}
	src.err = errors.New("disk on fire")
	if _, err := s.Figures(context.Background(), officer, q1); err == nil {
		t.Error("a failing source gave figures")
	}

	// No sources at all: everything missing, nothing invented.
	bare, _ := New(Options{Store: &fakeIndicators{}, Location: hcm})
	g, err := bare.Figures(context.Background(), officer, q1)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Missing) != 6 {
		t.Errorf("missing %v", g.Missing)
	}
	for _, r := range g.Indicators {
		if r.Known || r.Met {
			t.Errorf("%s known or met with no source: %+v", r.Code, r)
		}
	}
}

func TestSchoolYearOfFigures(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		t    time.Time
		want int
	}{{hcmAt(2025, 8, 31, 0, 0), 2024}, {hcmAt(2025, 9, 1, 0, 0), 2025}, {hcmAt(2025, 12, 31, 0, 0), 2025}} {
		if g := SchoolYearOf(tt.t); g != tt.want {
			t.Errorf("%v: %d, want %d", tt.t, g, tt.want)
		}
	}
}
