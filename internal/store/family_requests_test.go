package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/family"
	"manglanh/internal/querylog"
)

func TestAllowRequestsPendingOnceThrottledAndDecided(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
		add := func(profile int64, domain string, max int) (*family.AllowRequest, bool, error) {
			r := &family.AllowRequest{ProfileID: profile, Domain: domain, Category: "games", CreatedAt: now}
			created, err := s.AddAllowRequest(ctx, r, now.Add(-time.Hour), max)
			return r, created, err
		}
		first, created, err := add(1, "roblox.com", 3)
		if err != nil || !created || first.ID == 0 || first.Status != family.RequestPending {
			t.Fatalf("first request: %+v created=%v err=%v", first, created, err)
		}
		again, created, err := add(1, "roblox.com", 3)
		if err != nil || created || again.ID != first.ID {
			t.Fatalf("second press should return the pending one: %+v created=%v err=%v", again, created, err)
		}
		if _, _, err := add(1, "a.example", 3); err != nil {
			t.Fatal(err)
		}
		if _, _, err := add(1, "b.example", 3); err != nil {
			t.Fatal(err)
		}
		if _, _, err := add(1, "c.example", 3); !errors.Is(err, family.ErrTooManyRequests) {
			t.Fatalf("the fourth new domain within an hour: err = %v, want ErrTooManyRequests", err)
		}
		if _, created, err := add(2, "c.example", 3); err != nil || !created {
			t.Fatalf("another profile has its own cap: created=%v err=%v", created, err)
		}
		list, err := s.AllowRequests(ctx, []int64{1}, family.RequestPending, 50)
		if err != nil || len(list) != 3 {
			t.Fatalf("pending of profile 1: %d %v", len(list), err)
		}
		for _, r := range list {
			if r.ProfileID != 1 {
				t.Fatalf("another profile's request listed: %+v", r)
			}
		}
		if none, err := s.AllowRequests(ctx, nil, "", 50); err != nil || len(none) != 0 {
			t.Fatalf("no profiles: %v %v", none, err)
		}
		until := now.Add(time.Hour)
		if err := s.DecideAllowRequest(ctx, first.ID, family.RequestAllowed, until, now); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideAllowRequest(ctx, first.ID, family.RequestRefused, time.Time{}, now); !errors.Is(err, family.ErrAlreadyDecided) {
			t.Fatalf("deciding twice: %v", err)
		}
		if err := s.DecideAllowRequest(ctx, 99999, family.RequestRefused, time.Time{}, now); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("deciding a missing one: %v", err)
		}
		got, err := s.GetAllowRequest(ctx, first.ID)
		if err != nil || got.Status != family.RequestAllowed || !got.Until.Equal(until) || !got.DecidedAt.Equal(now) {
			t.Fatalf("decided request: %+v %v", got, err)
		}
		// Once decided, the child may ask again for the same domain.
		if _, created, err := add(1, "roblox.com", 10); err != nil || !created {
			t.Fatalf("asking again after a decision: %v %v", created, err)
		}
		if _, err := s.GetAllowRequest(ctx, 99999); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("missing request: %v", err)
		}
	})
}

func TestSummaryQueries(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mon := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		if err := s.AddHourly(ctx, []querylog.Hourly{
			{Hour: mon.Add(9 * time.Hour), Profile: "an-x1y2", Category: "gambling", Action: querylog.Blocked, Queries: 7},
			{Hour: mon.Add(9 * time.Hour), Profile: "an-x1y2", Category: "", Action: querylog.Allowed, Queries: 500},
			{Hour: mon.Add(30 * time.Hour), Profile: "an-x1y2", Category: "adult", Action: querylog.Blocked, Queries: 2},
			{Hour: mon.Add(9 * time.Hour), Profile: "other", Category: "gambling", Action: querylog.Blocked, Queries: 99},
			{Hour: mon.Add(8 * 24 * time.Hour), Profile: "an-x1y2", Category: "gambling", Action: querylog.Blocked, Queries: 50},
		}); err != nil {
			t.Fatal(err)
		}
		hours, err := s.BlockedHours(ctx, "an-x1y2", mon, mon.AddDate(0, 0, 7))
		if err != nil {
			t.Fatal(err)
		}
		if len(hours) != 2 || hours[0].Category != "gambling" || hours[0].Queries != 7 || !hours[0].Hour.Equal(mon.Add(9*time.Hour)) ||
			hours[1].Category != "adult" || hours[1].Queries != 2 {
			t.Fatalf("blocked hours: %+v", hours)
		}
		for _, a := range []alert.Alert{
			{Rule: alert.RuleDNSRepeat, Source: alert.SourceDNS, Profile: "an-x1y2", Category: "gambling", Level: "medium", Time: mon.Add(10 * time.Hour), Count: 5},
			{Rule: alert.RuleDNSRepeat, Source: alert.SourceDNS, Profile: "other", Category: "gambling", Level: "medium", Time: mon.Add(10 * time.Hour), Count: 5},
			{Rule: alert.RuleBedtime, Source: alert.SourceDNS, Profile: "an-x1y2", Category: "bedtime", Level: "medium", Time: mon.AddDate(0, 0, -1), Count: 1},
		} {
			if err := s.SaveAlert(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
		as, err := s.ProfileAlerts(ctx, "an-x1y2", mon, mon.AddDate(0, 0, 7), 100)
		if err != nil || len(as) != 1 || as[0].Profile != "an-x1y2" || as[0].Category != "gambling" {
			t.Fatalf("profile alerts: %+v %v", as, err)
		}
		m := family.WeeklyMail{ProfileID: 4, Week: "2026-W49", ParentID: 9, Status: family.MailFailed, Error: "relay refused", At: mon}
		if err := s.RecordWeeklyMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		m.Status, m.Error, m.At = family.MailSent, "", mon.Add(time.Hour)
		if err := s.RecordWeeklyMail(ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := s.WeeklyMails(ctx, 4, "2026-W49")
		if err != nil || len(got) != 1 || got[0] != m {
			t.Fatalf("weekly mails: %+v %v (want %+v)", got, err, m)
		}
		if got, _ := s.WeeklyMails(ctx, 4, "2026-W48"); len(got) != 0 {
			t.Fatalf("another week: %+v", got)
		}
	})
}
