package auth

import (
	"sync"
	"time"
)

// throttle counts sign-in failures per key ("acct:<email>", "ip:<addr>")
// and locks a key out after limit failures: base, then twice as long after
// each further failure, up to max. Failures are forgotten after forget
// without a new one. It lives in memory: several web processes each keep
// their own counts (documented in docs/security.md).
type throttle struct {
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

func newThrottle() *throttle {
	return &throttle{entries: map[string]*throttleEntry{}, base: time.Minute, max: time.Hour,
		forget: 24 * time.Hour, maxKeys: 100_000}
}

// wait returns how long key is still locked at now (0 when it is not).
func (t *throttle) wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e == nil || !now.Before(e.lockedUntil) {
		return 0
	}
	return e.lockedUntil.Sub(now)
}

// fail counts a failure of key; once failures reach limit the key is locked.
func (t *throttle) fail(key string, limit int, now time.Time) {
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
	if e.failures >= limit {
		d := t.base
		for i := limit; i < e.failures && d < t.max; i++ {
			d *= 2
		}
		e.lockedUntil = now.Add(min(d, t.max))
	}
}

// reset forgets key's failures (after a successful sign-in).
func (t *throttle) reset(key string) {
	t.mu.Lock()
	delete(t.entries, key)
	t.mu.Unlock()
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
