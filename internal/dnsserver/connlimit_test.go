package dnsserver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// dialFrom opens n TCP connections to addr from the loopback alias from
// (Linux answers all of 127.0.0.0/8) and returns them, open and idle; a
// failed dial fails the test.
func dialFrom(t *testing.T, from, addr string, n int) []net.Conn {
	t.Helper()
	conns, failed := attack(t, from, addr, n)
	if failed > 0 {
		t.Fatalf("dialling from %s: %d of %d failed", from, failed, n)
	}
	return conns
}

// attack is dialFrom for an attacker: the connections the server resets
// while they are being set up count as failed, not as an error.
func attack(t *testing.T, from, addr string, n int) (conns []net.Conn, failed int) {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	conns = make([]net.Conn, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := d.Dial("tcp", addr)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				return
			}
			conns = append(conns, c)
		})
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	return conns, failed
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestOneAddressCannotTakeStreamTransports: 127.0.0.2 opens thousands of
// idle connections to each of TCP, DoT and DoH (more than each
// transport's total); the server keeps MaxConnsPerClient of each, resets
// the rest at accept, and a client on 127.0.0.1 is answered over all three
// at once.
func TestOneAddressCannotTakeStreamTransports(t *testing.T) {
	if testing.Short() {
		t.Skip("opens thousands of connections")
	}
	n := 2000
	// Both ends are in this process: the attacker's n per transport plus
	// what the server keeps; the Go runtime has raised the soft file limit
	// to the hard one.
	if nofile := fileLimit(); nofile > 0 && int(nofile) < 3*n+1000 {
		n = (int(nofile) - 1000) / 3
		t.Logf("file limit %d: %d connections per transport instead of 2000", nofile, n)
		if n < 300 {
			t.Skipf("file limit %d is too low for this test", nofile)
		}
	}
	const total, perClient = 1000, 64
	pki := newTestPKI(t)
	h := newHarness(t, func(c *Config) {
		c.TLSListen, c.HTTPSListen = "127.0.0.1:0", "127.0.0.1:0"
		c.CertFile, c.KeyFile = pki.certFile, pki.keyFile
		c.MaxTCPConns, c.MaxTLSConns, c.MaxConnsPerClient = total, total, perClient
	})
	attacker := netip.MustParseAddr("127.0.0.2")
	for _, tr := range []struct {
		name     string
		addr     string
		conns    *connTracker
		rejected func() uint64
	}{
		{"tcp", h.addr, h.srv.tcpConns, h.srv.Stats.TCPRejected.Load},
		{"dot", h.srv.TLSAddr().String(), h.srv.dotConns, h.srv.Stats.DoTRejected.Load},
		{"doh", h.srv.HTTPSAddr().String(), h.srv.dohConns, h.srv.Stats.DoHRejected.Load},
	} {
		conns, failed := attack(t, attacker.String(), tr.addr, n)
		waitFor(t, 20*time.Second, tr.name+": every attacking connection accepted or reset", func() bool {
			_, held := tr.conns.openConns(attacker)
			return held == perClient && tr.rejected() >= uint64(len(conns)-perClient)
		})
		t.Logf("%s: %d connections set up, %d reset while being set up, %d held by the server", tr.name, len(conns), failed, perClient)
	}
	if got, want := h.srv.Stats.ConnsClientLimited.Load(), uint64(3*(n-perClient))*9/10; got < want {
		t.Fatalf("ConnsClientLimited = %d, want at least %d", got, want)
	}

	// The legitimate client, while the attacker's connections are held.
	start := time.Now()
	if r := h.ask(t, "tcp", "truong-thcs.edu.vn", dns.TypeA, false); firstA(r) != "192.0.2.1" {
		t.Fatalf("tcp answer: %v", r)
	}
	if r := dotExchange(t, h, pki, "dns.test", "truong-thcs.edu.vn", dns.TypeA); firstA(r) != "192.0.2.1" {
		t.Fatalf("dot answer: %v", r)
	}
	c := dohClient(t, pki, h.srv.HTTPSAddr().String())
	resp, body := dohDo(t, c, "POST", "https://dns.test/dns-query", dohContentType, packMsg(t, "truong-thcs.edu.vn", dns.TypeA))
	var m dns.Msg
	if resp.StatusCode != 200 || m.Unpack(body) != nil || firstA(&m) != "192.0.2.1" {
		t.Fatalf("doh answer: %d %v", resp.StatusCode, &m)
	}
	// Generous: each would have waited its client's full timeout (2–5 s)
	// or failed without the per-client limit.
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("three answers took %v", el)
	}
	t.Logf("%d idle connections per transport from %s; legitimate TCP, DoT and DoH answered in %v", n, attacker, time.Since(start))
}

