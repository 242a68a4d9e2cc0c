package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"manglanh/internal/program"
	"manglanh/internal/store"
)

func TestOrgAddLevels(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "manglanh.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: "+filepath.Join(dir, "data")+"\nlog:\n  level: error\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := "--config=" + cfgPath
	if rc, out := runCLI(t, "", "org", "add", c, "--name", "Mầm non Hoa Sen", "--kind", "school", "--levels", "preschool"); rc != 0 {
		t.Fatalf("org add --levels: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "org", "add", c, "--name", "X", "--kind", "school", "--levels", "college"); rc != 2 {
		t.Fatalf("unknown level: %d %s", rc, out)
	}
	if rc, out := runCLI(t, "", "org", "add", c, "--name", "Công an", "--kind", "police", "--levels", "primary"); rc != 2 {
		t.Fatalf("levels for the police: %d %s", rc, out)
	}
	st, err := store.Open(context.Background(), store.Config{DataDir: filepath.Join(dir, "data")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.SchoolLevels(context.Background())
	if err != nil || len(got) != 1 || !slices.Equal(got[1], []string{program.LevelPreschool}) {
		t.Fatalf("levels = %v %v", got, err)
	}
}
