package store

import (
	"context"
	"testing"
	"time"

	"manglanh/internal/filter"
)

func bitsOf(minutes ...int) []byte {
	b := make([]byte, filter.UsageBitsLen)
	for _, m := range minutes {
		b[m/8] |= 1 << (m % 8)
	}
	return b
}

// TestBudgetUsageStore checks that bitmaps from two processes merge by OR
// (a minute both counted is one minute), that a re-sent bitmap changes
// nothing, and that last-seen times only move forward.
func TestBudgetUsageStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		before := time.Now().Add(-time.Second)
		day := "2026-11-25"
		if err := s.AddBudgetUsage(ctx, []filter.BudgetBits{
			{ProfileID: 7, Day: day, Key: "roblox", Bits: bitsOf(600, 601, 602)},
			{ProfileID: 7, Day: day, Key: "group:games", Bits: bitsOf(600, 601, 602)},
			{ProfileID: 8, Day: day, Key: "all", Bits: bitsOf(0, 1439)},
		}); err != nil {
			t.Fatal(err)
		}
		// Another process counted minutes 602 and 603; the first sends its
		// bitmap again.
		if err := s.AddBudgetUsage(ctx, []filter.BudgetBits{
			{ProfileID: 7, Day: day, Key: "roblox", Bits: bitsOf(602, 603)},
			{ProfileID: 7, Day: day, Key: "group:games", Bits: bitsOf(600, 601, 602)},
		}); err != nil {
			t.Fatal(err)
		}
		got, err := s.BudgetUsage(ctx, 7, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Key != "group:games" || got[0].Minutes != 3 || got[1].Key != "roblox" || got[1].Minutes != 4 {
			t.Errorf("usage = %+v", got)
		}
		if none, err := s.BudgetUsage(ctx, 7, "2026-11-24"); err != nil || none == nil || len(none) != 0 {
			t.Errorf("another day: %v, %v", none, err)
		}
		rows, err := s.BudgetUsageSince(ctx, before)
		if err != nil || len(rows) != 3 {
			t.Fatalf("since: %d rows, %v", len(rows), err)
		}
		u := filter.NewUsage()
		u.Merge(rows)
		if n := u.MinutesUsed(7, "", "roblox", day); n != 4 {
			t.Errorf("merged from the store: %d minutes", n)
		}
		if n := u.MinutesUsed(8, "", "all", day); n != 2 {
			t.Errorf("first and last minute of the day: %d", n)
		}
		if rows, _ := s.BudgetUsageSince(ctx, time.Now().Add(time.Hour)); len(rows) != 0 {
			t.Errorf("rows from the future: %v", rows)
		}
		if err := s.AddBudgetUsage(ctx, []filter.BudgetBits{{ProfileID: 7, Day: day, Key: "x", Bits: []byte{1}}}); err == nil {
			t.Error("a short bitmap was stored")
		}
		if n, err := s.PurgeBudgetUsage(ctx, "2026-11-26"); err != nil || n != 3 {
			t.Errorf("purge: %d, %v", n, err)
		}

		t1 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
		if err := s.SetDevicesSeen(ctx, []filter.DeviceSeen{{DeviceID: 1, LastSeen: t1}, {DeviceID: 2, LastSeen: t1}}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDevicesSeen(ctx, []filter.DeviceSeen{{DeviceID: 1, LastSeen: t1.Add(time.Minute)}, {DeviceID: 2, LastSeen: t1.Add(-time.Minute)}}); err != nil {
			t.Fatal(err)
		}
		seen, err := s.DevicesSeen(ctx, []int64{1, 2, 3})
		if err != nil {
			t.Fatal(err)
		}
		if !seen[1].Equal(t1.Add(time.Minute)) || !seen[2].Equal(t1) || len(seen) != 2 {
			t.Errorf("seen = %v", seen)
		}
		if seen, err := s.DevicesSeen(ctx, nil); err != nil || len(seen) != 0 {
			t.Errorf("no ids: %v %v", seen, err)
		}
	})
}
