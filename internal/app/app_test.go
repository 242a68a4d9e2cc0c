package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/config"
	"manglanh/internal/store"
)

// TestServeEndToEnd runs the whole application on loopback ports from a
// config file: a DNS client gets a blocked answer, the portal answers
// /healthz and /metrics, and after the shutdown the blocked query is in the
// database.
func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "gambling.txt")
	os.WriteFile(list, []byte("nohu-club.example\n"), 0o644)
	cfgFile := filepath.Join(dir, "manglanh.yaml")
	os.WriteFile(cfgFile, []byte(`
data_dir: `+filepath.Join(dir, "data")+`
web: {listen: "127.0.0.1:0"}
dns:
  listen: "127.0.0.1:0"
  upstreams: ["127.0.0.1:9"]
  default_profile: lop6
lists:
  - {category: gambling, source: `+list+`}
profiles:
  - {name: lop6, age: 11}
`), 0o644)
	cfg, err := config.Load(cfgFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Listen(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	m := new(dns.Msg)
	m.SetQuestion("www.nohu-club.example.", dns.TypeA)
	r, _, err := (&dns.Client{Timeout: 2 * time.Second}).Exchange(m, a.DNSAddr().String())
	if err != nil || len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != "0.0.0.0" {
		t.Fatalf("blocked query: %v %v", r, err)
	}
	base := "http://" + a.WebAddr().String()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "manglanh_dns_blocked_total 1") {
		t.Fatalf("metrics: %s", body)
	}
	for _, name := range []string{"manglanh_dns_truncated_total 0", "manglanh_dns_tcp_rejected_total 0", "manglanh_dns_dot_rejected_total 0"} {
		if !strings.Contains(string(body), "\n"+name+"\n") {
			t.Errorf("metrics lack %q", name)
		}
	}
	resp, err = http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("shutdown hung")
	}
	s, err := store.Open(context.Background(), store.Config{DataDir: cfg.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ev, err := s.RecentEvents(context.Background(), "lop6", 10)
	if err != nil || len(ev) != 1 || ev[0].Name != "www.nohu-club.example" || ev[0].Category != "gambling" {
		t.Fatalf("events after shutdown: %+v %v", ev, err)
	}
	agg, err := s.HourlySince(context.Background(), time.Now().Add(-time.Hour))
	if err != nil || len(agg) != 1 || agg[0].Queries != 1 {
		t.Fatalf("aggregates after shutdown: %+v %v", agg, err)
	}
}
