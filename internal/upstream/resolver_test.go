package upstream

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
)

func checkA(t *testing.T, m *dns.Msg) {
	t.Helper()
	if m.Rcode != dns.RcodeSuccess || len(m.Answer) == 0 {
		t.Fatalf("answer rcode %d, %d records", m.Rcode, len(m.Answer))
	}
	a, ok := m.Answer[len(m.Answer)-1].(*dns.A)
	if !ok || !a.A.Equal(net.IPv4(192, 0, 2, 1)) {
		t.Fatalf("answer %v", m.Answer)
	}
}

func TestForwardOverEachTransport(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := testPKI(t)
	tests := []struct {
		name  string
		start func(t *testing.T, f *fakeUpstream) string
		check func(t *testing.T, f *fakeUpstream)
	}{
		{"udp", func(t *testing.T, f *fakeUpstream) string {
			a, _ := startDNS(t, f, "udp", nil)
			return "udp://" + a
		}, nil},
		{"tcp", func(t *testing.T, f *fakeUpstream) string {
			a, _ := startDNS(t, f, "tcp", nil)
			return "tcp://" + a
		}, func(t *testing.T, f *fakeUpstream) {
			if f.conns.Load() != 1 {
				t.Errorf("%d tcp connections for 3 sequential queries, want 1 (reuse)", f.conns.Load())
			}
		}},
		{"tls by ip", func(t *testing.T, f *fakeUpstream) string {
			a, _ := startDNS(t, f, "tcp", serverTLS)
			return "tls://" + a
		}, func(t *testing.T, f *fakeUpstream) {
			if f.conns.Load() != 1 {
				t.Errorf("%d tls connections for 3 sequential queries, want 1 (reuse)", f.conns.Load())
			}
		}},
		{"tls with server name", func(t *testing.T, f *fakeUpstream) string {
			a, _ := startDNS(t, f, "tcp", serverTLS)
			return "tls://" + a + "#dns.test"
		}, nil},
		{"https", func(t *testing.T, f *fakeUpstream) string {
			return startDoH(t, f, serverTLS)
		}, func(t *testing.T, f *fakeUpstream) {
			if f.h2.Load() != 3 {
				t.Errorf("%d of 3 DoH requests over HTTP/2", f.h2.Load())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeUpstream{}
			r := newResolver(t, Config{Upstreams: []string{tt.start(t, f)}, TLSConfig: clientTLS})
			for i, name := range []string{"one.test.", "two.test.", "cname.test."} {
				resp, err := r.Resolve(context.Background(), query(name, dns.TypeA, true, false))
				if err != nil {
					t.Fatalf("query %d: %v", i, err)
				}
				checkA(t, resp)
			}
			if f.count.Load() != 3 {
				t.Errorf("upstream saw %d queries, want 3", f.count.Load())
			}
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}

func TestTLSRejectsUntrustedCertificate(t *testing.T) {
	t.Parallel()
	serverTLS, _ := testPKI(t)
	_, otherClient := testPKI(t)
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "tcp", serverTLS)
	r := newResolver(t, Config{Upstreams: []string{"tls://" + a + "#dns.test"}, TLSConfig: otherClient})
	if _, err := r.Resolve(context.Background(), query("x.test.", dns.TypeA, false, false)); !errors.Is(err, ErrUpstreamsFailed) {
		t.Fatalf("error %v, want ErrUpstreamsFailed", err)
	}
	if f.count.Load() != 0 {
		t.Fatal("query sent over an unverified connection")
	}
}

func TestTruncatedAnswerRetriedOverTCP(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{}
	a, _ := startUDPTCP(t, f)
	r := newResolver(t, Config{Upstreams: []string{a}})
	resp, err := r.Resolve(context.Background(), query("big.test.", dns.TypeTXT, true, false))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Truncated || len(resp.Answer) != 40 {
		t.Fatalf("truncated=%v with %d answers, want full answer", resp.Truncated, len(resp.Answer))
	}
	if f.count.Load() != 2 || f.tcpCount.Load() != 1 {
		t.Fatalf("queries udp+tcp=%d tcp=%d, want 2 and 1", f.count.Load(), f.tcpCount.Load())
	}
	// The cached answer is too big for a UDP client without EDNS: TC, header and question only.
	var q dnswire.Query
	pkt, _ := query("big.test.", dns.TypeTXT, true, false).Pack()
	if err := dnswire.ParseQuery(pkt, &q); err != nil {
		t.Fatal(err)
	}
	out, ok := r.AppendCached(nil, &q, q.MaxUDPSize())
	var m dns.Msg
	if !ok || m.Unpack(out) != nil || !m.Truncated || len(m.Answer) != 0 || len(m.Question) != 1 || m.IsEdns0() == nil {
		t.Fatalf("UDP-sized cached answer: ok=%v %v", ok, m.String())
	}
	out, ok = r.AppendCached(nil, &q, dnswire.MaxMsgLen)
	if !ok || m.Unpack(out) != nil || m.Truncated || len(m.Answer) != 40 {
		t.Fatalf("TCP-sized cached answer: ok=%v truncated=%v answers=%d", ok, m.Truncated, len(m.Answer))
	}
}

// silentUDP returns the address of a UDP socket that reads and never answers,
// and a counter of the packets it swallowed.
func silentUDP(t *testing.T) (string, *sync.WaitGroup, func() int) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	n := 0
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
		}
	})
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	return pc.LocalAddr().String(), &wg, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func closedUDPPort(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := pc.LocalAddr().String()
	pc.Close()
	return a
}

