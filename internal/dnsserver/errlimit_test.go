package dnsserver

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// burstUDP sends pkts over one UDP socket from 127.0.0.1 and counts the
// answers that come back within a short wait after the last.
func burstUDP(t *testing.T, addr string, pkts [][]byte) int {
	t.Helper()
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.(*net.UDPConn).SetReadBuffer(1 << 20)
	got := make(chan int)
	go func() {
		n := 0
		buf := make([]byte, 1500)
		for {
			c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			if _, err := c.Read(buf); err != nil {
				got <- n
				return
			}
			n++
		}
	}()
	for i, p := range pkts {
		c.Write(p)
		if i%50 == 49 {
			time.Sleep(time.Millisecond) // within the socket buffers: the count is the server's choice
		}
	}
	return <-got
}

func refusedQueries(t *testing.T, n int) [][]byte {
	pkts := make([][]byte, n)
	for i := range pkts {
		m := new(dns.Msg)
		m.SetQuestion("vnexpress.net.", dns.TypeA)
		m.Id = uint16(i)
		b, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		pkts[i] = b
	}
	return pkts
}

// TestErrorAnswersRateLimitedOverUDP: a burst of 2,000 queries from a
// refused address gets ErrorBurst answers over UDP (the clock is pinned,
// so nothing refills), the rest are dropped and counted; FORMERR is
// limited the same way over UDP and always answered over TCP.
func TestErrorAnswersRateLimitedOverUDP(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.AllowNets = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
		c.ErrorRate, c.ErrorBurst = 10, 20
	})
	const n = 2000
	if got := burstUDP(t, h.addr, refusedQueries(t, n)); got != 20 {
		t.Fatalf("REFUSED answers received: %d of %d, want the burst of 20", got, n)
	}
	if d := h.srv.Stats.ErrorsDropped.Load(); d != n-20 {
		t.Fatalf("ErrorsDropped = %d, want %d", d, n-20)
	}
	// A second later the bucket has 10 more.
	h.clock.Add(time.Second)
	if got := burstUDP(t, h.addr, refusedQueries(t, 100)); got != 10 {
		t.Fatalf("after one second: %d answers, want 10", got)
	}
	// (Plain TCP from outside allow_nets is reset at accept: see
	// TestTCPOutsideAllowNetsClosedAtAccept.)

	// FORMERR to an allowed client (a question that runs off the end).
	h2 := newHarness(t, func(c *Config) { c.ErrorRate, c.ErrorBurst = 10, 20 })
	bad := make([][]byte, n)
	for i := range bad {
		p := []byte{0, 0, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0x3f}
		binary.BigEndian.PutUint16(p, uint16(i))
		bad[i] = p
	}
	if got := burstUDP(t, h2.addr, bad); got != 20 {
		t.Fatalf("FORMERR answers received: %d of %d, want 20", got, n)
	}
	tc, err := net.Dial("tcp", h2.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	for i := range 50 {
		p := bad[i]
		tc.Write(append([]byte{0, byte(len(p))}, p...))
		tc.SetReadDeadline(time.Now().Add(2 * time.Second))
		var l [2]byte
		if _, err := tc.Read(l[:]); err != nil {
			t.Fatalf("FORMERR over TCP %d: %v", i, err)
		}
		resp := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := tc.Read(resp); err != nil || resp[3]&0xF != dns.RcodeFormatError {
			t.Fatalf("FORMERR over TCP %d: %x %v", i, resp, err)
		}
	}
	// Ordinary queries of the same client are not touched by it.
	if r := h2.ask(t, "udp", "vnexpress.net", dns.TypeA, false); firstA(r) != "192.0.2.1" {
		t.Fatalf("allowed query after the FORMERR burst: %v", r)
	}
}

func TestErrLimiterPerNetwork(t *testing.T) {
	l := newErrLimiter(1, 3)
	now := time.Unix(1_800_000_000, 0)
	count := func(a string) int {
		n := 0
		for range 10 {
			if l.allow(netip.MustParseAddr(a), now) {
				n++
			}
		}
		return n
	}
	if got := count("2001:db8:1:2::1"); got != 3 {
		t.Fatalf("first address of a /64: %d", got)
	}
	if got := count("2001:db8:1:2::ffff"); got != 0 {
		t.Fatalf("same /64: %d, want 0 (one bucket)", got)
	}
	if got := count("192.0.2.1"); got != 3 {
		t.Fatalf("another network: %d", got)
	}
	now = now.Add(2 * time.Second)
	if got := count("2001:db8:1:2::1"); got != 2 {
		t.Fatalf("after 2 s at 1/s: %d", got)
	}
}
