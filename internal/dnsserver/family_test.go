package dnsserver

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/filter"
)

// fakeSink is a UsageSink in memory that merges by OR like the store.
type fakeSink struct {
	mu   sync.Mutex
	rows map[[3]string][]byte
	seen map[int64]time.Time
	fail bool
}

func newFakeSink() *fakeSink {
	return &fakeSink{rows: map[[3]string][]byte{}, seen: map[int64]time.Time{}}
}

func (f *fakeSink) AddBudgetUsage(_ context.Context, rows []filter.BudgetBits) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return context.DeadlineExceeded
	}
	for _, r := range rows {
		k := [3]string{itoa(int(r.ProfileID)), r.Day, r.Key}
		cur := f.rows[k]
		if cur == nil {
			cur = make([]byte, filter.UsageBitsLen)
		}
		for i := range cur {
			cur[i] |= r.Bits[i]
		}
		f.rows[k] = cur
	}
	return nil
}

func (f *fakeSink) SetDevicesSeen(_ context.Context, seen []filter.DeviceSeen) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return context.DeadlineExceeded
	}
	for _, s := range seen {
		if s.LastSeen.After(f.seen[s.DeviceID]) {
			f.seen[s.DeviceID] = s.LastSeen
		}
	}
	return nil
}

func (f *fakeSink) BudgetUsageSince(_ context.Context, _ time.Time) ([]filter.BudgetBits, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []filter.BudgetBits
	for k, b := range f.rows {
		var id int64
		for _, c := range k[0] {
			id = id*10 + int64(c-'0')
		}
		out = append(out, filter.BudgetBits{ProfileID: id, Day: k[1], Key: k[2], Bits: slices.Clone(b)})
	}
	return out, nil
}

func (f *fakeSink) minutes(id, day, key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, b := range f.rows[[3]string{id, day, key}] {
		for ; b != 0; b &= b - 1 {
			n++
		}
	}
	return n
}

// familySpecs is a portal profile on the test client's address with a
// two-minute Roblox budget, a blocked site and a device.
func familySpecs() []filter.ProfileSpec {
	return []filter.ProfileSpec{
		{Name: "default", Block: []string{"gambling"}, SafeSearch: "off"},
		{Name: "an-k3x9", ID: 42, Age: 12, SafeSearch: "off", Deny: []string{"game.example"},
			Budgets: []filter.BudgetSpec{{Key: "roblox", Minutes: 2}},
			Devices: []filter.DeviceSpec{{ID: 420, Label: "an-k3x9-phone", Clients: []string{"127.0.0.1"}}}},
	}
}