// TestTCPOutsideAllowNetsClosedAtAccept: a plain TCP client outside
// AllowNets gets a reset, no answer, and nothing reaches the upstream.
func TestTCPOutsideAllowNetsClosedAtAccept(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AllowNets = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	// The reset may come while the connection is being set up.
	if conns, _ := attack(t, "127.0.0.2", h.addr, 1); len(conns) == 1 {
		c := conns[0]
		q := packQuery(t, "vnexpress.net", dns.TypeA, false)
		c.Write(append([]byte{byte(len(q) >> 8), byte(len(q))}, q...))
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		var b [2]byte
		_, err := io.ReadFull(c, b[:])
		var ne net.Error
		if err == nil || errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("outsider's connection: read %v, want it closed at once", err)
		}
	}
	waitFor(t, time.Second, "counted", func() bool { return h.srv.Stats.TCPNotAllowed.Load() == 1 })
	if h.up.asked.Load() != 0 || h.srv.Stats.Queries.Load() != 0 {
		t.Fatal("the outsider's query was read")
	}
	if r := h.ask(t, "tcp", "vnexpress.net", dns.TypeA, false); firstA(r) != "192.0.2.1" {
		t.Fatalf("allowed client: %v", r)
	}
}

// TestIdleClosedSoonerUnderPressure: with a transport full of idle
// connections, they are closed after pressureIdle rather than tcpIdle,
// and a client refused while it was full gets in on a retry.
func TestIdleClosedSoonerUnderPressure(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxTCPConns, c.MaxConnsPerClient = 40, 20 })
	var idle []net.Conn
	for _, from := range []string{"127.0.0.2", "127.0.0.3"} {
		idle = append(idle, dialFrom(t, from, h.addr, 20)...)
	}
	start := time.Now()
	waitFor(t, 5*time.Second, "40 connections open", func() bool { n, _ := h.srv.tcpConns.openConns(netip.Addr{}); return n == 40 })
	var wg sync.WaitGroup
	closedAfter := make([]time.Duration, len(idle))
	for i, c := range idle {
		wg.Go(func() {
			c.SetReadDeadline(time.Now().Add(tcpIdle + 5*time.Second))
			var b [1]byte
			c.Read(b[:])
			closedAfter[i] = time.Since(start)
		})
	}
	// A legitimate client is refused while the transport is full; its
	// retries get in once the idle connections are gone.
	c := &dns.Client{Net: "tcp", Timeout: time.Second}
	m := new(dns.Msg)
	m.SetQuestion("truong-thcs.edu.vn.", dns.TypeA)
	var r *dns.Msg
	var err error
	for try := 0; try < 50; try++ {
		if r, _, err = c.Exchange(m, h.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil || firstA(r) != "192.0.2.1" {
		t.Fatalf("legitimate client after the idle ones: %v %v", r, err)
	}
	wg.Wait()
	for i, d := range closedAfter {
		if d > tcpIdle/2 {
			t.Fatalf("idle connection %d closed after %v: not sooner than the normal %v", i, d, tcpIdle)
		}
	}
	if h.srv.Stats.PressureClosed.Load() == 0 || h.srv.Stats.TCPRejected.Load() == 0 {
		t.Fatalf("pressure closed %d, rejected %d", h.srv.Stats.PressureClosed.Load(), h.srv.Stats.TCPRejected.Load())
	}
}

func TestClientNetAndFileBound(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"192.0.2.7", "192.0.2.7/32"},
		{"::ffff:192.0.2.7", "192.0.2.7/32"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
	} {
		if got := clientNet(netip.MustParseAddr(tc.addr)).String(); got != tc.want {
			t.Errorf("clientNet(%s) = %s, want %s", tc.addr, got, tc.want)
		}
	}
	for _, tc := range []struct {
		total, transports int
		nofile            uint64
		want              int
	}{
		{4096, 3, 0, 4096},
		{4096, 3, 1 << 20, 4096},
		{4096, 3, 1024, 170},
		{4096, 1, 20000, 4096},
		{4096, 3, 100, 16},
	} {
		if got := boundByFiles(tc.total, tc.transports, tc.nofile); got != tc.want {
			t.Errorf("boundByFiles(%d, %d, %d) = %d, want %d", tc.total, tc.transports, tc.nofile, got, tc.want)
		}
	}
}

