package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/family"
)

var (
	_ alert.ParentStore       = (*Store)(nil)
	_ family.ParentAlertStore = (*Store)(nil)
)

// ParentOfProfile finds the parent of a child profile by its DNS label.
func (s *Store) ParentOfProfile(ctx context.Context, label string) (alert.ParentContact, bool, error) {
	var c alert.ParentContact
	var email sql.NullString
	err := s.read.QueryRowContext(ctx, `SELECT p.id, f.id, p.email, p.lang, f.nickname FROM family_profiles f
		JOIN parents p ON p.id = f.parent_id WHERE f.label = $1 AND f.kind = 'child'`, label).
		Scan(&c.ParentID, &c.ProfileID, &email, &c.Lang, &c.Nickname)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("finding the parent of %s: %w", label, err)
	}
	c.Email = email.String
	return c, true, nil
}

// LastParentMail is when the relay last accepted an alert e-mail of the
// profile and rule.
func (s *Store) LastParentMail(ctx context.Context, profileID int64, rule string) (time.Time, error) {
	var last sql.NullInt64
	err := s.write.QueryRowContext(ctx, `SELECT MAX(mailed_at) FROM parent_alerts WHERE profile_id = $1 AND rule = $2 AND mailed_at > 0`,
		profileID, rule).Scan(&last)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the last parent e-mail: %w", err)
	}
	return fromMS(last.Int64), nil
}

// SaveParentDelivery stores or updates an alert routed to a parent; the
// consent to share, once given, is kept.
func (s *Store) SaveParentDelivery(ctx context.Context, d alert.ParentDelivery) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO parent_alerts (alert_id, parent_id, profile_id, rule, ts, mail_status, mail_error, mailed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (alert_id) DO UPDATE SET mail_status = excluded.mail_status, mail_error = excluded.mail_error, mailed_at = excluded.mailed_at`,
		d.AlertID, d.ParentID, d.ProfileID, d.Rule, ms(d.Time), d.MailStatus, d.MailError, ms(d.MailedAt))
	if err != nil {
		return fmt.Errorf("saving parent alert %d: %w", d.AlertID, err)
	}
	return nil
}

const parentAlertColumns = `pa.parent_id, pa.profile_id, pa.rule, pa.ts, pa.mail_status, pa.mail_error, pa.mailed_at, pa.shared_at, pa.shared_consent`

func scanParentAlert(row interface{ Scan(...any) error }) (family.ParentAlert, error) {
	var pa family.ParentAlert
	var a alert.Alert
	var ts, digest int64
	var reasons string
	var pts, mailed, shared int64
	err := row.Scan(&a.ID, &ts, &a.Rule, &a.Source, &a.Profile, &a.Category, &a.Level, &a.Count, &a.Folded, &digest, &a.Snippet, &reasons, &a.CaseID,
		&pa.Delivery.ParentID, &pa.Delivery.ProfileID, &pa.Delivery.Rule, &pts, &pa.Delivery.MailStatus, &pa.Delivery.MailError, &mailed, &shared, &pa.Consent)
	if err != nil {
		return pa, err
	}
	a.Time, a.Digest = fromMS(ts), digest != 0
	pa.Delivery.AlertID, pa.Delivery.Time, pa.Delivery.MailedAt, pa.SharedAt = a.ID, fromMS(pts), fromMS(mailed), fromMS(shared)
	pa.Alert = a
	return pa, nil
}

// ParentAlerts lists the alerts routed to a parent, newest first. A
// message's text never reaches this table's readers: only the alert's
// snippet for a DNS alert is shown (the web decides).
func (s *Store) ParentAlerts(ctx context.Context, parentID int64, limit int) ([]family.ParentAlert, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.ts, a.rule, a.source, a.profile, a.category, a.level, a.signals, a.folded, a.digest, a.snippet, a.reasons, a.case_id, `+
		parentAlertColumns+` FROM parent_alerts pa JOIN alerts a ON a.id = pa.alert_id WHERE pa.parent_id = $1 ORDER BY a.ts DESC, a.id DESC LIMIT `+itoa(limit), parentID)
	if err != nil {
		return nil, fmt.Errorf("listing parent alerts: %w", err)
	}
	defer rows.Close()
	var out []family.ParentAlert
	for rows.Next() {
		pa, err := scanParentAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, pa)
	}
	return out, rows.Err()
}

// ParentAlert returns one alert routed to the parent, or
// family.ErrNotFound (also when it went to another parent).
func (s *Store) ParentAlert(ctx context.Context, parentID, alertID int64) (*family.ParentAlert, error) {
	pa, err := scanParentAlert(s.write.QueryRowContext(ctx, `SELECT a.id, a.ts, a.rule, a.source, a.profile, a.category, a.level, a.signals, a.folded, a.digest, a.snippet, a.reasons, a.case_id, `+
		parentAlertColumns+` FROM parent_alerts pa JOIN alerts a ON a.id = pa.alert_id WHERE pa.parent_id = $1 AND pa.alert_id = $2`, parentID, alertID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, family.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading parent alert %d: %w", alertID, err)
	}
	return &pa, nil
}

// MarkParentAlertShared records the parent's consent to pass the alert to
// the ward, with the words they agreed to; only the first consent counts.
func (s *Store) MarkParentAlertShared(ctx context.Context, alertID int64, consent string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE parent_alerts SET shared_at = $1, shared_consent = $2 WHERE alert_id = $3 AND shared_at = 0`,
		ms(at), consent, alertID)
	if err != nil {
		return fmt.Errorf("sharing parent alert %d: %w", alertID, err)
	}
	return nil
}

// FamilyBedtime reports whether the schedule of the family profile with
// this label is a bedtime window (allow_only: everything blocked but a few
// services), so the alert rules treat its blocks as bedtime activity. An
// unnamed schedule is named as the filter names it, "<label>-<n>".
func (s *Store) FamilyBedtime(ctx context.Context, label, schedule string) (bool, error) {
	var rules string
	err := s.read.QueryRowContext(ctx, `SELECT rules FROM family_profiles WHERE label = $1`, label).Scan(&rules)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading the schedules of %s: %w", label, err)
	}
	r, err := decodeRules(rules)
	if err != nil {
		return false, err
	}
	for i, sc := range r.Schedules {
		name := sc.Name
		if name == "" {
			name = fmt.Sprintf("%s-%d", label, i+1)
		}
		if name == schedule {
			return len(sc.AllowOnly) > 0, nil
		}
	}
	return false, nil
}
