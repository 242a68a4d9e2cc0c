package upstream

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultTimeout           = 2 * time.Second
	DefaultCacheBytes        = 8 << 20
	DefaultMaxTTL            = 24 * time.Hour
	DefaultStaleTTL          = 30 * time.Second // RFC 8767 section 4
	DefaultPrefetchThreshold = 5
	DefaultHealthInterval    = 3 * time.Second
	DefaultStaleAfter        = 1800 * time.Millisecond // RFC 8767 section 5's client response timer
	DefaultDownAfter         = 3

	// prefetchWorkers bounds concurrent prefetches; prefetchQueue bounds those waiting.
	prefetchWorkers = 2
	prefetchQueue   = 64
	// maxBackground bounds the lookups left running behind stale answers
	// sent at once (during an outage, before the upstreams are marked
	// down, every stale name would otherwise hold a goroutine for a
	// timeout); beyond it the stale answer goes without a refresh.
	maxBackground = 256
)

// ErrUpstreamsFailed means no upstream gave a usable answer and no stale answer was available.
var ErrUpstreamsFailed = errors.New("every upstream failed")

// ErrAllDown means every upstream is marked down: the query failed at
// once, without waiting for a timeout (it also wraps ErrUpstreamsFailed).
var ErrAllDown = errors.New("every upstream is marked down")

// ErrBadRequest means Resolve got a message it cannot forward (not exactly one question, or not a QUERY).
var ErrBadRequest = errors.New("request must be a query with exactly one question")

// Config configures a Resolver. Zero values get the defaults above, except
// where a field says otherwise.
type Config struct {
	// Upstreams are addresses for ParseAddress; at least one.
	Upstreams []string
	// Timeout bounds one exchange with one upstream.
	Timeout time.Duration
	// CacheBytes bounds the cache in bytes: each answer is counted for its
	// packed bytes and key plus its bookkeeping (about 100 bytes), which is
	// what it holds on the heap. 0 means DefaultCacheBytes.
	CacheBytes int64
	// CacheSize additionally bounds the number of cached answers (each
	// name, type, class and DO/EDNS/CD variant is one); 0 means no bound
	// but CacheBytes.
	CacheSize int
	// MinTTL and MaxTTL clamp every cached TTL, negative answers included.
	MinTTL, MaxTTL time.Duration
	// StaleTTL is the TTL written into stale answers.
	StaleTTL time.Duration
	// MaxStale is how long past expiry an answer may still be served when
	// every upstream fails (RFC 8767). Zero disables serve-stale.
	MaxStale time.Duration
	// Prefetch refreshes popular entries shortly before they expire (in the
	// last tenth of their lifetime); it needs Run.
	Prefetch bool
	// PrefetchThreshold is the number of hits after which an entry is popular.
	PrefetchThreshold int
	// KeepECS forwards a client's EDNS Client Subnet option, and bypasses the
	// cache for such queries. The zero value strips ECS (privacy by default).
	KeepECS bool
	// HealthInterval is how often Run probes upstreams marked down.
	HealthInterval time.Duration
	// StaleAfter is RFC 8767's client response timer: a query for a name
	// with a stale answer in the cache (within MaxStale) gets that answer
	// once the upstreams have not answered within StaleAfter; the lookup
	// goes on and refreshes the cache when it succeeds. It should be below
	// the client's own timeout (commonly 2 s). After a stall (this timer
	// running out, or a failed exchange) and until an upstream answers
	// again, stale answers are given at once, their lookups in the
	// background.
	StaleAfter time.Duration
	// DownAfter is the number of consecutive failed exchanges (timeouts,
	// network errors, malformed answers; not SERVFAIL) after which an
	// upstream is marked down: it is no longer asked, only probed every
	// HealthInterval. While every upstream is down, queries are answered
	// at once: stale if possible, otherwise an error wrapping ErrAllDown.
	DownAfter int
	// Logger may be nil (nothing is logged).
	Logger *slog.Logger
	// TLSConfig, if set, is the base for DoT and DoH connections (tests use it
	// to trust their own CA). The server name is set per upstream.
	TLSConfig *tls.Config
	// Now is the clock, time.Now when nil; tests replace it.
	Now func() time.Time
}

