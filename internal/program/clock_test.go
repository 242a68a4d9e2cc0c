package program

import (
	"context"
	"testing"
	"time"
)

// The domain uses the Service's clock (Options.Now), never the wall
// clock: the indicators' seeding and saving time, and what handlers read
// as "now".
func TestServiceClock(t *testing.T) {
	at := time.Date(2031, 7, 1, 9, 30, 0, 0, hcm)
	st := &fakeIndicators{}
	s, err := New(Options{Store: st, Location: hcm, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Now().Equal(at) {
		t.Errorf("Now() = %v, want the configured clock %v", s.Now(), at)
	}
	officer := Actor{UserID: 1, Role: RoleOfficer}
	list, err := s.Indicators(context.Background(), officer)
	if err != nil || len(list) == 0 {
		t.Fatal(len(list), err)
	}
	if !list[0].UpdatedAt.Equal(at) {
		t.Errorf("seeded at %v, want %v", list[0].UpdatedAt, at)
	}
	at = at.Add(48 * time.Hour)
	ind := list[0]
	ind.Target = 90
	if err := s.SaveIndicator(context.Background(), officer, &ind); err != nil {
		t.Fatal(err)
	}
	if !st.rows[0].UpdatedAt.Equal(at) {
		t.Errorf("saved at %v, want %v", st.rows[0].UpdatedAt, at)
	}
}
