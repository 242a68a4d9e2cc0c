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

var _ family.Store = (*Store)(nil)

// notFound wraps both packages' ErrNotFound, so errors.Is works with each.
func familyNotFound() error { return fmt.Errorf("%w: %w", ErrNotFound, family.ErrNotFound) }

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const parentColumns = `id, COALESCE(email, ''), COALESCE(phone, ''), name, password_hash, status, school_org_id,
	approved_by, must_change_password, lang, weekly_email, created_at, updated_at, last_login_at`

func scanParent(row interface{ Scan(...any) error }) (*family.Parent, error) {
	var p family.Parent
	var status string
	var must, weekly int
	var created, updated, last int64
	err := row.Scan(&p.ID, &p.Email, &p.Phone, &p.Name, &p.PasswordHash, &status, &p.SchoolOrgID, &p.ApprovedBy,
		&must, &p.Lang, &weekly, &created, &updated, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, familyNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("reading parent: %w", err)
	}
	p.Status, p.MustChangePassword, p.WeeklyEmail = family.Status(status), must != 0, weekly != 0
	p.CreatedAt, p.UpdatedAt, p.LastLoginAt = fromMS(created), fromMS(updated), fromMS(last)
	return &p, nil
}

// CreateParent inserts a parent with its recovery code hashes.
func (s *Store) CreateParent(ctx context.Context, p *family.Parent, recoveryHashes []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO parents (email, phone, name, password_hash, status, school_org_id,
			approved_by, must_change_password, lang, weekly_email, created_at, updated_at, last_login_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			nullStr(p.Email), nullStr(p.Phone), p.Name, p.PasswordHash, string(p.Status), p.SchoolOrgID, p.ApprovedBy,
			b2i(p.MustChangePassword), p.Lang, b2i(p.WeeklyEmail), ms(p.CreatedAt), ms(p.UpdatedAt), ms(p.LastLoginAt))
		if IsUniqueViolation(err) {
			return family.ErrLoginTaken
		}
		if err != nil {
			return fmt.Errorf("creating parent: %w", err)
		}
		for _, h := range recoveryHashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO parent_recovery_codes (parent_id, code_hash, created_at)
				VALUES ($1, $2, $3)`, id, h, ms(p.CreatedAt)); err != nil {
				return fmt.Errorf("storing recovery code: %w", err)
			}
		}
		p.ID = id
		return nil
	})
}

// UpdateParent writes every field but ID, Email, Phone and CreatedAt.
func (s *Store) UpdateParent(ctx context.Context, p *family.Parent) error {
	res, err := s.write.ExecContext(ctx, `UPDATE parents SET name = $1, password_hash = $2, status = $3,
		school_org_id = $4, approved_by = $5, must_change_password = $6, lang = $7, weekly_email = $8,
		updated_at = $9, last_login_at = $10 WHERE id = $11`,
		p.Name, p.PasswordHash, string(p.Status), p.SchoolOrgID, p.ApprovedBy, b2i(p.MustChangePassword), p.Lang,
		b2i(p.WeeklyEmail), ms(p.UpdatedAt), ms(p.LastLoginAt), p.ID)
	if err != nil {
		return fmt.Errorf("updating parent %d: %w", p.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return familyNotFound()
	}
	return nil
}

// ParentByID returns one parent.
func (s *Store) ParentByID(ctx context.Context, id int64) (*family.Parent, error) {
	return scanParent(s.write.QueryRowContext(ctx, `SELECT `+parentColumns+` FROM parents WHERE id = $1`, id))
}

// ParentByLogin finds a parent by e-mail (when login has an "@") or phone.
func (s *Store) ParentByLogin(ctx context.Context, login string) (*family.Parent, error) {
	col := "phone"
	if strings.Contains(login, "@") {
		col = "email"
	}
	return scanParent(s.write.QueryRowContext(ctx, `SELECT `+parentColumns+` FROM parents WHERE `+col+` = $1`, login))
}

// Parents lists parents with status (of one school when schoolOrgID > 0),
// oldest first.
func (s *Store) Parents(ctx context.Context, status family.Status, schoolOrgID int64, limit int) ([]family.Parent, error) {
	q := `SELECT ` + parentColumns + ` FROM parents WHERE status = $1`
	args := []any{string(status)}
	if schoolOrgID > 0 {
		q += ` AND school_org_id = $2`
		args = append(args, schoolOrgID)
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY created_at, id LIMIT `+itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("listing parents: %w", err)
	}
	defer rows.Close()
	var out []family.Parent
	for rows.Next() {
		p, err := scanParent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// CreateParentSession stores a session (the token's hash).
func (s *Store) CreateParentSession(ctx context.Context, x *family.Session) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO parent_sessions (token_hash, parent_id, created_at, last_seen_at, ip)
		VALUES ($1, $2, $3, $4, $5)`, x.TokenHash, x.ParentID, ms(x.CreatedAt), ms(x.LastSeen), x.IP)
	if err != nil {
		return fmt.Errorf("creating parent session: %w", err)
	}
	return nil
}

// ParentSession returns the session with the token hash.
func (s *Store) ParentSession(ctx context.Context, tokenHash string) (*family.Session, error) {
	var x family.Session
	var created, seen int64
	err := s.write.QueryRowContext(ctx, `SELECT token_hash, parent_id, created_at, last_seen_at, ip
		FROM parent_sessions WHERE token_hash = $1`, tokenHash).Scan(&x.TokenHash, &x.ParentID, &created, &seen, &x.IP)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, familyNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("reading parent session: %w", err)
	}
	x.CreatedAt, x.LastSeen = fromMS(created), fromMS(seen)
	return &x, nil
}

// TouchParentSession moves a session's last-seen time.
func (s *Store) TouchParentSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE parent_sessions SET last_seen_at = $1 WHERE token_hash = $2`, ms(at), tokenHash)
	return err
}

