package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"manglanh/internal/auth"
)

var _ auth.Store = (*Store)(nil)

const userColumns = `id, email, name, role, org_id, password_hash, must_change_password, disabled,
	totp_secret, totp_enabled, totp_last_step, created_at, updated_at, password_changed_at, last_login_at, tenant_id`

// userTenant stores an unset tenant as the default one (1), as the
// column's default does.
func userTenant(t int64) int64 {
	if t <= 0 {
		return 1
	}
	return t
}

func authFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateUser inserts u and sets u.ID.
func (s *Store) CreateUser(ctx context.Context, u *auth.User) error {
	id, err := insertID(ctx, s.write, `INSERT INTO users (email, name, role, org_id, password_hash, must_change_password,
		disabled, totp_secret, totp_enabled, totp_last_step, created_at, updated_at, password_changed_at, last_login_at, tenant_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		u.Email, u.Name, string(u.Role), u.OrgID, u.PasswordHash, authFlag(u.MustChangePassword), authFlag(u.Disabled),
		u.TOTPSecret, authFlag(u.TOTPEnabled), u.TOTPLastStep, ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.PasswordChangedAt), ms(u.LastLoginAt),
		userTenant(u.TenantID))
	if IsUniqueViolation(err) {
		return fmt.Errorf("creating user: %w", auth.ErrEmailTaken)
	}
	if err != nil {
		return fmt.Errorf("creating user: %w", err)
	}
	u.ID = id
	return nil
}

// UpdateUser writes every field of u but ID, Email and CreatedAt.
func (s *Store) UpdateUser(ctx context.Context, u *auth.User) error {
	res, err := s.write.ExecContext(ctx, `UPDATE users SET name = $1, role = $2, org_id = $3, password_hash = $4,
		must_change_password = $5, disabled = $6, totp_secret = $7, totp_enabled = $8, totp_last_step = $9,
		updated_at = $10, password_changed_at = $11, last_login_at = $12 WHERE id = $13`,
		u.Name, string(u.Role), u.OrgID, u.PasswordHash, authFlag(u.MustChangePassword), authFlag(u.Disabled), u.TOTPSecret,
		authFlag(u.TOTPEnabled), u.TOTPLastStep, ms(u.UpdatedAt), ms(u.PasswordChangedAt), ms(u.LastLoginAt), u.ID)
	if err != nil {
		return fmt.Errorf("updating user %d: %w", u.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("updating user %d: %w", u.ID, auth.ErrNotFound)
	}
	return nil
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id int64) (*auth.User, error) {
	return s.oneUser(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id)
}

// UserByEmail returns one user by (lower-case) e-mail.
func (s *Store) UserByEmail(ctx context.Context, email string) (*auth.User, error) {
	return s.oneUser(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1", email)
}

func (s *Store) oneUser(ctx context.Context, q string, arg any) (*auth.User, error) {
	// Reads go to the writer on purpose: sign-in reads what it just wrote
	// (TOTP step, session), and SQLite's read pool may lag a WAL checkpoint.
	u, err := scanUser(s.write.QueryRowContext(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %w", ErrNotFound, auth.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading user: %w", err)
	}
	return u, nil
}

// ListUsers returns every user ordered by e-mail.
func (s *Store) ListUsers(ctx context.Context) ([]auth.User, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY email")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// UseTOTPStep moves the user's last accepted TOTP step forward if step is
// later, in one conditional UPDATE, and reports whether it did.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.write.ExecContext(ctx, "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", step, userID)
	if err != nil {
		return false, fmt.Errorf("using TOTP step: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func scanUser(r interface{ Scan(...any) error }) (*auth.User, error) {
	var u auth.User
	var role string
	var mustChange, disabled, totpOn int
	var created, updated, pwChanged, lastLogin int64
	if err := r.Scan(&u.ID, &u.Email, &u.Name, &role, &u.OrgID, &u.PasswordHash, &mustChange, &disabled,
		&u.TOTPSecret, &totpOn, &u.TOTPLastStep, &created, &updated, &pwChanged, &lastLogin, &u.TenantID); err != nil {
		return nil, err
	}
	u.Role = auth.Role(role)
	u.MustChangePassword, u.Disabled, u.TOTPEnabled = mustChange != 0, disabled != 0, totpOn != 0
	u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt, u.LastLoginAt = fromMS(created), fromMS(updated), fromMS(pwChanged), fromMS(lastLogin)
	return &u, nil
}
