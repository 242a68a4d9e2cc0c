package dnsserver

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/filter"
	"manglanh/internal/upstream"
)

// fakeUpstream is a real DNS server on loopback answering every A query with
// 192.0.2.1 (TTL 300), AAAA with 2001:db8::1, "big.test" with 60 A records,
// and counting what it was asked.
type fakeUpstream struct {
	srv   *dns.Server
	addr  string
	asked atomic.Int64
}

func startUpstream(t *testing.T) *fakeUpstream {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &fakeUpstream{addr: pc.LocalAddr().String()}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", func(w dns.ResponseWriter, r *dns.Msg) {
		u.asked.Add(1)
		m := new(dns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		switch {
		case q.Name == "big.test." && q.Qtype == dns.TypeA:
			for i := 0; i < 60; i++ {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300}, A: net.IPv4(10, 0, byte(i/250), byte(i%250+1))})
			}
		case q.Qtype == dns.TypeA:
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300}, A: net.IPv4(192, 0, 2, 1)})
		case q.Qtype == dns.TypeAAAA:
			m.Answer = append(m.Answer, &dns.AAAA{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: 300}, AAAA: net.ParseIP("2001:db8::1")})
		}
		if o := r.IsEdns0(); o != nil {
			m.SetEdns0(1232, o.Do())
		}
		w.WriteMsg(m)
	})
	u.srv = &dns.Server{PacketConn: pc, Handler: mux}
	go u.srv.ActivateAndServe()
	t.Cleanup(func() { u.srv.Shutdown() })
	return u
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type harness struct {
	srv    *Server
	addr   string
	up     *fakeUpstream
	clock  *clock
	loader *filter.Loader
	list   string
}

var ict = time.FixedZone("ICT", 7*3600)

