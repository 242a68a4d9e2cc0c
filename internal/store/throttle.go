package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/auth"
)

var _ auth.ThrottleStore = (*Store)(nil)

// throttlePruneEvery is how often (per process) ThrottleFail also deletes
// rows that are neither locked nor recent, so a flood of fresh addresses
// cannot grow the table for ever.
const throttlePruneEvery = time.Minute

// ThrottleLockedUntil returns until when key is locked (the zero time when
// it has no row).
func (s *Store) ThrottleLockedUntil(ctx context.Context, key string) (time.Time, error) {
	var until int64
	err := s.read.QueryRowContext(ctx, "SELECT locked_until FROM login_throttle WHERE key = $1", key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("reading throttle: %w", err)
	}
	return fromMS(until), nil
}

// ThrottleFail counts one failure of key at now in one transaction: the
// row is locked (FOR UPDATE on PostgreSQL; SQLite has one writer), failures
// older than forget are dropped, and lock(failures) sets the lock-out.
func (s *Store) ThrottleFail(ctx context.Context, key string, now time.Time, forget time.Duration, lock func(int) time.Duration) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_throttle (key, failures, last_failure, locked_until)
			VALUES ($1, 0, $2, 0) ON CONFLICT (key) DO NOTHING`, key, ms(now)); err != nil {
			return err
		}
		q := "SELECT failures, last_failure, locked_until FROM login_throttle WHERE key = $1"
		if s.dialect == Postgres {
			q += " FOR UPDATE"
		}
		var failures int
		var last, until int64
		if err := tx.QueryRowContext(ctx, q, key).Scan(&failures, &last, &until); err != nil {
			return err
		}
		if now.Sub(fromMS(last)) > forget {
			failures = 0
		}
		failures++
		if d := lock(failures); d > 0 {
			until = ms(now.Add(d))
		}
		_, err := tx.ExecContext(ctx, `UPDATE login_throttle SET failures = $1, last_failure = $2, locked_until = $3
			WHERE key = $4`, failures, ms(now), until, key)
		return err
	})
	if err != nil {
		return fmt.Errorf("counting a sign-in failure: %w", err)
	}
	s.pruneThrottle(ctx, now, forget)
	return nil
}

// ThrottleReset forgets key's failures.
func (s *Store) ThrottleReset(ctx context.Context, key string) error {
	if _, err := s.write.ExecContext(ctx, "DELETE FROM login_throttle WHERE key = $1", key); err != nil {
		return fmt.Errorf("resetting throttle: %w", err)
	}
	return nil
}

// pruneThrottle deletes, at most once a throttlePruneEvery, the rows whose
// last failure is older than forget and that are not locked.
func (s *Store) pruneThrottle(ctx context.Context, now time.Time, forget time.Duration) {
	s.pruneMu.Lock()
	due := now.Sub(s.lastThrottlePrune) >= throttlePruneEvery
	if due {
		s.lastThrottlePrune = now
	}
	s.pruneMu.Unlock()
	if !due {
		return
	}
	if _, err := s.write.ExecContext(ctx, "DELETE FROM login_throttle WHERE last_failure < $1 AND locked_until < $2",
		ms(now.Add(-forget)), ms(now)); err != nil {
		s.log.WarnContext(ctx, "pruning the sign-in throttle", "err", err)
	}
}

var _ alert.Claimer = (*Store)(nil)

// ClaimAlert records an alert of key at at unless the last one of key is
// less than throttle before at, or not before at; one statement, so two
// processes raising the same alert get one true between them.
func (s *Store) ClaimAlert(ctx context.Context, key string, at time.Time, throttle time.Duration) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO alert_claims (key, last_at) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET last_at = excluded.last_at
		WHERE alert_claims.last_at <= excluded.last_at - $3 AND alert_claims.last_at < excluded.last_at`,
		key, at.UnixMilli(), throttle.Milliseconds())
	if err != nil {
		return false, fmt.Errorf("claiming an alert: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
