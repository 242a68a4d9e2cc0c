package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"manglanh/internal/alert"
)

var _ alert.Store = (*Store)(nil)

// SaveAlert stores a new alert and sets its ID.
func (s *Store) SaveAlert(ctx context.Context, a *alert.Alert) error {
	reasons, err := json.Marshal(a.Reasons)
	if err != nil {
		return err
	}
	digest := 0
	if a.Digest {
		digest = 1
	}
	id, err := insertID(ctx, s.write, `INSERT INTO alerts (ts, rule, source, profile, category, level, signals, folded, digest, snippet, reasons, case_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		ms(a.Time), a.Rule, a.Source, a.Profile, a.Category, a.Level, a.Count, a.Folded, digest, a.Snippet, string(reasons), a.CaseID)
	if err != nil {
		return fmt.Errorf("saving alert: %w", err)
	}
	a.ID = id
	return nil
}

const alertColumns = `id, ts, rule, source, profile, category, level, signals, folded, digest, snippet, reasons, case_id`

func scanAlert(row interface{ Scan(...any) error }) (alert.Alert, error) {
	var a alert.Alert
	var ts int64
	var digest int
	var reasons string
	if err := row.Scan(&a.ID, &ts, &a.Rule, &a.Source, &a.Profile, &a.Category, &a.Level, &a.Count, &a.Folded,
		&digest, &a.Snippet, &reasons, &a.CaseID); err != nil {
		return a, err
	}
	a.Time, a.Digest = fromMS(ts), digest != 0
	if reasons != "" && reasons != "null" {
		if err := json.Unmarshal([]byte(reasons), &a.Reasons); err != nil {
			return a, fmt.Errorf("alert %d reasons: %w", a.ID, err)
		}
	}
	return a, nil
}

// ListAlerts returns the newest alerts, newest first.
func (s *Store) ListAlerts(ctx context.Context, limit int) ([]alert.Alert, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts ORDER BY ts DESC, id DESC LIMIT `+itoa(limit))
	if err != nil {
		return nil, fmt.Errorf("listing alerts: %w", err)
	}
	defer rows.Close()
	var out []alert.Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// GetAlert returns one alert, or ErrNotFound.
func (s *Store) GetAlert(ctx context.Context, id int64) (alert.Alert, error) {
	a, err := scanAlert(s.write.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// SetAlertCase links an alert to the case opened from it.
func (s *Store) SetAlertCase(ctx context.Context, id, caseID int64) error {
	res, err := s.write.ExecContext(ctx, `UPDATE alerts SET case_id = $1 WHERE id = $2`, caseID, id)
	if err != nil {
		return fmt.Errorf("linking alert %d to case %d: %w", id, caseID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// BlockedEventsAfter returns up to limit blocked DNS events with an id
// above after, oldest first.
func (s *Store) BlockedEventsAfter(ctx context.Context, after int64, limit int) ([]alert.DNSEvent, error) {
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, ts, profile, name, category, schedule FROM dns_events
		WHERE id > $1 AND action = 'blocked' ORDER BY id LIMIT `+itoa(limit), after)
	if err != nil {
		return nil, fmt.Errorf("reading blocked events: %w", err)
	}
	defer rows.Close()
	var out []alert.DNSEvent
	for rows.Next() {
		var e alert.DNSEvent
		var ts int64
		if err := rows.Scan(&e.ID, &ts, &e.Profile, &e.Name, &e.Category, &e.Schedule); err != nil {
			return nil, err
		}
		e.Time = fromMS(ts)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LastEventID is the newest DNS event's id, or 0.
func (s *Store) LastEventID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	if err := s.read.QueryRowContext(ctx, `SELECT MAX(id) FROM dns_events`).Scan(&id); err != nil {
		return 0, fmt.Errorf("reading the last DNS event: %w", err)
	}
	return id.Int64, nil
}