// TestDoHIdleClosedUnderPressure: DoH connections left idle by HTTP/2
// clients fill the transport; a new client is reset at accept, which
// sweeps those idle for a second or more, and its retry is answered.
func TestDoHIdleClosedUnderPressure(t *testing.T) {
	pki := newTestPKI(t)
	h := newHarness(t, func(c *Config) {
		c.HTTPSListen, c.CertFile, c.KeyFile = "127.0.0.1:0", pki.certFile, pki.keyFile
		c.MaxTLSConns, c.MaxConnsPerClient = 8, 4
	})
	addr := h.srv.HTTPSAddr().String()
	q := packMsg(t, "truong-thcs.edu.vn", dns.TypeA)
	for i := range 8 {
		from := []string{"127.0.0.2", "127.0.0.3"}[i%2]
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 3 * time.Second}
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pki.pool}, ForceAttemptHTTP2: true,
			DialContext: func(ctx context.Context, netw, _ string) (net.Conn, error) { return d.DialContext(ctx, netw, addr) },
		}}
		t.Cleanup(c.CloseIdleConnections)
		if resp, _ := dohDo(t, c, "POST", "https://dns.test/dns-query", dohContentType, q); resp.StatusCode != 200 || resp.ProtoMajor != 2 {
			t.Fatalf("filling client %d: %d %s", i, resp.StatusCode, resp.Proto)
		}
	}
	waitFor(t, 2*time.Second, "8 DoH connections open", func() bool { n, _ := h.srv.dohConns.openConns(netip.Addr{}); return n == 8 })
	time.Sleep(pressureIdle + 100*time.Millisecond)

	legit := dohClient(t, pki, addr)
	var status int
	for try := 0; try < 30 && status != 200; try++ {
		req, _ := http.NewRequest("POST", "https://dns.test/dns-query", bytes.NewReader(q))
		req.Header.Set("Content-Type", dohContentType)
		if resp, err := legit.Do(req); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if status != 200 {
		t.Fatal("the legitimate DoH client was never answered")
	}
	if h.srv.Stats.PressureClosed.Load() == 0 || h.srv.Stats.DoHRejected.Load() == 0 {
		t.Fatalf("pressure closed %d, rejected %d", h.srv.Stats.PressureClosed.Load(), h.srv.Stats.DoHRejected.Load())
	}
}

// TestStalledDoTHandshakesClosedUnderPressure: connections that never
// start their TLS handshake fill DoT; under pressure they are closed
// after pressureIdle, not tcpRead, and a client refused meanwhile gets in
// on a retry.
func TestStalledDoTHandshakesClosedUnderPressure(t *testing.T) {
	pki := newTestPKI(t)
	h := newHarness(t, func(c *Config) {
		c.TLSListen, c.CertFile, c.KeyFile = "127.0.0.1:0", pki.certFile, pki.keyFile
		c.MaxTLSConns, c.MaxConnsPerClient = 8, 4
	})
	addr := h.srv.TLSAddr().String()
	var stalled []net.Conn
	for _, from := range []string{"127.0.0.2", "127.0.0.3"} {
		stalled = append(stalled, dialFrom(t, from, addr, 4)...)
	}
	start := time.Now()
	waitFor(t, 2*time.Second, "8 DoT connections open", func() bool { n, _ := h.srv.dotConns.openConns(netip.Addr{}); return n == 8 })
	var wg sync.WaitGroup
	closedAfter := make([]time.Duration, len(stalled))
	for i, c := range stalled {
		wg.Go(func() {
			c.SetReadDeadline(time.Now().Add(tcpRead + 5*time.Second))
			var b [1]byte
			c.Read(b[:])
			closedAfter[i] = time.Since(start)
		})
	}
	c := &dns.Client{Net: "tcp-tls", Timeout: time.Second, TLSConfig: &tls.Config{ServerName: "dns.test", RootCAs: pki.pool}}
	m := new(dns.Msg)
	m.SetQuestion("truong-thcs.edu.vn.", dns.TypeA)
	var r *dns.Msg
	var err error
	for try := 0; try < 50; try++ {
		if r, _, err = c.Exchange(m, addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil || firstA(r) != "192.0.2.1" {
		t.Fatalf("legitimate DoT client: %v %v", r, err)
	}
	wg.Wait()
	for i, d := range closedAfter {
		if d >= tcpRead {
			t.Fatalf("stalled handshake %d closed after %v: not sooner than tcpRead (%v)", i, d, tcpRead)
		}
	}
	if h.srv.Stats.DoTRejected.Load() == 0 || h.srv.Stats.TLSHandshakeFailed.Load() < 8 {
		t.Fatalf("rejected %d, handshakes failed %d", h.srv.Stats.DoTRejected.Load(), h.srv.Stats.TLSHandshakeFailed.Load())
	}
}
