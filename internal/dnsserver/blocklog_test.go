package dnsserver

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/miekg/dns"

	"manglanh/internal/querylog"
)

// fakeRecorder keeps every event it is given.
type fakeRecorder struct {
	mu     sync.Mutex
	events []querylog.Event
}

func (f *fakeRecorder) Record(e querylog.Event) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, e)
	return true
}

func (f *fakeRecorder) take() []querylog.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.events
	f.events = nil
	return out
}

// TestBlockedDetailsFoldedPerWindow checks that repeated blocked queries
// become one detail with their number of hits, that different clients and
// names stay apart, and that the aggregates still count every query.
func TestBlockedDetailsFoldedPerWindow(t *testing.T) {
	rec := &fakeRecorder{}
	h := newHarness(t, func(c *Config) { c.Recorder = rec })
	w := &worker{out: make([]byte, 0, 4096)}
	a, b := netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("127.0.0.2")
	ask := func(client netip.Addr, name string, n int) {
		pkt := packQuery(t, name, dns.TypeA, false)
		for range n {
			if resp, slow := h.srv.handle(w, pkt, client, false); slow != nil || len(resp) == 0 {
				t.Fatalf("%s not answered on the hot path", name)
			}
		}
	}
	ask(a, "www.taixiu.example", 5)
	ask(a, "WWW.TaiXiu.example", 2) // same name, other letter case
	ask(b, "www.taixiu.example", 3)
	ask(a, "banca.example", 1)
	h.srv.flushOnce()
	var details []querylog.Event
	var blockedCount int64
	for _, e := range rec.take() {
		if e.Name != "" {
			details = append(details, e)
		} else if e.Action == querylog.Blocked {
			blockedCount += e.Count
		}
	}
	got := map[string]int64{}
	for _, e := range details {
		if e.Count != 0 || e.Profile != "default" || e.Category != "gambling" || e.Action != querylog.Blocked {
			t.Errorf("detail %+v", e)
		}
		got[e.Client+" "+e.Name] += e.Hits
	}
	want := map[string]int64{"127.0.0.1 www.taixiu.example": 7, "127.0.0.2 www.taixiu.example": 3, "127.0.0.1 banca.example": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(details) != 3 {
		t.Fatalf("details %v (%d rows), want %v", got, len(details), want)
	}
	if blockedCount != 11 {
		t.Fatalf("aggregate blocked = %d, want 11", blockedCount)
	}
	// The window is empty after a flush.
	h.srv.flushOnce()
	for _, e := range rec.take() {
		if e.Name != "" {
			t.Fatalf("detail left over after flush: %+v", e)
		}
	}
}

// TestBlockedDetailsBounded floods distinct blocked names: at most the
// table's size of details is sent per window, the rest is counted.
func TestBlockedDetailsBounded(t *testing.T) {
	rec := &fakeRecorder{}
	h := newHarness(t, func(c *Config) { c.Recorder = rec })
	w := &worker{out: make([]byte, 0, 4096)}
	client := netip.MustParseAddr("127.0.0.1")
	const n = 3 * blockSlots
	for i := range n {
		pkt := packQuery(t, fmt.Sprintf("n%d.taixiu.example", i), dns.TypeA, false)
		h.srv.handle(w, pkt, client, false)
	}
	h.srv.flushOnce()
	details := 0
	var hits int64
	for _, e := range rec.take() {
		if e.Name != "" {
			details++
			hits += e.Hits
		}
	}
	dropped := h.srv.Stats.DetailsDropped.Load()
	if details > blockSlots || details < blockSlots/2 || hits+int64(dropped) != n {
		t.Fatalf("details %d (hits %d), dropped %d, of %d", details, hits, dropped, n)
	}
}
