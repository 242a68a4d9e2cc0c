package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"manglanh/internal/program"
)

// Indicators through the programme service on a real store: seeded with
// the defaults on a tenant's first read (once, even when two first reads
// race), saved with the optimistic version, and each tenant's own.
func TestProgramIndicators(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		at := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
		svc, err := program.New(program.Options{Store: s, Location: time.UTC, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		ward1 := program.Actor{UserID: 1, Role: program.RoleOfficer, TenantID: 1}
		ward2 := program.Actor{UserID: 2, Role: program.RoleOfficer, TenantID: 2}
		if raw, err := s.Indicators(ctx, 1); err != nil || len(raw) != 0 {
			t.Fatalf("before the first read: %v %v", raw, err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.Indicators(ctx, ward1)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		list, err := svc.Indicators(ctx, ward1)
		if err != nil || len(list) != len(program.DefaultIndicators()) {
			t.Fatalf("seeded %d (want %d), %v", len(list), len(program.DefaultIndicators()), err)
		}
		for i, ind := range list {
			def := program.DefaultIndicators()[i]
			if ind.Code != def.Code || ind.Measure != def.Measure || ind.Target != def.Target || ind.Version != 1 ||
				ind.TenantID != 1 || !ind.UpdatedAt.Equal(at) {
				t.Errorf("indicator %d = %+v, want %+v seeded at %v", i, ind, def, at)
			}
		}

		// Save: the target and words change, the version moves on.
		at = at.Add(time.Hour)
		ind := list[0]
		ind.Target, ind.NameVI = 95, "Trường học có hoạt động (sửa)"
		if err := svc.SaveIndicator(ctx, ward1, &ind); err != nil || ind.Version != 2 {
			t.Fatalf("save: %v, version %d", err, ind.Version)
		}
		stale := list[0]
		stale.Target = 80
		if err := svc.SaveIndicator(ctx, ward1, &stale); !errors.Is(err, program.ErrConflict) {
			t.Errorf("stale save: %v", err)
		}

		// Ward 2: its own defaults, untouched by ward 1's edit; ward 1's
		// indicator is not found from ward 2.
		two, err := svc.Indicators(ctx, ward2)
		if err != nil || len(two) != len(program.DefaultIndicators()) || two[0].Target != program.DefaultIndicators()[0].Target {
			t.Fatalf("ward 2: %+v %v", two, err)
		}
		if two[0].ID == list[0].ID {
			t.Error("two wards share an indicator row")
		}
		foreign := ind
		if err := svc.SaveIndicator(ctx, ward2, &foreign); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("ward 2 saved ward 1's indicator: %v", err)
		}
		back, err := svc.Indicators(ctx, ward1)
		if err != nil || back[0].Target != 95 || back[0].NameVI != "Trường học có hoạt động (sửa)" || back[0].Version != 2 ||
			!back[0].UpdatedAt.Equal(at) {
			t.Errorf("ward 1 after the edits: %+v %v", back[0], err)
		}
		// Seeding again keeps what a ward changed.
		if err := s.SeedIndicators(ctx, 1, program.DefaultIndicators()); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Indicators(ctx, 1); len(again) != len(back) || again[0].Target != 95 {
			t.Errorf("a second seed changed the indicators: %+v", again[0])
		}
	})
}
