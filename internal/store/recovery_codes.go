package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ReplaceRecoveryCodes deletes every recovery code of the user, used or
// not, and stores hashes as the new set, in one transaction.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID); err != nil {
			return fmt.Errorf("voiding recovery codes of user %d: %w", userID, err)
		}
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
				userID, h, ms(at)); err != nil {
				return fmt.Errorf("storing a recovery code of user %d: %w", userID, err)
			}
		}
		return nil
	})
}

// UseRecoveryCode marks the user's unused code with hash as used at at, in
// one conditional UPDATE, and reports whether it did: two requests with
// the same code cannot both pass.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1
		WHERE user_id = $2 AND code_hash = $3 AND used_at = 0`, max(ms(at), 1), userID, hash)
	if err != nil {
		return false, fmt.Errorf("using a recovery code: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCodesLeft returns how many unused recovery codes the user has.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at = 0",
		userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting recovery codes: %w", err)
	}
	return n, nil
}
