package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"manglanh/internal/program"
	"manglanh/internal/store"
)

func TestTenantCommands(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "manglanh.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: "+filepath.Join(dir, "data")+"\nlog:\n  level: error\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := "--config=" + cfgPath
	if rc, out := runCLI(t, "", "tenant", "add", c, "--code", "11506", "--name", "Phường Phù Liễn", "--province", "Thành phố Hải Phòng"); rc != 0 || !strings.Contains(out, "#2 11506") {
		t.Fatalf("add: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "tenant", "add", c, "--code", "11506", "--name", "Lại"); rc != 2 || !strings.Contains(out, "this code is taken") {
		t.Fatalf("duplicate: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "tenant", "add", c, "--code", "1 2", "--name", "X"); rc != 2 || !strings.Contains(out, "--code") {
		t.Fatalf("bad code: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "tenant", "set", c, "--id", "1", "--code", "11500", "--name", "Phường An Biên"); rc != 0 {
		t.Fatalf("set: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau du dai\n", "user", "add", c, "--email", "cb@phulien.vn", "--name", "Cán bộ", "--role", "officer", "--tenant", "11506"); rc != 0 {
		t.Fatalf("user in ward 11506: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau du dai\n", "user", "add", c, "--email", "x@hp.vn", "--name", "X", "--role", "officer", "--tenant", "99999"); rc != 1 || !strings.Contains(out, "99999") {
		t.Fatalf("unknown ward: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "mat khau du dai\n", "user", "add", c, "--email", "so@hp.vn", "--name", "Sở", "--role", "city"); rc != 0 {
		t.Fatalf("city account: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "user", "list", c); rc != 0 || !strings.Contains(out, "11506") {
		t.Fatalf("user list names the ward: %d %s", rc, out)
	}
	rc, out := runCLI(t, "", "tenant", "list", c)
	if rc != 0 || !strings.Contains(out, "11500") || !strings.Contains(out, "Phường Phù Liễn") {
		t.Fatalf("list: %d %s", rc, out)
	}
	for _, line := range strings.Split(out, "\n") {
		// Ward 11506 has an officer: live. Ward 11500 only a city account
		// besides none: not live.
		if strings.Contains(line, "11506") && !strings.HasSuffix(strings.TrimSpace(line), "yes") ||
			strings.Contains(line, "11500") && strings.HasSuffix(strings.TrimSpace(line), "yes") {
			t.Errorf("live column: %q", line)
		}
	}
	s, err := store.Open(context.Background(), store.Config{DataDir: filepath.Join(dir, "data")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.UserByEmail(context.Background(), "cb@phulien.vn")
	if err != nil || u.TenantID != 2 {
		t.Fatalf("the account's ward: %+v %v", u, err)
	}
}

func TestFiguresCommands(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "manglanh.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: "+filepath.Join(dir, "data")+"\nlog:\n  level: error\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := "--config=" + cfgPath
	rc, key := runCLI(t, "", "figures", "key", c)
	key = strings.TrimSpace(key)
	if rc != 0 || len(key) != 44 {
		t.Fatalf("key: %d %q", rc, key)
	}
	if _, again := runCLI(t, "", "figures", "key", c); strings.TrimSpace(again) != key {
		t.Fatal("the key changed between runs")
	}
	priv, err := program.LoadOrCreateSigningKey(filepath.Join(dir, "data", "figures.key"))
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	data, err := program.SignFigures(&program.Figures{Format: program.FiguresFormat,
		Wards:  []program.TenantRef{{Code: "11506", Name: "Phường Phù Liễn"}},
		Period: program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)}, priv)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "so-lieu.json")
	os.WriteFile(file, data, 0o600)
	if rc, out := runCLI(t, "", "figures", "import", c, file); rc != 1 || !strings.Contains(out, "without a registered key") {
		t.Fatalf("unregistered: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "tenant", "add", c, "--code", "11506", "--name", "Phường Phù Liễn", "--key", key); rc != 0 {
		t.Fatalf("add: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "figures", "import", c, file); rc != 0 || !strings.Contains(out, "01/01/2025 – 31/12/2025") {
		t.Fatalf("import: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "figures", "import", c, file); rc != 0 || !strings.Contains(out, "replaced") {
		t.Fatalf("second import: %d %s", rc, out)
	}
}
