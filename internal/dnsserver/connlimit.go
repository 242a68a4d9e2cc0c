package dnsserver

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Connection limits of the stream transports (TCP, DoT, DoH), each its own
// connTracker: one client network may hold at most perClient connections
// of a transport, and the transport at most total, so that one address
// holding idle connections cannot take the transport from everyone (as
// unbound's tcp-connection-limit and incoming-num-tcp do).
const (
	// DefaultMaxConns is the default total of open connections per
	// transport.
	DefaultMaxConns = 4096
	// DefaultMaxConnsPerClient is the default of open connections per
	// client network and transport: a house or a classroom behind one NAT
	// address opens a few connections per device that uses DoT or DoH.
	DefaultMaxConnsPerClient = 64
	// pressureIdle is the idle timeout of stream connections while more
	// than three quarters of a transport's connections are open: under
	// pressure a server may close idle connections early (RFC 7766
	// section 6.2.3), and those are what an attacker holds.
	pressureIdle = time.Second
	// pressureSweepEvery spaces the sweeps that shorten the deadlines of
	// connections already idle when pressure starts.
	pressureSweepEvery = 100 * time.Millisecond
	// reservedFiles are the descriptors kept for everything else (UDP
	// sockets, upstream sockets, the database, list files, the web
	// portal) when the connection totals are bounded by the file limit.
	reservedFiles = 512
)

// clientNet is the network one client is counted by: its IPv4 address
// (/32), or its IPv6 /64, the smallest network a home or a phone is given.
func clientNet(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// connTracker counts one transport's open connections, in total and per
// client network, and knows which are idle (waiting for a query or a
// request), so that pressure can close those first. Its methods are safe
// for concurrent use; it is called per connection and per query on a
// stream, never per UDP packet.
type connTracker struct {
	perClient, total int
	// onPressure is called, outside the lock, for each connection idle
	// when a sweep runs under pressure, with the time it became idle (TCP
	// and DoT move the read deadline to pressureIdle after that, DoH
	// closes the keep-alive connection if it has been idle that long).
	onPressure func(c net.Conn, idleSince time.Time)

	mu        sync.Mutex
	open      atomic.Int64         // written under mu, read without it
	byClient  map[netip.Prefix]int // bounded by total: only networks with an open connection
	idle      map[net.Conn]time.Time
	lastSweep time.Time
}

func newConnTracker(total, perClient int, onPressure func(net.Conn, time.Time)) *connTracker {
	return &connTracker{total: total, perClient: perClient, onPressure: onPressure,
		byClient: map[netip.Prefix]int{}, idle: map[net.Conn]time.Time{}}
}

// connRefusal says why acquire refused a connection.
type connRefusal int

const (
	connAccepted connRefusal = iota
	connClientFull
	connTotalFull
)

// acquire counts a new connection from client, or refuses it when the
// client's network or the transport is full. Under pressure it also
// sweeps the idle connections (at most every pressureSweepEvery).
func (t *connTracker) acquire(client netip.Addr) connRefusal {
	n := clientNet(client)
	t.mu.Lock()
	switch {
	case t.byClient[n] >= t.perClient:
		t.mu.Unlock()
		return connClientFull
	case int(t.open.Load()) >= t.total:
		t.mu.Unlock()
		t.maybeSweep()
		return connTotalFull
	}
	t.byClient[n]++
	t.open.Add(1)
	t.mu.Unlock()
	t.maybeSweep()
	return connAccepted
}

// release forgets a connection counted by acquire.
func (t *connTracker) release(client netip.Addr, c net.Conn) {
	n := clientNet(client)
	t.mu.Lock()
	t.open.Add(-1)
	if t.byClient[n]--; t.byClient[n] <= 0 {
		delete(t.byClient, n)
	}
	delete(t.idle, c)
	t.mu.Unlock()
}

// setIdle records whether c is waiting for its client (between queries or
// requests) or busy.
func (t *connTracker) setIdle(c net.Conn, idle bool) {
	t.mu.Lock()
	if idle {
		t.idle[c] = time.Now()
	} else {
		delete(t.idle, c)
	}
	t.mu.Unlock()
}

// pressured reports whether more than three quarters of the transport's
// connections are open.
func (t *connTracker) pressured() bool { return int(t.open.Load())*4 > t.total*3 }

// idleTimeout is how long a connection may wait for its client's next
// query: normal, or pressureIdle under pressure.
func (t *connTracker) idleTimeout(normal time.Duration) time.Duration {
	if t.pressured() {
		return min(normal, pressureIdle)
	}
	return normal
}

// maybeSweep hands the idle connections to onPressure when the transport
// is under pressure and no sweep ran in the last pressureSweepEvery.
func (t *connTracker) maybeSweep() {
	t.mu.Lock()
	now := time.Now()
	if !t.pressured() || now.Sub(t.lastSweep) < pressureSweepEvery || t.onPressure == nil {
		t.mu.Unlock()
		return
	}
	t.lastSweep = now
	type idleConn struct {
		c     net.Conn
		since time.Time
	}
	conns := make([]idleConn, 0, len(t.idle))
	for c, since := range t.idle {
		conns = append(conns, idleConn{c, since})
	}
	t.mu.Unlock()
	for _, ic := range conns {
		t.onPressure(ic.c, ic.since)
	}
}

// openConns returns the open connections, in total and of client's network.
func (t *connTracker) openConns(client netip.Addr) (total, ofClient int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return int(t.open.Load()), t.byClient[clientNet(client)]
}

// boundByFiles lowers the per-transport total so that the connections of
// transports transports fit in the process's file limit (nofile, 0 if
// unknown) with reservedFiles to spare; it returns the total to use.
func boundByFiles(total, transports int, nofile uint64) int {
	if nofile == 0 || transports == 0 {
		return total
	}
	avail := int64(nofile) - reservedFiles
	if avail < int64(transports)*16 {
		avail = int64(transports) * 16
	}
	if per := avail / int64(transports); int64(total) > per {
		return int(per)
	}
	return total
}

// admit counts a new connection of a transport, or counts its refusal in
// rejected (and in ConnsClientLimited when the client's network was full).
func (s *Server) admit(t *connTracker, client netip.Addr, rejected *atomic.Uint64) bool {
	switch t.acquire(client) {
	case connAccepted:
		return true
	case connClientFull:
		s.Stats.ConnsClientLimited.Add(1)
	}
	rejected.Add(1)
	return false
}

// remoteAddr is the client address of an accepted connection.
func remoteAddr(c net.Conn) netip.Addr {
	if ta, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return ta.AddrPort().Addr().Unmap()
	}
	ap, _ := netip.ParseAddrPort(c.RemoteAddr().String())
	return ap.Addr().Unmap()
}

