package filter

import (
	"fmt"
	"net/netip"
	"runtime"
	"testing"
	"time"
)

// portalSpecs makes n portal profiles as the family service compiles them
// for children: the age defaults, the Decree 147 game budgets, a bedtime
// schedule, two blocked sites and one allowed, and devices devices each
// (labels only, as phones on Private DNS have).
func portalSpecs(n, devices int) []ProfileSpec {
	out := make([]ProfileSpec, n)
	for i := range out {
		s := ProfileSpec{Name: fmt.Sprintf("be-%05d-x7k2", i), ID: int64(i + 1), Age: 8 + i%10,
			Budgets:   []BudgetSpec{{"each:games", 60}, {"group:games", 180}},
			Schedules: []ScheduleSpec{{Name: "ngủ", From: "21:30", To: "06:00", Block: []string{"games-none"}}},
			Deny:      []string{fmt.Sprintf("x%d.example", i), "tiktok.com"}, Allow: []string{"olm.vn"}}
		s.Schedules[0].Block = []string{"youtube", "tiktok", "roblox"}
		for d := range devices {
			s.Devices = append(s.Devices, DeviceSpec{ID: int64(i*devices + d + 1), Label: fmt.Sprintf("be-%05d-d%d", i, d)})
		}
		out[i] = s
	}
	return out
}

// BenchmarkCompile compiles 10,000 portal profiles with 50,000 devices
// (what a policy reload costs, off the hot path) and reports the heap the
// compiled policy holds per profile.
func BenchmarkCompile(b *testing.B) {
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10000} {
		specs := portalSpecs(n, 5)
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			var p *Policy
			u := NewUsage()
			for b.Loop() {
				if p, err = CompileUsage(reg, specs, "", u, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			var before, after runtime.MemStats
			p = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			p, _ = CompileUsage(reg, specs, "", u, time.Now())
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heapB/profile")
			runtime.KeepAlive(p)
		})
	}
}

// BenchmarkDecideLargePolicy is Decide for a client of a portal profile
// with budgets, in a policy of one profile and of 10,000: the hot path
// must not care how many profiles are loaded.
func BenchmarkDecideLargePolicy(b *testing.B) {
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	bl := NewBuilder()
	reg.AddBuiltins(bl)
	m := bl.Build()
	client := netip.MustParseAddr("192.168.1.20")
	for _, n := range []int{1, 10000} {
		specs := portalSpecs(n, 5)
		specs[n-1].Devices[0].Clients = []string{client.String()}
		pol, err := Compile(reg, specs, "")
		if err != nil {
			b.Fatal(err)
		}
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, vnZone)
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, d := pol.ClientOf(client)
				pol.Seen(p, d, now)
				pol.Decide(m, p, "www.vnexpress.net", now)
				pol.Decide(m, p, "roblox.com", now)
			}
		})
	}
}

// BenchmarkRecompile is a reload after one parent's change among 10,000
// profiles: Recompile compiles that profile again and reuses the others.
func BenchmarkRecompile(b *testing.B) {
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	specs := portalSpecs(10000, 5)
	prev, err := CompileUsage(reg, specs, "", nil, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		specs[i%len(specs)].Deny = append(specs[i%len(specs)].Deny, fmt.Sprintf("n%d.example", i))
		if prev, err = prev.Recompile(reg, specs, "", time.Now()); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
