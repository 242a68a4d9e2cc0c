package auth

import (
	"context"
	"sync"
	"time"
)

// ThrottleStore keeps sign-in failures where every process of a deployment
// sees them (*store.Store: the login_throttle table). Fail counts one
// failure of key inside one transaction: failures older than forget are
// dropped first, and lock, given the new count, says how long the key is
// then locked (0: not locked).
type ThrottleStore interface {
	ThrottleLockedUntil(ctx context.Context, key string) (time.Time, error)
	ThrottleFail(ctx context.Context, key string, now time.Time, forget time.Duration, lock func(failures int) time.Duration) error
	ThrottleReset(ctx context.Context, key string) error
}

// throttle counts sign-in failures per key ("acct:<email>", "ip:<addr>")
// and locks a key out after limit failures: base, then twice as long after
// each further failure, up to max. Failures are forgotten after forget
// without a new one. With a shared ThrottleStore the counts live in the
// database, so five failures spread over several web processes lock the
// account as five on one would; without one (tests, the parents' throttle
// of a single process) they live in memory.
type throttle struct {
	shared ThrottleStore

	mu      sync.Mutex
	entries map[string]*throttleEntry
	base    time.Duration
	max     time.Duration
	forget  time.Duration
	maxKeys int
}

type throttleEntry struct {
	failures    int
	lastFailure time.Time
	lockedUntil time.Time
}

func newThrottle(shared ThrottleStore) *throttle {
	return &throttle{shared: shared, entries: map[string]*throttleEntry{}, base: time.Minute, max: time.Hour,
		forget: 24 * time.Hour, maxKeys: 100_000}
}

// lockFor is how long a key with failures failures is locked (0 below
// limit): base, doubling per further failure, up to max.
func (t *throttle) lockFor(failures, limit int) time.Duration {
	if failures < limit {
		return 0
	}
	d := t.base
	for i := limit; i < failures && d < t.max; i++ {
		d *= 2
	}
	return min(d, t.max)
}

// wait returns how long key is still locked at now (0 when it is not).
func (t *throttle) wait(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	if t.shared != nil {
		until, err := t.shared.ThrottleLockedUntil(ctx, key)
		if err != nil || !now.Before(until) {
			return 0, err
		}
		return until.Sub(now), nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e == nil || !now.Before(e.lockedUntil) {
		return 0, nil
	}
	return e.lockedUntil.Sub(now), nil
}

// fail counts a failure of key; once failures reach limit the key is locked.
func (t *throttle) fail(ctx context.Context, key string, limit int, now time.Time) error {
	if t.shared != nil {
		return t.shared.ThrottleFail(ctx, key, now, t.forget, func(n int) time.Duration { return t.lockFor(n, limit) })
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e != nil && now.Sub(e.lastFailure) > t.forget {
		e = nil
	}
	if e == nil {
		if len(t.entries) >= t.maxKeys {
			t.prune(now)
		}
		e = &throttleEntry{}
		t.entries[key] = e
	}
	e.failures++
	e.lastFailure = now
	if d := t.lockFor(e.failures, limit); d > 0 {
		e.lockedUntil = now.Add(d)
	}
	return nil
}

// reset forgets key's failures (after a successful sign-in).
func (t *throttle) reset(ctx context.Context, key string) error {
	if t.shared != nil {
		return t.shared.ThrottleReset(ctx, key)
	}
	t.mu.Lock()
	delete(t.entries, key)
	t.mu.Unlock()
	return nil
}

// prune drops entries that are not locked and old; if that frees nothing
// (a flood of fresh keys), it drops unlocked entries first, then all, so
// memory stays bounded. Caller holds mu.
func (t *throttle) prune(now time.Time) {
	for k, e := range t.entries {
		if now.After(e.lockedUntil) && now.Sub(e.lastFailure) > t.base {
			delete(t.entries, k)
		}
	}
	if len(t.entries) < t.maxKeys {
		return
	}
	for k, e := range t.entries {
		if now.After(e.lockedUntil) {
			delete(t.entries, k)
		}
	}
	if len(t.entries) >= t.maxKeys {
		clear(t.entries)
	}
}
