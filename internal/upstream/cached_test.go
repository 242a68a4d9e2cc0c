package upstream

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
)

func parse(t testing.TB, m *dns.Msg) *dnswire.Query {
	t.Helper()
	pkt, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	q := new(dnswire.Query)
	if err := dnswire.ParseQuery(pkt, q); err != nil {
		t.Fatal(err)
	}
	return q
}

func TestAppendCached(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}, Now: clock.Now})

	miss := parse(t, query("cname.test.", dns.TypeA, false, false))
	if out, ok := r.AppendCached([]byte("x"), miss, 512); ok || string(out) != "x" {
		t.Fatalf("hit before anything was cached: %v %q", ok, out)
	}
	for _, edns := range []bool{false, true} {
		if _, err := r.Resolve(context.Background(), query("cname.test.", dns.TypeA, edns, false)); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(100*time.Second + 500*time.Millisecond)

	for _, edns := range []bool{false, true} {
		req := query("CName.Test.", dns.TypeA, edns, false)
		req.Id = 0x1234
		req.RecursionDesired = false
		q := parse(t, req)
		prefix := []byte{0xAA, 0xBB}
		out, ok := r.AppendCached(prefix, q, q.MaxUDPSize())
		if !ok {
			t.Fatalf("edns=%v: miss", edns)
		}
		if out[0] != 0xAA || out[1] != 0xBB {
			t.Fatal("dst prefix overwritten")
		}
		var m dns.Msg
		if err := m.Unpack(out[2:]); err != nil {
			t.Fatalf("cached answer does not unpack: %v", err)
		}
		if m.Id != 0x1234 || m.RecursionDesired || !m.Response || !m.RecursionAvailable {
			t.Errorf("header %+v", m.MsgHdr)
		}
		if m.Question[0].Name != "CName.Test." {
			t.Errorf("question %q, want the client's letter case", m.Question[0].Name)
		}
		// CNAME had TTL 600, A 300; 100.5 s have passed.
		if m.Answer[0].Header().Ttl != 500 || m.Answer[1].Header().Ttl != 200 {
			t.Errorf("TTLs %d %d, want 500 200", m.Answer[0].Header().Ttl, m.Answer[1].Header().Ttl)
		}
		if (m.IsEdns0() != nil) != edns {
			t.Errorf("edns=%v: OPT present %v", edns, m.IsEdns0() != nil)
		}
	}
	// A DO query is another variant: a miss.
	if _, ok := r.AppendCached(nil, parse(t, query("cname.test.", dns.TypeA, true, true)), 1232); ok {
		t.Error("DO query hit the non-DO entry")
	}
	clock.Advance(200 * time.Second)
	if _, ok := r.AppendCached(nil, miss, 512); ok {
		t.Error("expired entry served on the fast path")
	}
	if s := r.Stats(); s.Hits != 2 || s.Misses != 3 || s.Entries != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestAppendCachedZeroAlloc(t *testing.T) {
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	for _, prefetch := range []bool{false, true} {
		r := newResolver(t, Config{Upstreams: []string{a}, Prefetch: prefetch, PrefetchThreshold: 2})
		if _, err := r.Resolve(context.Background(), query("cname.test.", dns.TypeA, true, false)); err != nil {
			t.Fatal(err)
		}
		q := parse(t, query("cname.test.", dns.TypeA, true, false))
		buf := make([]byte, 0, 1232)
		allocs := testing.AllocsPerRun(1000, func() {
			var ok bool
			if buf, ok = r.AppendCached(buf[:0], q, 1232); !ok {
				t.Fatal("miss")
			}
		})
		if allocs != 0 {
			t.Fatalf("prefetch=%v: AppendCached allocates %.1f times per hit", prefetch, allocs)
		}
	}
}

func TestPrefetch(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}, Now: clock.Now, Prefetch: true, PrefetchThreshold: 3})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	defer func() { cancel(); <-done }()

	for _, name := range []string{"popular.test.", "rare.test."} {
		if _, err := r.Resolve(ctx, query(name, dns.TypeA, false, false)); err != nil {
			t.Fatal(err)
		}
	}
	popular := parse(t, query("popular.test.", dns.TypeA, false, false))
	rare := parse(t, query("rare.test.", dns.TypeA, false, false))
	for range 3 {
		r.AppendCached(nil, popular, 512)
	}
	r.AppendCached(nil, rare, 512)
	clock.Advance(280 * time.Second) // 20 s of 300 left: the last tenth
	if _, ok := r.AppendCached(nil, popular, 512); !ok {
		t.Fatal("miss")
	}
	if _, ok := r.AppendCached(nil, rare, 512); !ok {
		t.Fatal("miss")
	}
	deadline := time.Now().Add(5 * time.Second)
	for r.Stats().Prefetches == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no prefetch happened")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := f.count.Load(); got != 3 {
		t.Fatalf("%d upstream queries, want 3 (two misses, one prefetch of the popular name)", got)
	}
	if f.last().Question[0].Name != "popular.test." {
		t.Fatalf("prefetched %v", f.last().Question)
	}
	out, ok := r.AppendCached(nil, popular, 512)
	var m dns.Msg
	if !ok || m.Unpack(out) != nil || m.Answer[0].Header().Ttl != 300 {
		t.Fatalf("refreshed entry not served: ok=%v %v", ok, m.Answer)
	}
	// Twenty more seconds: the popular name is still fresh, the rare one expired.
	clock.Advance(21 * time.Second)
	if _, ok := r.AppendCached(nil, popular, 512); !ok {
		t.Error("prefetched entry expired")
	}
	if _, ok := r.AppendCached(nil, rare, 512); ok {
		t.Error("rare entry outlived its TTL")
	}
}

