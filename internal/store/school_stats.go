package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"manglanh/internal/family"
)

// The schools' and the ward's aggregates (family.StatsStore) and the
// networks of school and class profiles (family.SchoolStore). Counts only:
// no query here returns a nickname of a child or a parent's name.

var _ family.SchoolStore = (*Store)(nil)

// NetworkOwners implements family.SchoolStore.
func (s *Store) NetworkOwners(ctx context.Context) ([]family.NetworkOwner, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT n.cidr, p.id, p.org_id, p.kind, p.nickname, COALESCE(o.name, '')
		FROM family_networks n JOIN family_profiles p ON p.id = n.profile_id
		LEFT JOIN organisations o ON o.id = p.org_id
		WHERE p.kind IN ('school', 'class') ORDER BY p.id, n.position`)
	if err != nil {
		return nil, fmt.Errorf("listing school networks: %w", err)
	}
	defer rows.Close()
	var out []family.NetworkOwner
	for rows.Next() {
		var o family.NetworkOwner
		var kind string
		if err := rows.Scan(&o.Network, &o.ProfileID, &o.OrgID, &kind, &o.Name, &o.School); err != nil {
			return nil, fmt.Errorf("listing school networks: %w", err)
		}
		o.Kind = family.Kind(kind)
		out = append(out, o)
	}
	return out, rows.Err()
}

// childProfiles is the FROM clause of a family's child profiles that count:
// child profiles of active parents.
const childProfiles = `family_profiles p JOIN parents a ON a.id = p.parent_id
	WHERE p.kind = 'child' AND a.status = 'active'`

// Coverage implements family.StatsStore.
func (s *Store) Coverage(ctx context.Context, from, to time.Time) ([]family.Coverage, error) {
	byOrg := map[int64]*family.Coverage{}
	var order []int64
	get := func(org int64) *family.Coverage {
		c, ok := byOrg[org]
		if !ok {
			c = &family.Coverage{OrgID: org}
			byOrg[org] = c
			order = append(order, org)
		}
		return c
	}
	err := s.schoolRows(ctx, `SELECT p.org_id, COUNT(DISTINCT p.parent_id), COUNT(*) FROM `+childProfiles+`
		AND p.created_at < $1 GROUP BY p.org_id ORDER BY p.org_id`, []any{ms(to)}, func(r *sql.Rows) error {
		var org int64
		var fam, kids int
		if err := r.Scan(&org, &fam, &kids); err != nil {
			return err
		}
		c := get(org)
		c.Families, c.Children = fam, kids
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("counting families per school: %w", err)
	}
	err = s.schoolRows(ctx, `SELECT p.org_id, COUNT(DISTINCT w.device_id) FROM family_device_weeks w
		JOIN family_devices d ON d.id = w.device_id
		JOIN family_profiles p ON p.id = d.profile_id JOIN parents a ON a.id = p.parent_id
		WHERE p.kind = 'child' AND a.status = 'active' AND p.created_at < $2 AND w.week >= $1 AND w.week < $2
		GROUP BY p.org_id ORDER BY p.org_id`, []any{ms(from), ms(to)}, func(r *sql.Rows) error {
		var org int64
		var n int
		if err := r.Scan(&org, &n); err != nil {
			return err
		}
		get(org).Devices = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("counting devices per school: %w", err)
	}
	out := make([]family.Coverage, 0, len(order))
	for _, org := range order {
		out = append(out, *byOrg[org])
	}
	return out, nil
}

// WardCoverage implements family.StatsStore.
func (s *Store) WardCoverage(ctx context.Context, from, to time.Time) (family.Coverage, error) {
	var c family.Coverage
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT p.parent_id), COUNT(*) FROM `+childProfiles+`
		AND p.created_at < $1`, ms(to)).Scan(&c.Families, &c.Children); err != nil {
		return c, fmt.Errorf("counting the ward's families: %w", err)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT w.device_id) FROM family_device_weeks w
		JOIN family_devices d ON d.id = w.device_id
		JOIN family_profiles p ON p.id = d.profile_id JOIN parents a ON a.id = p.parent_id
		WHERE p.kind = 'child' AND a.status = 'active' AND p.created_at < $2 AND w.week >= $1 AND w.week < $2`,
		ms(from), ms(to)).Scan(&c.Devices); err != nil {
		return c, fmt.Errorf("counting the ward's devices: %w", err)
	}
	return c, nil
}

// SchoolDNS implements family.StatsStore.
func (s *Store) SchoolDNS(ctx context.Context, from, to time.Time) ([]family.DNSCount, error) {
	return s.dnsCounts(ctx, `SELECT p.org_id, h.category, h.action, SUM(h.queries) FROM dns_hourly h
		JOIN family_profiles p ON p.label = h.profile
		WHERE p.kind IN ('school', 'class') AND h.hour >= $1 AND h.hour < $2
		GROUP BY p.org_id, h.category, h.action ORDER BY p.org_id, h.category, h.action`, from, to)
}

// WardDNS implements family.StatsStore.
func (s *Store) WardDNS(ctx context.Context, from, to time.Time) ([]family.DNSCount, error) {
	return s.dnsCounts(ctx, `SELECT 0, category, action, SUM(queries) FROM dns_hourly
		WHERE hour >= $1 AND hour < $2 GROUP BY category, action ORDER BY category, action`, from, to)
}

func (s *Store) dnsCounts(ctx context.Context, q string, from, to time.Time) ([]family.DNSCount, error) {
	var out []family.DNSCount
	err := s.schoolRows(ctx, q, []any{ms(from), ms(to)}, func(r *sql.Rows) error {
		var c family.DNSCount
		if err := r.Scan(&c.OrgID, &c.Category, &c.Action, &c.Queries); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("counting DNS queries: %w", err)
	}
	return out, nil
}

// SchoolAlerts implements family.StatsStore.
func (s *Store) SchoolAlerts(ctx context.Context, orgID int64, from, to time.Time, limit int) ([]family.SchoolAlert, error) {
	var out []family.SchoolAlert
	err := s.schoolRows(ctx, `SELECT a.id, a.ts, a.rule, a.category, a.level, a.signals, p.nickname, a.source, a.snippet
		FROM alerts a JOIN family_profiles p ON p.label = a.profile
		WHERE p.org_id = $1 AND p.kind IN ('school', 'class') AND a.ts >= $2 AND a.ts < $3
		ORDER BY a.ts DESC, a.id DESC LIMIT `+itoa(limit), []any{orgID, ms(from), ms(to)}, func(r *sql.Rows) error {
		var a family.SchoolAlert
		var ts int64
		var source, snippet string
		if err := r.Scan(&a.ID, &ts, &a.Rule, &a.Category, &a.Level, &a.Count, &a.Profile, &source, &snippet); err != nil {
			return err
		}
		a.Time = fromMS(ts)
		if source == "dns" {
			a.Domain = snippet // a DNS alert's snippet is the blocked domain
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing school alerts: %w", err)
	}
	return out, nil
}

// MarkDeviceWeeks implements family.StatsStore. Ids of devices that no
// longer exist are skipped.
func (s *Store) MarkDeviceWeeks(ctx context.Context, week time.Time, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO family_device_weeks (device_id, week)
			SELECT id, $2 FROM family_devices WHERE id = $1 ON CONFLICT (week, device_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, id, ms(week)); err != nil {
				return fmt.Errorf("recording device %d seen: %w", id, err)
			}
		}
		return nil
	})
}

// SchoolNames implements family.StatsStore: the active schools of the
// directory, and inactive ones that still have a profile.
func (s *Store) SchoolNames(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := s.schoolRows(ctx, `SELECT id, name FROM organisations WHERE kind = 'school'
		AND (active <> 0 OR id IN (SELECT org_id FROM family_profiles))`, nil, func(r *sql.Rows) error {
		var id int64
		var name string
		if err := r.Scan(&id, &name); err != nil {
			return err
		}
		out[id] = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing schools: %w", err)
	}
	return out, nil
}

// schoolRows runs a read query and calls each for every row.
func (s *Store) schoolRows(ctx context.Context, q string, args []any, each func(*sql.Rows) error) error {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
