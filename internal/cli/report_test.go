package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/querylog"
	"manglanh/internal/secret"
	"manglanh/internal/store"
)

// seedReportStore makes a config and a SQLite store with a school and a few
// 2025 activities (7 communication sessions among them), and returns the
// --config flag.
func seedReportStore(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cfgPath := filepath.Join(dir, "manglanh.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: "+data+"\nlog:\n  level: error\nward:\n  name: Phường Thử\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, store.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	school := cases.Organisation{Name: "Trường THCS Thử", Kind: cases.AgencySchool, Active: true, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateOrganisation(ctx, &school); err != nil {
		t.Fatal(err)
	}
	key, err := secret.LoadOrCreateKey(filepath.Join(data, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	acts, err := st.Activities(key)
	if err != nil {
		t.Fatal(err)
	}
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	svc, err := program.New(program.Options{Store: st, Activities: acts, Location: hcm, Schools: cliSchools{st}})
	if err != nil {
		t.Fatal(err)
	}
	officer := program.Actor{UserID: 1, Name: "Cán bộ", Role: program.RoleOfficer, TenantID: program.DefaultTenant}
	place := []program.Place{{Kind: program.PlaceSchool, OrgID: school.ID, Name: school.Name}}
	for i, kind := range []string{program.KindCommunication, program.KindCommunication, program.KindCommunication,
		program.KindCommunication, program.KindCommunication, program.KindCommunication, program.KindCommunication,
		program.KindThemedMeeting, program.KindThemedMeeting} {
		a := &program.Activity{Kind: kind, Date: time.Date(2025, time.Month(1+i), 10, 0, 0, 0, 0, hcm), Places: place,
			Organiser: "UBND phường", Topic: "An toàn trên mạng",
			Participants: []program.Participant{{Group: program.GroupPupils, SchoolID: school.ID, Level: program.LevelLowerSecondary, Grade: 6 + i%4, Count: 30 + i}}}
		if err := svc.CreateActivity(ctx, officer, a); err != nil {
			t.Fatalf("activity %d: %v", i, err)
		}
	}
	// The resolver's aggregates: 7 blocked look-ups in 2025, 5 in 2026.
	if err := st.AddHourly(ctx, []querylog.Hourly{
		{Hour: time.Date(2025, 6, 1, 9, 0, 0, 0, hcm), Profile: "lop6", Category: "gambling", Action: querylog.Blocked, Queries: 7},
		{Hour: time.Date(2026, 1, 2, 9, 0, 0, 0, hcm), Profile: "lop6", Category: "gambling", Action: querylog.Blocked, Queries: 5},
	}); err != nil {
		t.Fatal(err)
	}
	// One in 2026: outside the period.
	late := &program.Activity{Kind: program.KindCommunication, Date: time.Date(2026, 1, 1, 0, 0, 0, 0, hcm), Places: place,
		Organiser: "UBND phường", Topic: "x", Participants: []program.Participant{{Group: program.GroupParents, Count: 5}}}
	if err := svc.CreateActivity(ctx, officer, late); err != nil {
		t.Fatal(err)
	}
	return "--config=" + cfgPath, dir
}

func TestReportCommand(t *testing.T) {
	c, dir := seedReportStore(t)
	docx := filepath.Join(dir, "bao-cao.docx")
	if rc, out := runCLI(t, "", "report", c, "--from", "01/01/2025", "--to", "31/12/2025", "--out", docx); rc != 0 ||
		!strings.Contains(out, "01/01/2025 – 31/12/2025") {
		t.Fatalf("report docx: %d %s", rc, out)
	}
	doc := docxText(t, docx)
	for _, want := range []string{"07 buổi truyền thông", "02 buổi sinh hoạt chuyên đề", "PHƯỜNG THỬ",
		"đã chặn 7 lượt truy cập"} {
		if !strings.Contains(doc, want) {
			t.Errorf("word/document.xml lacks %q", want)
		}
	}
	if strings.Contains(doc, "08 buổi truyền thông") {
		t.Error("the 2026 session was counted in 2025")
	}

	pdf := filepath.Join(dir, "bao-cao.pdf")
	if rc, out := runCLI(t, "", "report", c, "--from", "01/01/2025", "--to", "31/12/2025", "--out", pdf); rc != 0 {
		t.Fatalf("report pdf: %d %s", rc, out)
	}
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %d bytes, %v", len(b), err)
	}
	if _, err := os.Stat(pdf + ".tmp"); !os.IsNotExist(err) {
		t.Error("the temporary file was left")
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad from", []string{"--from", "32/01/2025", "--to", "31/12/2025", "--out", docx}, "dd/mm/yyyy"},
		{"bad to", []string{"--from", "01/01/2025", "--to", "hôm qua", "--out", docx}, "dd/mm/yyyy"},
		{"reversed", []string{"--from", "31/12/2025", "--to", "01/01/2025", "--out", docx}, "--from"},
		{"too long", []string{"--from", "01/01/2000", "--to", "31/12/2025", "--out", docx}, "10"},
		{"format", []string{"--from", "01/01/2025", "--to", "31/12/2025", "--format", "odt", "--out", docx}, "docx"},
		{"extension", []string{"--from", "01/01/2025", "--to", "31/12/2025", "--out", filepath.Join(dir, "x.txt")}, "docx"},
		{"no out", []string{"--from", "01/01/2025", "--to", "31/12/2025"}, "--out"},
		{"no version", []string{"--from", "01/01/2025", "--to", "31/12/2025", "--version", "3", "--out", docx}, "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, out := runCLI(t, "", append([]string{"report", c}, tc.args...)...)
			if rc == 0 || !strings.Contains(out, tc.want) {
				t.Errorf("rc %d, output %q (want an error naming %q)", rc, out, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.txt")); !os.IsNotExist(err) {
		t.Error("a refused report wrote a file")
	}
}

func docxText(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			r.Close()
			return string(b)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}
