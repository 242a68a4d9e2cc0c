package dnsserver

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/upstream"
)

// holeUpstream is a UDP upstream that answers every A query with
// 192.0.2.1 (TTL 300) or, once black-holed, reads queries and drops them,
// as a route that loses packets does (no ICMP, no REFUSED).
type holeUpstream struct {
	pc    net.PacketConn
	holed atomic.Bool
	asked atomic.Int64
}

func startHoleUpstream(t *testing.T) *holeUpstream {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &holeUpstream{pc: pc}
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			u.asked.Add(1)
			var req dns.Msg
			if u.holed.Load() || req.Unpack(buf[:n]) != nil || len(req.Question) != 1 {
				continue
			}
			m := new(dns.Msg)
			m.SetReply(&req)
			if q := req.Question[0]; q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300}, A: net.IPv4(192, 0, 2, 1)})
			}
			if o := req.IsEdns0(); o != nil {
				m.SetEdns0(1232, o.Do())
			}
			b, _ := m.Pack()
			pc.WriteTo(b, from)
		}
	})
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	return u
}

// timedAsk asks name over UDP with a 3 s client timeout and returns the
// answer and how long it took.
func timedAsk(t *testing.T, addr, name string) (*dns.Msg, time.Duration) {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	c := &dns.Client{Net: "udp", Timeout: 3 * time.Second}
	start := time.Now()
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s: %v after %v", name, err, time.Since(start))
	}
	return r, time.Since(start)
}

// TestStaleAnswersWithoutWaiting: with the only upstream black-holed, the
// first stale answer comes within the client response timer (1.8 s, not
// the 2 s timeout) and the next ones at once; once the upstream is marked
// down (three timeouts), stale answers and SERVFAIL for uncached names
// still come at once; when it
// answers again, a probe marks it up and answers are fresh again. Real
// timers and the resolver's defaults, except a short probe interval.
func TestStaleAnswersWithoutWaiting(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for real timeouts")
	}
	up := startHoleUpstream(t)
	clk := &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, ict)}
	res, err := upstream.New(upstream.Config{Upstreams: []string{up.pc.LocalAddr().String()}, MaxStale: time.Hour,
		HealthInterval: 200 * time.Millisecond, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan struct{})
	go func() { res.Run(ctx); close(runDone) }()
	t.Cleanup(func() { cancel(); <-runDone; res.Close() })
	h := newHarness(t, func(c *Config) { c.Resolver, c.Now = res, clk.Now })

	names := []string{"a.truong.vn", "b.truong.vn", "c.truong.vn", "d.truong.vn", "e.truong.vn"}
	for _, n := range names {
		if r, _ := timedAsk(t, h.addr, n); firstA(r) != "192.0.2.1" {
			t.Fatalf("warm-up %s: %v", n, r)
		}
	}
	up.holed.Store(true)
	clk.Add(10 * time.Minute) // past the 300 s TTL, within MaxStale

	// The first waits for the client response timer only.
	r, took := timedAsk(t, h.addr, names[0])
	if firstA(r) != "192.0.2.1" || r.Answer[0].Header().Ttl != 30 {
		t.Fatalf("first stale answer: %v", r)
	}
	if took > 1900*time.Millisecond {
		t.Fatalf("first stale answer took %v, want at most 1.9 s", took)
	}
	t.Logf("first stale answer in %v", took)
	// The upstream has stalled since it last answered: the next stale
	// answers come at once, their lookups go on in the background, and
	// their timeouts mark the upstream down.
	for _, n := range names[1:3] {
		r, d := timedAsk(t, h.addr, n)
		if firstA(r) != "192.0.2.1" || r.Answer[0].Header().Ttl != 30 || d > 100*time.Millisecond {
			t.Fatalf("stale answer for %s while the upstream is suspect: %v after %v", n, r, d)
		}
	}
	waitFor(t, 5*time.Second, "the upstream marked down", func() bool { return !res.Health()[0].Healthy })

	// Down: stale and SERVFAIL at once, for as long as it stays down.
	for i := range 5 {
		r, d := timedAsk(t, h.addr, names[3+i%2])
		if firstA(r) != "192.0.2.1" || d > 100*time.Millisecond {
			t.Fatalf("stale answer %d while down: %v after %v", i, r, d)
		}
		r, d = timedAsk(t, h.addr, "never-seen.example")
		if r.Rcode != dns.RcodeServerFailure || d > 100*time.Millisecond {
			t.Fatalf("uncached name while down: %v after %v", r, d)
		}
	}
	if st := res.Stats(); st.AllDown < 10 || st.StaleOnTimer != 1 {
		t.Fatalf("stats %+v", st)
	}

	// It answers again: a probe marks it up, and answers are fresh.
	asked := up.asked.Load()
	up.holed.Store(false)
	waitFor(t, 5*time.Second, "the upstream marked up by a probe", func() bool { return res.Health()[0].Healthy })
	r, _ = timedAsk(t, h.addr, "never-seen.example")
	if firstA(r) != "192.0.2.1" {
		t.Fatalf("after recovery: %v", r)
	}
	r, _ = timedAsk(t, h.addr, names[4])
	// Fresh: the profile's schedule clamps TTLs to 60 s; stale ones are 30.
	if firstA(r) != "192.0.2.1" || r.Answer[0].Header().Ttl != 60 {
		t.Fatalf("fresh answer after recovery: %v", r)
	}
	if up.asked.Load() <= asked {
		t.Fatal("the upstream was not asked after recovery")
	}
}
