package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"manglanh/internal/family"
)

var _ family.RequestStore = (*Store)(nil)

const allowRequestColumns = `id, profile_id, domain, category, status, until_ts, created_at, decided_at`

func scanAllowRequest(row interface{ Scan(...any) error }) (family.AllowRequest, error) {
	var r family.AllowRequest
	var status string
	var until, created, decided int64
	err := row.Scan(&r.ID, &r.ProfileID, &r.Domain, &r.Category, &status, &until, &created, &decided)
	r.Status, r.Until, r.CreatedAt, r.DecidedAt = family.RequestStatus(status), fromMS(until), fromMS(created), fromMS(decided)
	return r, err
}

// AddAllowRequest stores a child's request unless one for the same domain
// is pending (r is then that one) or the profile made max since since.
// The check and the insert share one write transaction, and the partial
// unique index allow_requests_one_pending holds the rule on PostgreSQL
// when two processes race.
func (s *Store) AddAllowRequest(ctx context.Context, r *family.AllowRequest, since time.Time, max int) (bool, error) {
	created := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		old, err := scanAllowRequest(tx.QueryRowContext(ctx, `SELECT `+allowRequestColumns+` FROM allow_requests
			WHERE profile_id = $1 AND domain = $2 AND status = 'pending'`, r.ProfileID, r.Domain))
		if err == nil {
			*r = old
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM allow_requests WHERE profile_id = $1 AND created_at >= $2`,
			r.ProfileID, ms(since)).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return family.ErrTooManyRequests
		}
		r.Status = family.RequestPending
		id, err := insertID(ctx, tx, `INSERT INTO allow_requests (profile_id, domain, category, status, until_ts, created_at, decided_at)
			VALUES ($1, $2, $3, $4, 0, $5, 0)`, r.ProfileID, r.Domain, r.Category, string(r.Status), ms(r.CreatedAt))
		if err != nil {
			return err
		}
		r.ID, created = id, true
		return nil
	})
	if err != nil && !errors.Is(err, family.ErrTooManyRequests) {
		return false, fmt.Errorf("saving allow request: %w", err)
	}
	return created, err
}

// AllowRequests returns the requests of the profiles, newest first.
func (s *Store) AllowRequests(ctx context.Context, profileIDs []int64, status family.RequestStatus, limit int) ([]family.AllowRequest, error) {
	if len(profileIDs) == 0 {
		return nil, nil
	}
	var ph []string
	args := []any{}
	for _, id := range profileIDs {
		args = append(args, id)
		ph = append(ph, fmt.Sprintf("$%d", len(args)))
	}
	q := `SELECT ` + allowRequestColumns + ` FROM allow_requests WHERE profile_id IN (` + strings.Join(ph, ",") + `)`
	if status != "" {
		args = append(args, string(status))
		q += fmt.Sprintf(" AND status = $%d", len(args))
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT " + itoa(limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing allow requests: %w", err)
	}
	defer rows.Close()
	var out []family.AllowRequest
	for rows.Next() {
		r, err := scanAllowRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetAllowRequest returns one request, or family.ErrNotFound. It reads
// from the writer so that a decision just made is seen.
func (s *Store) GetAllowRequest(ctx context.Context, id int64) (*family.AllowRequest, error) {
	r, err := scanAllowRequest(s.write.QueryRowContext(ctx, `SELECT `+allowRequestColumns+` FROM allow_requests WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, family.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading allow request %d: %w", id, err)
	}
	return &r, nil
}

// DecideAllowRequest records a parent's decision on a pending request.
func (s *Store) DecideAllowRequest(ctx context.Context, id int64, status family.RequestStatus, until, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE allow_requests SET status = $1, until_ts = $2, decided_at = $3
		WHERE id = $4 AND status = 'pending'`, string(status), ms(until), ms(at), id)
	if err != nil {
		return fmt.Errorf("deciding allow request %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.GetAllowRequest(ctx, id); err != nil {
			return err
		}
		return family.ErrAlreadyDecided
	}
	return nil
}
