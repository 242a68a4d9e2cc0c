package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/notify"
)

var (
	_ notify.Users   = (*Store)(nil)
	_ notify.Notices = (*Store)(nil)
)

// ActiveRecipients returns the enabled user userID when it is not 0, else
// every enabled user of role (of organisation orgID when not 0), ordered by
// id.
func (s *Store) ActiveRecipients(ctx context.Context, userID int64, role string, orgID int64) ([]notify.Recipient, error) {
	var rows *sql.Rows
	var err error
	switch {
	case userID != 0:
		rows, err = s.read.QueryContext(ctx, "SELECT id, email, name, tenant_id FROM users WHERE id = $1 AND disabled = 0", userID)
	case orgID != 0:
		rows, err = s.read.QueryContext(ctx, "SELECT id, email, name, tenant_id FROM users WHERE role = $1 AND org_id = $2 AND disabled = 0 ORDER BY id", role, orgID)
	default:
		rows, err = s.read.QueryContext(ctx, "SELECT id, email, name, tenant_id FROM users WHERE role = $1 AND disabled = 0 ORDER BY id", role)
	}
	if err != nil {
		return nil, fmt.Errorf("listing recipients: %w", err)
	}
	defer rows.Close()
	var out []notify.Recipient
	for rows.Next() {
		var r notify.Recipient
		if err := rows.Scan(&r.ID, &r.Email, &r.Name, &r.TenantID); err != nil {
			return nil, fmt.Errorf("listing recipients: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddNotices inserts ns in one transaction and sets their IDs.
func (s *Store) AddNotices(ctx context.Context, ns []notify.Notice) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for i := range ns {
			n := &ns[i]
			id, err := insertID(ctx, tx, `INSERT INTO notices (user_id, case_id, kind, text_vi, text_en, created_at, read_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, n.UserID, n.CaseID, string(n.Kind), n.TextVi, n.TextEn, ms(n.CreatedAt), ms(n.ReadAt))
			if err != nil {
				return fmt.Errorf("storing notice for user %d: %w", n.UserID, err)
			}
			n.ID = id
		}
		return nil
	})
}

// UserNotices returns user's notices, newest first, at most limit (100
// when limit is not positive).
func (s *Store) UserNotices(ctx context.Context, userID int64, limit int) ([]notify.Notice, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, user_id, case_id, kind, text_vi, text_en, created_at, read_at
		FROM notices WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("listing notices: %w", err)
	}
	defer rows.Close()
	var out []notify.Notice
	for rows.Next() {
		var n notify.Notice
		var kind string
		var created, read int64
		if err := rows.Scan(&n.ID, &n.UserID, &n.CaseID, &kind, &n.TextVi, &n.TextEn, &created, &read); err != nil {
			return nil, fmt.Errorf("listing notices: %w", err)
		}
		n.Kind, n.CreatedAt, n.ReadAt = cases.EventKind(kind), fromMS(created), fromMS(read)
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadNotices counts user's unread notices.
func (s *Store) UnreadNotices(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM notices WHERE user_id = $1 AND read_at = 0", userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting notices: %w", err)
	}
	return n, nil
}

// MarkNoticesRead marks user's notices ids as read at (all of user's
// unread notices when ids is empty) and returns how many changed. Notices
// of other users are never touched.
func (s *Store) MarkNoticesRead(ctx context.Context, userID int64, ids []int64, at time.Time) (int64, error) {
	q := "UPDATE notices SET read_at = $1 WHERE user_id = $2 AND read_at = 0"
	args := []any{ms(at), userID}
	if len(ids) > 0 {
		if len(ids) > 500 {
			ids = ids[:500]
		}
		ph := make([]string, len(ids))
		for i, id := range ids {
			args = append(args, id)
			ph[i] = fmt.Sprintf("$%d", i+3)
		}
		q += " AND id IN (" + strings.Join(ph, ", ") + ")"
	}
	res, err := s.write.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("marking notices read: %w", err)
	}
	return res.RowsAffected()
}