// refuseConn closes a connection refused at accept with a reset, so that
// neither side keeps its state (no TIME_WAIT here, no half-open socket at
// a client that never reads).
func refuseConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// shortenIdle is the pressure sweep of TCP and DoT: an idle connection's
// read deadline moves to pressureIdle after it became idle (now, if that
// has passed), which closes it unless a query comes first.
func (s *Server) shortenIdle(c net.Conn, since time.Time) {
	d := since.Add(pressureIdle)
	if now := time.Now(); d.Before(now) {
		d = now
	}
	c.SetReadDeadline(d)
}

// closeIdle is the pressure sweep of DoH: a keep-alive connection idle for
// pressureIdle or more is closed (the HTTP server resets its deadlines
// itself, so moving them would not hold).
func (s *Server) closeIdle(c net.Conn, since time.Time) {
	if time.Since(since) >= pressureIdle {
		s.Stats.PressureClosed.Add(1)
		c.Close()
	}
}

// trackedListener admits DoH connections through a connTracker: those
// over a limit are reset at accept, before the TLS handshake, instead of
// waiting in the kernel's backlog (which a limit that blocks Accept, like
// netutil.LimitListener, would leave to time out for every client).
type trackedListener struct {
	net.Listener
	s *Server
	t *connTracker
}

func (l *trackedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := remoteAddr(c)
		if !l.s.admit(l.t, client, &l.s.Stats.DoHRejected) {
			refuseConn(c)
			continue
		}
		return &trackedConn{Conn: c, t: l.t, client: client}, nil
	}
}

// trackedConn releases its place in the tracker once, when closed.
type trackedConn struct {
	net.Conn
	t      *connTracker
	client netip.Addr
	once   sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.t.release(c.client, c) })
	return err
}

// dohConnState keeps the DoH tracker's idle set: a connection between
// requests (HTTP/1.1 keep-alive, HTTP/2 with no stream open) is idle.
func (s *Server) dohConnState(c net.Conn, st http.ConnState) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	tc, ok := c.(*trackedConn)
	if !ok {
		return
	}
	switch st {
	case http.StateIdle:
		s.dohConns.setIdle(tc, true)
	case http.StateActive:
		s.dohConns.setIdle(tc, false)
	}
}