func TestFailover(t *testing.T) {
	t.Parallel()
	silent, _, swallowed := silentUDP(t)
	for _, tc := range []struct{ name, first string }{
		{"closed port", closedUDPPort(t)},
		{"silent", silent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeUpstream{}
			good, _ := startDNS(t, f, "udp", nil)
			r := newResolver(t, Config{Upstreams: []string{tc.first, good}, Timeout: 200 * time.Millisecond})
			resp, err := r.Resolve(context.Background(), query("a.test.", dns.TypeA, false, false))
			if err != nil {
				t.Fatal(err)
			}
			checkA(t, resp)
			h := r.Health()
			// One failure of DownAfter (3): still up, but slow.
			if !h[0].Healthy || h[0].Errors != 1 || h[0].LastError == "" || !h[1].Healthy || h[1].Queries != 1 {
				t.Fatalf("health after failover: %+v", h)
			}
			before := swallowed()
			// The failed upstream now counts as slow and is tried last: the
			// next query goes to the good one only.
			if _, err := r.Resolve(context.Background(), query("b.test.", dns.TypeA, false, false)); err != nil {
				t.Fatal(err)
			}
			if h := r.Health(); h[0].Queries != 1 || h[1].Queries != 2 {
				t.Fatalf("second query order: %+v", h)
			}
			if tc.first == silent && swallowed() != before {
				t.Fatal("down upstream was asked again")
			}
		})
	}
}

func TestHealthProbeBringsUpstreamBack(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{}
	a, stop := startDNS(t, f, "tcp", nil)
	r := newResolver(t, Config{Upstreams: []string{"tcp://" + a}, HealthInterval: 20 * time.Millisecond, Timeout: 200 * time.Millisecond})
	r.ups[0].setHealthy(false, "test: pretend it failed")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for !r.Health()[0].Healthy {
		if time.Now().After(deadline) {
			t.Fatal("upstream never came back up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if f.last().Question[0].Name != "." {
		t.Fatalf("probe asked %v", f.last().Question)
	}
}

func TestServeStale(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{}
	a, stop := startDNS(t, f, "udp", nil)
	clock := newClock()
	r := newResolver(t, Config{Upstreams: []string{a}, MaxStale: 24 * time.Hour, Now: clock.Now, Timeout: 200 * time.Millisecond, DownAfter: 1})
	for _, edns := range []bool{true, false} {
		if _, err := r.Resolve(context.Background(), query("stale.test.", dns.TypeA, edns, false)); err != nil {
			t.Fatal(err)
		}
	}
	stop()
	clock.Advance(301 * time.Second)
	for _, edns := range []bool{true, false} {
		resp, err := r.Resolve(context.Background(), query("Stale.Test.", dns.TypeA, edns, false))
		if err != nil {
			t.Fatalf("edns=%v: %v", edns, err)
		}
		checkA(t, resp)
		if ttl := resp.Answer[0].Header().Ttl; ttl != 30 {
			t.Errorf("stale TTL %d, want 30", ttl)
		}
		if resp.Question[0].Name != "Stale.Test." {
			t.Errorf("question case not echoed: %s", resp.Question[0].Name)
		}
		opt := resp.IsEdns0()
		if !edns {
			if opt != nil {
				t.Error("OPT in answer to a client without EDNS")
			}
			continue
		}
		found := false
		for _, o := range opt.Option {
			if e, ok := o.(*dns.EDNS0_EDE); ok && e.InfoCode == dns.ExtendedErrorCodeStaleAnswer {
				found = true
			}
		}
		if !found {
			t.Errorf("no EDE 3 in %v", opt)
		}
	}
	if got := r.Stats().StaleServed; got != 2 {
		t.Errorf("StaleServed %d, want 2", got)
	}
	// The first stale answer marked the only upstream down; the second was
	// served without waiting for it again.
	if h := r.Health()[0]; h.Healthy || h.Queries != 3 {
		t.Errorf("upstream %+v, want down after 3 exchanges (2 answered, 1 failed)", h)
	}
	// Past MaxStale the entry is no longer served.
	clock.Advance(25 * time.Hour)
	if _, err := r.Resolve(context.Background(), query("stale.test.", dns.TypeA, true, false)); !errors.Is(err, ErrUpstreamsFailed) {
		t.Fatalf("error %v past MaxStale, want ErrUpstreamsFailed", err)
	}
}

func TestServeStaleWhenUpstreamSaysServFail(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}, Now: clock.Now})
	resp, err := r.Resolve(context.Background(), query("fail.test.", dns.TypeA, false, false))
	if err != nil || resp.Rcode != dns.RcodeServerFailure {
		t.Fatalf("SERVFAIL not passed on: %v %v", resp, err)
	}
	if _, err := r.Resolve(context.Background(), query("fail.test.", dns.TypeA, false, false)); err != nil {
		t.Fatal(err)
	}
	if f.count.Load() != 2 {
		t.Fatalf("SERVFAIL was cached: %d upstream queries", f.count.Load())
	}
}

