// Package dnsserver is the protective resolver's front: UDP, TCP,
// DNS-over-TLS (RFC 7858) and DNS-over-HTTPS (RFC 8484) listeners sharing one
// handler. The hot path parses the query in place
// (internal/dnswire), asks the compiled policy (internal/filter) and answers
// cache hits and blocked names straight from wire bytes with no allocation;
// cache misses and safe-search rewrites take the slow path off the reading
// goroutine: misses through the upstream resolver from packed bytes to
// packed bytes, rewrites through miekg/dns. On Linux each UDP reader has a
// socket of its own on the port (SO_REUSEPORT).
//
// The hot path never waits on the database: the policy and the matcher are
// immutable snapshots behind atomic pointers, query counts are atomic
// counters, and blocked queries are folded into a fixed table of details
// (see blockLog); both go to the querylog Recorder every 10 seconds.
package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
	"manglanh/internal/filter"
	"manglanh/internal/querylog"
)

// Resolver answers allowed queries: AppendCached from packed cache entries
// on the hot path, Resolve through the upstreams otherwise.
type Resolver interface {
	// AppendCached appends a cached answer to q, with q's ID and the
	// remaining TTLs, truncated to fit maxSize; false if none is cached.
	AppendCached(dst []byte, q *dnswire.Query, maxSize int) ([]byte, bool)
	// Resolve answers req through the upstreams (and caches the answer).
	Resolve(ctx context.Context, req *dns.Msg) (*dns.Msg, error)
	// ResolveAppend is Resolve for a parsed query, appending the packed
	// answer (truncated to fit maxSize) to dst; false if the query needs
	// Resolve instead.
	ResolveAppend(ctx context.Context, dst []byte, q *dnswire.Query, maxSize int) ([]byte, bool, error)
}

// Recorder receives query counts and blocked events; Record must not block.
type Recorder interface {
	Record(e querylog.Event) bool
}

// Config configures a Server.
type Config struct {
	// Listen is one host:port for both UDP and TCP.
	Listen   string
	Resolver Resolver
	Registry *filter.Registry
	Recorder Recorder // may be nil
	// AllowNets are the client networks answered; others get REFUSED.
	AllowNets []netip.Prefix
	// RateLimit is queries per second per client address (0 = unlimited) and
	// RateBurst the bucket size.
	RateLimit, RateBurst int
	// ErrorRate is the REFUSED, FORMERR and NOTIMP answers per second sent
	// over UDP to one client network (an IPv4 address, an IPv6 /64), 0 for
	// no limit (config's default is DefaultErrorRate), and ErrorBurst the
	// bucket size (at least ErrorRate; DefaultErrorBurst if 0). Those
	// beyond are dropped unanswered, so that a spoofed source cannot use
	// the resolver as a reflector; TCP, DoT and DoH, which cannot be
	// spoofed, are always answered.
	ErrorRate, ErrorBurst int
	// NXDomainBlocks answers blocked names NXDOMAIN instead of 0.0.0.0 / ::.
	NXDomainBlocks bool
	// ScheduleMaxTTL caps the TTL of answers to profiles with schedules or
	// budgets and to the portal's profiles (filter.Policy.ClampTTL), so a
	// window, a parent's change or a spent budget takes effect on a browsing
	// device within that time, and a device that keeps using a service keeps
	// asking (default 60 s).
	ScheduleMaxTTL time.Duration
	// Usage receives the budgets' minute bitmaps and the devices' last-seen
	// times every 10 seconds and gives back what was stored (at Listen and
	// every UsageReadEvery, default 10 s), so that a restart does not reset
	// a budget and several processes count together; nil: kept in memory.
	Usage          UsageSink
	UsageReadEvery time.Duration
	// BlockPageIPv4 and BlockPageIPv6, when valid, are the addresses of
	// blocked A and AAAA answers instead of 0.0.0.0 and :: (the portal's
	// block page, for plain-HTTP visits).
	BlockPageIPv4, BlockPageIPv6 netip.Addr
	// Workers is the number of UDP reading goroutines (default GOMAXPROCS).
	Workers int
	// MaxInflight bounds concurrent slow-path queries (default 2048).
	MaxInflight int
	// MaxTCPConns bounds open TCP connections (default DefaultMaxConns,
	// lowered to fit the process's file limit).
	MaxTCPConns int
	// MaxConnsPerClient bounds the connections one client network (an
	// IPv4 address, an IPv6 /64) may hold open on each of TCP, DoT and DoH
	// (default DefaultMaxConnsPerClient). Plain TCP from outside AllowNets
	// is closed at accept, before anything is read.
	MaxConnsPerClient int
	// TLSListen is the DNS-over-TLS address (host:port, usually port 853);
	// empty: no DoT.
	TLSListen string
	// HTTPSListen is the DNS-over-HTTPS address (host:port, usually port
	// 443), serving /dns-query and /dns-query/<profile>; empty: no DoH.
	HTTPSListen string
	// CertFile and KeyFile are the PEM certificate chain and private key of
	// both encrypted listeners, required when either is on. They are read
	// again when they change on disk (checked every CertCheckEvery, default
	// one minute) or on ReloadCertificate; a bad pair keeps the old one.
	CertFile, KeyFile string
	CertCheckEvery    time.Duration
	// ProfileDomain makes the TLS server name <profile>.<ProfileDomain>
	// choose that profile (e.g. "dns.phuongmau.vn"); empty: names choose
	// nothing and profiles follow the client address (or the DoH path).
	ProfileDomain string
	// MaxTLSConns bounds open DoT connections and, separately, DoH
	// connections (default DefaultMaxConns each, lowered to fit the file
	// limit).
	MaxTLSConns int
	Logger      *slog.Logger
	// Now is the clock (tests pin it to check schedules); nil = time.Now.
	Now func() time.Time
}

