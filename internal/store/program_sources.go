package store

import (
	"context"
	"fmt"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

// The figure sources of the programme (program.CaseSource, DNSSource,
// AlertSource): counts for a tenant and a period. Cases have a tenant
// column (migration 0640) and are counted by it; alerts and the family
// tables have none yet: until they do, the default tenant (a single-ward
// deployment) gets every row and any other tenant none. Adding the
// column is one WHERE in familyTenant's callers.

var (
	_ program.CaseSource  = (*CaseStore)(nil)
	_ program.DNSSource   = ProgramDNS{}
	_ program.AlertSource = (*Store)(nil)
)

// familyTenant reports whether tenant owns the alerts and the DNS and
// family tables.
func familyTenant(tenant int64) bool { return tenant == program.DefaultTenant }

// CasesForPeriod implements program.CaseSource: the tenant's cases
// received before p.To and not closed before p.From, with their steps
// (without their notes) and referrals, never their Sensitive part.
func (cs *CaseStore) CasesForPeriod(ctx context.Context, tenant int64, p program.Period) ([]*cases.Case, error) {
	where := ` FROM cases c WHERE c.tenant_id = $3 AND c.received_at < $1 AND (c.closed_at = 0 OR c.closed_at >= $2)`
	args := []any{ms(p.To), ms(p.From), tenant}
	rows, err := cs.db.read.QueryContext(ctx, "SELECT "+caseColumns+where+" ORDER BY c.id", args...)
	if err != nil {
		return nil, fmt.Errorf("reading the cases of %s: %w", p, err)
	}
	var out []*cases.Case
	byID := map[int64]*cases.Case{}
	for rows.Next() {
		c, err := cs.scanCase(rows, false)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the cases of %s: %w", p, err)
		}
		out = append(out, c)
		byID[c.ID] = c
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the cases of %s: %w", p, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	// Steps of the same cases in one query; the notes stay sealed.
	srows, err := cs.db.read.QueryContext(ctx, `SELECT s.case_id, s.id, s.at, s.actor_id, s.actor_role, s.action,
		s.from_status, s.to_status, s.assignee_id, s.org_id, s.agency_kind
		FROM case_steps s WHERE s.case_id IN (SELECT c.id`+where+`) ORDER BY s.case_id, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the steps of the cases of %s: %w", p, err)
	}
	defer srows.Close()
	for srows.Next() {
		var caseID, at int64
		var st cases.Step
		var action, from, to string
		if err := srows.Scan(&caseID, &st.ID, &at, &st.ActorID, &st.ActorRole, &action, &from, &to,
			&st.AssigneeID, &st.OrgID, &st.AgencyKind); err != nil {
			return nil, fmt.Errorf("reading steps: %w", err)
		}
		st.At, st.Action, st.From, st.To = fromMS(at), cases.Action(action), cases.Status(from), cases.Status(to)
		if c := byID[caseID]; c != nil {
			c.Steps = append(c.Steps, st)
		}
	}
	if err := srows.Err(); err != nil {
		return nil, fmt.Errorf("reading steps: %w", err)
	}
	for i := 0; i < len(out); i += 500 {
		part := out[i:min(i+500, len(out))]
		ids := make([]int64, len(part))
		for j, c := range part {
			ids[j] = c.ID
		}
		refs, err := cs.referrals(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, c := range part {
			c.Referrals = refs[c.ID]
		}
	}
	return out, nil
}

// ProgramDNS is the store as a program.DNSSource. It is a separate type
// because *Store already has a DevicesSeen (the last-seen times the DNS
// server writes) with another meaning.
type ProgramDNS struct{ s *Store }

// ProgramDNS returns the store's programme DNS source.
func (s *Store) ProgramDNS() ProgramDNS { return ProgramDNS{s} }

// BlockedByMonth implements program.DNSSource from dns_hourly: blocked
// queries by category and month of loc, one query per month (each an
// index range on the hour).
func (d ProgramDNS) BlockedByMonth(ctx context.Context, tenant int64, p program.Period, loc *time.Location) (map[string][]program.MonthCount, error) {
	out := map[string][]program.MonthCount{}
	if !familyTenant(tenant) {
		return out, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	from := p.From.In(loc)
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc)
	for ; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		lo, hi := m, m.AddDate(0, 1, 0)
		if lo.Before(p.From) {
			lo = p.From
		}
		if hi.After(p.To) {
			hi = p.To
		}
		key := m.Format("2006-01")
		rows, err := d.s.read.QueryContext(ctx, `SELECT category, SUM(queries) FROM dns_hourly
			WHERE hour >= $1 AND hour < $2 AND action = 'blocked' GROUP BY category ORDER BY category`, ms(lo), ms(hi))
		if err != nil {
			return nil, fmt.Errorf("counting blocked look-ups of %s: %w", key, err)
		}
		for rows.Next() {
			var cat string
			var n int64
			if err := rows.Scan(&cat, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("counting blocked look-ups of %s: %w", key, err)
			}
			if cat == "" {
				cat = "other"
			}
			out[cat] = append(out[cat], program.MonthCount{Month: key, Count: n})
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DevicesSeen implements program.DNSSource: distinct family and school
// devices seen in p, from the weekly record (weeks starting in p, or the
// week p starts in) and the last-seen times that fall in p.
func (d ProgramDNS) DevicesSeen(ctx context.Context, tenant int64, p program.Period) (int, error) {
	if !familyTenant(tenant) {
		return 0, nil
	}
	week := mondayOf(p.From)
	var n int
	err := d.s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (
		SELECT device_id FROM family_device_weeks WHERE week >= $1 AND week < $2
		UNION SELECT device_id FROM dns_device_seen WHERE last_seen >= $3 AND last_seen < $2) d`,
		ms(week), ms(p.To), ms(p.From)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting devices seen: %w", err)
	}
	return n, nil
}

// mondayOf is 00:00 of the Monday of t's week, in t's zone.
func mondayOf(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// ProfileCount implements program.DNSSource: child, school and class
// profiles.
func (d ProgramDNS) ProfileCount(ctx context.Context, tenant int64) (int, error) {
	if !familyTenant(tenant) {
		return 0, nil
	}
	var n int
	if err := d.s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM family_profiles
		WHERE kind IN ('child', 'school', 'class')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting profiles: %w", err)
	}
	return n, nil
}

// AlertCounts implements program.AlertSource: alerts stored in p (a
// digest counts as one alert, as the list shows it), by category and by
// level.
func (s *Store) AlertCounts(ctx context.Context, tenant int64, p program.Period) (map[string]int, map[string]int, error) {
	byCat, byLevel := map[string]int{}, map[string]int{}
	if !familyTenant(tenant) {
		return byCat, byLevel, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT category, level, COUNT(*) FROM alerts WHERE ts >= $1 AND ts < $2
		GROUP BY category, level`, ms(p.From), ms(p.To))
	if err != nil {
		return nil, nil, fmt.Errorf("counting alerts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cat, lvl string
		var n int
		if err := rows.Scan(&cat, &lvl, &n); err != nil {
			return nil, nil, fmt.Errorf("counting alerts: %w", err)
		}
		byCat[cat] += n
		byLevel[lvl] += n
	}
	return byCat, byLevel, rows.Err()
}
