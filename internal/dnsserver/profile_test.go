package dnsserver

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"manglanh/internal/filter"
	"manglanh/internal/querylog"
	"manglanh/internal/upstream"
)

// TestServeForProfiling is not a test but a hook for profiling the server
// under an external load generator (scripts/bench-dns.sh's dnsperf). It runs
// only when MANGLANH_TEST_PROFILE_LISTEN is set, serves there for
// MANGLANH_TEST_PROFILE_SECONDS (default 20) forwarding to
// MANGLANH_TEST_PROFILE_UPSTREAM with the list MANGLANH_TEST_PROFILE_LIST
// as "gambling". Use it with -test.cpuprofile or -test.memprofile:
//
//	go test -c -o /tmp/dnsserver.test ./internal/dnsserver
//	MANGLANH_TEST_PROFILE_LISTEN=127.0.0.1:5353 MANGLANH_TEST_PROFILE_UPSTREAM=127.0.0.1:5399 \
//	  /tmp/dnsserver.test -test.run ServeForProfiling -test.cpuprofile /tmp/cpu.out
func TestServeForProfiling(t *testing.T) {
	listen := os.Getenv("MANGLANH_TEST_PROFILE_LISTEN")
	if listen == "" {
		t.Skip("MANGLANH_TEST_PROFILE_LISTEN not set")
	}
	secs := 20 * time.Second
	if v, err := time.ParseDuration(os.Getenv("MANGLANH_TEST_PROFILE_SECONDS") + "s"); err == nil && v > 0 {
		secs = v
	}
	reg, err := filter.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	res, err := upstream.New(upstream.Config{Upstreams: strings.Fields(os.Getenv("MANGLANH_TEST_PROFILE_UPSTREAM")), CacheSize: 200000})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Listen: listen, Resolver: res, Registry: reg, Recorder: &discardRecorder{}})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := filter.Compile(reg, []filter.ProfileSpec{{Name: "bench", Block: []string{"gambling"}, SafeSearch: "off"}}, "bench")
	if err != nil {
		t.Fatal(err)
	}
	srv.SetPolicy(pol)
	var sources []filter.Source
	if l := os.Getenv("MANGLANH_TEST_PROFILE_LIST"); l != "" {
		sources = append(sources, filter.Source{Category: "gambling", Location: l})
	}
	loader, err := filter.NewLoader(filter.LoaderConfig{Registry: reg, Sources: sources})
	if err != nil {
		t.Fatal(err)
	}
	if err := loader.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.SetMatcher(loader.Current())
	ctx, cancel := context.WithTimeout(context.Background(), secs)
	defer cancel()
	go res.Run(ctx)
	if err := srv.ListenAndServe(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("stats: queries %d hits %d forwarded %d blocked %d dropped %d servfail %d",
		srv.Stats.Queries.Load(), srv.Stats.CacheHits.Load(), srv.Stats.Forwarded.Load(), srv.Stats.Blocked.Load(),
		srv.Stats.SlowPathDropped.Load(), srv.Stats.ServFail.Load())
}

type discardRecorder struct{}

func (discardRecorder) Record(querylog.Event) bool { return true }