func newHarness(t *testing.T, mutate func(*Config)) *harness {
	t.Helper()
	h := &harness{up: startUpstream(t), clock: &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, ict)}} // a Wednesday
	dir := t.TempDir()
	h.list = filepath.Join(dir, "gambling.txt")
	if err := os.WriteFile(h.list, []byte("# test list\r\n0.0.0.0 nohu-club.example\r\n||taixiu.example^\r\nbanca.example\r\n!comment\r\n@@||ok.taixiu.example^\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := filter.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	res, err := upstream.New(upstream.Config{Upstreams: []string{h.up.addr}, Timeout: 500 * time.Millisecond, MaxStale: time.Hour, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Listen: "127.0.0.1:0", Resolver: res, Registry: reg, AllowNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, Now: h.clock.Now}
	if mutate != nil {
		mutate(&cfg)
	}
	h.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := filter.Compile(reg, []filter.ProfileSpec{
		{Name: "default", Block: []string{"gambling", "adult", "scam", "bypass"}, SafeSearch: "strict",
			Schedules: []filter.ScheduleSpec{
				{Name: "giờ học", Days: []string{"mon", "tue", "wed", "thu", "fri"}, From: "07:00", To: "11:00", Block: []string{"tiktok"}},
				{Name: "giờ ngủ", Days: []string{"wed"}, From: "22:00", To: "06:00", AllowOnly: []string{"zalo"}},
			}},
	}, "default")
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	h.loader, err = filter.NewLoader(filter.LoaderConfig{Registry: reg, Sources: []filter.Source{{Category: "gambling", Location: h.list}},
		OnSwap: func(m *filter.Matcher, _ []filter.SourceStatus) { h.srv.SetMatcher(m) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.loader.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Listen(); err != nil {
		t.Fatal(err)
	}
	h.addr = h.srv.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.srv.Serve(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

func (h *harness) ask(t *testing.T, netw, name string, qtype uint16, edns bool) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	if edns {
		m.SetEdns0(1232, false)
	}
	c := &dns.Client{Net: netw, Timeout: 2 * time.Second}
	r, _, err := c.Exchange(m, h.addr)
	if err != nil {
		t.Fatalf("%s %s: %v", netw, name, err)
	}
	return r
}

func firstA(r *dns.Msg) string {
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			return a.A.String()
		}
	}
	return ""
}

func ede(r *dns.Msg) (uint16, string, bool) {
	if o := r.IsEdns0(); o != nil {
		for _, opt := range o.Option {
			if e, ok := opt.(*dns.EDNS0_EDE); ok {
				return e.InfoCode, e.ExtraText, true
			}
		}
	}
	return 0, "", false
}

func TestAllowedBlockedAndSubdomains(t *testing.T) {
	h := newHarness(t, nil)
	for _, netw := range []string{"udp", "tcp"} {
		t.Run(netw, func(t *testing.T) {
			r := h.ask(t, netw, "vnexpress.net", dns.TypeA, false)
			if r.Rcode != dns.RcodeSuccess || firstA(r) != "192.0.2.1" {
				t.Fatalf("allowed: %v", r)
			}
			// Second time from the cache, still right, with a lower or equal TTL.
			r = h.ask(t, netw, "vnexpress.net", dns.TypeA, false)
			if firstA(r) != "192.0.2.1" || r.Answer[0].Header().Ttl > 300 {
				t.Fatalf("cached: %v", r)
			}
			for _, name := range []string{"nohu-club.example", "taixiu.example", "www.taixiu.example", "a.b.banca.example"} {
				r = h.ask(t, netw, name, dns.TypeA, true)
				if firstA(r) != "0.0.0.0" || r.Answer[0].Header().Ttl > 10 {
					t.Fatalf("%s not blocked: %v", name, r)
				}
				code, text, ok := ede(r)
				if !ok || code != 15 || !strings.Contains(text, "gambling") {
					t.Fatalf("%s: EDE %d %q %v", name, code, text, ok)
				}
			}
			r = h.ask(t, netw, "taixiu.example", dns.TypeAAAA, false)
			if len(r.Answer) != 1 || r.Answer[0].(*dns.AAAA).AAAA.String() != "::" {
				t.Fatalf("AAAA block: %v", r)
			}
			r = h.ask(t, netw, "ok.taixiu.example", dns.TypeA, false)
			if firstA(r) != "192.0.2.1" {
				t.Fatalf("allow exception ignored: %v", r)
			}
		})
	}
	if h.srv.Stats.Blocked.Load() == 0 || h.srv.Stats.CacheHits.Load() == 0 {
		t.Fatalf("stats: blocked %d hits %d", h.srv.Stats.Blocked.Load(), h.srv.Stats.CacheHits.Load())
	}
}

func TestSafeSearchAndCanaries(t *testing.T) {
	h := newHarness(t, nil)
	r := h.ask(t, "udp", "www.google.com.vn", dns.TypeA, false)
	if len(r.Answer) < 2 {
		t.Fatalf("safe search: %v", r)
	}
	cn, ok := r.Answer[0].(*dns.CNAME)
	if !ok || cn.Target != "forcesafesearch.google.com." || firstA(r) != "192.0.2.1" {
		t.Fatalf("safe search answer: %v", r)
	}
	r = h.ask(t, "udp", "www.youtube.com", dns.TypeA, false)
	if cn, ok := r.Answer[0].(*dns.CNAME); !ok || cn.Target != "restrict.youtube.com." {
		t.Fatalf("youtube: %v", r)
	}
	for _, name := range []string{"use-application-dns.net", "mask.icloud.com", "mask-h2.icloud.com"} {
		r = h.ask(t, "udp", name, dns.TypeA, false)
		if r.Rcode != dns.RcodeNameError {
			t.Fatalf("canary %s: %v", name, r)
		}
	}
}

func TestSchedulesAtFixedClocks(t *testing.T) {
	h := newHarness(t, nil)
	// Wednesday 10:00: school hours block tiktok, zalo allowed.
	r := h.ask(t, "udp", "www.tiktok.com", dns.TypeA, true)
	if firstA(r) != "0.0.0.0" {
		t.Fatalf("tiktok in school hours: %v", r)
	}
	if code, _, _ := ede(r); code != 17 {
		t.Fatalf("schedule block EDE = %d, want 17 (Filtered)", code)
	}
	// Wednesday 12:00: tiktok resolves, and answers are capped at 60 s for
	// a profile with schedules.
	h.clock.Set(time.Date(2026, 11, 25, 12, 0, 0, 0, ict))
	r = h.ask(t, "udp", "www.tiktok.com", dns.TypeA, false)
	if firstA(r) != "192.0.2.1" || r.Answer[0].Header().Ttl > 60 {
		t.Fatalf("tiktok at noon: %v", r)
	}
	// Wednesday 23:30 and Thursday 05:59 (across midnight): only zalo.
	for _, at := range []time.Time{time.Date(2026, 11, 25, 23, 30, 0, 0, ict), time.Date(2026, 11, 26, 5, 59, 0, 0, ict)} {
		h.clock.Set(at)
		if r = h.ask(t, "udp", "vnexpress.net", dns.TypeA, false); firstA(r) != "0.0.0.0" {
			t.Fatalf("bedtime %v: vnexpress allowed: %v", at, r)
		}
		if r = h.ask(t, "udp", "chat.zalo.me", dns.TypeA, false); firstA(r) != "192.0.2.1" {
			t.Fatalf("bedtime %v: zalo blocked: %v", at, r)
		}
	}
	// Thursday 06:00: the window is over.
	h.clock.Set(time.Date(2026, 11, 26, 6, 0, 0, 0, ict))
	if r = h.ask(t, "udp", "vnexpress.net", dns.TypeA, false); firstA(r) != "192.0.2.1" {
		t.Fatalf("after bedtime: %v", r)
	}
}

func TestTruncationAndTCPFallback(t *testing.T) {
	h := newHarness(t, nil)
	r := h.ask(t, "udp", "big.test", dns.TypeA, false)
	if !r.Truncated {
		t.Fatalf("60 A records over UDP/512 not truncated: %d answers", len(r.Answer))
	}
	r = h.ask(t, "udp", "big.test", dns.TypeA, false) // from the cache now
	if !r.Truncated {
		t.Fatalf("cached answer not truncated")
	}
	r = h.ask(t, "tcp", "big.test", dns.TypeA, false)
	if r.Truncated || len(r.Answer) != 60 {
		t.Fatalf("tcp: truncated=%v answers=%d", r.Truncated, len(r.Answer))
	}
	if n := h.srv.Stats.Truncated.Load(); n != 2 {
		t.Fatalf("Stats.Truncated = %d, want 2 (two UDP answers)", n)
	}
}

func TestServeStaleWhenUpstreamDies(t *testing.T) {
	h := newHarness(t, nil)
	if r := h.ask(t, "udp", "truong-thcs.edu.vn", dns.TypeA, true); firstA(r) != "192.0.2.1" {
		t.Fatalf("warm-up: %v", r)
	}
	h.up.srv.Shutdown()
	h.clock.Add(10 * time.Minute) // the 300 s TTL has expired
	r := h.ask(t, "udp", "truong-thcs.edu.vn", dns.TypeA, true)
	if firstA(r) != "192.0.2.1" || r.Answer[0].Header().Ttl != 30 {
		t.Fatalf("stale answer: %v", r)
	}
	if code, _, ok := ede(r); !ok || code != 3 {
		t.Fatalf("stale EDE = %d %v, want 3", code, ok)
	}
	r = h.ask(t, "udp", "never-seen.example", dns.TypeA, false)
	if r.Rcode != dns.RcodeServerFailure {
		t.Fatalf("unknown name with no upstream: %v", r)
	}
}

func TestMalformedAndOversizedPacketsKeepServerAnswering(t *testing.T) {
	h := newHarness(t, nil)
	conn, err := net.Dial("udp", h.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	garbage := [][]byte{
		{},
		{0x12},
		[]byte("hello, resolver"),
		append([]byte{0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0}, 0x3f), // label runs off the end
		append([]byte{0xab, 0xcd, 0x81, 0x80, 0x00, 0x01, 0, 0, 0, 0, 0, 0}, 0),    // a response
		make([]byte, 4000),
		{0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1}, // compression loop
	}
	for _, g := range garbage {
		conn.Write(g)
	}
	// A FORMERR for a parseable header with a bad question.
	conn.Write(garbage[3])
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 512)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no FORMERR for the bad question: %v", err)
		}
		if n >= 12 && buf[0] == 0xab && buf[1] == 0xcd {
			if buf[3]&0xF != dns.RcodeFormatError {
				t.Fatalf("want FORMERR, got %x", buf[:n])
			}
			break
		}
	}
	// TCP: a length prefix promising more than is sent, then garbage.
	tc, err := net.Dial("tcp", h.addr)
	if err != nil {
		t.Fatal(err)
	}
	tc.Write([]byte{0xff, 0xff, 1, 2, 3})
	tc.Close()
	if r := h.ask(t, "udp", "still-alive.example", dns.TypeA, false); firstA(r) != "192.0.2.1" {
		t.Fatalf("server stopped answering: %v", r)
	}
	if r := h.ask(t, "tcp", "still-alive.example", dns.TypeA, false); firstA(r) != "192.0.2.1" {
		t.Fatalf("server stopped answering on tcp: %v", r)
	}
	if h.srv.Stats.Malformed.Load() == 0 {
		t.Fatal("malformed packets not counted")
	}
}

func TestNotAnOpenResolver(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AllowNets = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} })
	r := h.ask(t, "udp", "vnexpress.net", dns.TypeA, false)
	if r.Rcode != dns.RcodeRefused || len(r.Answer) != 0 {
		t.Fatalf("outsider answered: %v", r)
	}
	if h.up.asked.Load() != 0 {
		t.Fatal("refused query reached the upstream")
	}
}

