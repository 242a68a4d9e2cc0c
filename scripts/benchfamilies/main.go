// Command benchfamilies fills a Mạng Lành database with portal profiles
// and devices for the families benchmark (scripts/bench-families.sh): n
// child profiles with the age defaults and the Decree 147 game budgets, a
// bedtime schedule and two blocked sites, each with d devices (DoT labels);
// the last profile's first device also owns -client, so that dnsperf's
// queries are answered by a portal profile. With -change it instead
// measures the time from a rule change (a database write) to its effect on
// a real DNS query at -dns, -changes times.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/family"
	"manglanh/internal/store"
)

func main() {
	dataDir := flag.String("data", "", "data directory (SQLite)")
	dsn := flag.String("dsn", "", "PostgreSQL URL (instead of -data)")
	n := flag.Int("profiles", 10000, "profiles to create")
	d := flag.Int("devices", 5, "devices per profile")
	client := flag.String("client", "127.0.0.1", "address of the last profile's first device")
	change := flag.Bool("change", false, "measure rule changes instead of seeding")
	changes := flag.Int("changes", 10, "rule changes to measure")
	server := flag.String("dns", "127.0.0.1:5353", "DNS server for -change")
	flag.Parse()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: *dataDir, DSN: *dsn})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if *change {
		measure(ctx, st, *server, *changes)
		return
	}
	start := time.Now()
	for i := range *n {
		p := &family.Profile{Kind: family.KindChild, Nickname: fmt.Sprintf("Bé %d", i), BirthYear: 2014 + i%8,
			Label: fmt.Sprintf("be-%05d-x7k2", i), ChildToken: fmt.Sprintf("tok%08d", i),
			Rules: family.Rules{Deny: []string{fmt.Sprintf("x%d.example", i), "bench-deny.example"},
				Schedules: []family.Schedule{{Name: "ngủ", From: "21:30", To: "06:00", Block: []string{"youtube", "tiktok", "roblox"}}}},
			CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := st.CreateProfile(ctx, p); err != nil {
			log.Fatalf("profile %d: %v", i, err)
		}
		for j := range *d {
			dev := &family.Device{ProfileID: p.ID, Name: fmt.Sprintf("máy %d", j), Kind: "android",
				Label: fmt.Sprintf("be-%05d-d%d", i, j), CreatedAt: time.Now()}
			if i == *n-1 && j == 0 {
				dev.Clients = []string{*client}
			}
			if err := st.CreateDevice(ctx, dev); err != nil {
				log.Fatalf("device %d/%d: %v", i, j, err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "seeded %d profiles, %d devices in %v\n", *n, *n**d, time.Since(start).Round(time.Millisecond))
}

// measure blocks and unblocks a site on the profile that owns the client
// address, each time asking the server until the answer changes; it prints
// the times in milliseconds, sorted, and their median and maximum.
func measure(ctx context.Context, st *store.Store, server string, count int) {
	profiles, devices, err := st.PolicyProfiles(ctx)
	if err != nil {
		log.Fatal(err)
	}
	var id int64
	for _, dv := range devices {
		if len(dv.Clients) > 0 {
			id = dv.ProfileID
		}
	}
	if id == 0 {
		log.Fatalf("no device with a client address among %d profiles", len(profiles))
	}
	c := &dns.Client{Timeout: time.Second}
	blocked := func(name string) bool {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(name), dns.TypeA)
		r, _, err := c.Exchange(m, server)
		if err != nil || len(r.Answer) != 1 {
			return false
		}
		a, ok := r.Answer[0].(*dns.A)
		return ok && a.A.IsUnspecified()
	}
	start0 := time.Now().UnixNano()
	var took []time.Duration
	for i := range count {
		name := fmt.Sprintf("change%d-%d.example", start0, i)
		start := time.Now()
		if _, err := st.UpdateProfile(ctx, id, func(p *family.Profile) error {
			p.Rules.Deny = append(p.Rules.Deny, name)
			return nil
		}); err != nil {
			log.Fatal(err)
		}
		for !blocked(name) {
			if time.Since(start) > 30*time.Second {
				log.Fatalf("change %d not in force after 30 s", i)
			}
			time.Sleep(5 * time.Millisecond)
		}
		took = append(took, time.Since(start))
		time.Sleep(300 * time.Millisecond) // not in step with a poll
	}
	slices.Sort(took)
	for _, t := range took {
		fmt.Printf("%d ", t.Milliseconds())
	}
	fmt.Printf("\nmedian %d ms, max %d ms over %d changes\n", took[len(took)/2].Milliseconds(), took[len(took)-1].Milliseconds(), len(took))
}
