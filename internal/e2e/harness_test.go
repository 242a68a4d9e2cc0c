package e2e

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/app"
	"manglanh/internal/cli"
	"manglanh/internal/config"
)

// testAll reports whether the full suite runs (make test-all): then
// missing tools are failures, not skips.
func testAll() bool { return os.Getenv("MANGLANH_TEST_ALL") == "1" }

// wardConfig writes a configuration for a portal-only server (no DNS) in
// dir and returns its path. The web listener takes any free loopback port.
// database is "" for SQLite in dir/data, or a postgres:// URL.
func wardConfig(t testing.TB, dir, database string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "data_dir: %q\n", filepath.Join(dir, "data"))
	if database != "" {
		fmt.Fprintf(&b, "database: %q\n", database)
	}
	b.WriteString(`log: {level: warn}
web: {listen: "127.0.0.1:0"}
dns: {listen: ""}
ward: {name: "Phường Phù Liễn", city: "Hải Phòng"}
`)
	path := filepath.Join(dir, "manglanh.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// addUser creates a staff account the way an operator does: manglanh user
// add, with the password on standard input.
func addUser(t testing.TB, cfgPath, email, name, role string, org int64, password string) {
	t.Helper()
	args := []string{"user", "add", "--config", cfgPath, "--email", email, "--name", name, "--role", role}
	if org != 0 {
		args = append(args, "--org", fmt.Sprint(org))
	}
	var out bytes.Buffer
	if rc := cli.Run(args, strings.NewReader(password+"\n"), &out, &out); rc != 0 {
		t.Fatalf("manglanh %s: exit %d: %s", strings.Join(args, " "), rc, out.String())
	}
}

// addOrg adds an organisation to the directory the way an operator does:
// manglanh org add.
func addOrg(t testing.TB, cfgPath, name, kind string) {
	t.Helper()
	var out bytes.Buffer
	args := []string{"org", "add", "--config", cfgPath, "--name", name, "--kind", kind}
	if rc := cli.Run(args, strings.NewReader(""), &out, &out); rc != 0 {
		t.Fatalf("manglanh %s: exit %d: %s", strings.Join(args, " "), rc, out.String())
	}
}

// syncBuffer is a log sink shared by the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is the whole application running in the test process.
type server struct {
	base string // http://127.0.0.1:port
	cfg  *config.Config
}

// startServer builds the application from cfgPath with app.New, listens on
// loopback and runs it until the test ends; the server's warnings are
// printed if the test fails.
func startServer(t testing.TB, cfgPath string) *server {
	t.Helper()
	srv, _ := startApp(t, cfgPath, app.Options{})
	return srv
}

// startApp is startServer with options (a pinned clock), returning the
// application too (for its DNS addresses).
func startApp(t testing.TB, cfgPath string, opts app.Options) (*server, *app.App) {
	t.Helper()
	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.NewWith(ctx, cfg, log, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := a.Listen(); err != nil {
		a.Close()
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server stopped with: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("server shutdown hung")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return &server{base: "http://" + a.WebAddr().String(), cfg: cfg}, a
}

// formatCode writes a tracking code as pages show it: XXXX-XXXX.
func formatCode(c string) string {
	if len(c) == 8 {
		return c[:4] + "-" + c[4:]
	}
	return c
}
