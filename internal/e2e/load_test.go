package e2e

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/audit/caseaudit"
	"manglanh/internal/cases"
	"manglanh/internal/risk"
	"manglanh/internal/secret"
	"manglanh/internal/store"
	"manglanh/internal/web"
)

// The load driver: go test ./internal/e2e -run TestSubmissionLoad -v -args -load
var (
	loadFull    = flag.Bool("load", false, "run TestSubmissionLoad at full size (-load.n reports from -load.c clients) and log the figures")
	loadReports = flag.Int("load.n", 4000, "reports sent by TestSubmissionLoad with -load")
	loadClients = flag.Int("load.c", 32, "concurrent clients of TestSubmissionLoad with -load")
)

// postgresEnv names the server the PostgreSQL half runs against (make
// test-all sets it).
const postgresEnv = "MANGLANH_TEST_POSTGRES"

// loadResult is what one load run measured.
type loadResult struct {
	Sent, Created  int
	Elapsed        time.Duration
	P50, P99, Max  time.Duration
	PerSecond      float64
	Codes          []string
	Failures       map[int]int // HTTP status (0: transport error) → count
	FirstTransport error
}

// nopNotifier drops case events: the load measures intake, not delivery.
type nopNotifier struct{}

func (nopNotifier) CaseEvent(context.Context, cases.Event) error { return nil }

// loadPortal is the report portal wired as internal/app wires it (store,
// encryption key, hash-chained audit log, case service, risk engine), but
// with the per-network report limit raised for the run: the configuration
// file has no key for web.ReportLimits, and all load comes from 127.0.0.1.
type loadPortal struct {
	base string
	db   *store.Store
	cs   *store.CaseStore
	http *http.Server
}