// BlockedTTL is the TTL of blocked answers: short, so a name unblocked by a
// parent or the end of a window works again quickly.
const BlockedTTL = 10

// Server is the DNS front end. Start it with ListenAndServe.
type Server struct {
	cfg      Config
	log      *slog.Logger
	policy   atomic.Pointer[policySnap]
	matcher  atomic.Pointer[filter.Matcher]
	limiter  *rateLimiter
	errLimit *errLimiter // nil: error answers unlimited
	inflight chan struct{}
	now      func() time.Time

	udp      []*net.UDPConn // one per reader with SO_REUSEPORT, else one shared
	tcp      net.Listener
	tcpConns *connTracker

	certs    *certStore   // nil without encrypted listeners
	dot      net.Listener // nil without DoT
	dotConns *connTracker // open DoT connections
	doh      net.Listener // nil without DoH
	dohConns *connTracker // open DoH connections
	dohSrv   *http.Server // nil without DoH
	dohBufs  sync.Pool    // *worker for DoH requests
	domain   string       // "." + lower-case ProfileDomain, or ""
	wg       sync.WaitGroup
	closing  atomic.Bool

	Stats    Stats
	counters atomic.Pointer[counterSet]
	blocked  *blockLog

	blockAddrs blockAddrs
	usageMu    sync.Mutex // one flush or read of usage at a time
	usageRead  time.Time  // when stored usage was last read (the stored clock's rows since then minus a margin)
}

type policySnap struct {
	p         *filter.Policy
	names     []string
	retention map[string]time.Duration
}

