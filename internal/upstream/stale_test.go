package upstream

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
)

// TestClientResponseTimerRefreshesInBackground: an upstream slower than
// StaleAfter gets the client a stale answer when the timer runs out, and
// the lookup, left running, puts the fresh answer in the cache.
func TestClientResponseTimerRefreshesInBackground(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{delay: 300 * time.Millisecond}
	a, _ := startDNS(t, f, "udp", nil)
	clock := newClock()
	r := newResolver(t, Config{Upstreams: []string{a}, MaxStale: time.Hour, Now: clock.Now, Timeout: time.Second, StaleAfter: 50 * time.Millisecond})
	if _, err := r.Resolve(context.Background(), query("slow.test.", dns.TypeA, false, false)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(301 * time.Second)
	resp, err := r.Resolve(context.Background(), query("slow.test.", dns.TypeA, false, false))
	if err != nil {
		t.Fatal(err)
	}
	if checkA(t, resp); resp.Answer[0].Header().Ttl != 30 {
		t.Fatalf("want the stale answer (TTL 30) when the timer runs out, got %v", resp)
	}
	if st := r.Stats(); st.StaleOnTimer != 1 || st.StaleServed != 1 {
		t.Fatalf("stats %+v", st)
	}
	var m dns.Msg
	q := query("slow.test.", dns.TypeA, false, false)
	q.Id = 7
	pkt, _ := q.Pack()
	var pq dnswire.Query
	if err := dnswire.ParseQuery(pkt, &pq); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		if out, ok := r.AppendCached(nil, &pq, 512); ok {
			if m.Unpack(out) != nil || m.Answer[0].Header().Ttl != 300 {
				t.Fatalf("refreshed entry: %v", &m)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the lookup left running never refreshed the cache")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := f.count.Load(); n != 2 {
		t.Fatalf("upstream asked %d times, want 2", n)
	}
}

// TestDownAfterConsecutiveFailures: a black-holed upstream stays up after
// fewer than DownAfter timeouts, is marked down after DownAfter, and is
// then not asked: an uncached name fails at once with ErrAllDown.
func TestDownAfterConsecutiveFailures(t *testing.T) {
	t.Parallel()
	silent, _, swallowed := silentUDP(t)
	r := newResolver(t, Config{Upstreams: []string{silent}, Timeout: 100 * time.Millisecond, DownAfter: 2})
	for i, wantUp := range []bool{true, false} {
		_, err := r.Resolve(context.Background(), query("a.test.", dns.TypeA, false, false))
		if !errors.Is(err, ErrUpstreamsFailed) || errors.Is(err, ErrAllDown) {
			t.Fatalf("query %d: %v, want a timeout", i, err)
		}
		if h := r.Health()[0]; h.Healthy != wantUp {
			t.Fatalf("after %d timeouts: %+v", i+1, h)
		}
	}
	before := swallowed()
	start := time.Now()
	_, err := r.Resolve(context.Background(), query("b.test.", dns.TypeA, false, false))
	if !errors.Is(err, ErrAllDown) || !errors.Is(err, ErrUpstreamsFailed) {
		t.Fatalf("while down: %v, want ErrAllDown", err)
	}
	if el := time.Since(start); el >= 100*time.Millisecond {
		t.Fatalf("failed after %v: it waited for a timeout", el)
	}
	time.Sleep(20 * time.Millisecond)
	if swallowed() != before {
		t.Fatal("an upstream marked down was asked")
	}
	if st := r.Stats(); st.AllDown != 1 {
		t.Fatalf("AllDown = %d", st.AllDown)
	}
}

// TestStaleAtOnceAfterStallBounded: after a stall, a stale name is
// answered at once and refreshed in the background, but no more than
// maxBackground lookups are left running.
func TestStaleAtOnceAfterStallBounded(t *testing.T) {
	t.Parallel()
	f := &fakeUpstream{}
	a, _ := startDNS(t, f, "udp", nil)
	clock := newClock()
	r := newResolver(t, Config{Upstreams: []string{a}, MaxStale: time.Hour, Now: clock.Now})
	if _, err := r.Resolve(context.Background(), query("x.test.", dns.TypeA, false, false)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(301 * time.Second)
	r.stalled()
	for range maxBackground {
		r.background <- struct{}{}
	}
	resp, err := r.Resolve(context.Background(), query("x.test.", dns.TypeA, false, false))
	if err != nil || resp.Answer[0].Header().Ttl != 30 {
		t.Fatalf("stale at once: %v %v", resp, err)
	}
	time.Sleep(50 * time.Millisecond)
	if n := f.count.Load(); n != 1 {
		t.Fatalf("upstream asked %d times with the background full, want 1", n)
	}
	<-r.background
	if resp, err := r.Resolve(context.Background(), query("x.test.", dns.TypeA, false, false)); err != nil || resp.Answer[0].Header().Ttl != 30 {
		t.Fatalf("stale at once: %v %v", resp, err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for f.count.Load() != 2 || r.suspect() {
		if time.Now().After(deadline) {
			t.Fatalf("background refresh: upstream asked %d times, suspect %v", f.count.Load(), r.suspect())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Answered again: no longer suspect, and the entry is fresh.
	if resp, err := r.Resolve(context.Background(), query("x.test.", dns.TypeA, false, false)); err != nil || resp.Answer[0].Header().Ttl != 300 {
		t.Fatalf("after the refresh: %v %v", resp, err)
	}
}
