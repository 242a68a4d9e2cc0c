package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

// TestCasesForPeriodTenantAndBounds: a ward's figures read its own cases
// only (another ward's case received the same day is not counted), those
// received before the period's end and not closed before its start.
func TestCasesForPeriodTenantAndBounds(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		p := program.Period{From: base, To: base.AddDate(0, 1, 0)}
		for _, c := range []struct {
			code             string
			received, closed time.Time
			tenant           int64
		}{
			{"AAAA2222", base.Add(time.Hour), time.Time{}, 1},             // in
			{"BBBB2222", base.Add(2 * time.Hour), time.Time{}, 2},         // another ward
			{"CCCC2222", base.AddDate(0, 1, 0), time.Time{}, 1},           // received at the end: out
			{"DDDD2222", base.AddDate(0, -2, 0), base.Add(-time.Hour), 1}, // closed before: out
			{"EEEE2222", base.AddDate(0, -2, 0), base.Add(time.Hour), 1},  // closed inside: in
		} {
			k := sampleCase(c.code, c.received)
			k.TenantID = c.tenant
			if !c.closed.IsZero() {
				k.Status, k.ClosedAt = cases.StatusClosed, c.closed
			}
			if err := cs.CreateCase(ctx, k, nil); err != nil {
				t.Fatal(err)
			}
		}
		codes := func(tenant int64) string {
			got, err := cs.CasesForPeriod(ctx, tenant, p)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range got {
				if c.Sensitive.ChildName != "" {
					t.Fatal("figures read the sealed part")
				}
				out = append(out, c.Code[:1])
			}
			return strings.Join(out, "")
		}
		for _, tt := range []struct {
			tenant int64
			want   string
		}{{1, "AE"}, {2, "B"}, {3, ""}} {
			if got := codes(tt.tenant); got != tt.want {
				t.Errorf("tenant %d: %q, want %q", tt.tenant, got, tt.want)
			}
		}
	})
}