// DeleteParentSession deletes one session; a missing one is not an error.
func (s *Store) DeleteParentSession(ctx context.Context, tokenHash string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM parent_sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteParentSessions deletes every session of a parent.
func (s *Store) DeleteParentSessions(ctx context.Context, parentID int64) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM parent_sessions WHERE parent_id = $1`, parentID)
	return err
}

// PurgeParentSessions deletes sessions idle since before idleBefore or
// made before createdBefore, and reset links expired before now.
func (s *Store) PurgeParentSessions(ctx context.Context, idleBefore, createdBefore, now time.Time) (int64, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM parent_sessions WHERE last_seen_at < $1 OR created_at < $2`,
		ms(idleBefore), ms(createdBefore))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := s.write.ExecContext(ctx, `DELETE FROM parent_reset_tokens WHERE expires_at < $1`, ms(now)); err != nil {
		return n, err
	}
	return n, nil
}

// CreateResetToken stores a reset link's hash.
func (s *Store) CreateResetToken(ctx context.Context, parentID int64, tokenHash string, expires time.Time) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO parent_reset_tokens (token_hash, parent_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4)`, tokenHash, parentID, ms(time.Now()), ms(expires))
	if err != nil {
		return fmt.Errorf("storing reset token: %w", err)
	}
	return nil
}

// ResetTokenParent returns the parent of a live reset token.
func (s *Store) ResetTokenParent(ctx context.Context, tokenHash string, now time.Time) (int64, error) {
	var id int64
	err := s.write.QueryRowContext(ctx, `SELECT parent_id FROM parent_reset_tokens
		WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2`, tokenHash, ms(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, familyNotFound()
	}
	return id, err
}

// UseResetToken uses a live token up (and every other link of the
// parent), stores the new password hash, clears MustChangePassword and
// ends every session, in one transaction.
func (s *Store) UseResetToken(ctx context.Context, tokenHash string, now time.Time, passwordHash string) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE parent_reset_tokens SET used_at = $1
			WHERE token_hash = $2 AND used_at = 0 AND expires_at > $1 RETURNING parent_id`, ms(now), tokenHash).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return familyNotFound()
		}
		if err != nil {
			return fmt.Errorf("using reset token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE parent_reset_tokens SET used_at = $1 WHERE parent_id = $2 AND used_at = 0`,
			ms(now), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE parents SET password_hash = $1, must_change_password = 0, updated_at = $2
			WHERE id = $3`, passwordHash, ms(now), id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM parent_sessions WHERE parent_id = $1`, id)
		return err
	})
	return id, err
}

// ReplaceParentRecoveryCodes makes hashes the parent's only codes.
func (s *Store) ReplaceParentRecoveryCodes(ctx context.Context, parentID int64, hashes []string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM parent_recovery_codes WHERE parent_id = $1`, parentID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO parent_recovery_codes (parent_id, code_hash, created_at)
				VALUES ($1, $2, $3)`, parentID, h, ms(at)); err != nil {
				return fmt.Errorf("storing recovery code: %w", err)
			}
		}
		return nil
	})
}

// UseParentRecoveryCode marks an unused code used, once.
func (s *Store) UseParentRecoveryCode(ctx context.Context, parentID int64, hash string, at time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE parent_recovery_codes SET used_at = $1
		WHERE parent_id = $2 AND code_hash = $3 AND used_at = 0`, ms(at), parentID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ParentRecoveryCodesLeft counts a parent's unused codes.
func (s *Store) ParentRecoveryCodesLeft(ctx context.Context, parentID int64) (int, error) {
	var n int
	err := s.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM parent_recovery_codes WHERE parent_id = $1 AND used_at = 0`,
		parentID).Scan(&n)
	return n, err
}

// DeleteParent deletes a parent account with its sessions, links, codes,
// profiles, their networks and devices, and frees their labels, in one
// transaction that bumps the policy version.
func (s *Store) DeleteParent(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM family_labels WHERE label IN (SELECT d.label FROM family_devices d
				JOIN family_profiles p ON p.id = d.profile_id WHERE p.parent_id = $1)`,
			`DELETE FROM family_labels WHERE label IN (SELECT label FROM family_profiles WHERE parent_id = $1)`,
			`DELETE FROM family_devices WHERE profile_id IN (SELECT id FROM family_profiles WHERE parent_id = $1)`,
			`DELETE FROM family_networks WHERE profile_id IN (SELECT id FROM family_profiles WHERE parent_id = $1)`,
			`DELETE FROM family_profiles WHERE parent_id = $1`,
			`DELETE FROM parent_sessions WHERE parent_id = $1`,
			`DELETE FROM parent_reset_tokens WHERE parent_id = $1`,
			`DELETE FROM parent_recovery_codes WHERE parent_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("deleting parent %d: %w", id, err)
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM parents WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("deleting parent %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return familyNotFound()
		}
		return s.bumpPolicy(ctx, tx)
	})
}