func TestNegativeCaching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		qname   string
		qtype   uint16
		rcode   int
		ttl     uint32 // expected SOA TTL, 0 = not cached
		expires time.Duration
	}{
		{"nxdomain uses soa minimum", "nx.test.", dns.TypeA, dns.RcodeNameError, 60, 61 * time.Second},
		{"nodata uses soa ttl", "nodata.test.", dns.TypeAAAA, dns.RcodeSuccess, 120, 121 * time.Second},
		{"no soa no caching", "nosoa.test.", dns.TypeA, dns.RcodeNameError, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newClock()
			f := &fakeUpstream{}
			a, _ := startDNS(t, f, "udp", nil)
			r := newResolver(t, Config{Upstreams: []string{a}, Now: clock.Now})
			for range 2 {
				resp, err := r.Resolve(context.Background(), query(tt.qname, tt.qtype, false, false))
				if err != nil || resp.Rcode != tt.rcode {
					t.Fatalf("rcode %v err %v", resp, err)
				}
				if tt.ttl != 0 && resp.Ns[0].Header().Ttl != tt.ttl {
					t.Fatalf("SOA TTL %d, want %d", resp.Ns[0].Header().Ttl, tt.ttl)
				}
			}
			want := int32(1)
			if tt.ttl == 0 {
				want = 2
			}
			if f.count.Load() != want {
				t.Fatalf("%d upstream queries, want %d", f.count.Load(), want)
			}
			if tt.ttl == 0 {
				return
			}
			clock.Advance(tt.expires)
			if _, err := r.Resolve(context.Background(), query(tt.qname, tt.qtype, false, false)); err != nil {
				t.Fatal(err)
			}
			if f.count.Load() != 2 {
				t.Fatalf("expired negative entry still served")
			}
		})
	}
}

func TestTTLClamp(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := &fakeUpstream{answerTTL: 5}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}, Now: clock.Now, MinTTL: time.Minute, MaxTTL: 2 * time.Minute})
	resp, err := r.Resolve(context.Background(), query("cname.test.", dns.TypeA, false, false))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Answer[0].Header().Ttl != 60 || resp.Answer[1].Header().Ttl != 60 {
		t.Fatalf("TTLs %d %d, want both raised to 60", resp.Answer[0].Header().Ttl, resp.Answer[1].Header().Ttl)
	}
	clock.Advance(59 * time.Second)
	if _, err := r.Resolve(context.Background(), query("cname.test.", dns.TypeA, false, false)); err != nil || f.count.Load() != 1 {
		t.Fatalf("clamped entry not served from cache: %v, %d queries", err, f.count.Load())
	}
}