// Resolver forwards queries to upstreams with failover and caches the
// answers as packed messages. It is safe for concurrent use.
type Resolver struct {
	cfg       Config
	log       *slog.Logger
	ups       []*upstreamState
	cache     *cache
	flights   flightGroup
	prefetchQ chan *entry
	minTTL    uint32
	maxTTL    uint32
	staleTTL  uint32
	threshold uint32

	stale      atomic.Uint64
	staleTimer atomic.Uint64 // of stale: sent when StaleAfter ran out
	allDown    atomic.Uint64 // answered at once: every upstream down
	// lastOK and lastStall are when (time.Now, ns) an upstream last
	// answered and when one last failed or let the client response timer
	// run out: a stall since the last answer makes the upstreams suspect.
	lastOK, lastStall atomic.Int64
	background        chan struct{} // one token per lookup behind a stale answer
	prefetches        atomic.Uint64
	coalesced         atomic.Uint64
}

// New validates cfg and returns a Resolver. Call Run for health checks and prefetching.
func New(cfg Config) (*Resolver, error) {
	if len(cfg.Upstreams) == 0 {
		return nil, errors.New("upstream config: at least one upstream is needed")
	}
	switch {
	case cfg.Timeout < 0, cfg.CacheSize < 0, cfg.CacheBytes < 0, cfg.MinTTL < 0, cfg.MaxTTL < 0, cfg.StaleTTL < 0,
		cfg.MaxStale < 0, cfg.PrefetchThreshold < 0, cfg.HealthInterval < 0, cfg.StaleAfter < 0, cfg.DownAfter < 0:
		return nil, errors.New("upstream config: durations and sizes must not be negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.CacheBytes == 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	if cfg.MaxTTL == 0 {
		cfg.MaxTTL = DefaultMaxTTL
	}
	if cfg.StaleTTL == 0 {
		cfg.StaleTTL = DefaultStaleTTL
	}
	if cfg.PrefetchThreshold == 0 {
		cfg.PrefetchThreshold = DefaultPrefetchThreshold
	}
	if cfg.HealthInterval == 0 {
		cfg.HealthInterval = DefaultHealthInterval
	}
	if cfg.StaleAfter == 0 {
		cfg.StaleAfter = DefaultStaleAfter
	}
	if cfg.DownAfter == 0 {
		cfg.DownAfter = DefaultDownAfter
	}
	if cfg.MinTTL > cfg.MaxTTL {
		return nil, fmt.Errorf("upstream config: min ttl %s is above max ttl %s", cfg.MinTTL, cfg.MaxTTL)
	}
	if cfg.MaxTTL > math.MaxInt32*time.Second || cfg.StaleTTL > math.MaxInt32*time.Second {
		return nil, errors.New("upstream config: ttl too large")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Resolver{
		cfg:        cfg,
		log:        cfg.Logger,
		cache:      newCache(cfg.CacheSize, cfg.CacheBytes, cfg.MaxStale),
		prefetchQ:  make(chan *entry, prefetchQueue),
		background: make(chan struct{}, maxBackground),
		minTTL:     uint32(cfg.MinTTL / time.Second),
		maxTTL:     uint32(cfg.MaxTTL / time.Second),
		staleTTL:   uint32(max(cfg.StaleTTL/time.Second, 1)),
		threshold:  uint32(cfg.PrefetchThreshold),
	}
	r.flights.m = make(map[string]*flight)
	seen := make(map[string]bool)
	for i, s := range cfg.Upstreams {
		a, err := ParseAddress(s)
		if err != nil {
			return nil, fmt.Errorf("upstream config: upstreams[%d]: %w", i, err)
		}
		if seen[a.String()] {
			return nil, fmt.Errorf("upstream config: upstreams[%d]: %s is listed twice", i, a)
		}
		seen[a.String()] = true
		u, err := NewUpstream(a, cfg.Timeout, cfg.TLSConfig)
		if err != nil {
			return nil, fmt.Errorf("upstream config: %w", err)
		}
		st := &upstreamState{u: u}
		st.healthy.Store(true)
		r.ups = append(r.ups, st)
	}
	return r, nil
}

// clientFlags returns the cache key flags for a client.
func clientFlags(edns, do, cd bool) byte {
	var f byte
	if do {
		f |= keyDO
	}
	if edns {
		f |= keyEDNS
	}
	if cd {
		f |= keyCD
	}
	return f
}

// AppendCached is the fast path. If a fresh answer to q is cached, it
// appends it to dst, ready to send: q's ID, RD/CD mirrored, the client's
// letter case in the question, TTLs decremented to what remains; and
// returns true. If the answer is longer than maxSize (pass q.MaxUDPSize()
// for UDP, dnswire.MaxMsgLen for TCP) it appends an empty answer with TC
// set instead. It does not allocate, except when it hands a popular entry
// near expiry to the prefetcher. On false dst is returned unchanged and the
// caller unpacks the query and calls Resolve. Queries with an EDNS version
// other than 0 should get BADVERS before reaching here.
func (r *Resolver) AppendCached(dst []byte, q *dnswire.Query, maxSize int) ([]byte, bool) {
	if q.HasECS && r.cfg.KeepECS {
		return dst, false
	}
	var kb [maxKeyLen]byte
	key := appendKey(kb[:0], q.WireName(), q.QType, q.QClass, clientFlags(q.EDNS, q.DO, q.CD()))
	s := r.cache.shard(key)
	e := r.cache.get(s, key)
	now := r.cfg.Now().UnixNano()
	if e == nil || now >= e.expires {
		s.misses.Add(1)
		return dst, false
	}
	s.hits.Add(1)
	if r.cfg.Prefetch {
		r.maybePrefetch(e, now)
	}
	if int(e.msgLen) > maxSize {
		return dnswire.AppendTruncated(dst, q), true
	}
	return e.render(dst, q.ID, q.Flags, q.DO, q.OrigName(), now, 0), true
}

// maybePrefetch queues e for refresh when it is popular and in the last
// tenth of its lifetime; one prefetch per entry, dropped when the queue is full.
func (r *Resolver) maybePrefetch(e *entry, now int64) {
	if h := e.hits.Load(); h < r.threshold {
		e.hits.Add(1)
		return
	}
	if (e.expires-now)*10 > e.expires-e.stored || e.prefetching.Load() || !e.prefetching.CompareAndSwap(false, true) {
		return
	}
	select {
	case r.prefetchQ <- e:
	default:
		e.prefetching.Store(false)
	}
}

// Resolve is the slow path: it answers req from the cache if a fresh entry
// appeared meanwhile, otherwise asks the upstreams (coalescing identical
// concurrent misses), caches the answer, and returns it shaped for the
// client: req's ID, no OPT record unless req had one, DO passed through.
// When every upstream fails, or all are marked down, it serves a stale answer (TTL StaleTTL, EDE 3
// if the client used EDNS) if one is within MaxStale, and otherwise returns
// an error wrapping ErrUpstreamsFailed (answer SERVFAIL). If every upstream
// answers SERVFAIL or REFUSED and nothing stale exists, that answer is
// returned. The answer is not truncated: the caller applies (*dns.Msg).Truncate
// for UDP.
func (r *Resolver) Resolve(ctx context.Context, req *dns.Msg) (*dns.Msg, error) {
	if len(req.Question) != 1 || req.Opcode != dns.OpcodeQuery || req.Response {
		return nil, ErrBadRequest
	}
	q := req.Question[0]
	opt := req.IsEdns0()
	edns, do := opt != nil, opt != nil && opt.Do()
	var ecs *dns.EDNS0_SUBNET
	if opt != nil {
		for _, o := range opt.Option {
			if s, ok := o.(*dns.EDNS0_SUBNET); ok {
				ecs = s
			}
		}
	}
	var nameBuf [dnswire.MaxNameLen]byte
	n, err := dns.PackDomainName(dns.Fqdn(q.Name), nameBuf[:], 0, nil, false)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	orig := nameBuf[:n]
	if !r.cfg.KeepECS {
		ecs = nil // stripped: the answer is the same for every client, so it is cached
	}
	lk := lookup{lower: asciiLower(orig), qtype: q.Qtype, qclass: q.Qclass,
		flags: clientFlags(edns, do, req.CheckingDisabled), ecs: ecs}
	e, now, staleTTL, err := r.resolve(ctx, &lk)
	if err != nil {
		return nil, err
	}
	return r.unpackRendered(e, req.Id, headerFlags(req), do, orig, now, staleTTL, staleTTL > 0 && edns)
}

// ResolveAppend is Resolve for a query parsed by dnswire, for the DNS
// server's slow path: it appends the answer, packed, to dst, rendered from
// the cached bytes exactly as AppendCached does (an empty answer with TC
// when it is longer than maxSize), so a miss costs no unpacking or packing
// of the client's query or of the answer. It returns false, with dst
// unchanged, for a query it leaves to Resolve: one with an EDNS Client
// Subnet option when KeepECS is set. On an error (no upstream answered and
// nothing stale) dst is returned unchanged; the caller answers SERVFAIL.
func (r *Resolver) ResolveAppend(ctx context.Context, dst []byte, q *dnswire.Query, maxSize int) ([]byte, bool, error) {
	if q.HasECS && r.cfg.KeepECS {
		return dst, false, nil
	}
	lk := lookup{lower: q.WireName(), qtype: q.QType, qclass: q.QClass, flags: clientFlags(q.EDNS, q.DO, q.CD())}
	e, now, staleTTL, err := r.resolve(ctx, &lk)
	if err != nil {
		return dst, true, err
	}
	reqFlags := q.Flags & (dnswire.FlagRD | dnswire.FlagCD | dnswire.FlagAD)
	if staleTTL > 0 && q.EDNS {
		// Rare (every upstream down): the EDE option is added through miekg.
		m, err := r.unpackRendered(e, q.ID, reqFlags, q.DO, q.OrigName(), now, staleTTL, true)
		if err != nil {
			return dst, true, err
		}
		if m.Len() > maxSize {
			return dnswire.AppendTruncated(dst, q), true, nil
		}
		b, err := m.PackBuffer(dst[len(dst):cap(dst)])
		if err != nil {
			return dst, true, fmt.Errorf("packing stale answer: %w", err)
		}
		return append(dst, b...), true, nil
	}
	if int(e.msgLen) > maxSize {
		return dnswire.AppendTruncated(dst, q), true, nil
	}
	return e.render(dst, q.ID, reqFlags, q.DO, q.OrigName(), now, staleTTL), true, nil
}

// lookup is what resolve needs of a query.
type lookup struct {
	lower         []byte // lower-cased wire name
	qtype, qclass uint16
	flags         byte              // clientFlags
	ecs           *dns.EDNS0_SUBNET // forwarded (and the cache bypassed) when set
}

// resolve finds the entry to answer lk with: fresh from the cache, fetched,
// or stale (staleTTL > 0) when the upstreams fail; now is the time to
// render it at.
func (r *Resolver) resolve(ctx context.Context, lk *lookup) (e *entry, now int64, staleTTL uint32, err error) {
	var kb [maxKeyLen]byte
	key := appendKey(kb[:0], lk.lower, lk.qtype, lk.qclass, lk.flags)
	useCache := lk.ecs == nil
	s := r.cache.shard(key)
	now = r.cfg.Now().UnixNano()
	var stale *entry // an expired answer still within MaxStale
	if useCache {
		if e := r.cache.get(s, key); e != nil {
			if now < e.expires {
				return e, now, 0, nil
			}
			if r.cfg.MaxStale > 0 && now < r.staleUntil(e) {
				stale = e
			}
		}
	}
	if !r.anyHealthy() {
		// Every upstream is down: answer at once, stale or SERVFAIL,
		// instead of making the client wait for timeouts (RFC 8767 section
		// 5); Run's probes bring the upstreams back.
		r.allDown.Add(1)
		if stale != nil {
			r.stale.Add(1)
			return stale, now, r.staleTTL, nil
		}
		return nil, 0, 0, fmt.Errorf("%w: %w", ErrUpstreamsFailed, ErrAllDown)
	}
	up := r.upstreamRequest(dns.Question{Name: dnsName(lk.lower), Qtype: lk.qtype, Qclass: lk.qclass}, lk.flags, lk.ecs)
	cacheKey := string(key)
	fetch := func() (*entry, error) { return r.fetch(ctx, cacheKey, up, lk.flags, useCache) }
	if stale != nil && r.suspect() {
		// The upstreams have stalled since they last answered: the stale
		// answer now (RFC 8767 allows a client response timer of 0), and
		// a lookup in the background that refreshes it, or counts towards
		// marking the upstream down. (A stale entry means the cache is in
		// use, so no ECS: the flight's key is the cache's.)
		select {
		case r.background <- struct{}{}:
			if _, shared := r.flights.join(cacheKey, func() (*entry, error) {
				defer func() { <-r.background }()
				return fetch()
			}); shared {
				<-r.background // already in flight: this fn does not run
			}
		default:
		}
		r.stale.Add(1)
		return stale, now, r.staleTTL, nil
	}
	flightKey := cacheKey
	if lk.ecs != nil {
		// A forwarded subnet makes the answer this client's own: share it only
		// with queries for the same subnet, never with the cache's.
		flightKey += "\x00ecs " + lk.ecs.String()
	}
	var shared bool
	if stale == nil {
		e, err, shared = r.flights.do(ctx, flightKey, fetch)
	} else {
		// A stale answer is at hand: wait for the upstreams no longer than
		// the client response timer, and leave the lookup running to
		// refresh the cache.
		var f *flight
		f, shared = r.flights.join(flightKey, fetch)
		t := time.NewTimer(r.cfg.StaleAfter)
		select {
		case <-f.done:
			t.Stop()
			e, err = f.e, f.err
		case <-t.C:
			r.stalled()
			r.stale.Add(1)
			r.staleTimer.Add(1)
			return stale, r.cfg.Now().UnixNano(), r.staleTTL, nil
		case <-ctx.Done():
			t.Stop()
			err = ctx.Err()
		}
	}
	if shared {
		r.coalesced.Add(1)
	}
	if err == nil && e.rcode() != dns.RcodeServerFailure && e.rcode() != dns.RcodeRefused {
		return e, r.cfg.Now().UnixNano(), 0, nil
	}
	if useCache && r.cfg.MaxStale > 0 {
		now = r.cfg.Now().UnixNano()
		if st := r.cache.get(s, key); st != nil && now < r.staleUntil(st) {
			r.stale.Add(1)
			r.log.DebugContext(ctx, "serving stale answer", "name", up.Question[0].Name, "type", dns.TypeToString[lk.qtype])
			return st, now, r.staleTTL, nil
		}
	}
	if err != nil {
		return nil, 0, 0, err
	}
	return e, r.cfg.Now().UnixNano(), 0, nil
}

// asciiLower returns a lower-cased copy of a wire name, ASCII letters only,
// exactly as dnswire.ParseQuery lowers names for the fast path's key.
func asciiLower(wire []byte) []byte {
	out := make([]byte, len(wire))
	for i, c := range wire {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// headerFlags returns the header bits render mirrors (RD, CD, AD).
func headerFlags(m *dns.Msg) uint16 {
	var f uint16
	if m.RecursionDesired {
		f |= dnswire.FlagRD
	}
	if m.CheckingDisabled {
		f |= dnswire.FlagCD
	}
	if m.AuthenticatedData {
		f |= dnswire.FlagAD
	}
	return f
}

// dnsName turns a lower-cased wire name back into presentation form.
func dnsName(wire []byte) string {
	s, _, err := dns.UnpackDomainName(wire, 0)
	if err != nil {
		return "."
	}
	return s
}

func (e *entry) rcode() int { return int(e.msg()[3] & 0xF) }

// staleUntil is when e stops being served stale.
func (r *Resolver) staleUntil(e *entry) int64 { return e.expires + int64(r.cfg.MaxStale) }

func (r *Resolver) unpackRendered(e *entry, id, flags uint16, do bool, orig []byte, now int64, staleTTL uint32, addEDE bool) (*dns.Msg, error) {
	buf := e.render(make([]byte, 0, e.msgLen), id, flags, do, orig, now, staleTTL)
	m := new(dns.Msg)
	if err := m.Unpack(buf); err != nil {
		return nil, fmt.Errorf("unpacking cached answer: %w", err)
	}
	if addEDE {
		if o := m.IsEdns0(); o != nil {
			o.Option = append(o.Option, &dns.EDNS0_EDE{InfoCode: dns.ExtendedErrorCodeStaleAnswer})
		}
	}
	return m, nil
}

// upstreamRequest builds what is sent upstream: RD, our own EDNS buffer
// size, the client's DO and CD, AD to ask for the validation result, and
// no client options except ECS when KeepECS.
func (r *Resolver) upstreamRequest(q dns.Question, flags byte, ecs *dns.EDNS0_SUBNET) *dns.Msg {
	m := new(dns.Msg)
	m.Question = []dns.Question{q}
	m.RecursionDesired = true
	m.AuthenticatedData = true
	m.CheckingDisabled = flags&keyCD != 0
	m.SetEdns0(dnswire.DefaultUDPSize, flags&keyDO != 0)
	if ecs != nil {
		o := m.IsEdns0()
		o.Option = append(o.Option, ecs)
	}
	return m
}

// fetch asks the upstreams, shapes the answer for the key's client variant
// and caches it when store is set and the answer is cacheable.
func (r *Resolver) fetch(ctx context.Context, key string, req *dns.Msg, flags byte, store bool) (*entry, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.cfg.Timeout*time.Duration(len(r.ups)))
	defer cancel()
	resp, err := r.exchange(ctx, req)
	if err != nil {
		return nil, err
	}
	e, cacheable, err := r.newEntry(key, req.Question[0], flags, resp)
	if err != nil {
		return nil, err
	}
	if store && cacheable {
		r.cache.put(e, e.stored)
	}
	return e, nil
}

// newEntry shapes resp for the client variant in flags and packs it:
// ID 0, OPT only for EDNS clients (our buffer size, DO, upstream EDE
// options kept), TTLs clamped; negative answers get the SOA-derived TTL
// (RFC 2308). It modifies resp, which fetch owns (fresh from the exchange).
func (r *Resolver) newEntry(key string, q dns.Question, flags byte, resp *dns.Msg) (*entry, bool, error) {
	m := resp
	m.Id = 0
	m.Authoritative = false // a forwarder's answers are never authoritative
	m.Question = []dns.Question{q}
	var ede []dns.EDNS0
	if o := m.IsEdns0(); o != nil {
		for _, opt := range o.Option {
			if opt.Option() == dns.EDNS0EDE {
				ede = append(ede, opt)
			}
		}
	}
	m.Extra = slices.DeleteFunc(m.Extra, func(rr dns.RR) bool { return rr.Header().Rrtype == dns.TypeOPT })
	if flags&keyEDNS != 0 {
		m.SetEdns0(dnswire.DefaultUDPSize, flags&keyDO != 0)
		o := m.IsEdns0()
		o.Option = ede
	} else if m.Rcode > 0xF {
		m.Rcode = dns.RcodeServerFailure
	}
	ttl, cacheable := r.clampTTLs(m)
	m.Compress = true
	packed, err := m.Pack()
	if err != nil {
		return nil, false, fmt.Errorf("packing answer: %w", err)
	}
	offs, err := dnswire.TTLOffsets(packed, nil)
	if err != nil {
		return nil, false, fmt.Errorf("indexing answer: %w", err)
	}
	nameEnd, err := dnswire.QuestionEnd(packed)
	if err != nil {
		return nil, false, fmt.Errorf("indexing answer: %w", err)
	}
	now := r.cfg.Now().UnixNano()
	expires := now + int64(ttl)*int64(time.Second)
	if len(packed) > math.MaxUint16 || len(key) > math.MaxUint16 {
		return nil, false, errors.New("answer too large to cache")
	}
	e := newEntryData(key, packed, offs, nameEnd-4, flags, now, expires)
	return e, cacheable && ttl > 0, nil
}

// clampTTLs clamps every TTL in m to [MinTTL, MaxTTL] and returns how long
// m may be cached and whether it may be cached at all.
func (r *Resolver) clampTTLs(m *dns.Msg) (uint32, bool) {
	if m.Truncated {
		return 0, false
	}
	clamp := func(t uint32) uint32 { return min(max(t, r.minTTL), r.maxTTL) }
	lifetime := uint32(math.MaxUint32)
	each := func(rrs []dns.RR) {
		for _, rr := range rrs {
			h := rr.Header()
			if h.Rrtype == dns.TypeOPT {
				continue
			}
			h.Ttl = clamp(h.Ttl)
			lifetime = min(lifetime, h.Ttl)
		}
	}
	negative := m.Rcode == dns.RcodeNameError || m.Rcode == dns.RcodeSuccess && len(m.Answer) == 0
	switch {
	case negative:
		var soa *dns.SOA
		for _, rr := range m.Ns {
			if s, ok := rr.(*dns.SOA); ok {
				soa = s
			}
		}
		if soa == nil {
			each(m.Ns)
			each(m.Extra)
			return 0, false // RFC 2308: no SOA, no negative caching
		}
		neg := clamp(min(soa.Hdr.Ttl, soa.Minttl))
		each(m.Ns)
		each(m.Extra)
		soa.Hdr.Ttl = neg
		return neg, true
	case m.Rcode == dns.RcodeSuccess:
		each(m.Answer)
		each(m.Ns)
		each(m.Extra)
		return lifetime, true
	}
	return 0, false
}

// Stats are counters since New, for metrics.
type Stats struct {
	// Hits and Misses count AppendCached lookups.
	Hits, Misses uint64
	// StaleServed counts stale answers given because every upstream
	// failed, was marked down, or had not answered within StaleAfter
	// (StaleOnTimer, of StaleServed).
	StaleServed, StaleOnTimer uint64
	// AllDown counts queries answered at once (stale, or an ErrAllDown
	// error) because every upstream was marked down.
	AllDown uint64
	// Prefetches counts completed prefetch refreshes.
	Prefetches uint64
	// Coalesced counts Resolve calls that waited for an identical query in flight.
	Coalesced uint64
	// Evictions counts entries pushed out by CLOCK; Entries is the current size.
	Evictions uint64
	Entries   int
	// Bytes is what the cached answers are counted for against CacheBytes.
	Bytes int64
	// Upstreams holds per-upstream query and error counts.
	Upstreams []UpstreamStatus
}

// Stats returns the counters. It takes each shard's read lock briefly.
func (r *Resolver) Stats() Stats {
	var s Stats
	s.Hits, s.Misses, s.Evictions, s.Entries, s.Bytes = r.cache.counts()
	s.StaleServed, s.StaleOnTimer, s.AllDown = r.stale.Load(), r.staleTimer.Load(), r.allDown.Load()
	s.Prefetches = r.prefetches.Load()
	s.Coalesced = r.coalesced.Load()
	s.Upstreams = r.Health()
	return s
}

// Run probes upstreams marked down every HealthInterval (so that one
// black-holed upstream, or all of them, costs no client a timeout while it
// is down) and performs
// prefetches, until ctx ends. It returns nil then.
func (r *Resolver) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range prefetchWorkers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case e := <-r.prefetchQ:
					r.prefetch(ctx, e)
				}
			}
		})
	}
	t := time.NewTicker(r.cfg.HealthInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-t.C:
			r.probeDown(ctx)
		}
	}
}

func (r *Resolver) prefetch(ctx context.Context, e *entry) {
	q := e.question()
	key := e.key()
	req := r.upstreamRequest(q, e.flags, nil)
	_, err, _ := r.flights.do(ctx, key, func() (*entry, error) {
		return r.fetch(ctx, key, req, e.flags, true)
	})
	if err != nil {
		e.prefetching.Store(false)
		r.log.DebugContext(ctx, "prefetch failed", "name", q.Name, "err", err)
		return
	}
	r.prefetches.Add(1)
}
