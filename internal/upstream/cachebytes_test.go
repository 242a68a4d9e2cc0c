package upstream

import (
	"math/rand/v2"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// fillEntry builds a cache entry for name with an A answer and, when
// txt > 0, a TXT record of about txt bytes (answers of mixed sizes).
func fillEntry(t testing.TB, r *Resolver, name string, txt int) *entry {
	t.Helper()
	q := dns.Question{Name: name, Qtype: dns.TypeA, Qclass: dns.ClassINET}
	resp := new(dns.Msg)
	resp.Response = true
	resp.Question = []dns.Question{q}
	resp.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 3600}, A: net.IPv4(192, 0, 2, 7)}}
	for txt > 0 {
		n := min(txt, 250)
		resp.Answer = append(resp.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 3600}, Txt: []string{strings.Repeat("x", n)}})
		txt -= n
	}
	var nb [255]byte
	l, err := dns.PackDomainName(q.Name, nb[:], 0, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	key := string(appendKey(nil, nb[:l], q.Qtype, q.Qclass, 0))
	e, _, err := r.newEntry(key, q, 0, resp)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestCacheBytesBudget fills a 4 MiB cache with ten times as many answers
// of mixed sizes as fit: the counted bytes stay within the budget, the
// heap the cache holds stays within the budget too (what the count is
// for), the count equals the sum over the entries held, and recent
// answers are still there.
func TestCacheBytesBudget(t *testing.T) {
	const budget = 4 << 20
	r, err := New(Config{Upstreams: []string{"127.0.0.1:1"}, CacheBytes: budget})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 200_000
	for i := range n {
		txt := 0
		if rng.IntN(4) == 0 {
			txt = rng.IntN(1200)
		}
		e := fillEntry(t, r, "m"+itoa7(i)+".budget.test.", txt)
		r.cache.put(e, e.stored)
		if i%50_000 == 0 {
			// Replacing an answer with a larger one keeps the count right.
			e := fillEntry(t, r, "m"+itoa7(i)+".budget.test.", 1500)
			r.cache.put(e, e.stored)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	s := r.Stats()
	if s.Bytes > budget {
		t.Errorf("counted %d bytes, budget %d", s.Bytes, budget)
	}
	if s.Bytes < budget*9/10 {
		t.Errorf("counted %d bytes: the cache should be nearly full (budget %d)", s.Bytes, budget)
	}
	if s.Entries == 0 || s.Evictions == 0 {
		t.Fatalf("entries %d evictions %d", s.Entries, s.Evictions)
	}
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d entries, counted %d B (%.0f B/entry), heap %d B (%.0f B/entry)", s.Entries, s.Bytes,
		float64(s.Bytes)/float64(s.Entries), heap, float64(heap)/float64(s.Entries))
	if heap > budget*105/100 {
		t.Errorf("the cache holds %d heap bytes for a %d budget: the count underestimates", heap, budget)
	}
	var sum int64
	for i := range r.cache.shards {
		sh := &r.cache.shards[i]
		var shard int64
		for j, e := range sh.slots {
			shard += e.cost()
			if k, ok := sh.m[e.key()]; !ok || int(k) != j {
				t.Fatalf("shard %d slot %d not indexed by its key", i, j)
			}
		}
		if shard != sh.bytes {
			t.Fatalf("shard %d counts %d bytes, holds %d", i, sh.bytes, shard)
		}
		if len(sh.m) != len(sh.slots) {
			t.Fatalf("shard %d: %d keys, %d slots", i, len(sh.m), len(sh.slots))
		}
		sum += shard
	}
	if sum != s.Bytes {
		t.Fatalf("stats %d, shards %d", s.Bytes, sum)
	}
	last := fillEntry(t, r, "m"+itoa7(n-1)+".budget.test.", 0)
	if r.cache.get(r.cache.shard(last.data[:last.keyLen]), last.data[:last.keyLen]) == nil {
		t.Error("the last answer stored was evicted")
	}
	runtime.KeepAlive(r)
}

// TestCacheSkipsAnswerAboveShardBudget: an answer larger than a shard's
// share of the budget is not cached (and does not empty the shard), and
// replacing a cached answer with such a one drops the old one.
func TestCacheSkipsAnswerAboveShardBudget(t *testing.T) {
	r, err := New(Config{Upstreams: []string{"127.0.0.1:1"}, CacheBytes: 32 * 4096})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixNano()
	small := fillEntry(t, r, "big.test.", 0)
	r.cache.put(small, now)
	if r.Stats().Entries != 1 {
		t.Fatal("small answer not cached")
	}
	big := fillEntry(t, r, "big.test.", 8000)
	r.cache.put(big, now)
	s := r.Stats()
	if s.Entries != 0 || s.Bytes != 0 {
		t.Fatalf("after an over-budget answer: %d entries, %d bytes", s.Entries, s.Bytes)
	}
}
