package program

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestEvaluateIndicators(t *testing.T) {
	t.Parallel()
	defs := []Indicator{
		{Code: "T1", Measure: "schools_with_activity_pct", Target: 100, Order: 1},
		{Code: "T2", Measure: "victims_supported_pct", Target: 100, Order: 2},
		{Code: "C1", Measure: "coverage_pct", Target: 94, Order: 3},
		{Code: "N1", Measure: "communication_sessions", Target: 12, Order: 4},
		{Code: "N6", Measure: "devices_protected", Target: 1, Order: 5},
		{Code: "X", Measure: "no_such_measure", Target: 1, Order: 6},
		{Code: "T3", Measure: "violations_handled_pct", Target: 100, Order: 7},
	}
	f := &Figures{
		Coverage:   CoverageFigures{Schools: Ratio{Num: 4, Den: 4}, Pupils: Ratio{Num: 9399, Den: 10000}},
		Activities: ActivityFigures{ByKind: map[string]int{KindCommunication: 12}},
		Cases:      CaseFigures{Received: 3, Handled: 3, Supported: 0, NeedSupport: 0},
		Shops:      ShopFigures{Violations: 13, Handled: 12},
		Missing:    []string{SourceDNS},
	}
	got := EvaluateIndicators(f, defs)
	want := []struct {
		code       string
		known, met bool
		num, den   int64
	}{
		{"T1", true, true, 4, 4},
		{"T2", false, false, 0, 0},       // no case needed support: not measurable, not met
		{"C1", true, false, 9399, 10000}, // 93.99 % < 94 %
		{"N1", true, true, 12, 0},
		{"N6", false, false, 0, 0},  // DNS source missing
		{"X", false, false, 0, 0},   // unknown measure
		{"T3", true, false, 15, 16}, // 3 cases + 12 of 13 violations
	}
	if len(got) != len(want) {
		t.Fatalf("%d results", len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Code != w.code || g.Known != w.known || g.Met != w.met || g.Value.Num != w.num || g.Value.Den != w.den {
			t.Errorf("%s: got %+v, want %+v", w.code, g, w)
		}
	}
	if got[1].Unit != UnitPercent || got[3].Unit != UnitCount {
		t.Errorf("units %q %q", got[1].Unit, got[3].Unit)
	}
}

func TestDefaultIndicatorsUseKnownMeasures(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, d := range DefaultIndicators() {
		if seen[d.Code] {
			t.Errorf("code %s twice", d.Code)
		}
		seen[d.Code] = true
		if err := ValidateIndicator(&d); err != nil {
			t.Errorf("%s: %v", d.Code, err)
		}
	}
	for _, c := range []string{"T1", "T2", "T3"} {
		if !seen[c] {
			t.Errorf("no %s", c)
		}
	}
}

func TestValidateIndicator(t *testing.T) {
	t.Parallel()
	long := string(make([]rune, MaxIndicatorName+1))
	for _, tt := range []struct {
		name  string
		ind   Indicator
		field string
	}{
		{"ok percent", Indicator{NameVI: "x", Measure: "coverage_pct", Target: 94}, ""},
		{"no name", Indicator{NameVI: "  ", Measure: "coverage_pct", Target: 94}, "name_vi"},
		{"long name", Indicator{NameVI: long + "a", Measure: "coverage_pct", Target: 94}, "name_vi"},
		{"percent over 100", Indicator{NameVI: "x", Measure: "coverage_pct", Target: 101}, "target"},
		{"negative", Indicator{NameVI: "x", Measure: "themed_meetings", Target: -1}, "target"},
		{"fractional count", Indicator{NameVI: "x", Measure: "themed_meetings", Target: 2.5}, "target"},
		{"unknown measure", Indicator{NameVI: "x", Measure: "nope", Target: 1}, "measure"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateIndicator(&tt.ind)
			var fe FieldErrors
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.As(err, &fe) || fe[tt.field] == "" {
				t.Fatalf("error %v, want one on %s", err, tt.field)
			}
		})
	}
}

// fakeIndicators is an in-memory IndicatorStore.
type fakeIndicators struct {
	rows  []Indicator
	seeds int
}

func (f *fakeIndicators) Indicators(_ context.Context, tenant int64) ([]Indicator, error) {
	var out []Indicator
	for _, r := range f.rows {
		if r.TenantID == tenant {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeIndicators) SeedIndicators(_ context.Context, tenant int64, defs []Indicator) error {
	f.seeds++
	for _, d := range defs {
		d.TenantID, d.ID, d.Version = tenant, int64(len(f.rows)+1), 1
		f.rows = append(f.rows, d)
	}
	return nil
}

func (f *fakeIndicators) UpdateIndicator(_ context.Context, ind *Indicator) error {
	for i, r := range f.rows {
		if r.ID == ind.ID && r.TenantID == ind.TenantID {
			if r.Version != ind.Version {
				return ErrConflict
			}
			ind.Version++
			f.rows[i] = *ind
			return nil
		}
	}
	return ErrNotFound
}

func TestIndicatorsSeedAndSave(t *testing.T) {
	t.Parallel()
	st := &fakeIndicators{}
	var audited []string
	s, _ := New(Options{Store: st, Audit: func(_ context.Context, _ Actor, action, _ string, _ int64, _ string) {
		audited = append(audited, action)
	}})
	officer := Actor{UserID: 1, Role: RoleOfficer}
	list, err := s.Indicators(context.Background(), officer)
	if err != nil || len(list) != len(DefaultIndicators()) {
		t.Fatalf("first read: %d, %v", len(list), err)
	}
	if _, err := s.Indicators(context.Background(), officer); err != nil || st.seeds != 1 {
		t.Fatalf("second read seeded again (%d) or failed: %v", st.seeds, err)
	}
	if _, err := s.Indicators(context.Background(), Actor{Role: RoleSchool}); !errors.Is(err, ErrForbidden) {
		t.Errorf("school account: %v", err)
	}
	ind := list[0]
	ind.Target = 95
	if err := s.SaveIndicator(context.Background(), Actor{Role: RoleViewer}, &ind); !errors.Is(err, ErrForbidden) {
		t.Errorf("viewer saved: %v", err)
	}
	if err := s.SaveIndicator(context.Background(), officer, &ind); err != nil {
		t.Fatal(err)
	}
	stale := list[0]
	stale.Target = 90
	if err := s.SaveIndicator(context.Background(), officer, &stale); !errors.Is(err, ErrConflict) {
		t.Errorf("stale save: %v", err)
	}
	other := ind
	if err := s.SaveIndicator(context.Background(), Actor{Role: RoleOfficer, TenantID: 2}, &other); !errors.Is(err, ErrNotFound) {
		t.Errorf("another ward's indicator: %v", err)
	}
	if !slices.Equal(audited, []string{"indicator.update"}) {
		t.Errorf("audited %v", audited)
	}
}
