package dnsserver

import (
	"hash/maphash"
	"net/netip"
	"sync"
	"time"
)

// Defaults of the error-answer limit (the config's): REFUSED, FORMERR and
// NOTIMP over UDP, per client network. BIND's response-rate limiting suggests a
// handful a second; a client that gets these answers is misconfigured or
// spoofed, so little is lost.
const (
	DefaultErrorRate  = 10
	DefaultErrorBurst = 20
	// errSlots is the size of the error limiter's table: fixed, so that a
	// flood from spoofed sources costs no memory. 16,384 slots of 16 bytes.
	errSlots = 1 << 14
)

// errLimiter is a token bucket per client network (IPv4 /32, IPv6 /64) for
// the error answers sent over UDP, so that a spoofed source cannot make
// the resolver a reflector: 20,000 refused queries a second from one
// address got 20,000 answers before it. Buckets live in a fixed table
// indexed by a seeded hash of the network; networks that collide share a
// bucket (an attacker cannot choose to, the seed is random), which only
// ever limits error answers more, never less.
type errLimiter struct {
	rate, burst float64
	seed        maphash.Seed
	locks       [64]sync.Mutex
	slots       [errSlots]errBucket
}

type errBucket struct {
	tokens float32
	last   int64 // unix nanoseconds; 0: never used (full)
}

func newErrLimiter(rate, burst float64) *errLimiter {
	return &errLimiter{rate: rate, burst: burst, seed: maphash.MakeSeed()}
}

// allow takes a token for an error answer to client at now.
func (l *errLimiter) allow(client netip.Addr, now time.Time) bool {
	n := clientNet(client)
	a := n.Addr().As16()
	i := maphash.Bytes(l.seed, a[:]) % errSlots
	mu := &l.locks[i%uint64(len(l.locks))]
	mu.Lock()
	defer mu.Unlock()
	b := &l.slots[i]
	t := now.UnixNano()
	if b.last == 0 {
		b.tokens, b.last = float32(l.burst), t
	} else if el := time.Duration(t - b.last).Seconds(); el > 0 {
		b.tokens = float32(min(l.burst, float64(b.tokens)+el*l.rate))
		b.last = t
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
