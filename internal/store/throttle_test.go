package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"manglanh/internal/alert"
)

func TestLoginThrottle(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
		lock := func(n int) time.Duration {
			if n < 5 {
				return 0
			}
			return time.Minute * time.Duration(n-4)
		}
		if until, err := s.ThrottleLockedUntil(ctx, "acct:a@phuong.vn"); err != nil || !until.IsZero() {
			t.Fatalf("unknown key: %v, %v", until, err)
		}
		// 20 failures at once (the PostgreSQL pool runs them on several
		// connections): every one is counted.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var seen []int
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.ThrottleFail(ctx, "acct:a@phuong.vn", now, 24*time.Hour, func(n int) time.Duration {
					mu.Lock()
					seen = append(seen, n)
					mu.Unlock()
					return lock(n)
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		top := 0
		for _, n := range seen {
			top = max(top, n)
		}
		if top != 20 || len(seen) != 20 {
			t.Fatalf("20 failures counted as %d (%v)", top, seen)
		}
		until, err := s.ThrottleLockedUntil(ctx, "acct:a@phuong.vn")
		if err != nil || !until.Equal(now.Add(16*time.Minute)) {
			t.Fatalf("locked until %v (%v), want %v", until, err, now.Add(16*time.Minute))
		}
		// Another key is untouched; a reset forgets.
		if until, _ := s.ThrottleLockedUntil(ctx, "ip:127.0.0.1"); !until.IsZero() {
			t.Fatalf("another key locked: %v", until)
		}
		if err := s.ThrottleReset(ctx, "acct:a@phuong.vn"); err != nil {
			t.Fatal(err)
		}
		if until, _ := s.ThrottleLockedUntil(ctx, "acct:a@phuong.vn"); !until.IsZero() {
			t.Fatalf("after reset: %v", until)
		}
		// Failures older than forget start again from one.
		var last int
		rec := func(n int) time.Duration { last = n; return lock(n) }
		s.ThrottleFail(ctx, "acct:b@phuong.vn", now, time.Hour, rec)
		s.ThrottleFail(ctx, "acct:b@phuong.vn", now.Add(time.Minute), time.Hour, rec)
		if last != 2 {
			t.Fatalf("second failure counted as %d", last)
		}
		s.ThrottleFail(ctx, "acct:b@phuong.vn", now.Add(3*time.Hour), time.Hour, rec)
		if last != 1 {
			t.Fatalf("a failure after forget counted as %d", last)
		}
		// The prune drops rows neither locked nor recent.
		s.lastThrottlePrune = time.Time{}
		s.ThrottleFail(ctx, "ip:10.0.0.1", now.Add(30*time.Hour), time.Hour, rec)
		var n int
		if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_throttle").Scan(&n); err != nil || n != 1 {
			t.Fatalf("after prune %d rows (%v), want 1", n, err)
		}
	})
}

func TestClaimAlert(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		at := time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)
		claim := func(key string, at time.Time) bool {
			ok, err := s.ClaimAlert(ctx, key, at, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim("k", at) {
			t.Fatal("first claim refused")
		}
		if claim("k", at) || claim("k", at.Add(59*time.Minute)) {
			t.Fatal("a second claim within the throttle got it")
		}
		if !claim("other", at) {
			t.Fatal("another key refused")
		}
		if !claim("k", at.Add(time.Hour)) {
			t.Fatal("a claim after the throttle refused")
		}
		if claim("k", at.Add(30*time.Minute)) {
			t.Fatal("an older claim got it")
		}
	})
}

// Two alert services on one database (two processes of a city) read the
// same blocked DNS events: one alert is raised, not two.
func TestTwoAlertServicesRaiseOneAlert(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		at := time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC)
		var svcs []*alert.Service
		for range 2 {
			svc, err := alert.New(alert.Config{Store: s})
			if err != nil {
				t.Fatal(err)
			}
			svcs = append(svcs, svc)
		}
		for i := range 6 {
			ev := alert.DNSEvent{ID: int64(i + 1), Time: at.Add(time.Duration(i) * time.Second), Profile: "lop6",
				Name: "casino.example", Category: "gambling"}
			for _, svc := range svcs {
				svc.DNS(ctx, ev)
			}
		}
		got, err := s.ListAlerts(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("%d alerts raised by two processes, want 1: %+v", len(got), got)
		}
	})
}