// Stats are cumulative counters, exported as Prometheus metrics by the app.
type Stats struct {
	Queries, CacheHits, Forwarded, Blocked, Rewritten, Refused, RateLimited,
	Malformed, ServFail, Truncated, SlowPathDropped, TCPRejected atomic.Uint64
	// DoTQueries and DoHQueries count the queries (also in Queries) that
	// came over TLS and HTTPS; TLSHandshakeFailed the DoT connections
	// whose handshake failed (net/http logs DoH's at debug level); CertReloadFailed the changed
	// certificate files that could not be loaded (the old pair is kept).
	DoTQueries, DoHQueries, TLSHandshakeFailed, CertReloadFailed atomic.Uint64
	// Truncated counts UDP answers sent with TC set (too big for the
	// client's buffer); TCPRejected, DoTRejected and DoHRejected the
	// connections closed at accept: the client's network already held
	// MaxConnsPerClient (also counted in ConnsClientLimited), the
	// transport MaxTCPConns or MaxTLSConns, or (plain TCP) the client is
	// outside AllowNets (also counted in TCPNotAllowed). PressureClosed
	// counts idle connections closed early because a transport was more
	// than three quarters full.
	DoTRejected, DoHRejected, ConnsClientLimited, TCPNotAllowed, PressureClosed atomic.Uint64
	// DetailsDropped counts blocked queries kept only in the hourly
	// aggregates because the table of details for the window was full.
	DetailsDropped atomic.Uint64
	// ErrorsDropped counts REFUSED, FORMERR and NOTIMP answers not sent
	// over UDP because the client network was over ErrorRate (the query
	// is also in Refused or Malformed).
	ErrorsDropped atomic.Uint64
	// UsageErrors counts failed reads and writes of budget usage and
	// devices seen (the counts are kept and written next time).
	UsageErrors atomic.Uint64
}

// New validates cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Resolver == nil || cfg.Registry == nil {
		return nil, errors.New("dnsserver: resolver and registry are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.MaxInflight <= 0 {
		cfg.MaxInflight = 2048
	}
	if cfg.MaxTCPConns <= 0 {
		cfg.MaxTCPConns = DefaultMaxConns
	}
	if cfg.MaxConnsPerClient <= 0 {
		cfg.MaxConnsPerClient = DefaultMaxConnsPerClient
	}
	if cfg.ScheduleMaxTTL <= 0 {
		cfg.ScheduleMaxTTL = time.Minute
	}
	if cfg.MaxTLSConns <= 0 {
		cfg.MaxTLSConns = DefaultMaxConns
	}
	transports := 1
	if cfg.TLSListen != "" {
		transports++
	}
	if cfg.HTTPSListen != "" {
		transports++
	}
	if nofile := fileLimit(); nofile > 0 {
		tcpMax, tlsMax := boundByFiles(cfg.MaxTCPConns, transports, nofile), boundByFiles(cfg.MaxTLSConns, transports, nofile)
		if tcpMax < cfg.MaxTCPConns || tlsMax < cfg.MaxTLSConns {
			cfg.Logger.Warn("connection limits lowered to fit the open-file limit (raise it with LimitNOFILE= or ulimit -n)",
				"nofile", nofile, "max_tcp_conns", tcpMax, "max_tls_conns", tlsMax)
		}
		cfg.MaxTCPConns, cfg.MaxTLSConns = tcpMax, tlsMax
	}
	if cfg.CertCheckEvery <= 0 {
		cfg.CertCheckEvery = time.Minute
	}
	s := &Server{cfg: cfg, log: cfg.Logger, inflight: make(chan struct{}, cfg.MaxInflight), now: cfg.Now, blocked: newBlockLog()}
	s.tcpConns = newConnTracker(cfg.MaxTCPConns, cfg.MaxConnsPerClient, s.shortenIdle)
	s.dotConns = newConnTracker(cfg.MaxTLSConns, cfg.MaxConnsPerClient, s.shortenIdle)
	s.dohConns = newConnTracker(cfg.MaxTLSConns, cfg.MaxConnsPerClient, s.closeIdle)
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.TLSListen != "" || cfg.HTTPSListen != "" {
		if cfg.CertFile == "" || cfg.KeyFile == "" {
			return nil, errors.New("dnsserver: a certificate and key file are required for DNS-over-TLS and DNS-over-HTTPS")
		}
		var err error
		if s.certs, err = loadCertStore(cfg.CertFile, cfg.KeyFile); err != nil {
			return nil, err
		}
	}
	if d := strings.Trim(strings.ToLower(cfg.ProfileDomain), "."); d != "" {
		s.domain = "." + d
	}
	s.dohBufs.New = func() any { return &worker{in: make([]byte, dns.MaxMsgSize+1), out: make([]byte, 0, 4096)} }
	if cfg.RateLimit > 0 {
		burst := cfg.RateBurst
		if burst < cfg.RateLimit {
			burst = cfg.RateLimit
		}
		s.limiter = newRateLimiter(float64(cfg.RateLimit), float64(burst))
	}
	if cfg.ErrorBurst <= 0 {
		cfg.ErrorBurst = DefaultErrorBurst
	}
	if cfg.ErrorRate > 0 {
		s.errLimit = newErrLimiter(float64(cfg.ErrorRate), float64(max(cfg.ErrorBurst, cfg.ErrorRate)))
	}
	s.counters.Store(newCounterSet(0))
	if cfg.UsageReadEvery <= 0 {
		s.cfg.UsageReadEvery = 10 * time.Second
	}
	if a := cfg.BlockPageIPv4; a.IsValid() {
		if !a.Unmap().Is4() {
			return nil, fmt.Errorf("dnsserver: block page IPv4 address %s is not IPv4", a)
		}
		s.blockAddrs.v4 = a.Unmap().As4()
	}
	if a := cfg.BlockPageIPv6; a.IsValid() {
		if !a.Is6() || a.Is4In6() {
			return nil, fmt.Errorf("dnsserver: block page IPv6 address %s is not IPv6", a)
		}
		s.blockAddrs.v6 = a.As16()
	}
	return s, nil
}