// TestBudgetOverSockets runs a budget out with a real DNS client at a
// pinned clock: two minutes of Roblox resolve (with clamped TTLs), the
// third is blocked with "manglanh: time budget", other names resolve, the
// next day Roblox works again; the minutes and the device's last-seen time
// reach the sink, and a new server loading them starts with the budget
// spent (a restart does not reset it).
func TestBudgetOverSockets(t *testing.T) {
	sink := newFakeSink()
	h := newHarness(t, func(c *Config) { c.Usage = sink })
	pol, err := filter.CompileUsage(h.srv.cfg.Registry, familySpecs(), "default", nil, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	start := h.clock.Now() // Wednesday 10:00 in Vietnam
	for min := range 2 {
		h.clock.Set(start.Add(time.Duration(min) * time.Minute))
		r := h.ask(t, "udp", "www.roblox.com", dns.TypeA, true)
		if firstA(r) != "192.0.2.1" {
			t.Fatalf("minute %d: roblox %v", min, r)
		}
		if ttl := r.Answer[0].Header().Ttl; ttl > 60 {
			t.Errorf("minute %d: TTL %d not clamped", min, ttl)
		}
	}
	h.clock.Set(start.Add(2 * time.Minute))
	r := h.ask(t, "udp", "rbxcdn.com", dns.TypeA, true)
	if firstA(r) != "0.0.0.0" {
		t.Fatalf("after two minutes: %v", r)
	}
	if code, text, _ := ede(r); code != edeFiltered || text != "manglanh: time budget" {
		t.Errorf("EDE %d %q", code, text)
	}
	if firstA(h.ask(t, "udp", "zalo.me", dns.TypeA, false)) != "192.0.2.1" {
		t.Error("zalo blocked by a roblox budget")
	}
	r = h.ask(t, "udp", "www.game.example", dns.TypeA, true)
	if _, text, _ := ede(r); firstA(r) != "0.0.0.0" || text != "manglanh: blocked site" {
		t.Errorf("denied site: %v", r)
	}
	h.srv.flushUsage(context.Background())
	if got := sink.minutes("42", "2026-11-25", "roblox"); got != 2 {
		t.Errorf("stored roblox minutes = %d, want 2", got)
	}
	if got := sink.seen[420]; !got.Equal(start.Add(2 * time.Minute).Truncate(time.Second)) {
		t.Errorf("device last seen %v", got)
	}

	h2 := newHarness(t, func(c *Config) { c.Usage = sink })
	h2.clock.Set(start.Add(5 * time.Minute))
	pol2, err := filter.CompileUsage(h2.srv.cfg.Registry, familySpecs(), "default", nil, h2.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h2.srv.SetPolicy(pol2)
	if err := h2.srv.LoadUsage(context.Background()); err != nil {
		t.Fatal(err)
	}
	if firstA(h2.ask(t, "udp", "roblox.com", dns.TypeA, false)) != "0.0.0.0" {
		t.Error("a new process reset the budget")
	}
	h2.clock.Set(start.Add(14 * time.Hour)) // Thursday 00:00 in Vietnam
	if firstA(h2.ask(t, "udp", "roblox.com", dns.TypeA, false)) != "192.0.2.1" {
		t.Error("roblox still blocked the next day")
	}
}

// TestUsageFlushRetries checks that minutes a failed write did not store
// are written by the next flush.
func TestUsageFlushRetries(t *testing.T) {
	sink := newFakeSink()
	h := newHarness(t, func(c *Config) { c.Usage = sink })
	pol, err := filter.CompileUsage(h.srv.cfg.Registry, familySpecs(), "default", nil, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	h.ask(t, "udp", "roblox.com", dns.TypeA, false)
	sink.fail = true
	h.srv.flushUsage(context.Background())
	if h.srv.Stats.UsageErrors.Load() != 1 {
		t.Errorf("UsageErrors = %d", h.srv.Stats.UsageErrors.Load())
	}
	sink.fail = false
	h.srv.flushUsage(context.Background())
	if got := sink.minutes("42", "2026-11-25", "roblox"); got != 1 {
		t.Errorf("after a failed flush: %d minutes stored, want 1", got)
	}
	if sink.seen[420].IsZero() {
		t.Error("device seen lost by a failed flush")
	}
}

// TestPauseAndBlockPage checks a pause over UDP ("manglanh: paused") and
// the block page addresses in blocked A and AAAA answers.
func TestPauseAndBlockPage(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.BlockPageIPv4 = netip.MustParseAddr("192.0.2.80")
		c.BlockPageIPv6 = netip.MustParseAddr("2001:db8::80")
	})
	specs := familySpecs()
	specs[1].PausedUntil = h.clock.Now().Add(time.Hour)
	pol, err := filter.CompileUsage(h.srv.cfg.Registry, specs, "default", nil, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	r := h.ask(t, "udp", "vnexpress.net", dns.TypeA, true)
	if code, text, _ := ede(r); firstA(r) != "192.0.2.80" || code != edeFiltered || text != "manglanh: paused" {
		t.Errorf("paused: %v", r)
	}
	r = h.ask(t, "udp", "vnexpress.net", dns.TypeAAAA, false)
	if len(r.Answer) != 1 || r.Answer[0].(*dns.AAAA).AAAA.String() != "2001:db8::80" {
		t.Errorf("paused AAAA: %v", r)
	}
	if firstA(h.ask(t, "udp", "connectivitycheck.gstatic.com", dns.TypeA, false)) != "192.0.2.1" {
		t.Error("connectivity check blocked by a pause")
	}
	h.clock.Add(time.Hour)
	if firstA(h.ask(t, "udp", "vnexpress.net", dns.TypeA, false)) != "192.0.2.1" {
		t.Error("still paused after the end")
	}
	if _, err := New(Config{Resolver: h.srv.cfg.Resolver, Registry: h.srv.cfg.Registry, BlockPageIPv4: netip.MustParseAddr("::1")}); err == nil {
		t.Error("an IPv6 block page address for A answers was accepted")
	}
}

// TestDeviceLabelOverDoT checks that a device's own DoT name chooses its
// profile and marks that device seen, and that the profile's name works
// too.
func TestDeviceLabelOverDoT(t *testing.T) {
	h, pki := newEncryptedHarness(t)
	specs := familySpecs()
	specs[1].Devices = append(specs[1].Devices, filter.DeviceSpec{ID: 421, Label: "an-k3x9-tab"})
	pol, err := filter.CompileUsage(h.srv.cfg.Registry, specs, "default", nil, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	if r := dotExchange(t, h, pki, "an-k3x9-tab.dns.test", "game.example", dns.TypeA); firstA(r) != "0.0.0.0" {
		t.Errorf("device label: %v", r)
	}
	if got := pol.Usage().LastSeen(421); !got.Equal(h.clock.Now().Truncate(time.Second)) {
		t.Errorf("tablet last seen %v", got)
	}
	if r := dotExchange(t, h, pki, "AN-K3X9.dns.test", "game.example", dns.TypeA); firstA(r) != "0.0.0.0" {
		t.Errorf("profile label: %v", r)
	}
	// DoH path by device label.
	c := dohClient(t, pki, h.srv.HTTPSAddr().String())
	port := h.srv.HTTPSAddr().(*net.TCPAddr).Port
	resp, body := dohDo(t, c, "POST", "https://dns.test:"+itoa(port)+"/dns-query/an-k3x9-tab", "application/dns-message", packMsg(t, "game.example", dns.TypeA))
	var m dns.Msg
	if resp.StatusCode != 200 || m.Unpack(body) != nil || firstA(&m) != "0.0.0.0" {
		t.Errorf("DoH by device label: %d %v", resp.StatusCode, &m)
	}
}

// TestBudgetHotPathDoesNotAllocate is TestHotPathDoesNotAllocate for a
// portal profile with a budget and a device: counting a minute and the
// device's last-seen time costs no allocation.
func TestBudgetHotPathDoesNotAllocate(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Recorder = &fakeRecorder{} })
	specs := familySpecs()
	specs[1].Budgets = []filter.BudgetSpec{{Key: "all", Minutes: 600}, {Key: "group:games", Minutes: 600}}
	pol, err := filter.CompileUsage(h.srv.cfg.Registry, specs, "default", nil, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	h.ask(t, "udp", "roblox.com", dns.TypeA, false) // the cache and the day's counters
	noAllocs(t, h.srv, []namedQuery{
		{"budgeted cache hit", packQuery(t, "roblox.com", dns.TypeA, false)},
		{"denied", packQuery(t, "www.game.example", dns.TypeA, true)},
	})
}

// BenchmarkHandleManyProfiles is BenchmarkHandle's cache hit and blocked
// name for a client of a portal profile (budgets, a schedule, a blocked
// site, clamped TTLs), loaded alone and among 10,000 with 50,000 devices:
// the bar is within 10 % (dnsperf in scripts/bench-families.sh
// measures the same over sockets).
func BenchmarkHandleManyProfiles(b *testing.B) {
	h := newHarness(&testing.T{}, func(c *Config) { c.Recorder = &fakeRecorder{} })
	h.ask(&testing.T{}, "udp", "vnexpress.net", dns.TypeA, false)
	client := netip.MustParseAddr("127.0.0.1")
	many := make([]filter.ProfileSpec, 0, 10001)
	many = append(many, filter.ProfileSpec{Name: "default", Block: []string{"gambling"}, SafeSearch: "off"})
	for i := range 10000 {
		s := filter.ProfileSpec{Name: fmt.Sprintf("be-%05d", i), ID: int64(i + 1), Age: 12, SafeSearch: "off",
			Budgets:   []filter.BudgetSpec{{Key: "each:games", Minutes: 60}, {Key: "group:games", Minutes: 180}},
			Schedules: []filter.ScheduleSpec{{Name: "ngủ", From: "21:30", To: "06:00", Block: []string{"tiktok"}}},
			Deny:      []string{fmt.Sprintf("x%d.example", i)}}
		for d := range 5 {
			s.Devices = append(s.Devices, filter.DeviceSpec{ID: int64(i*5 + d + 1), Label: fmt.Sprintf("be-%05d-d%d", i, d)})
		}
		many = append(many, s)
	}
	many[10000].Devices[0].Clients = []string{client.String()}
	// The same portal profile answers the client in both policies: only
	// how many others are loaded differs.
	one, err := filter.Compile(h.srv.cfg.Registry, []filter.ProfileSpec{many[0], many[10000]}, "default")
	if err != nil {
		b.Fatal(err)
	}
	big, err := filter.Compile(h.srv.cfg.Registry, many, "default")
	if err != nil {
		b.Fatal(err)
	}
	for _, pc := range []struct {
		name string
		pol  *filter.Policy
	}{{"profiles=1", one}, {"profiles=10000", big}} {
		h.srv.SetPolicy(pc.pol)
		for _, bc := range []struct {
			name string
			pkt  []byte
		}{
			{"cache-hit", packQuery(b, "vnexpress.net", dns.TypeA, false)},
			{"blocked", packQuery(b, "www.taixiu.example", dns.TypeA, true)},
		} {
			b.Run(pc.name+"/"+bc.name, func(b *testing.B) {
				w := &worker{out: make([]byte, 0, 4096)}
				b.ReportAllocs()
				for b.Loop() {
					resp, slow := h.srv.handle(w, bc.pkt, client, false)
					if slow != nil || len(resp) == 0 {
						b.Fatal("slow path")
					}
				}
			})
		}
	}
}
