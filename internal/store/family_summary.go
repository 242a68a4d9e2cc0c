package store

import (
	"context"
	"fmt"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/family"
)

var _ family.SummaryStore = (*Store)(nil)

// BlockedHours returns a profile's blocked queries per hour and category
// from the hourly aggregates (which keep no names looked up).
func (s *Store) BlockedHours(ctx context.Context, profile string, from, to time.Time) ([]family.BlockedHour, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT hour, category, queries FROM dns_hourly
		WHERE profile = $1 AND action = 'blocked' AND hour >= $2 AND hour < $3 ORDER BY hour, category`,
		profile, ms(from), ms(to))
	if err != nil {
		return nil, fmt.Errorf("reading blocked hours of %s: %w", profile, err)
	}
	defer rows.Close()
	var out []family.BlockedHour
	for rows.Next() {
		var h family.BlockedHour
		var hour int64
		if err := rows.Scan(&hour, &h.Category, &h.Queries); err != nil {
			return nil, err
		}
		h.Hour = fromMS(hour)
		out = append(out, h)
	}
	return out, rows.Err()
}

// ProfileAlerts returns the alerts of one profile label in a period,
// newest first.
func (s *Store) ProfileAlerts(ctx context.Context, profile string, from, to time.Time, limit int) ([]alert.Alert, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE profile = $1 AND ts >= $2 AND ts < $3
		ORDER BY ts DESC, id DESC LIMIT `+itoa(limit), profile, ms(from), ms(to))
	if err != nil {
		return nil, fmt.Errorf("listing alerts of %s: %w", profile, err)
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

// RecordWeeklyMail stores the outcome of one weekly e-mail, replacing an
// earlier attempt for the same profile, week and parent.
func (s *Store) RecordWeeklyMail(ctx context.Context, m family.WeeklyMail) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO family_weekly_mails (profile_id, week, parent_id, status, error, at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (profile_id, week, parent_id) DO UPDATE SET status = excluded.status, error = excluded.error, at = excluded.at`,
		m.ProfileID, m.Week, m.ParentID, m.Status, m.Error, ms(m.At))
	if err != nil {
		return fmt.Errorf("recording weekly e-mail of profile %d: %w", m.ProfileID, err)
	}
	return nil
}

// WeeklyMails returns the e-mails recorded for a profile's week.
func (s *Store) WeeklyMails(ctx context.Context, profileID int64, week string) ([]family.WeeklyMail, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT profile_id, week, parent_id, status, error, at FROM family_weekly_mails
		WHERE profile_id = $1 AND week = $2 ORDER BY parent_id`, profileID, week)
	if err != nil {
		return nil, fmt.Errorf("reading weekly e-mails of profile %d: %w", profileID, err)
	}
	defer rows.Close()
	var out []family.WeeklyMail
	for rows.Next() {
		var m family.WeeklyMail
		var at int64
		if err := rows.Scan(&m.ProfileID, &m.Week, &m.ParentID, &m.Status, &m.Error, &at); err != nil {
			return nil, err
		}
		m.At = fromMS(at)
		out = append(out, m)
	}
	return out, rows.Err()
}