func TestCacheEvictsAtCapacity(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}, CacheSize: 64})
	for i := range 500 {
		if _, err := r.Resolve(context.Background(), query(fmt.Sprintf("n%d.test.", i), dns.TypeA, false, false)); err != nil {
			t.Fatal(err)
		}
	}
	s := r.Stats()
	if s.Entries > 64 || s.Evictions < 500-64 {
		t.Fatalf("entries %d evictions %d with CacheSize 64", s.Entries, s.Evictions)
	}
	// The last name inserted is still there.
	if _, ok := r.AppendCached(nil, parse(t, query("n499.test.", dns.TypeA, false, false)), 512); !ok {
		t.Fatal("most recent entry evicted")
	}
}

// BenchmarkAppendCached measures the cache-hit fast path; "hot-path" adds
// ParseQuery, i.e. everything between reading a UDP packet and writing the answer.
func BenchmarkAppendCached(b *testing.B) {
	f := &fakeUpstream{}
	a, _ := startDNS(b, f, "udp", nil)
	r := newResolver(b, Config{Upstreams: []string{a}, Prefetch: true})
	const names = 10000
	pkts := make([][]byte, names)
	for i := range names {
		name := fmt.Sprintf("www.host%d.example.", i)
		if _, err := r.Resolve(context.Background(), query(name, dns.TypeA, true, false)); err != nil {
			b.Fatal(err)
		}
		pkts[i], _ = query(name, dns.TypeA, true, false).Pack()
	}
	b.Run("one-name", func(b *testing.B) {
		q := parse(b, query("www.host1.example.", dns.TypeA, true, false))
		buf := make([]byte, 0, 1232)
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = r.AppendCached(buf[:0], q, 1232)
		}
	})
	b.Run("hot-path-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var q dnswire.Query
			buf := make([]byte, 0, 1232)
			i := 0
			for pb.Next() {
				i++
				if err := dnswire.ParseQuery(pkts[i%names], &q); err != nil {
					b.Fatal(err)
				}
				var ok bool
				if buf, ok = r.AppendCached(buf[:0], &q, q.MaxUDPSize()); !ok {
					b.Fatal("miss")
				}
			}
		})
	})
}

func TestFastAndSlowPathShareKeys(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}})
	// Non-ASCII bytes (UTF-8 "É") must not be case-folded by one path only.
	for _, name := range []string{`CAF\195\137.Test.`, `dot\.in.label.test.`, `UPPER.TEST.`} {
		if _, err := r.Resolve(context.Background(), query(name, dns.TypeA, false, false)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := r.AppendCached(nil, parse(t, query(name, dns.TypeA, false, false)), 512); !ok {
			t.Errorf("%s: cached by Resolve but missed by AppendCached", name)
		}
	}
}