// SetPolicy swaps in a new compiled policy; queries already in flight finish
// with the old one.
func (s *Server) SetPolicy(p *filter.Policy) {
	infos := p.Profiles()
	snap := &policySnap{p: p, names: make([]string, len(infos)), retention: map[string]time.Duration{}}
	for _, in := range infos {
		snap.names[in.Index] = in.Name
		snap.retention[in.Name] = in.Retention
	}
	if s.policy.Load() != nil {
		// Profile indexes change with the policy: write what was counted
		// under the old one first.
		s.flushOnce()
	}
	s.policy.Store(snap)
	s.counters.Store(newCounterSet(len(infos)))
}

// SetMatcher swaps in a new list matcher (after a list reload).
func (s *Server) SetMatcher(m *filter.Matcher) { s.matcher.Store(m) }

// Addr returns the UDP address the server listens on (after Listen).
func (s *Server) Addr() net.Addr {
	if len(s.udp) == 0 {
		return nil
	}
	return s.udp[0].LocalAddr()
}

// Listen opens the UDP and TCP sockets, so that a caller knows the port
// before serving (tests listen on port 0).
func (s *Server) Listen() error {
	if s.policy.Load() == nil || s.matcher.Load() == nil {
		return errors.New("dnsserver: SetPolicy and SetMatcher must be called before Listen")
	}
	ua, err := net.ResolveUDPAddr("udp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("dns listen address %q: %w", s.cfg.Listen, err)
	}
	// With port 0 the kernel picks a UDP port that may be taken on TCP:
	// try a few times for a port free on both.
	for attempt := 0; ; attempt++ {
		err = s.listenBoth(ua)
		if err == nil || ua.Port != 0 || attempt == 20 {
			break
		}
	}
	if err != nil {
		return err
	}
	if err := s.listenEncrypted(); err != nil {
		s.closeUDP()
		s.tcp.Close()
		s.udp = nil
		return err
	}
	return nil
}

