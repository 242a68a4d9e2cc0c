package upstream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// UpstreamStatus is the state of one upstream, for the admin page and metrics.
type UpstreamStatus struct {
	Address string
	// Healthy is false from Config.DownAfter consecutive failed exchanges
	// until a health probe succeeds.
	Healthy bool
	// Latency is a moving average of successful exchanges (0 before the first).
	Latency time.Duration
	// Queries and Errors count exchanges and failed exchanges (timeouts,
	// network errors, malformed or mismatched answers; not SERVFAIL).
	Queries, Errors uint64
	// LastError is the most recent failure, empty if none.
	LastError string
	// Since is when Healthy last changed (zero if never).
	Since time.Time
}

type upstreamState struct {
	u       Upstream
	healthy atomic.Bool
	latency atomic.Int64 // EWMA in ns, weight 1/8 for the newest sample
	queries atomic.Uint64
	errors  atomic.Uint64
	fails   atomic.Int32 // consecutive failed exchanges

	mu      sync.Mutex
	lastErr string
	since   time.Time
}

func (s *upstreamState) succeeded(rtt time.Duration) {
	s.fails.Store(0)
	old := s.latency.Load()
	if old == 0 {
		s.latency.Store(int64(rtt))
	} else {
		s.latency.Store(old + (int64(rtt)-old)/8)
	}
	if !s.healthy.Load() {
		s.setHealthy(true, "")
	}
}

func (s *upstreamState) setHealthy(ok bool, errText string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if errText != "" {
		s.lastErr = errText
	}
	if s.healthy.Load() != ok {
		s.healthy.Store(ok)
		s.since = time.Now()
	}
}

func (r *Resolver) anyHealthy() bool {
	for _, u := range r.ups {
		if u.healthy.Load() {
			return true
		}
	}
	return false
}

// order returns the upstreams to try: healthy ones first, each group by
// lower average latency (untried ones count as fast, so they get a turn).
func (r *Resolver) order() []*upstreamState {
	ups := slices.Clone(r.ups)
	if len(ups) < 2 {
		return ups
	}
	slices.SortStableFunc(ups, func(a, b *upstreamState) int {
		ha, hb := a.healthy.Load(), b.healthy.Load()
		if ha != hb {
			if ha {
				return -1
			}
			return 1
		}
		la, lb := a.latency.Load(), b.latency.Load()
		switch {
		case la < lb:
			return -1
		case la > lb:
			return 1
		}
		return 0
	})
	return ups
}

// answered records that an upstream answered; stalled that one failed
// or let a client response timer run out; suspect reports a stall since
// the last answer.
func (r *Resolver) answered()     { r.lastOK.Store(time.Now().UnixNano()) }
func (r *Resolver) stalled()      { r.lastStall.Store(time.Now().UnixNano()) }
func (r *Resolver) suspect() bool { return r.lastStall.Load() > r.lastOK.Load() }

// failed records a failed exchange with u: its latency counts as at least
// the timeout, so that order tries it after those that answer, and after
// DownAfter failures in a row it is marked down.
func (r *Resolver) failed(ctx context.Context, u *upstreamState, err error) {
	r.stalled()
	u.errors.Add(1)
	if l := u.latency.Load(); l < int64(r.cfg.Timeout) {
		u.latency.Store(int64(r.cfg.Timeout))
	}
	if n := u.fails.Add(1); int(n) < r.cfg.DownAfter {
		u.setHealthy(true, err.Error())
		return
	}
	if u.healthy.Load() {
		r.log.WarnContext(ctx, "upstream marked down", "upstream", u.u.Address(), "failures", r.cfg.DownAfter, "err", err)
	}
	u.setHealthy(false, err.Error())
}

// exchange tries the upstreams that are up, in order, until one answers
// with something other than SERVFAIL or REFUSED. An upstream whose
// exchanges fail DownAfter times in a row is marked down and skipped until
// a probe brings it back; a SERVFAIL is about the name, not the upstream,
// so it counts as an answer.
func (r *Resolver) exchange(ctx context.Context, req *dns.Msg) (*dns.Msg, error) {
	var (
		errs []error
		last *dns.Msg
	)
	for _, u := range r.order() {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		if !u.healthy.Load() {
			continue
		}
		req.Id = dns.Id()
		start := time.Now()
		// Each transport bounds its exchange by Timeout itself (NewUpstream):
		// no per-attempt context (and its timer) is needed here.
		resp, err := u.u.Exchange(ctx, req)
		u.queries.Add(1)
		if err != nil {
			// Counted even when the fetch's own deadline ended it: that is
			// this upstream not answering in time.
			errs = append(errs, err)
			r.failed(ctx, u, err)
			continue
		}
		u.succeeded(time.Since(start))
		r.answered()
		if resp.Rcode == dns.RcodeServerFailure || resp.Rcode == dns.RcodeRefused {
			last = resp
			continue
		}
		return resp, nil
	}
	if last != nil {
		return last, nil
	}
	if len(errs) == 0 {
		errs = append(errs, ErrAllDown)
	}
	return nil, fmt.Errorf("%w: %w", ErrUpstreamsFailed, errors.Join(errs...))
}

// probeDown sends ". NS" to every upstream marked down and marks those
// that answer as up again.
func (r *Resolver) probeDown(ctx context.Context) {
	var wg sync.WaitGroup
	for _, u := range r.ups {
		if u.healthy.Load() {
			continue
		}
		wg.Go(func() {
			req := new(dns.Msg)
			req.SetQuestion(".", dns.TypeNS)
			req.SetEdns0(1232, false)
			pctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
			defer cancel()
			start := time.Now()
			if _, err := u.u.Exchange(pctx, req); err != nil {
				u.setHealthy(false, err.Error())
				return
			}
			u.succeeded(time.Since(start))
			r.answered()
			r.log.InfoContext(ctx, "upstream back up", "upstream", u.u.Address())
		})
	}
	wg.Wait()
}

// Health returns the state of every upstream in configuration order.
func (r *Resolver) Health() []UpstreamStatus {
	out := make([]UpstreamStatus, 0, len(r.ups))
	for _, u := range r.ups {
		u.mu.Lock()
		st := UpstreamStatus{
			Address: u.u.Address(), Healthy: u.healthy.Load(), Latency: time.Duration(u.latency.Load()),
			Queries: u.queries.Load(), Errors: u.errors.Load(), LastError: u.lastErr, Since: u.since,
		}
		u.mu.Unlock()
		out = append(out, st)
	}
	return out
}