func TestDOBitAndEDNSSize(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}})
	tests := []struct {
		name      string
		edns, do  bool
		wantOPT   bool
		wantOptDO bool
	}{
		{"no edns", false, false, false, false},
		{"edns", true, false, true, false},
		{"edns do", true, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := query("do.test.", dns.TypeA, tt.edns, tt.do)
			if tt.edns {
				req.IsEdns0().SetUDPSize(4096)
			}
			resp, err := r.Resolve(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			up := f.last().IsEdns0()
			if up == nil || up.UDPSize() != 1232 || up.Do() != tt.do {
				t.Fatalf("upstream OPT %v, want size 1232 DO %v", up, tt.do)
			}
			opt := resp.IsEdns0()
			if (opt != nil) != tt.wantOPT {
				t.Fatalf("OPT in answer %v, want %v", opt != nil, tt.wantOPT)
			}
			if opt != nil && (opt.Do() != tt.wantOptDO || len(opt.Option) != 0 || opt.UDPSize() != 1232) {
				t.Fatalf("answer OPT %v", opt)
			}
			if resp.Id != req.Id {
				t.Fatalf("answer ID %d, want %d", resp.Id, req.Id)
			}
		})
	}
	if f.count.Load() != 3 {
		t.Fatalf("%d upstream queries, want 3 (one per variant)", f.count.Load())
	}
}

func TestECS(t *testing.T) {
	t.Parallel()
	withECS := func() *dns.Msg {
		m := query("ecs.test.", dns.TypeA, true, false)
		o := m.IsEdns0()
		o.Option = append(o.Option, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: net.IPv4(198, 51, 100, 0).To4()})
		return m
	}
	hasECS := func(m *dns.Msg) bool {
		for _, o := range m.IsEdns0().Option {
			if o.Option() == dns.EDNS0SUBNET {
				return true
			}
		}
		return false
	}
	for _, keep := range []bool{false, true} {
		f := &fakeUpstream{}
		a, _ := startDNS(t, f, "udp", nil)
		r := newResolver(t, Config{Upstreams: []string{a}, KeepECS: keep})
		for range 2 {
			if _, err := r.Resolve(context.Background(), withECS()); err != nil {
				t.Fatal(err)
			}
		}
		if hasECS(f.last()) != keep {
			t.Errorf("KeepECS=%v: upstream saw ECS=%v", keep, hasECS(f.last()))
		}
		wantQueries := int32(1)
		if keep {
			wantQueries = 2 // ECS answers are per subnet: not cached
		}
		if f.count.Load() != wantQueries {
			t.Errorf("KeepECS=%v: %d upstream queries, want %d", keep, f.count.Load(), wantQueries)
		}
	}
}

func TestCoalescing(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{delay: 200 * time.Millisecond}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			resp, err := r.Resolve(context.Background(), query("same.test.", dns.TypeA, true, false))
			if err == nil && len(resp.Answer) != 1 {
				err = errors.New("no answer")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if f.count.Load() != 1 {
		t.Fatalf("%d upstream queries for 20 concurrent identical misses, want 1", f.count.Load())
	}
	if r.Stats().Coalesced == 0 {
		t.Fatal("Coalesced counter not incremented")
	}
}

func TestResolveRejectsBadRequests(t *testing.T) {
	t.Parallel()
	r := newResolver(t, Config{Upstreams: []string{"127.0.0.1:9"}})
	m := query("a.test.", dns.TypeA, false, false)
	m.Question = append(m.Question, m.Question[0])
	if _, err := r.Resolve(context.Background(), m); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("two questions: %v", err)
	}
	m = query("a.test.", dns.TypeA, false, false)
	m.Opcode = dns.OpcodeNotify
	if _, err := r.Resolve(context.Background(), m); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("notify: %v", err)
	}
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"no upstreams":  {},
		"bad upstream":  {Upstreams: []string{"quic://1.1.1.1"}},
		"duplicate":     {Upstreams: []string{"1.1.1.1", "udp://1.1.1.1:53"}},
		"negative":      {Upstreams: []string{"1.1.1.1"}, Timeout: -1},
		"min above max": {Upstreams: []string{"1.1.1.1"}, MinTTL: time.Hour, MaxTTL: time.Minute},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted %+v", name, cfg)
		}
	}
	r, err := New(Config{Upstreams: []string{"1.1.1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.cfg.Timeout != DefaultTimeout || r.cfg.StaleTTL != DefaultStaleTTL || r.cfg.CacheBytes != DefaultCacheBytes {
		t.Fatalf("defaults not applied: %+v", r.cfg)
	}
}
