package upstream

import (
	"context"
	"errors"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
)

// TestResolveAppendMatchesResolve checks that the packed slow path gives
// the same answer as Resolve for misses, hits, truncation and stale
// answers, and leaves ECS queries to Resolve when KeepECS is set.
func TestResolveAppendMatchesResolve(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := &fakeUpstream{}
	a, stop := startDNS(t, f, "udp", nil)
	r := newResolver(t, Config{Upstreams: []string{a}, Now: clock.Now, MaxStale: time.Hour, Timeout: 200 * time.Millisecond})
	ctx := context.Background()
	for _, edns := range []bool{false, true} {
		req := query("CName.Test.", dns.TypeA, edns, false)
		req.Id = 0x4242
		q := parse(t, req)
		out, ok, err := r.ResolveAppend(ctx, []byte{0xEE}, q, q.MaxUDPSize())
		if !ok || err != nil || out[0] != 0xEE {
			t.Fatalf("edns=%v: ok=%v err=%v", edns, ok, err)
		}
		var got dns.Msg
		if err := got.Unpack(out[1:]); err != nil {
			t.Fatal(err)
		}
		want, err := r.Resolve(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() || got.Id != 0x4242 || got.Question[0].Name != "CName.Test." {
			t.Fatalf("edns=%v:\n%v\nwant\n%v", edns, &got, want)
		}
		if (got.IsEdns0() != nil) != edns {
			t.Fatalf("edns=%v: OPT %v", edns, got.IsEdns0())
		}
	}
	// Too long for the client's UDP size: TC and nothing else.
	q := parse(t, query("cname.test.", dns.TypeA, false, false))
	if out, _, _ := r.ResolveAppend(ctx, nil, q, 20); len(out) < 12 || out[2]&(dnswire.FlagTC>>8) == 0 {
		t.Fatalf("not truncated: %x", out)
	}
	// Stale, with EDE 3 for an EDNS client.
	stop()
	clock.Advance(2 * time.Hour / 3)
	q = parse(t, query("cname.test.", dns.TypeA, true, false))
	out, ok, err := r.ResolveAppend(ctx, nil, q, q.MaxUDPSize())
	if !ok || err != nil {
		t.Fatalf("stale: %v %v", ok, err)
	}
	var m dns.Msg
	if err := m.Unpack(out); err != nil || len(m.Answer) == 0 || m.Answer[0].Header().Ttl != 30 {
		t.Fatalf("stale answer %v %v", &m, err)
	}
	if ede := m.IsEdns0(); ede == nil || len(ede.Option) != 1 {
		t.Fatalf("no EDE in stale answer: %v", &m)
	}
	q = parse(t, query("never-seen.test.", dns.TypeA, false, false))
	if out, ok, err := r.ResolveAppend(ctx, []byte{1}, q, 512); !ok || !errors.Is(err, ErrUpstreamsFailed) || len(out) != 1 {
		t.Fatalf("failure: %v %v %x", ok, err, out)
	}
	// ECS with KeepECS: Resolve's job.
	r2 := newResolver(t, Config{Upstreams: []string{a}, KeepECS: true})
	req := query("ecs.test.", dns.TypeA, true, false)
	req.IsEdns0().Option = append(req.IsEdns0().Option, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: net.IPv4(198, 51, 100, 0)})
	if _, ok, _ := r2.ResolveAppend(ctx, nil, parse(t, req), 1232); ok {
		t.Fatal("ECS query with KeepECS not left to Resolve")
	}
}

// BenchmarkCacheEntryBytes fills a cache with answers shaped like the DNS
// benchmark's misses and reports the heap bytes each cached answer costs:
// its header and slab and its share of the shard maps and slot slices.
func BenchmarkCacheEntryBytes(b *testing.B) {
	const n = 50_000
	resp := new(dns.Msg)
	resp.Response = true
	resp.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 3600}, A: net.IPv4(192, 0, 2, 7)}}
	for range b.N {
		r, err := New(Config{Upstreams: []string{"127.0.0.1:1"}, CacheSize: n, CacheBytes: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range n {
			q := dns.Question{Name: "m" + itoa7(i) + ".miss-bench.com.vn.", Qtype: dns.TypeA, Qclass: dns.ClassINET}
			resp.Question = []dns.Question{q}
			resp.Answer[0].Header().Name = q.Name
			var nb [255]byte
			l, _ := dns.PackDomainName(q.Name, nb[:], 0, nil, false)
			key := string(appendKey(nil, nb[:l], q.Qtype, q.Qclass, 0))
			e, _, err := r.newEntry(key, q, 0, resp)
			if err != nil {
				b.Fatal(err)
			}
			r.cache.put(e, e.stored)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/entry")
		runtime.KeepAlive(r)
	}
}

func itoa7(i int) string {
	var b [7]byte
	for j := 6; j >= 0; j-- {
		b[j] = byte('0' + i%10)
		i /= 10
	}
	return string(b[:])
}
