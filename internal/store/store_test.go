package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"manglanh/internal/querylog"
)

// PostgresEnv names the variable that points the store suite at a real
// PostgreSQL server (make test-all sets it); without it the PostgreSQL half
// of every test is skipped.
const PostgresEnv = "MANGLANH_TEST_POSTGRES"

// eachStore runs fn against a fresh SQLite file and, when PostgresEnv is set,
// a fresh schema on PostgreSQL.
func eachStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		s, err := Open(context.Background(), Config{DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		fn(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		s := OpenTestPostgres(t)
		fn(t, s)
	})
}

// OpenTestPostgres opens a migrated store in a new schema of the server named
// by MANGLANH_TEST_POSTGRES, dropped when the test ends; it skips the test
// when the variable is unset.
func OpenTestPostgres(t testing.TB) *Store {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set: PostgreSQL half skipped (make test-all runs it)")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := Open(context.Background(), Config{DSN: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	return s
}

func TestMigrateIsIdempotent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		done, err := s.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 0 {
			t.Fatalf("second migrate applied %v", done)
		}
		v, err := s.Version(context.Background())
		if err != nil || v < 1 {
			t.Fatalf("version %d, %v", v, err)
		}
	})
}

func TestDNSStats(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		hour := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		rows := []querylog.Hourly{
			{Hour: hour, Profile: "lop6", Category: "gambling", Action: querylog.Blocked, Queries: 3},
			{Hour: hour, Profile: "lop6", Category: "", Action: querylog.Allowed, Queries: 10},
		}
		if err := s.AddHourly(ctx, rows); err != nil {
			t.Fatal(err)
		}
		if err := s.AddHourly(ctx, rows[:1]); err != nil { // same key again: counts add up
			t.Fatal(err)
		}
		got, err := s.HourlySince(ctx, hour)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Queries != 10 || got[1].Queries != 6 || got[1].Category != "gambling" {
			t.Fatalf("aggregates = %+v", got)
		}
		ev := []querylog.Event{
			{Time: hour.Add(time.Minute), Profile: "lop6", Client: "192.168.1.5", Name: "nohu.club", Category: "gambling", Action: querylog.Blocked, Hits: 7},
			{Time: hour.Add(-48 * time.Hour), Profile: "lop6", Client: "192.168.1.5", Name: "old.example", Category: "adult", Action: querylog.Blocked},
			{Time: hour.Add(-48 * time.Hour), Profile: "other", Client: "10.0.0.1", Name: "x.example", Category: "adult", Action: querylog.Blocked},
		}
		if err := s.AddEvents(ctx, ev); err != nil {
			t.Fatal(err)
		}
		n, err := s.PurgeEvents(ctx, "lop6", hour.Add(-time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v", n, err)
		}
		recent, err := s.RecentEvents(ctx, "", 10)
		if err != nil || len(recent) != 2 || recent[0].Name != "nohu.club" || !recent[0].Time.Equal(hour.Add(time.Minute)) ||
			recent[0].Hits != 7 || recent[1].Hits != 1 {
			t.Fatalf("recent = %+v, %v", recent, err)
		}
	})
}

func TestRecorderWritesOnShutdown(t *testing.T) {
	s, err := Open(context.Background(), Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, err := querylog.New(querylog.Config{Store: s, QueueSize: 4, FlushInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	now := time.Now()
	accepted := 0
	for i := 0; i < 10; i++ { // Run is not started: only 4 fit
		if rec.Record(querylog.Event{Time: now, Profile: "p", Name: "bad.example", Category: "scam", Action: querylog.Blocked}) {
			accepted++
		}
	}
	if accepted != 4 || rec.Dropped() != 6 {
		t.Fatalf("accepted %d dropped %d", accepted, rec.Dropped())
	}
	go rec.Run(ctx)
	cancel()
	rec.Wait()
	ev, err := s.RecentEvents(context.Background(), "p", 100)
	if err != nil || len(ev) != 4 {
		t.Fatalf("events after shutdown = %d, %v", len(ev), err)
	}
}
