package store

import (
	"context"
	"database/sql"
	"time"

	"manglanh/internal/querylog"
)

var _ querylog.Store = (*Store)(nil)

// AddHourly adds counts to the hourly aggregates.
func (s *Store) AddHourly(ctx context.Context, rows []querylog.Hourly) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO dns_hourly (hour, profile, category, action, queries)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (hour, profile, category, action) DO UPDATE SET queries = dns_hourly.queries + excluded.queries`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, ms(r.Hour), r.Profile, r.Category, string(r.Action), r.Queries); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddEvents stores blocked and flagged query events; Hits 0 is stored as 1.
func (s *Store) AddEvents(ctx context.Context, events []querylog.Event) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO dns_events (ts, profile, client, name, category, action, schedule, hits)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, e := range events {
			if _, err := st.ExecContext(ctx, ms(e.Time), e.Profile, e.Client, e.Name, e.Category, string(e.Action), e.Schedule, max(e.Hits, 1)); err != nil {
				return err
			}
		}
		return nil
	})
}

// PurgeEvents deletes a profile's events older than before; an empty profile
// purges every profile.
func (s *Store) PurgeEvents(ctx context.Context, profile string, before time.Time) (int64, error) {
	q, args := "DELETE FROM dns_events WHERE ts < $1", []any{ms(before)}
	if profile != "" {
		q, args = q+" AND profile = $2", append(args, profile)
	}
	res, err := s.write.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// HourlySince returns the aggregates from since on, summed over the period
// per profile, category and action, largest first.
func (s *Store) HourlySince(ctx context.Context, since time.Time) ([]querylog.Hourly, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT profile, category, action, SUM(queries) AS n FROM dns_hourly
		WHERE hour >= $1 GROUP BY profile, category, action ORDER BY n DESC, profile, category, action`, ms(since.Truncate(time.Hour)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []querylog.Hourly
	for rows.Next() {
		var h querylog.Hourly
		var action string
		if err := rows.Scan(&h.Profile, &h.Category, &action, &h.Queries); err != nil {
			return nil, err
		}
		h.Action = querylog.Action(action)
		h.Hour = since
		out = append(out, h)
	}
	return out, rows.Err()
}

// RecentEvents returns the newest blocked or flagged events, newest first; an
// empty profile means all profiles.
func (s *Store) RecentEvents(ctx context.Context, profile string, limit int) ([]querylog.Event, error) {
	q := `SELECT ts, profile, client, name, category, action, schedule, hits FROM dns_events`
	args := []any{}
	if profile != "" {
		q += " WHERE profile = $1"
		args = append(args, profile)
	}
	q += " ORDER BY ts DESC, id DESC LIMIT " + itoa(limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []querylog.Event
	for rows.Next() {
		var e querylog.Event
		var ts int64
		var action string
		if err := rows.Scan(&ts, &e.Profile, &e.Client, &e.Name, &e.Category, &action, &e.Schedule, &e.Hits); err != nil {
			return nil, err
		}
		e.Time, e.Action = fromMS(ts), querylog.Action(action)
		out = append(out, e)
	}
	return out, rows.Err()
}
