package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"manglanh/internal/family"
)

// seedFamilies inserts n child profiles with devices each, in one
// transaction (the benchmark measures loading, not inserting).
func seedFamilies(tb testing.TB, s *Store, n, devices int) {
	tb.Helper()
	ctx := context.Background()
	p := &family.Parent{Email: "bench@example.com", PasswordHash: "x", Status: family.StatusActive, Lang: "vi"}
	if err := s.CreateParent(ctx, p, nil); err != nil {
		tb.Fatal(err)
	}
	rules, _ := encodeRules(family.Rules{Block: []string{"adult", "tiktok"}, Deny: []string{"example.com"},
		Schedules: []family.Schedule{{From: "21:00", To: "06:00", Block: []string{"roblox"}}},
		Budgets:   []family.Budget{{Key: "each:games", Minutes: 60}}})
	now := time.Now().UnixMilli()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i := range n {
			id, err := insertID(ctx, tx, `INSERT INTO family_profiles (kind, parent_id, org_id, nickname, birth_year, label,
				child_token, time_zone, rules, created_at, updated_at) VALUES ('child', $1, 0, 'Bé', 2015, $2, $3, '', $4, $5, $5)`,
				p.ID, fmt.Sprintf("p%05d", i), fmt.Sprintf("t%05d", i), rules, now)
			if err != nil {
				return err
			}
			for j := range devices {
				if _, err := tx.ExecContext(ctx, `INSERT INTO family_devices (profile_id, name, kind, label, clients, created_at)
					VALUES ($1, 'máy', 'android', $2, '[]', $3)`, id, fmt.Sprintf("p%05d-d%d", i, j), now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkPolicyProfiles loads 10,000 profiles and 50,000 devices, as
// the DNS process does on every policy change.
func BenchmarkPolicyProfiles(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var s *Store
			if engine == "sqlite" {
				var err error
				s, err = Open(context.Background(), Config{DataDir: b.TempDir()})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { s.Close() })
			} else {
				s = OpenTestPostgres(b)
			}
			seedFamilies(b, s, 10_000, 5)
			b.ResetTimer()
			for b.Loop() {
				ps, ds, err := s.PolicyProfiles(context.Background())
				if err != nil || len(ps) != 10_000 || len(ds) != 50_000 {
					b.Fatalf("%d profiles, %d devices, %v", len(ps), len(ds), err)
				}
			}
		})
	}
}