func TestRateLimitPerClient(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.RateLimit, c.RateBurst = 5, 5 })
	c := &dns.Client{Net: "udp", Timeout: 150 * time.Millisecond}
	answered := 0
	for i := 0; i < 20; i++ {
		m := new(dns.Msg)
		m.SetQuestion("taixiu.example.", dns.TypeA) // blocked: answered on the hot path
		if _, _, err := c.Exchange(m, h.addr); err == nil {
			answered++
		}
	}
	// The fake clock does not move, so exactly the burst is answered.
	if answered != 5 || h.srv.Stats.RateLimited.Load() != 15 {
		t.Fatalf("answered %d, limited %d", answered, h.srv.Stats.RateLimited.Load())
	}
	h.clock.Add(time.Second)
	if _, _, err := c.Exchange(func() *dns.Msg { m := new(dns.Msg); m.SetQuestion("x.example.", dns.TypeA); return m }(), h.addr); err != nil {
		t.Fatalf("after refill: %v", err)
	}
}

func TestCorruptListKeepsLastGood(t *testing.T) {
	h := newHarness(t, nil)
	if r := h.ask(t, "udp", "taixiu.example", dns.TypeA, false); firstA(r) != "0.0.0.0" {
		t.Fatal("not blocked before")
	}
	// The file is cut to garbage, then removed: each refresh fails and the
	// last good list stays in force.
	os.WriteFile(h.list, []byte("\x00\x01\x02 not a list {{{{\n"), 0o644)
	h.loader.Refresh(context.Background(), 0)
	if r := h.ask(t, "udp", "taixiu.example", dns.TypeA, false); firstA(r) != "0.0.0.0" {
		t.Fatal("corrupt list dropped the last good one")
	}
	os.Remove(h.list)
	h.loader.Refresh(context.Background(), 0)
	if r := h.ask(t, "udp", "www.taixiu.example", dns.TypeA, false); firstA(r) != "0.0.0.0" {
		t.Fatal("missing list dropped the last good one")
	}
	st := h.loader.Statuses()
	if len(st) != 1 || st[0].LastError == "" || st[0].Domains == 0 {
		t.Fatalf("status = %+v", st)
	}
}
