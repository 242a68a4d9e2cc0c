package auth

import "time"

// Throttle is the sign-in throttle of staff accounts, for other kinds of
// account (parents, internal/family): failures per key lock the key for
// a minute, doubling up to an hour, forgotten after a day. It lives in
// memory and is safe for concurrent use.
type Throttle struct{ t *throttle }

// NewThrottle returns an empty throttle.
func NewThrottle() *Throttle { return &Throttle{t: newThrottle()} }

// Wait returns how long key is still locked at now (0 when it is not).
func (t *Throttle) Wait(key string, now time.Time) time.Duration { return t.t.wait(key, now) }

// Fail counts a failure of key; from limit failures on, the key is locked.
func (t *Throttle) Fail(key string, limit int, now time.Time) { t.t.fail(key, limit, now) }

// Reset forgets key's failures.
func (t *Throttle) Reset(key string) { t.t.reset(key) }

// NewRecoveryCode draws one recovery code ("ABCD-EFGH-2345-JKLM", 80
// random bits), for other kinds of account.
func NewRecoveryCode() (string, error) { return newRecoveryCode() }

// NormalizeRecoveryCode upper-cases a typed code and drops spaces and
// dashes; it returns "" for anything that cannot be a code.
func NormalizeRecoveryCode(code string) string { return normalizeRecoveryCode(code) }
