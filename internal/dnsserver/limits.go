package dnsserver

import (
	"context"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"manglanh/internal/filter"
	"manglanh/internal/querylog"
)

// rateLimiter is a token bucket per client address, in shards so that the
// readers rarely meet on one lock. Buckets idle for a minute are dropped.
//
// A school's hundreds of devices share one NAT address: the default rate
// (300/s, burst 1000) is well above what they send together (a busy device
// sends a few queries a second), so they are never starved, while one
// flooding host is held to the rate.
type rateLimiter struct {
	rate, burst float64
	shards      [64]limiterShard
}

type limiterShard struct {
	mu      sync.Mutex
	buckets map[netip.Addr]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(rate, burst float64) *rateLimiter {
	l := &rateLimiter{rate: rate, burst: burst}
	for i := range l.shards {
		l.shards[i].buckets = map[netip.Addr]*bucket{}
	}
	return l
}

func (l *rateLimiter) allow(a netip.Addr, now time.Time) bool {
	b16 := a.As16()
	h := uint32(b16[15]) ^ uint32(b16[14])<<3 ^ uint32(b16[13])<<5 ^ uint32(b16[11])<<7
	sh := &l.shards[h%uint32(len(l.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if now.Sub(sh.swept) > time.Minute {
		for k, b := range sh.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(sh.buckets, k)
			}
		}
		sh.swept = now
	}
	b := sh.buckets[a]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		sh.buckets[a] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Actions counted per profile and tag.
const (
	actAllowed = iota
	actBlocked
	actRewritten
	numActs
)

var actNames = [numActs]querylog.Action{querylog.Allowed, querylog.Blocked, querylog.Rewritten}

// counterSet counts queries per profile, tag (64 tags plus "none") and
// action with atomic adds: the hot path never touches a map or a channel for
// allowed queries. flushCounts sends the deltas to the Recorder.
type counterSet struct {
	n []atomic.Int64 // [profile][tag 0..64][action]
	p int
}

const tagSlots = 65

func newCounterSet(profiles int) *counterSet {
	if profiles < 1 {
		profiles = 1
	}
	return &counterSet{n: make([]atomic.Int64, profiles*tagSlots*numActs), p: profiles}
}

func (c *counterSet) add(profile int, t filter.Tag, act int) {
	slot := int(t)
	if t == filter.NoTag || slot >= tagSlots-1 {
		slot = tagSlots - 1
	}
	if profile < 0 || profile >= c.p {
		profile = 0
	}
	c.n[(profile*tagSlots+slot)*numActs+act].Add(1)
}

// flushCounts moves the counts to the Recorder every 10 seconds and once
// more at shutdown.
func (s *Server) flushCounts(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.flushOnce()
		case <-ctx.Done():
			s.flushOnce()
			return
		}
	}
}

func (s *Server) flushOnce() {
	if s.cfg.Recorder == nil {
		return
	}
	snap := s.policy.Load()
	s.flushBlocked(snap)
	c := s.counters.Load()
	now := s.now()
	for i := range c.n {
		v := c.n[i].Swap(0)
		if v == 0 {
			continue
		}
		act := i % numActs
		slot := (i / numActs) % tagSlots
		profile := i / numActs / tagSlots
		cat := ""
		if slot < tagSlots-1 {
			cat = s.cfg.Registry.Name(filter.Tag(slot))
		}
		name := ""
		if profile < len(snap.names) {
			name = snap.names[profile]
		}
		s.cfg.Recorder.Record(querylog.Event{Time: now, Count: v, Profile: name, Category: cat, Action: actNames[act]})
	}
}
