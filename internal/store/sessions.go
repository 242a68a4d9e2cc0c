package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"manglanh/internal/auth"
)

// CreateSession stores a session (its token's hash, never the token).
func (s *Store) CreateSession(ctx context.Context, x *auth.Session) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, stage, created_at, last_seen_at, ip)
		VALUES ($1, $2, $3, $4, $5, $6)`, x.TokenHash, x.UserID, string(x.Stage), ms(x.CreatedAt), ms(x.LastSeen), x.IP)
	if err != nil {
		return fmt.Errorf("creating session: %w", err)
	}
	return nil
}

// SessionByHash returns the session with the token hash.
func (s *Store) SessionByHash(ctx context.Context, hash string) (*auth.Session, error) {
	var x auth.Session
	var stage string
	var created, seen int64
	// The writer answers so that a session created a moment ago is seen.
	err := s.write.QueryRowContext(ctx, `SELECT token_hash, user_id, stage, created_at, last_seen_at, ip
		FROM sessions WHERE token_hash = $1`, hash).Scan(&x.TokenHash, &x.UserID, &stage, &created, &seen, &x.IP)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %w", ErrNotFound, auth.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading session: %w", err)
	}
	x.Stage, x.CreatedAt, x.LastSeen = auth.Stage(stage), fromMS(created), fromMS(seen)
	return &x, nil
}

// TouchSession sets a session's last-seen time.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", ms(at), hash)
	return err
}

// DeleteSession deletes one session; a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.write.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", hash)
	return err
}

// DeleteUserSessions deletes every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := s.write.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PurgeSessions deletes sessions last seen before idle or created before
// created.
func (s *Store) PurgeSessions(ctx context.Context, idle, created time.Time) (int64, error) {
	res, err := s.write.ExecContext(ctx, "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2", ms(idle), ms(created))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
