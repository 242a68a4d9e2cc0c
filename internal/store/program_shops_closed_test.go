package store

import (
	"context"
	"testing"
	"time"

	"manglanh/internal/program"
)

// The closing day is stored and read back on both engines, and the figures
// of a period that ended before it still count the shop.
func TestShopClosedAt(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		now := time.Date(2026, 3, 1, 10, 0, 0, 0, hcm)
		svc, err := program.New(program.Options{Store: s, Location: hcm, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		ward := program.Actor{UserID: 1, Role: program.RoleOfficer, TenantID: 1}
		open := &program.Shop{Kind: program.ShopInternet, Name: "Net A", Address: "Số 1", Active: true}
		closed := &program.Shop{Kind: program.ShopInternet, Name: "Net B", Address: "Số 2", Active: true}
		for _, sh := range []*program.Shop{open, closed} {
			if err := svc.CreateShop(ctx, ward, sh); err != nil {
				t.Fatal(err)
			}
		}
		got, err := svc.Shop(ctx, ward, closed.ID)
		if err != nil || !got.ClosedAt.IsZero() {
			t.Fatalf("a new shop: %+v %v", got, err)
		}
		got.ClosedAt = time.Date(2026, 2, 15, 0, 0, 0, 0, hcm)
		if err := svc.UpdateShop(ctx, ward, got); err != nil {
			t.Fatal(err)
		}
		back, err := svc.Shop(ctx, ward, closed.ID)
		if err != nil || !back.ClosedAt.Equal(got.ClosedAt) || back.Active {
			t.Fatalf("closing day read back: %v active %t, %v", back.ClosedAt, back.Active, err)
		}
		// The shops were added on 01/03/2026 (the clock): count them in a
		// period made for it by moving their creation back.
		if _, err := s.write.ExecContext(ctx, `UPDATE program_shops SET created_at = $1`,
			time.Date(2025, 1, 1, 0, 0, 0, 0, hcm).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		shops, err := s.ShopsOf(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		jan := program.Days(time.Date(2026, 1, 1, 0, 0, 0, 0, hcm), time.Date(2026, 1, 31, 0, 0, 0, 0, hcm), hcm)
		feb := program.Days(time.Date(2026, 2, 1, 0, 0, 0, 0, hcm), time.Date(2026, 2, 28, 0, 0, 0, 0, hcm), hcm)
		if n := program.CountShops(shops, nil, jan).Registered; n != 2 {
			t.Errorf("January (before the closing): %d registered, want 2", n)
		}
		if n := program.CountShops(shops, nil, feb).Registered; n != 1 {
			t.Errorf("February (closed on the 15th): %d registered, want 1", n)
		}
	})
}
