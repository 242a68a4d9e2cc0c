package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"manglanh/internal/store"
)

// runCLI runs a manglanh subcommand with args and stdin and returns the
// exit code and the output. The environment is empty on purpose: the test
// runner's own MANGLANH_TEST_* variables are not configuration.
func runCLI(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	c, ok := commands[args[0]]
	if !ok {
		t.Fatalf("no command %q", args[0])
	}
	rc := c.run(context.Background(), &Env{Args: args[1:], Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out})
	return rc, out.String()
}

func TestUserAndAuditCommands(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "manglanh.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: "+filepath.Join(dir, "data")+"\nlog:\n  level: error\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := "--config=" + cfgPath
	if rc, out := runCLI(t, "mat khau quan tri\n", "user", "add", c, "--email", "Admin@Phuong.vn", "--name", "Quản trị", "--role", "ward_admin"); rc != 0 || !strings.Contains(out, "admin@phuong.vn") {
		t.Fatalf("add: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "ngan\n", "user", "add", c, "--email", "b@phuong.vn", "--name", "B", "--role", "officer"); rc != 1 || !strings.Contains(out, "10") {
		t.Fatalf("short password: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "user", "add", c, "--email", "b@phuong.vn", "--name", "B", "--role", "officer"); rc != 1 || !strings.Contains(out, "standard input") {
		t.Fatalf("no password: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau du dai\n", "user", "add", c, "--email", "gv@truong.vn", "--name", "Cô Lan", "--role", "school"); rc != 1 {
		t.Fatalf("school without --org: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau du dai\n", "user", "add", c, "--email", "gv@truong.vn", "--name", "Cô Lan", "--role", "school", "--org", "1"); rc != 1 || !strings.Contains(out, "#1") {
		t.Fatalf("school with an organisation not in the directory: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "org", "add", c, "--name", "Trường THCS Phù Liễn", "--kind", "school"); rc != 0 {
		t.Fatalf("org add: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau du dai\n", "user", "add", c, "--email", "gv@truong.vn", "--name", "Cô Lan", "--role", "school", "--org", "1"); rc != 0 {
		t.Fatalf("school: %d %s", rc, out)
	}
	rc, out := runCLI(t, "", "user", "list", c)
	if rc != 0 || !strings.Contains(out, "admin@phuong.vn") || !strings.Contains(out, "gv@truong.vn") || !strings.Contains(out, "school") {
		t.Fatalf("list: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau tam thoi\n", "user", "reset", c, "--email", "gv@truong.vn"); rc != 0 {
		t.Fatalf("reset: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau tam thoi\n", "user", "reset", c, "--email", "khong@co.vn"); rc != 1 || !strings.Contains(out, "no such account") {
		t.Fatalf("reset unknown: %d %s", rc, out)
	}
	if _, out := runCLI(t, "", "user", "list", c); !strings.Contains(out, "must-change") {
		t.Fatalf("list after reset: %s", out)
	}
	if rc, out := runCLI(t, "", "user", "disable", c, "--email", "gv@truong.vn"); rc != 0 {
		t.Fatalf("disable: %d %s", rc, out)
	}

	rc, out = runCLI(t, "", "audit", "verify", c)
	if rc != 0 || !strings.Contains(out, "intact: 5") { // two accounts, one organisation, a reset, a disable
		t.Fatalf("verify: %d %s", rc, out)
	}
	rc, out = runCLI(t, "", "audit", "tail", c, "-n", "2")
	if rc != 0 || !strings.Contains(out, "user.password_reset") || !strings.Contains(out, "user.disable") || strings.Contains(out, "user.create") {
		t.Fatalf("tail: %d %s", rc, out)
	}

	// Tamper with the log behind the application's back.
	s, err := store.Open(context.Background(), store.Config{DataDir: filepath.Join(dir, "data")})
	if err != nil {
		t.Fatal(err)
	}
	es, _ := s.AuditEntries(context.Background(), 0, 10)
	s.Close()
	tamper(t, filepath.Join(dir, "data", "manglanh.db"), es[1].ID)
	rc, out = runCLI(t, "", "audit", "verify", c)
	if rc != 1 || !strings.Contains(out, "BROKEN") || !strings.Contains(out, "modified") {
		t.Fatalf("verify after tampering: %d %s", rc, out)
	}
}

// tamper rewrites one audit entry's detail with raw SQL.
func tamper(t *testing.T, dbPath string, id int64) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE audit_log SET detail = 'x' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
}
