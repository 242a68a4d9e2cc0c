package program

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A shop closed after a period ended still counts in that period's
// "registered shops"; one closed before the end does not.
func TestCountShopsClosedAt(t *testing.T) {
	y2025 := Days(day(2025, 1, 1), day(2025, 12, 31), hcm)
	shops := []Shop{
		{ID: 1, CreatedAt: day(2024, 3, 1), ClosedAt: day(2026, 2, 1)},   // closed since: open at the end of 2025
		{ID: 2, CreatedAt: day(2024, 3, 1), ClosedAt: day(2025, 6, 1)},   // closed in 2025
		{ID: 3, CreatedAt: day(2024, 3, 1), ClosedAt: day(2025, 12, 31)}, // closed on the last day: closed at the end
		{ID: 4, CreatedAt: day(2024, 3, 1), ClosedAt: day(2026, 1, 1)},   // closed at the next midnight: open at the end
		{ID: 5, CreatedAt: day(2024, 3, 1), Active: true},                // open
		{ID: 6, CreatedAt: day(2024, 3, 1), Active: false},               // closed, day not recorded
		{ID: 7, CreatedAt: day(2026, 1, 1), Active: true},                // added after
	}
	if got := CountShops(shops, nil, y2025).Registered; got != 3 {
		t.Errorf("registered at the end of 2025 = %d, want 3 (shops 1, 4, 5)", got)
	}
	if got := CountShops(shops, nil, Days(day(2026, 1, 1), day(2026, 12, 31), hcm)).Registered; got != 2 {
		t.Errorf("registered at the end of 2026 = %d, want 2 (shops 5, 7)", got)
	}
}

func TestShopClosedAtValidation(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, hcm)
	st := newMemShops()
	s, err := New(Options{Store: st, Location: hcm, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	a := Actor{UserID: 1, Role: RoleOfficer}
	sh := &Shop{Kind: ShopInternet, Name: "Net Xanh", Address: "Số 3", Active: true, ClosedAt: day(2026, 3, 11)}
	var fe FieldErrors
	if err := s.CreateShop(context.Background(), a, sh); !errors.As(err, &fe) || fe["closed_at"] != "shop.err.future" {
		t.Fatalf("a closing day after today: %v", err)
	}
	sh.ClosedAt = day(2026, 3, 10)
	if err := s.CreateShop(context.Background(), a, sh); err != nil {
		t.Fatal(err)
	}
	if sh.Active {
		t.Error("a shop with a closing day is still active")
	}
}

// memShops is an in-memory ShopStore (shops only).
type memShops struct{ shops map[int64]*Shop }

func newMemShops() *memShops { return &memShops{shops: map[int64]*Shop{}} }

func (m *memShops) CreateShop(_ context.Context, sh *Shop) error {
	sh.ID = int64(len(m.shops) + 1)
	c := *sh
	m.shops[sh.ID] = &c
	return nil
}
func (m *memShops) UpdateShop(_ context.Context, sh *Shop) error {
	c := *sh
	m.shops[sh.ID] = &c
	return nil
}
func (m *memShops) ShopByID(_ context.Context, tenant, id int64) (*Shop, error) {
	if sh, ok := m.shops[id]; ok && sh.TenantID == tenant {
		c := *sh
		return &c, nil
	}
	return nil, ErrNotFound
}
func (m *memShops) ShopsOf(context.Context, int64) ([]Shop, error)      { return nil, nil }
func (m *memShops) CreateInspection(context.Context, *Inspection) error { return nil }
func (m *memShops) InspectionsUpTo(context.Context, int64, time.Time) ([]Inspection, error) {
	return nil, nil
}
func (m *memShops) ViolationByID(context.Context, int64, int64) (*Violation, error) {
	return nil, ErrNotFound
}
func (m *memShops) CreateAction(context.Context, int64, *Action) error { return nil }
