package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/program"
)

func TestProgramShops(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		svc, err := program.New(program.Options{Store: s, Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		ward1 := program.Actor{UserID: 1, Role: program.RoleOfficer, TenantID: 1}
		ward2 := program.Actor{UserID: 2, Role: program.RoleOfficer, TenantID: 2}
		viewer := program.Actor{UserID: 3, Role: program.RoleViewer, TenantID: 1}
		sh := &program.Shop{Kind: program.ShopGame, Name: `=HYPERLINK("x") <b>`, Address: "Số 2", Certificate: "05/GCN",
			CertIssued: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), Opens: "08:00", Closes: "23:00", Machines: 20, Active: true}
		if err := svc.CreateShop(ctx, viewer, sh); !errors.Is(err, program.ErrForbidden) {
			t.Fatalf("viewer created a shop: %v", err)
		}
		if err := svc.CreateShop(ctx, ward1, sh); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Shop(ctx, viewer, sh.ID)
		if err != nil || got.Name != sh.Name || !got.CertExpires.Equal(time.Date(2028, 7, 1, 0, 0, 0, 0, time.UTC)) || got.Version != 1 || !got.Active {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		if _, err := svc.Shop(ctx, ward2, sh.ID); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("another ward read the shop: %v", err)
		}
		// Optimistic version: two edits from version 1, the second fails.
		a, b := *got, *got
		a.Closes = "22:00"
		if err := svc.UpdateShop(ctx, ward1, &a); err != nil || a.Version != 2 {
			t.Fatalf("update: %v, version %d", err, a.Version)
		}
		b.Machines = 5
		if err := svc.UpdateShop(ctx, ward1, &b); !errors.Is(err, program.ErrConflict) {
			t.Errorf("stale update: %v", err)
		}
		c := a
		if err := svc.UpdateShop(ctx, ward2, &c); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("another ward updated: %v", err)
		}
		day := time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC)
		in := &program.Inspection{ShopID: sh.ID, Date: day, Team: "Công an phường", Violations: []program.Violation{
			{Article: "174-game-hours", Description: "Mở đến 23:00"}, {Article: "174-game-rules-not-posted"}}}
		if err := svc.RecordInspection(ctx, ward2, &program.Inspection{ShopID: sh.ID, Date: day, Team: "x"}); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("another ward inspected the shop: %v", err)
		}
		bad := &program.Inspection{ShopID: sh.ID, Date: day, Team: "x", Violations: []program.Violation{{Article: "174-game-hours"}, {Article: "174-internet-obscene"}}}
		var fe program.FieldErrors
		if err := svc.RecordInspection(ctx, ward1, bad); !errors.As(err, &fe) || fe["v1.article"] == "" {
			t.Errorf("an internet article on a game shop: %v", err)
		}
		if err := svc.RecordInspection(ctx, ward1, in); err != nil {
			t.Fatal(err)
		}
		if err := svc.RecordInspection(ctx, ward1, &program.Inspection{ShopID: sh.ID, Date: day.AddDate(0, 0, 1), Team: "Đoàn"}); err != nil {
			t.Fatal(err)
		}
		all, err := s.InspectionsUpTo(ctx, 1, day.AddDate(1, 0, 0))
		if err != nil || len(all) != 2 || len(all[0].Violations) != 2 || all[0].Violations[0].FineMinVND != 10_000_000 {
			t.Fatalf("inspections: %+v, %v (the invalid one must not be half-saved)", all, err)
		}
		if other, _ := s.InspectionsUpTo(ctx, 2, day.AddDate(1, 0, 0)); len(other) != 0 {
			t.Errorf("tenant 2 sees %d inspections", len(other))
		}
		if upTo, _ := s.InspectionsUpTo(ctx, 1, day.AddDate(0, 0, 1)); len(upTo) != 1 {
			t.Errorf("up to the second day: %d", len(upTo))
		}
		vid := all[0].Violations[0].ID
		if err := svc.AddAction(ctx, ward2, vid, &program.Action{Kind: program.ActionReminder, Date: day}); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("another ward acted: %v", err)
		}
		if err := svc.AddAction(ctx, ward1, vid, &program.Action{Kind: program.ActionFine, Date: day, FineVND: 1_000_000}); !errors.As(err, &fe) || fe["fine"] == "" {
			t.Errorf("fine below range: %v", err)
		}
		for _, ac := range []program.Action{{Kind: program.ActionFine, Date: day, FineVND: 12_000_000},
			{Kind: program.ActionFollowUp, Date: day, FollowUp: day.AddDate(0, 0, 7), Note: "Kiểm tra giờ đóng cửa"}} {
			if err := svc.AddAction(ctx, ward1, vid, &ac); err != nil || ac.ID == 0 {
				t.Fatal(err)
			}
		}
		v, err := s.ViolationByID(ctx, 1, vid)
		if err != nil || len(v.Actions) != 2 || v.Actions[0].FineVND != 12_000_000 || !v.Actions[1].FollowUp.Equal(day.AddDate(0, 0, 7)) {
			t.Fatalf("violation: %+v, %v", v, err)
		}
		fu, err := svc.FollowUpsDue(ctx, viewer, day.AddDate(0, 0, 8))
		if err != nil || len(fu) != 1 || !fu[0].Overdue {
			t.Errorf("follow-ups due: %+v, %v", fu, err)
		}
		shops, err := s.ShopsOf(ctx, 1)
		if err != nil || len(shops) != 1 {
			t.Fatalf("shops: %v %v", shops, err)
		}
		f := program.CountShops(shops, all, program.Period{From: day, To: day.AddDate(0, 1, 0)})
		if f.Violations != 2 || f.Inspections != 2 || f.Handled != 0 || f.RepeatOffenders != 0 {
			t.Errorf("figures from the first read: %+v", f)
		}
	})
}
