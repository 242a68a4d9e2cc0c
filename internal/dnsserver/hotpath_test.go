package dnsserver

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
)

func packQuery(t testing.TB, name string, qtype uint16, edns bool) []byte {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	if edns {
		m.SetEdns0(1232, false)
	}
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHotPathDoesNotAllocate checks that cache hits and blocked answers are
// written without a single allocation, recording of blocked details included.
func TestHotPathDoesNotAllocate(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Recorder = &fakeRecorder{} })
	h.ask(t, "udp", "vnexpress.net", dns.TypeA, false) // warm the cache
	noAllocs(t, h.srv, []namedQuery{
		{"cache hit", packQuery(t, "vnexpress.net", dns.TypeA, false)},
		{"blocked", packQuery(t, "www.taixiu.example", dns.TypeA, true)},
	})
}

// namedQuery is a packed query and what the test calls it.
type namedQuery struct {
	name string
	pkt  []byte
}

// noAllocs fails when answering any of the queries from 127.0.0.1 on the
// hot path allocates, or goes to the slow path.
func noAllocs(t *testing.T, srv *Server, queries []namedQuery) {
	t.Helper()
	w := &worker{out: make([]byte, 0, 4096)}
	client := netip.MustParseAddr("127.0.0.1")
	for _, tc := range queries {
		allocs := testing.AllocsPerRun(200, func() {
			resp, slow := srv.handle(w, tc.pkt, client, false)
			if slow != nil || len(resp) == 0 {
				t.Fatalf("%s went to the slow path", tc.name)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per query", tc.name, allocs)
		}
	}
}

// FuzzHandle feeds arbitrary packets to the query path: it must never panic,
// and whatever it answers must be a DNS message a client can parse.
func FuzzHandle(f *testing.F) {
	f.Add(packQuery(f, "vnexpress.net", dns.TypeA, false))
	f.Add(packQuery(f, "www.taixiu.example", dns.TypeAAAA, true))
	f.Add(packQuery(f, "www.google.com", dns.TypeA, true))
	f.Add([]byte{0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1})
	h := newHarness(&testing.T{}, nil)
	f.Fuzz(func(t *testing.T, pkt []byte) {
		w := &worker{out: make([]byte, 0, 4096)}
		resp, _ := h.srv.handle(w, pkt, netip.MustParseAddr("127.0.0.1"), false)
		if len(resp) > 0 {
			var m dns.Msg
			if err := m.Unpack(resp); err != nil && len(resp) > 12 {
				t.Fatalf("unparseable answer %x to %x: %v", resp, pkt, err)
			}
		}
	})
}

// BenchmarkHandle measures the hot path without sockets: a cache hit, a
// blocked name asked again and again, and blocked names that are all
// different (the details table full, as under the DNS benchmark's flood).
func BenchmarkHandle(b *testing.B) {
	h := newHarness(&testing.T{}, func(c *Config) { c.Recorder = &fakeRecorder{} })
	h.ask(&testing.T{}, "udp", "vnexpress.net", dns.TypeA, false)
	client := netip.MustParseAddr("127.0.0.1")
	distinct := make([][]byte, 8192)
	for i := range distinct {
		distinct[i] = packQuery(b, fmt.Sprintf("n%d.taixiu.example", i), dns.TypeA, false)
	}
	for _, bc := range []struct {
		name string
		pkts [][]byte
	}{
		{"cache-hit", [][]byte{packQuery(b, "vnexpress.net", dns.TypeA, false)}},
		{"blocked-same", [][]byte{packQuery(b, "www.taixiu.example", dns.TypeA, true)}},
		{"blocked-distinct", distinct},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := &worker{out: make([]byte, 0, 4096)}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				resp, slow := h.srv.handle(w, bc.pkts[i%len(bc.pkts)], client, false)
				if slow != nil || len(resp) == 0 {
					b.Fatal("slow path")
				}
				i++
			}
		})
	}
}
