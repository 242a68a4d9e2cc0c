package family

import (
	"sync"
	"time"
)

// throttle counts sign-in (and recovery) failures per key ("acct:<login>",
// "ip:<addr>") and locks a key after limit failures: a minute, then twice
// as long after each further failure, up to an hour. It mirrors auth's
// (unexported) throttle; it lives in memory, so several web processes each
// keep their own counts.
type throttle struct {
	mu      sync.Mutex
	entries map[string]*throttleEntry
	maxKeys int
}

type throttleEntry struct {
	failures    int
	lastFailure time.Time
	lockedUntil time.Time
}

const (
	throttleBase   = time.Minute
	throttleMax    = time.Hour
	throttleForget = 24 * time.Hour
)

func newThrottle() *throttle {
	return &throttle{entries: map[string]*throttleEntry{}, maxKeys: 100_000}
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

// fail counts a failure of key; from limit failures on, the key is locked.
func (t *throttle) fail(key string, limit int, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e != nil && now.Sub(e.lastFailure) > throttleForget {
		e = nil
	}
	if e == nil {
		if len(t.entries) >= t.maxKeys {
			for k, x := range t.entries {
				if now.After(x.lockedUntil) {
					delete(t.entries, k)
				}
			}
			if len(t.entries) >= t.maxKeys {
				clear(t.entries)
			}
		}
		e = &throttleEntry{}
		t.entries[key] = e
	}
	e.failures++
	e.lastFailure = now
	if e.failures >= limit {
		d := throttleBase
		for i := limit; i < e.failures && d < throttleMax; i++ {
			d *= 2
		}
		e.lockedUntil = now.Add(min(d, throttleMax))
	}
}

// reset forgets key's failures.
func (t *throttle) reset(key string) {
	t.mu.Lock()
	delete(t.entries, key)
	t.mu.Unlock()
}
