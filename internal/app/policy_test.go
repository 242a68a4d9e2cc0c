package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/config"
	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// fakeSource is a PolicySource in memory.
type fakeSource struct {
	mu      sync.Mutex
	version int64
	specs   []filter.ProfileSpec
	err     error
}

func (f *fakeSource) set(v int64, specs []filter.ProfileSpec) {
	f.mu.Lock()
	f.version, f.specs = v, specs
	f.mu.Unlock()
}

func (f *fakeSource) PolicySpecs(context.Context) ([]filter.ProfileSpec, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.specs, f.err
}

func (f *fakeSource) PolicyVersion(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version, nil
}

// TestPolicyWatcherKeepsOldPolicy checks that a version that does not
// compile (a budget of 0 minutes) or cannot be read leaves the published
// policy alone and is counted, and that the next good version is loaded.
func TestPolicyWatcherKeepsOldPolicy(t *testing.T) {
	reg, err := filter.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	src := &fakeSource{}
	src.set(1, []filter.ProfileSpec{{Name: "an", ID: 1, Deny: []string{"a.example"}}})
	var published []*filter.Policy
	w, err := NewPolicyWatcher(PolicyWatcherConfig{Registry: reg, Seed: []filter.ProfileSpec{{Name: "default"}}, Source: src,
		Set: func(p *filter.Policy) { published = append(published, p) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := w.Reload(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Reload(ctx, false); err != nil || len(published) != 1 {
		t.Fatalf("an unchanged version was published again: %d, %v", len(published), err)
	}
	if _, ok := published[0].ProfileIndex("an"); !ok {
		t.Fatal("the portal's profile is not in the policy")
	}
	src.set(2, []filter.ProfileSpec{{Name: "an", ID: 1, Budgets: []filter.BudgetSpec{{Key: "all", Minutes: 0}}}})
	err = w.Reload(ctx, false)
	var ve *filter.ValidationError
	if !errors.As(err, &ve) || len(published) != 1 || w.Failures.Load() != 1 || w.LastError() == "" {
		t.Fatalf("bad policy: err %v, published %d, failures %d", err, len(published), w.Failures.Load())
	}
	src.mu.Lock()
	src.version, src.err = 3, errors.New("database gone")
	src.mu.Unlock()
	if err := w.Reload(ctx, false); err == nil || len(published) != 1 || w.Failures.Load() != 2 {
		t.Fatalf("read error: %v, published %d", err, len(published))
	}
	src.mu.Lock()
	src.err = nil
	src.mu.Unlock()
	src.set(4, []filter.ProfileSpec{{Name: "an", ID: 1}, {Name: "binh", ID: 2}})
	if err := w.Reload(ctx, false); err != nil || len(published) != 2 || w.LastError() != "" {
		t.Fatalf("good version after bad ones: %v, published %d", err, len(published))
	}
	if _, ok := published[1].ProfileIndex("binh"); !ok {
		t.Error("version 4 not in force")
	}
}

// startApp runs the whole application with database dsn ("" = SQLite in
// a temporary directory) and returns it.
func startApp(t *testing.T, dsn string) *App {
	t.Helper()
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "manglanh.yaml")
	db := ""
	if dsn != "" {
		db = "database: \"" + dsn + "\"\n"
	}
	os.WriteFile(cfgFile, []byte(db+`
data_dir: `+filepath.Join(dir, "data")+`
web: {listen: "127.0.0.1:0"}
dns:
  listen: "127.0.0.1:0"
  upstreams: ["127.0.0.1:9"]
  default_profile: lop6
profiles:
  - {name: lop6, age: 11}
`), 0o644)
	cfg, err := config.Load(cfgFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := a.Listen(); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return a
}

// waitBlocked asks name of a's DNS server until the answer is blocked with
// the EDE text want, for at most 5 seconds (the bar), and returns
// how long it took.
func waitBlocked(t *testing.T, a *App, name, want string, from time.Time) time.Duration {
	t.Helper()
	c := &dns.Client{Timeout: time.Second}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	m.SetEdns0(1232, false)
	for time.Since(from) < 5*time.Second {
		r, _, err := c.Exchange(m, a.DNSAddr().String())
		if err == nil && len(r.Answer) == 1 {
			if o := r.IsEdns0(); o != nil {
				for _, opt := range o.Option {
					if e, ok := opt.(*dns.EDNS0_EDE); ok && e.ExtraText == want {
						return time.Since(from)
					}
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s not blocked (%q) within 5 s of the change", name, want)
	return 0
}

// testPolicyChange makes a school profile on the test's loopback address
// in the database of apps[0] and checks that every app (several processes
// on one PostgreSQL) filters by it within 5 s, then that a rule change
// (blocking TikTok) reaches them too.
func testPolicyChange(t *testing.T, apps ...*App) {
	ctx := context.Background()
	st := apps[0].store
	p := &family.Profile{Kind: family.KindSchool, OrgID: 1, Nickname: "Trường A", Label: "truong-a",
		Networks: []string{"127.0.0.1"}, Rules: family.Rules{Block: []string{"none"}, Deny: []string{"game.example"}, Budgets: []family.Budget{}},
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	start := time.Now()
	if err := st.CreateProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i, a := range apps {
		d := waitBlocked(t, a, "www.game.example", "manglanh: blocked site", start)
		t.Logf("process %d: new profile in force after %v", i, d.Round(time.Millisecond))
	}
	start = time.Now()
	if _, err := st.UpdateProfile(ctx, p.ID, func(p *family.Profile) error {
		p.Rules.Block = []string{"tiktok"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, a := range apps {
		d := waitBlocked(t, a, "tiktok.com", "manglanh: tiktok", start)
		t.Logf("process %d: rule change in force after %v", i, d.Round(time.Millisecond))
	}
}

func TestPolicyChangeReachesDNSOnSQLite(t *testing.T) {
	testPolicyChange(t, startApp(t, ""))
}

func TestPolicyChangeReachesDNSOnPostgres(t *testing.T) {
	dsn := testPostgresDSN(t)
	a := startApp(t, dsn)
	b := startApp(t, dsn) // a second "manglanh serve" on the same database
	testPolicyChange(t, a, b)
	if a.policy.Notifications.Load() == 0 || b.policy.Notifications.Load() == 0 {
		t.Errorf("notifications: %d, %d (the 30 s poll cannot have done it)", a.policy.Notifications.Load(), b.policy.Notifications.Load())
	}
}

// testPostgresDSN is a fresh schema on MANGLANH_TEST_POSTGRES, dropped at
// the end; the test is skipped without the variable.
func testPostgresDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv("MANGLANH_TEST_POSTGRES")
	if base == "" {
		t.Skip("MANGLANH_TEST_POSTGRES not set: PostgreSQL half skipped (make test-all runs it)")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "app_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