func (s *Server) listenBoth(ua *net.UDPAddr) error {
	lc := net.ListenConfig{}
	if haveReusePort && s.cfg.Workers > 1 {
		lc.Control = reusePort
	}
	first, err := lc.ListenPacket(context.Background(), "udp", ua.String())
	if err != nil {
		return fmt.Errorf("listening on udp %s: %w", s.cfg.Listen, err)
	}
	s.udp = []*net.UDPConn{first.(*net.UDPConn)}
	port := s.udp[0].LocalAddr().(*net.UDPAddr).Port
	bound := net.JoinHostPort(ua.IP.String(), fmt.Sprint(port))
	if ua.IP == nil {
		bound = fmt.Sprintf(":%d", port)
	}
	// One more socket per reader on the same port (port 0 has become the
	// first one's).
	for lc.Control != nil && len(s.udp) < s.cfg.Workers {
		c, err := lc.ListenPacket(context.Background(), "udp", bound)
		if err != nil {
			s.log.Warn("udp sockets beyond the first not opened: readers share one", "err", err)
			break
		}
		s.udp = append(s.udp, c.(*net.UDPConn))
	}
	for _, c := range s.udp {
		c.SetReadBuffer(4 << 20)
		c.SetWriteBuffer(4 << 20)
	}
	s.tcp, err = net.Listen("tcp", bound)
	if err != nil {
		s.closeUDP()
		s.udp = nil
		return fmt.Errorf("listening on tcp %s: %w", bound, err)
	}
	return nil
}

func (s *Server) closeUDP() {
	for _, c := range s.udp {
		c.Close()
	}
}

