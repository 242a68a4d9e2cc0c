package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"manglanh/internal/dnsserver"
	"manglanh/internal/family"
	"manglanh/internal/filter"
)

var (
	_ dnsserver.UsageSink = (*Store)(nil)
	_ family.Activity     = (*Store)(nil)
)

// AddBudgetUsage ORs the bitmaps into dns_budget_usage, one transaction
// for the batch. Rows are taken in key order so that two processes merging
// the same rows on PostgreSQL lock them in the same order.
func (s *Store) AddBudgetUsage(ctx context.Context, rows []filter.BudgetBits) error {
	if len(rows) == 0 {
		return nil
	}
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b filter.BudgetBits) int {
		return cmp.Or(cmp.Compare(a.ProfileID, b.ProfileID), strings.Compare(a.Day, b.Day), strings.Compare(a.Key, b.Key))
	})
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	now := ms(time.Now())
	return s.tx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO dns_budget_usage (profile_id, day, key, bits, minutes, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (profile_id, day, key) DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		sel, err := tx.PrepareContext(ctx, `SELECT bits FROM dns_budget_usage WHERE profile_id = $1 AND day = $2 AND key = $3`+lock)
		if err != nil {
			return err
		}
		defer sel.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE dns_budget_usage SET bits = $4, minutes = $5, updated_at = $6
			WHERE profile_id = $1 AND day = $2 AND key = $3`)
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, r := range rows {
			if len(r.Bits) != filter.UsageBitsLen {
				return fmt.Errorf("budget usage of profile %d %s %s: %d bytes, want %d", r.ProfileID, r.Day, r.Key, len(r.Bits), filter.UsageBitsLen)
			}
			res, err := ins.ExecContext(ctx, r.ProfileID, r.Day, r.Key, r.Bits, popcount(r.Bits), now)
			if err != nil {
				return fmt.Errorf("adding budget usage of profile %d: %w", r.ProfileID, err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				continue
			}
			var cur []byte
			if err := sel.QueryRowContext(ctx, r.ProfileID, r.Day, r.Key).Scan(&cur); err != nil {
				return fmt.Errorf("reading budget usage of profile %d: %w", r.ProfileID, err)
			}
			merged := make([]byte, filter.UsageBitsLen)
			copy(merged, cur)
			changed := false
			for i, b := range r.Bits {
				if merged[i]|b != merged[i] {
					merged[i] |= b
					changed = true
				}
			}
			if !changed {
				continue
			}
			if _, err := upd.ExecContext(ctx, r.ProfileID, r.Day, r.Key, merged, popcount(merged), now); err != nil {
				return fmt.Errorf("merging budget usage of profile %d: %w", r.ProfileID, err)
			}
		}
		return nil
	})
}

func popcount(b []byte) int {
	n := 0
	for _, c := range b {
		n += bits.OnesCount8(c)
	}
	return n
}

// BudgetUsageSince returns the bitmaps written at or after since (by this
// process's or another's clock: the caller re-reads with a margin).
func (s *Store) BudgetUsageSince(ctx context.Context, since time.Time) ([]filter.BudgetBits, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT profile_id, day, key, bits, minutes FROM dns_budget_usage WHERE updated_at >= $1`, ms(since))
	if err != nil {
		return nil, fmt.Errorf("reading budget usage: %w", err)
	}
	defer rows.Close()
	var out []filter.BudgetBits
	for rows.Next() {
		var r filter.BudgetBits
		if err := rows.Scan(&r.ProfileID, &r.Day, &r.Key, &r.Bits, &r.Minutes); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// BudgetUsage returns the minutes used per key by a profile on day
// (YYYY-MM-DD in the profile's time zone), in key order; none is an empty
// slice. Keys are "all", "group:<g>" and service names ("each:<g>" budgets
// are counted per service).
func (s *Store) BudgetUsage(ctx context.Context, profileID int64, day string) ([]family.Usage, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT key, minutes FROM dns_budget_usage WHERE profile_id = $1 AND day = $2 ORDER BY key`, profileID, day)
	if err != nil {
		return nil, fmt.Errorf("reading budget usage of profile %d: %w", profileID, err)
	}
	defer rows.Close()
	out := []family.Usage{}
	for rows.Next() {
		u := family.Usage{ProfileID: profileID, Day: day}
		if err := rows.Scan(&u.Key, &u.Minutes); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetDevicesSeen stores last-seen times; an earlier time never replaces a
// later one (several processes flush in any order).
func (s *Store) SetDevicesSeen(ctx context.Context, seen []filter.DeviceSeen) error {
	if len(seen) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO dns_device_seen (device_id, last_seen) VALUES ($1, $2)
			ON CONFLICT (device_id) DO UPDATE SET last_seen = CASE WHEN excluded.last_seen > dns_device_seen.last_seen
				THEN excluded.last_seen ELSE dns_device_seen.last_seen END`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, d := range seen {
			if _, err := st.ExecContext(ctx, d.DeviceID, ms(d.LastSeen)); err != nil {
				return fmt.Errorf("storing device %d seen: %w", d.DeviceID, err)
			}
		}
		return nil
	})
}

// DevicesSeen returns the last-seen times of the devices ids that were
// ever seen.
func (s *Store) DevicesSeen(ctx context.Context, ids []int64) (map[int64]time.Time, error) {
	out := make(map[int64]time.Time, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		ph := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			ph[i] = fmt.Sprintf("$%d", i+1)
			args[i] = id
		}
		rows, err := s.read.QueryContext(ctx, `SELECT device_id, last_seen FROM dns_device_seen WHERE device_id IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("reading devices seen: %w", err)
		}
		for rows.Next() {
			var id, v int64
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = fromMS(v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PurgeBudgetUsage deletes the bitmaps of days before day (YYYY-MM-DD).
func (s *Store) PurgeBudgetUsage(ctx context.Context, before string) (int64, error) {
	if _, err := time.Parse(time.DateOnly, before); err != nil {
		return 0, errors.New("purging budget usage: day must be YYYY-MM-DD")
	}
	res, err := s.write.ExecContext(ctx, `DELETE FROM dns_budget_usage WHERE day < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("purging budget usage: %w", err)
	}
	return res.RowsAffected()
}
