package auth

import (
	"context"
	"time"
)

// Throttle is the sign-in throttle of staff accounts, for other kinds of
// account (parents, internal/family): failures per key lock the key for
// a minute, doubling up to an hour, forgotten after a day. With a shared
// store the counts are in the database (every process sees them); without
// one, in memory. It is safe for concurrent use.
type Throttle struct {
	t  *throttle
	ns string
}

// NewThrottle returns an empty throttle keeping its counts in shared, or in
// memory when shared is nil. Every key is prefixed with namespace, so that
// its keys never meet the staff sign-in's in a shared store.
func NewThrottle(shared ThrottleStore, namespace string) *Throttle {
	return &Throttle{t: newThrottle(shared), ns: namespace}
}

// Wait returns how long key is still locked at now (0 when it is not).
func (t *Throttle) Wait(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	return t.t.wait(ctx, t.ns+key, now)
}

// Fail counts a failure of key; from limit failures on, the key is locked.
func (t *Throttle) Fail(ctx context.Context, key string, limit int, now time.Time) error {
	return t.t.fail(ctx, t.ns+key, limit, now)
}

// Reset forgets key's failures.
func (t *Throttle) Reset(ctx context.Context, key string) error { return t.t.reset(ctx, t.ns+key) }

// NewRecoveryCode draws one recovery code ("ABCD-EFGH-2345-JKLM", 80
// random bits), for other kinds of account.
func NewRecoveryCode() (string, error) { return newRecoveryCode() }

// NormalizeRecoveryCode upper-cases a typed code and drops spaces and
// dashes; it returns "" for anything that cannot be a code.
func NormalizeRecoveryCode(code string) string { return normalizeRecoveryCode(code) }