func startLoadPortal(tb testing.TB, dsn, dir string) *loadPortal {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DSN: dsn, DataDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	sealer, err := secret.LoadOrCreateKey(filepath.Join(dir, "secret.key"))
	if err != nil {
		tb.Fatal(err)
	}
	auditLog, err := audit.New(audit.Config{Store: db})
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := db.Cases(sealer, filepath.Join(dir, "uploads"))
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := cases.NewService(cases.Config{Store: cs, Notifier: nopNotifier{}, Audit: caseaudit.Auditor{Log: auditLog}})
	if err != nil {
		tb.Fatal(err)
	}
	rules, err := risk.DefaultRules()
	if err != nil {
		tb.Fatal(err)
	}
	engine, err := risk.New(rules, risk.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	portal, err := web.New(web.Config{Ward: web.Ward{Name: "Phường Phù Liễn", City: "Hải Phòng"},
		Cases: svc, Evidence: cs, Sources: db, Risk: engine, Location: cases.DefaultLocation(),
		ReportLimits: web.ReportLimits{SubmitBurst: 1 << 30, SubmitEvery: time.Nanosecond, LookupBurst: 1 << 30, LookupEvery: time.Nanosecond}})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &loadPortal{base: "http://" + ln.Addr().String(), db: db, cs: cs,
		http: &http.Server{Handler: portal.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go p.http.Serve(ln)
	return p
}

// stop finishes the requests in flight and closes the database.
func (p *loadPortal) stop(tb testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.http.Shutdown(ctx); err != nil {
		tb.Errorf("portal shutdown: %v", err)
	}
	if err := p.db.Close(); err != nil {
		tb.Errorf("closing the store: %v", err)
	}
}

// loadDescriptions are the narratives the clients send: the risk engine
// scores each one on intake, as it does for real reports.
var loadDescriptions = []string{
	"Có người nhắn Zalo cho cháu giả làm cô giáo chủ nhiệm, bảo chuyển khoản 2 triệu đóng tiền học thêm gấp, nếu không sẽ bị đình chỉ.",
	"Một tài khoản Facebook lạ làm quen con tôi, khen xinh, tặng kim cương Free Fire rồi đòi gửi ảnh riêng tư và hẹn gặp ở quán net.",
	"Nhóm lớp 8 lập trang chế ảnh một bạn nữ, bình luận chửi bới và rủ cả trường vào bêu riếu.",
	"Cháu chơi game bắn cá đổi thưởng, nạp thẻ điện thoại của bố mẹ hết 5tr trong một tuần.",
	"Kẻ lạ doạ tung ảnh ghép của cháu lên mạng nếu không nạp tiền vào số tài khoản này.",
}

// runLoad sends n reports from conc clients to a fresh portal on dsn (""
// for SQLite in a temporary directory), then reopens the store and checks
// that every acknowledged tracking code is there. A *testing.B's timer
// covers only the sending.
func runLoad(tb testing.TB, dsn string, n, conc int) loadResult {
	tb.Helper()
	dir := tb.TempDir()
	p := startLoadPortal(tb, dsn, dir)
	stopped := false
	defer func() {
		if !stopped {
			p.stop(tb)
		}
	}()
	client := &http.Client{Timeout: 60 * time.Second,
		Transport: &http.Transport{MaxIdleConns: conc, MaxIdleConnsPerHost: conc, IdleConnTimeout: time.Minute}}
	defer client.CloseIdleConnections()
	res := loadResult{Sent: n, Failures: map[int]int{}}
	lat := make([]time.Duration, n)
	codes := make([]string, n)
	var next atomic.Int64
	var mu sync.Mutex
	if b, ok := tb.(*testing.B); ok {
		b.ResetTimer()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				desc := fmt.Sprintf("%s (báo cáo số %d)", loadDescriptions[i%len(loadDescriptions)], i)
				t0 := time.Now()
				code, status, err := sendReport(context.Background(), client, p.base, desc)
				lat[i] = time.Since(t0)
				if err == nil && status == http.StatusCreated {
					codes[i] = code
					continue
				}
				mu.Lock()
				res.Failures[status]++
				if err != nil && res.FirstTransport == nil {
					res.FirstTransport = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if b, ok := tb.(*testing.B); ok {
		b.StopTimer()
	}
	for _, c := range codes {
		if c != "" {
			res.Codes = append(res.Codes, c)
		}
	}
	res.Created = len(res.Codes)
	slices.Sort(lat)
	res.P50, res.P99, res.Max = lat[n/2], lat[min(n-1, n*99/100)], lat[n-1]
	res.PerSecond = float64(res.Created) / res.Elapsed.Seconds()
	if res.Created != n {
		tb.Errorf("%d of %d reports not acknowledged: %v (first transport error: %v)", n-res.Created, n, res.Failures, res.FirstTransport)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(res.Codes)))) != len(res.Codes) {
		tb.Errorf("two reports were given the same tracking code")
	}

	// No report lost: reopen the database and look every code up.
	p.stop(tb)
	stopped = true
	db, err := store.Open(context.Background(), store.Config{DSN: dsn, DataDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	sealer, err := secret.LoadOrCreateKey(filepath.Join(dir, "secret.key"))
	if err != nil {
		tb.Fatal(err)
	}
	cs, err := db.Cases(sealer, filepath.Join(dir, "uploads"))
	if err != nil {
		tb.Fatal(err)
	}
	lost := 0
	for _, code := range res.Codes {
		if _, err := cs.GetCaseByCode(context.Background(), code); err != nil {
			if lost++; lost <= 5 {
				tb.Errorf("acknowledged report %s not in the store: %v", code, err)
			}
		}
	}
	if lost > 0 {
		tb.Errorf("%d of %d acknowledged reports lost", lost, len(res.Codes))
	}
	return res
}

// postgresDSN returns the URL of a fresh schema on the server named by
// MANGLANH_TEST_POSTGRES, dropped when the test ends. Without the variable
// the test is skipped, or fails under make test-all.
func postgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		if testAll() {
			tb.Fatal(postgresEnv + " is not set but MANGLANH_TEST_ALL=1")
		}
		tb.Skip(postgresEnv + " not set: PostgreSQL half skipped (make test-all runs it)")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "e2e_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestSubmissionLoad sends concurrent public reports to the JSON API on
// SQLite and on PostgreSQL and checks that none is lost. By default it is
// small (a correctness check under concurrency); with -load it is the load
// driver whose figures docs/BENCHMARKS.md records.
func TestSubmissionLoad(t *testing.T) {
	n, conc := 300, 8
	if *loadFull {
		n, conc = *loadReports, *loadClients
	}
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dsn := ""
			if db == "postgres" {
				dsn = postgresDSN(t)
			}
			r := runLoad(t, dsn, n, conc)
			t.Logf("%s: %d reports from %d clients in %v: %.0f reports/s, latency p50 %v p99 %v max %v",
				db, r.Created, conc, r.Elapsed.Round(time.Millisecond), r.PerSecond,
				r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond))
		})
	}
}

// BenchmarkSubmissions measures public report intake through the JSON API
// with 32 concurrent clients; reports/s and p99-ms are reported beside
// ns/op.
func BenchmarkSubmissions(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			dsn := ""
			if db == "postgres" {
				dsn = postgresDSN(b)
			}
			r := runLoad(b, dsn, b.N, 32)
			b.ReportMetric(r.PerSecond, "reports/s")
			b.ReportMetric(float64(r.P99.Microseconds())/1000, "p99-ms")
		})
	}
}
