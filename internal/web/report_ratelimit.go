package web

import (
	"math"
	"net/netip"
	"sync"
	"time"
)

// rateLimiter is a token bucket per client network: an IPv4 address or an
// IPv6 /64 (one household or one phone gets one bucket, whatever address it
// picks inside its prefix). Behind a school or ward NAT everyone shares one
// bucket, so bursts are generous and the steady rate modest. The table is
// bounded: when full, buckets that have refilled are forgotten first, and if
// none has, the oldest are.
type rateLimiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration // one token per every
	max     int
	buckets map[netip.Prefix]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(burst int, every time.Duration) *rateLimiter {
	if burst < 1 {
		burst = 1
	}
	if every <= 0 {
		every = time.Second
	}
	return &rateLimiter{burst: float64(burst), every: every, max: 10000,
		buckets: map[netip.Prefix]*bucket{}, now: time.Now}
}

func clientKey(a netip.Addr) netip.Prefix {
	if !a.IsValid() {
		return netip.Prefix{}
	}
	if a.Is4() {
		return netip.PrefixFrom(a, 32)
	}
	p, _ := a.Prefix(64)
	return p
}

// allow takes a token for a. When none is left it returns false and how
// long until one is.
func (l *rateLimiter) allow(a netip.Addr) (bool, time.Duration) {
	key := clientKey(a)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.max {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.refill(now, l.burst, l.every)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration(math.Ceil((1 - b.tokens) * float64(l.every)))
	return false, wait
}

func (b *bucket) refill(now time.Time, burst float64, every time.Duration) {
	if el := now.Sub(b.last); el > 0 {
		b.tokens = math.Min(burst, b.tokens+float64(el)/float64(every))
		b.last = now
	}
}

// evict drops full buckets; if that frees nothing, it drops the half that
// was used least recently.
func (l *rateLimiter) evict(now time.Time) {
	for k, b := range l.buckets {
		b.refill(now, l.burst, l.every)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < l.max {
		return
	}
	var cutoff time.Time
	n := 0
	for _, b := range l.buckets {
		if n == 0 || b.last.Before(cutoff) {
			cutoff = b.last
		}
		n++
	}
	// Drop everything not touched since the midpoint between the oldest
	// and now: at least the oldest bucket goes.
	mid := cutoff.Add(now.Sub(cutoff) / 2)
	for k, b := range l.buckets {
		if !b.last.After(mid) {
			delete(l.buckets, k)
		}
	}
}
