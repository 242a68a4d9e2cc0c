package filter

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// traceDevice is a phone in the simulated trace: it asks the resolver a
// name only when its cached answer has expired (Android's resolver and
// most apps honour the TTL).
type traceDevice struct {
	expiry time.Time
}

// traceScenario is a day of one child's use of one game, as the DNS server
// sees it.
type traceScenario struct {
	desc     string
	sessions [][2]int      // minutes after 08:00 the game is in use: [from, to)
	lookup   float64       // mean seconds between the app's lookups while in use (exponential)
	ttl      int           // seconds the device caches an answer
	ping     int           // minutes between background lookups outside sessions (0 none)
	procs    int           // DNS processes the device's queries are spread over (round robin)
	min, max func(int) int // bounds of the counted minutes, from the true minutes
}

// runTrace plays sc through Decide at simulated clocks and returns the
// true minutes of use and the minutes counted (merged across processes).
func runTrace(t *testing.T, sc traceScenario, seed uint64) (truth, counted int) {
	t.Helper()
	reg := newTestRegistry(t)
	m := testMatcher(t, reg)
	rng := rand.New(rand.NewPCG(seed, 1))
	spec := []ProfileSpec{{Name: "an", ID: 1, Budgets: []BudgetSpec{{"roblox", 1440}}}}
	procs := make([]*Policy, max(sc.procs, 1))
	for i := range procs {
		p, err := CompileUsage(reg, spec, "", nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		procs[i] = p
	}
	day0 := time.Date(2026, 3, 2, 8, 0, 0, 0, vnZone)
	var dev traceDevice
	asked := 0
	ask := func(at time.Time) {
		if at.Before(dev.expiry) {
			return
		}
		p := procs[asked%len(procs)]
		asked++
		if d := p.Decide(m, 0, "roblox.com", at); d.Action != Allow {
			t.Fatalf("%s: blocked at %v: %+v", sc.desc, at, d)
		}
		dev.expiry = at.Add(time.Duration(sc.ttl) * time.Second)
	}
	inUse := make([]bool, 16*60)
	for _, s := range sc.sessions {
		for mi := s[0]; mi < s[1]; mi++ {
			inUse[mi] = true
		}
	}
	var lookups []time.Time // what the app wants to resolve, in time order
	for mi, u := range inUse {
		if u {
			truth++
		}
		if !u && sc.ping > 0 && mi%sc.ping == 0 {
			lookups = append(lookups, day0.Add(time.Duration(mi)*time.Minute+17*time.Second))
		}
	}
	for _, s := range sc.sessions {
		at := day0.Add(time.Duration(s[0]) * time.Minute)
		end := day0.Add(time.Duration(s[1]) * time.Minute)
		for at.Before(end) {
			lookups = append(lookups, at)
			at = at.Add(time.Duration(rng.ExpFloat64() * sc.lookup * float64(time.Second)))
		}
	}
	slices.SortFunc(lookups, time.Time.Compare)
	for _, at := range lookups {
		ask(at)
	}
	total := NewUsage()
	for _, p := range procs {
		rows, _ := p.Usage().TakeDirty()
		total.Merge(rows)
	}
	return truth, total.MinutesUsed(1, "", "roblox", "2026-03-02")
}

// TestBudgetMinuteError measures, on simulated traces, how far the minutes
// counted from DNS are from the minutes a child really used a service;
// docs/families-dns.md quotes these figures. The bounds are what the
// counting rule implies, so a change to it that makes the error worse
// fails here.
func TestBudgetMinuteError(t *testing.T) {
	t.Parallel()
	sessions := [][2]int{{0, 25}, {190, 230}, {400, 403}} // 25, 40 and 3 minutes
	within := func(n int) func(int) int { return func(tr int) int { return tr + n } }
	below := func(n int) func(int) int { return func(tr int) int { return tr - n } }
	for _, sc := range []traceScenario{
		// An app in constant use with the clamped TTL: each session is
		// counted exactly, give or take its last minute.
		{desc: "constant use, TTL 60 s", sessions: sessions, lookup: 5, ttl: 60, min: below(3), max: within(0)},
		{desc: "constant use, TTL 30 s", sessions: sessions, lookup: 5, ttl: 30, min: below(3), max: within(0)},
		// Without the clamp (TTL 300 s) most minutes are never asked for.
		{desc: "constant use, TTL 300 s (no clamp)", sessions: sessions, lookup: 5, ttl: 300, min: func(int) int { return 0 }, max: func(tr int) int { return tr / 2 }},
		// A game that holds one connection and looks up again every 10
		// minutes: DNS sees a fraction of the time.
		{desc: "long-lived connection", sessions: sessions, lookup: 600, ttl: 60, min: func(int) int { return 0 }, max: func(tr int) int { return tr / 3 }},
		// Background lookups every 15 minutes outside use: each costs one
		// minute (16 hours: 64 pings, minus those inside sessions).
		{desc: "background ping every 15 min", sessions: sessions, lookup: 5, ttl: 60, ping: 15, min: within(50), max: within(64)},
		// Two DNS processes sharing the device's queries: merged by OR,
		// the same minutes up to the gaps each process fills alone.
		{desc: "two processes", sessions: sessions, lookup: 5, ttl: 60, procs: 2, min: below(6), max: within(0)},
	} {
		for seed := range uint64(5) {
			truth, counted := runTrace(t, sc, seed)
			if seed == 0 {
				t.Logf("%-36s true %3d  counted %3d  error %+4d (%+.0f%%)", sc.desc, truth, counted, counted-truth, 100*float64(counted-truth)/float64(truth))
			}
			if counted < sc.min(truth) || counted > sc.max(truth) {
				t.Errorf("%s (seed %d): counted %d of %d true minutes, want %d..%d", sc.desc, seed, counted, truth, sc.min(truth), sc.max(truth))
			}
		}
	}
}
