package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/querylog"
)

func TestAlertsAndBlockedEvents(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC)
		a := &alert.Alert{Rule: alert.RuleMessage, Source: alert.SourceCheck, Category: "sextortion", Level: "critical",
			Time: at, Count: 1, Reasons: []alert.Reason{{Vi: "Đe doạ tung ảnh", En: "Threatens to spread images"}}}
		if err := s.SaveAlert(ctx, a); err != nil || a.ID == 0 {
			t.Fatalf("save: %v id %d", err, a.ID)
		}
		b := &alert.Alert{Rule: alert.RuleDNSRepeat, Source: alert.SourceDNS, Profile: "an", Category: "gambling", Level: "medium",
			Time: at.Add(time.Minute), Count: 5, Folded: 3, Digest: true, Snippet: "taixiu.example"}
		if err := s.SaveAlert(ctx, b); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListAlerts(ctx, 10)
		if err != nil || len(list) != 2 || list[0].ID != b.ID {
			t.Fatalf("list %v %+v", err, list)
		}
		if g := list[0]; !g.Digest || g.Folded != 3 || g.Count != 5 || g.Snippet != "taixiu.example" || !g.Time.Equal(b.Time) {
			t.Errorf("round trip %+v", g)
		}
		if err := s.SetAlertCase(ctx, a.ID, 42); err != nil {
			t.Fatal(err)
		}
		g, err := s.GetAlert(ctx, a.ID)
		if err != nil || g.CaseID != 42 || len(g.Reasons) != 1 || g.Reasons[0].En != "Threatens to spread images" || !g.Critical() {
			t.Fatalf("get %v %+v", err, g)
		}
		if _, err := s.GetAlert(ctx, 9999); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing alert: %v", err)
		}
		if err := s.SetAlertCase(ctx, 9999, 1); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing alert case: %v", err)
		}

		last, err := s.LastEventID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		evs := []querylog.Event{
			{Time: at, Profile: "an", Client: "10.0.0.2", Name: "nohu.example", Category: "gambling", Action: querylog.Blocked},
			{Time: at, Profile: "an", Client: "10.0.0.2", Name: "google.com", Action: querylog.Rewritten},
			{Time: at.Add(time.Second), Profile: "an", Client: "10.0.0.2", Name: "youtube.com", Action: querylog.Blocked, Schedule: "ngu"},
		}
		if err := s.AddEvents(ctx, evs); err != nil {
			t.Fatal(err)
		}
		got, err := s.BlockedEventsAfter(ctx, last, 10)
		if err != nil || len(got) != 2 {
			t.Fatalf("blocked events: %v %+v", err, got)
		}
		if got[0].Name != "nohu.example" || got[0].Category != "gambling" || got[1].Schedule != "ngu" || got[1].ID <= got[0].ID {
			t.Errorf("events %+v", got)
		}
		if more, _ := s.BlockedEventsAfter(ctx, got[1].ID, 10); len(more) != 0 {
			t.Errorf("events after the last: %+v", more)
		}
	})
}