// Serve answers until ctx ends, then closes the sockets and waits for the
// handlers in flight. With a Config.Usage it first loads the stored budget
// usage (LoadUsage; a failure is logged).
func (s *Server) Serve(ctx context.Context) error {
	if len(s.udp) == 0 {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	if err := s.LoadUsage(ctx); err != nil {
		s.log.WarnContext(ctx, "loading budget usage: budgets start from what this process counts", "err", err)
	}
	s.log.InfoContext(ctx, "dns listening", "udp", s.udp[0].LocalAddr().String(), "udp_sockets", len(s.udp), "tcp", s.tcp.Addr().String())
	for i := range s.cfg.Workers {
		s.wg.Add(1)
		go s.serveUDP(ctx, s.udp[i%len(s.udp)])
	}
	s.wg.Add(1)
	go s.serveTCP(ctx)
	s.wg.Add(1)
	go s.flushCounts(ctx)
	if s.cfg.Usage != nil {
		s.wg.Add(1)
		go s.syncUsage(ctx)
	}
	s.serveEncrypted(ctx)
	<-ctx.Done()
	s.closing.Store(true)
	s.closeUDP()
	s.tcp.Close()
	s.stopEncrypted()
	s.wg.Wait()
	return nil
}

// ListenAndServe is Listen then Serve.
func (s *Server) ListenAndServe(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	return s.Serve(ctx)
}

func (s *Server) allowedClient(a netip.Addr) bool {
	if len(s.cfg.AllowNets) == 0 {
		return true
	}
	for _, p := range s.cfg.AllowNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// worker holds one reading goroutine's (or connection's, or DoH request's)
// reusable buffers, and what the connection says about its client.
type worker struct {
	q   dnswire.Query
	in  []byte // the query read; len dns.MaxMsgSize for UDP, grown for streams
	out []byte

	// open answers whatever the client address (DoT and DoH: AllowNets is
	// for plain DNS).
	open bool
	// via counts the queries of an encrypted transport (nil: plain DNS).
	via *atomic.Uint64
	// profileName is the profile chosen by the TLS server name or the DoH
	// path ("": by client address); profileIdx is its index in profileSnap,
	// -1 if that policy has no such profile.
	profileName string
	profileSnap *policySnap
	profileIdx  int
	deviceIdx   int
}

// setProfile makes w choose the profile or device labelled name ("": by
// client address).
func (w *worker) setProfile(name string) {
	w.profileName, w.profileSnap, w.profileIdx, w.deviceIdx = name, nil, -1, -1
}

// profileOf returns the profile of w's queries under snap, and the
// profile's device that asked (-1 unknown): the labelled one if it exists,
// else the client address's. It looks the label up only when the policy
// has changed since the last query.
func profileOf(w *worker, snap *policySnap, client netip.Addr) (int, int) {
	if w.profileName != "" {
		if w.profileSnap != snap {
			w.profileSnap, w.profileIdx, w.deviceIdx = snap, -1, -1
			if i, d, ok := snap.p.ByLabel(w.profileName); ok {
				w.profileIdx, w.deviceIdx = i, d
			}
		}
		if w.profileIdx >= 0 {
			if w.deviceIdx >= 0 {
				return w.profileIdx, w.deviceIdx
			}
			// The profile's own name: a device may still be known by its
			// address.
			if p, d := snap.p.ClientOf(client); p == w.profileIdx {
				return p, d
			}
			return w.profileIdx, -1
		}
	}
	return snap.p.ClientOf(client)
}

func (s *Server) serveUDP(ctx context.Context, conn *net.UDPConn) {
	defer s.wg.Done()
	w := &worker{in: make([]byte, dns.MaxMsgSize), out: make([]byte, 0, 4096)}
	for {
		n, addr, err := conn.ReadFromUDPAddrPort(w.in[:])
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.WarnContext(ctx, "udp read", "err", err)
			continue
		}
		resp, slow := s.handle(w, w.in[:n], addr.Addr().Unmap(), false)
		if slow != nil {
			s.goSlow(ctx, slow, func(b []byte) { conn.WriteToUDPAddrPort(b, addr) }, nil)
			continue
		}
		if len(resp) > 0 {
			conn.WriteToUDPAddrPort(resp, addr)
		}
	}
}

// slowQuery is a query that needs the upstreams or a synthesised answer.
type slowQuery struct {
	pkt      []byte
	client   netip.Addr
	profile  int
	decision filter.Decision
	maxSize  int
	maxTTL   uint32
}

// goSlow resolves sq on its own goroutine and writes the answer; done (if
// not nil) is called when it has finished or was dropped.
func (s *Server) goSlow(ctx context.Context, sq *slowQuery, write func([]byte), done func()) {
	select {
	case s.inflight <- struct{}{}:
	default:
		// Too many lookups waiting on upstreams: drop this one; the client
		// retries. Counted, never queued without bound.
		s.Stats.SlowPathDropped.Add(1)
		if done != nil {
			done()
		}
		return
	}
	s.wg.Add(1)
	go func() {
		defer func() {
			<-s.inflight
			if done != nil {
				done()
			}
			s.wg.Done()
		}()
		s.resolveSlow(ctx, sq, write)
	}()
}

// handle answers pkt from client on the hot path. It returns either the
// answer (possibly empty: drop) or a slow query to finish off the hot path.
func (s *Server) handle(w *worker, pkt []byte, client netip.Addr, tcp bool) ([]byte, *slowQuery) {
	s.Stats.Queries.Add(1)
	if w.via != nil {
		w.via.Add(1)
	}
	q := &w.q
	out := w.out[:0]
	if !w.open && !s.allowedClient(client) {
		s.Stats.Refused.Add(1)
		if !s.errorAllowed(client, tcp) {
			return nil, nil
		}
		if err := dnswire.ParseQuery(pkt, q); err != nil {
			return dnswire.AppendFormErr(out, pkt), nil
		}
		return dnswire.AppendRefused(out, q), nil
	}
	if s.limiter != nil && !s.limiter.allow(client, s.now()) {
		// Dropping (not answering) is what a client under a flood should
		// see: answering REFUSED would let a spoofed source be reflected.
		s.Stats.RateLimited.Add(1)
		return nil, nil
	}
	if err := dnswire.ParseQuery(pkt, q); err != nil {
		s.Stats.Malformed.Add(1)
		if !s.errorAllowed(client, tcp) {
			return nil, nil
		}
		if errors.Is(err, dnswire.ErrNotImplemented) {
			return dnswire.AppendNotImp(out, pkt), nil
		}
		return dnswire.AppendFormErr(out, pkt), nil
	}
	if q.EDNS && q.Version != 0 {
		return dnswire.AppendError(out, q, dnswire.RcodeBadVers), nil
	}
	maxSize := q.MaxUDPSize()
	if tcp {
		maxSize = dns.MaxMsgSize
	}
	snap := s.policy.Load()
	profile, device := profileOf(w, snap, client)
	now := s.now()
	if device >= 0 {
		snap.p.Seen(profile, device, now)
	}
	d := snap.p.DecideBytes(s.matcher.Load(), profile, q.Host(), now)
	cs := s.counters.Load()
	switch d.Action {
	case filter.Block, filter.NXDomain:
		s.Stats.Blocked.Add(1)
		cs.add(profile, d.Tag, actBlocked)
		s.recordBlocked(profile, client, q, d, now)
		return appendBlocked(out, q, d, s.cfg.NXDomainBlocks || d.Action == filter.NXDomain, s.cfg.Registry, &s.blockAddrs), nil
	case filter.Rewrite:
		s.Stats.Rewritten.Add(1)
		cs.add(profile, d.Tag, actRewritten)
	default:
		cs.add(profile, d.Tag, actAllowed)
		if q.QClass == dns.ClassINET {
			if resp, ok := s.cfg.Resolver.AppendCached(out, q, maxSize); ok {
				s.Stats.CacheHits.Add(1)
				if len(resp) >= dnswire.HeaderLen && resp[2]&(dnswire.FlagTC>>8) != 0 {
					s.Stats.Truncated.Add(1)
				}
				if snap.p.ClampTTL(profile) {
					clampTTLs(resp, uint32(s.cfg.ScheduleMaxTTL/time.Second))
				}
				w.out = resp[:0]
				return resp, nil
			}
		}
		s.Stats.Forwarded.Add(1)
	}
	sq := &slowQuery{pkt: append([]byte(nil), pkt...), client: client, profile: profile, decision: d, maxSize: maxSize}
	if snap.p.ClampTTL(profile) {
		sq.maxTTL = uint32(s.cfg.ScheduleMaxTTL / time.Second)
	}
	return nil, sq
}

// errorAllowed reports whether an error answer (REFUSED, FORMERR, NOTIMP)
// may be sent to client: always over a stream, within ErrorRate over UDP;
// a dropped one is counted in ErrorsDropped.
func (s *Server) errorAllowed(client netip.Addr, stream bool) bool {
	if stream || s.errLimit == nil || s.errLimit.allow(client, s.now()) {
		return true
	}
	s.Stats.ErrorsDropped.Add(1)
	return false
}

func (s *Server) tagName(t filter.Tag) string {
	if t == filter.NoTag {
		return ""
	}
	return s.cfg.Registry.Name(t)
}

// slowBuf is the scratch of one slow-path query: its parsed form and the
// answer's buffer, reused across queries.
type slowBuf struct {
	q   dnswire.Query
	out []byte
}

var slowBufs = sync.Pool{New: func() any { return &slowBuf{out: make([]byte, 0, 1232)} }}

// resolveSlow answers sq and writes the answer (write must not keep it).
// Forwarded misses go through ResolveAppend, from packed bytes to packed
// bytes; safe-search rewrites (a CNAME plus the target's addresses) and
// what ResolveAppend leaves go through miekg/dns.
func (s *Server) resolveSlow(ctx context.Context, sq *slowQuery, write func([]byte)) {
	// No timeout of its own: the upstream exchange is bounded by the
	// resolver (Timeout per upstream), and a context timer per miss was a
	// tenth of a miss's CPU in profiles.
	if sq.decision.Action != filter.Rewrite {
		sb := slowBufs.Get().(*slowBuf)
		defer slowBufs.Put(sb)
		if dnswire.ParseQuery(sq.pkt, &sb.q) != nil {
			return
		}
		out, ok, err := s.cfg.Resolver.ResolveAppend(ctx, sb.out[:0], &sb.q, sq.maxSize)
		if ok {
			if err != nil {
				s.Stats.ServFail.Add(1)
				s.log.DebugContext(ctx, "resolving", "name", string(sb.q.Host()), "err", err)
				out = dnswire.AppendServFail(out[:0], &sb.q)
			} else if sq.maxTTL > 0 {
				clampTTLs(out, sq.maxTTL)
			}
			if len(out) >= dnswire.HeaderLen && out[2]&(dnswire.FlagTC>>8) != 0 {
				s.Stats.Truncated.Add(1)
			}
			write(out)
			if cap(out) <= 4096 {
				sb.out = out[:0]
			}
			return
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if resp := s.resolveMsg(ctx, sq); resp != nil {
		write(resp)
	}
}

// resolveMsg is the slow path through miekg/dns.
func (s *Server) resolveMsg(ctx context.Context, sq *slowQuery) []byte {
	req := new(dns.Msg)
	if err := req.Unpack(sq.pkt); err != nil || len(req.Question) != 1 {
		return nil
	}
	var resp *dns.Msg
	var err error
	if sq.decision.Action == filter.Rewrite {
		resp, err = s.rewrite(ctx, req, sq.decision.Target)
	} else {
		resp, err = s.cfg.Resolver.Resolve(ctx, req)
	}
	if err != nil || resp == nil {
		s.Stats.ServFail.Add(1)
		s.log.DebugContext(ctx, "resolving", "name", req.Question[0].Name, "err", err)
		m := new(dns.Msg)
		m.SetRcode(req, dns.RcodeServerFailure)
		m.RecursionAvailable = true
		b, _ := m.Pack()
		return b
	}
	resp.Id = req.Id
	if sq.maxTTL > 0 {
		for _, sec := range [][]dns.RR{resp.Answer, resp.Ns} {
			for _, rr := range sec {
				if rr.Header().Ttl > sq.maxTTL {
					rr.Header().Ttl = sq.maxTTL
				}
			}
		}
	}
	if resp.Len() > sq.maxSize {
		resp.Truncate(sq.maxSize)
		s.Stats.Truncated.Add(1)
	}
	b, err := resp.Pack()
	if err != nil {
		return nil
	}
	return b
}

// rewrite answers a safe-search name with a CNAME to target and the target's
// records of the asked type (RFC-correct: the client follows nothing).
func (s *Server) rewrite(ctx context.Context, req *dns.Msg, target string) (*dns.Msg, error) {
	q := req.Question[0]
	out := new(dns.Msg)
	out.SetReply(req)
	out.RecursionAvailable = true
	fqdnTarget := dns.Fqdn(target)
	out.Answer = append(out.Answer, &dns.CNAME{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 300}, Target: fqdnTarget})
	if q.Qtype == dns.TypeCNAME {
		return out, nil
	}
	sub := new(dns.Msg)
	sub.SetQuestion(fqdnTarget, q.Qtype)
	sub.RecursionDesired = true
	if o := req.IsEdns0(); o != nil {
		sub.SetEdns0(dns.DefaultMsgSize, o.Do())
	}
	r, err := s.cfg.Resolver.Resolve(ctx, sub)
	if err != nil {
		return nil, err
	}
	for _, rr := range r.Answer {
		if rr.Header().Rrtype == dns.TypeCNAME || rr.Header().Rrtype == q.Qtype {
			out.Answer = append(out.Answer, dns.Copy(rr))
		}
	}
	if o := req.IsEdns0(); o != nil {
		out.SetEdns0(dnswire.DefaultUDPSize, o.Do())
	}
	return out, nil
}
