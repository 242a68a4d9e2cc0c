package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/notify"
	"manglanh/internal/program"
	"manglanh/internal/secret"
	"manglanh/internal/store"
)

// extraFixture is a portal on a real SQLite store with the real notifier
// (no e-mail), and a switchable signed-in user.
type extraFixture struct {
	fixture
	users map[string]*SessionUser
}

func newExtraFixture(t *testing.T) *extraFixture {
	t.Helper()
	f := openExtraFixture(t)
	now := time.Now()
	seedDirectory(t, f.db)
	for _, u := range []struct {
		role auth.Role
		org  int64
	}{{auth.RoleWardAdmin, 0}, {auth.RoleOfficer, 0}, {auth.RoleChairman, 0}, {auth.RolePolice, testPoliceOrg}, {auth.RoleSchool, testSchoolOrg}, {auth.RoleViewer, 0}} {
		au := &auth.User{Email: string(u.role) + "@phuong.vn", Name: "Người " + string(u.role), Role: u.role, OrgID: u.org,
			PasswordHash: "h", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := f.db.CreateUser(context.Background(), au); err != nil {
			t.Fatal(err)
		}
		f.users[string(u.role)] = &SessionUser{ID: au.ID, Name: au.Name, Email: au.Email, Role: string(u.role), OrgID: u.org}
	}
	f.start(t, nil)
	return f
}

// openExtraFixture opens the fixture's SQLite store and case store.
func openExtraFixture(t *testing.T) *extraFixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	sealer, _ := secret.New(map[byte][]byte{1: key}, 1)
	f := &extraFixture{fixture: fixture{db: db, audit: &recorder{}, uploads: filepath.Join(dir, "uploads")}, users: map[string]*SessionUser{}}
	if f.cs, err = db.Cases(sealer, f.uploads); err != nil {
		t.Fatal(err)
	}
	return f
}

// start makes the services over the fixture's store (the real notifier,
// no e-mail) and serves the portal, with prog when it is not nil.
func (f *extraFixture) start(t *testing.T, prog *program.Service) {
	t.Helper()
	db := f.db
	n, err := notify.New(notify.Config{Users: db, Notices: db, BaseURL: "https://ml.example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	if f.svc, err = cases.NewService(cases.Config{Store: f.cs, Notifier: n, Audit: f.audit}); err != nil {
		t.Fatal(err)
	}
	log, err := audit.New(audit.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	authSvc, err := auth.NewService(auth.Config{Store: db, Audit: log, Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Ward: Ward{Name: "Phường Phù Liễn"}, Auth: authSvc, Cases: f.svc, Evidence: f.cs, Sources: db, Notices: db,
		BaseURL: "https://ml.example.vn", Location: cases.DefaultLocation(), Program: prog})
	if err != nil {
		t.Fatal(err)
	}
	f.serve(t, s.Handler())
}

// newCase records a report as the officer, with hostile-looking content.
func (f *extraFixture) newCase(t *testing.T, child, desc string, consent bool) int64 {
	t.Helper()
	c, err := f.svc.Intake(context.Background(), actorOf(f.users["officer"]), cases.Intake{Category: cases.CategoryScam,
		Channel: cases.ChannelPhone, Urgent: true, Place: "=HYPERLINK(\"http://evil.example\",\"x\")",
		Sensitive: cases.Sensitive{ChildName: child, ChildAge: 12, ChildSex: "female", ChildSchool: "THCS Phù Liễn", ChildClass: "7A",
			Description: desc, ChildCondition: "Sợ hãi", LikelyHarm: "Mất tiền", ParentsInfo: "Bố: Nguyễn Văn C",
			ReporterName: "Trần Thị Báo", ReporterPhone: "0912345678", ReporterConsent: consent}})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func (f *extraFixture) get(t *testing.T, c *http.Client, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(f.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (f *extraFixture) post(t *testing.T, c *http.Client, page, path string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	form.Set("csrf", f.csrf(t, c, page))
	resp, err := c.PostForm(f.ts.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestNoticesPageListsAndMarksRead(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	id := f.newCase(t, "Lê Thị Mai", "Bị lừa nạp thẻ", false) // new → officers; urgent → ward admins
	officer := f.users["officer"]
	f.signIn(officer)
	resp, body := f.get(t, c, "/can-bo")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `id="unread"`) || !strings.Contains(string(body), "1 thông báo chưa đọc") {
		t.Fatalf("staff home unread count: %d %s", resp.StatusCode, body)
	}
	resp, body = f.get(t, c, "/can-bo/thong-bao")
	page := string(body)
	if resp.StatusCode != 200 || !strings.Contains(page, "Có báo cáo mới") || !strings.Contains(page, fmt.Sprintf("/can-bo/ho-so/%d", id)) ||
		strings.Contains(page, "Lê Thị Mai") {
		t.Fatalf("notices page: %d %s", resp.StatusCode, page)
	}
	// English.
	if _, body := f.get(t, c, "/can-bo/thong-bao?lang=en"); !strings.Contains(string(body), "A new report needs attention") {
		t.Fatalf("English notices: %s", body)
	}
	m := regexp.MustCompile(`name="id" value="(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no mark-read button")
	}
	// The ward admin cannot mark the officer's notice.
	f.signIn(f.users["ward_admin"])
	f.post(t, c, "/can-bo/thong-bao", "/can-bo/thong-bao", url.Values{"id": {m[1]}})
	if n, _ := f.db.UnreadNotices(context.Background(), officer.ID); n != 1 {
		t.Fatalf("someone else's notice marked: unread %d", n)
	}
	f.signIn(officer)
	resp, _ = f.post(t, c, "/can-bo/thong-bao", "/can-bo/thong-bao", url.Values{"id": {m[1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark read: %d", resp.StatusCode)
	}
	if n, _ := f.db.UnreadNotices(context.Background(), officer.ID); n != 0 {
		t.Fatalf("unread after marking: %d", n)
	}
	if _, body := f.get(t, c, "/can-bo"); strings.Contains(string(body), `id="unread"`) {
		t.Fatal("unread count shown with none unread")
	}
	// Without the CSRF token nothing changes.
	resp, _ = c.PostForm(f.ts.URL+"/can-bo/thong-bao", url.Values{})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("mark read without CSRF: %d", resp.StatusCode)
	}
	f.signIn(nil)
	if resp, _ := f.get(t, c, "/can-bo/thong-bao"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("notices without a user: %d", resp.StatusCode)
	}
}

func TestDeadlinesDashboard(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	id := f.newCase(t, "Lê Thị Mai", "x", false)
	// Received 13 hours ago: the 12-hour emergency deadline has passed.
	got, _ := f.cs.GetCase(context.Background(), id)
	got.ReceivedAt = time.Now().Add(-13 * time.Hour)
	if err := f.cs.UpdateCase(context.Background(), got); err != nil {
		t.Fatal(err)
	}
	f.signIn(f.users["officer"])
	resp, body := f.get(t, c, "/can-bo/han-xu-ly")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `id="overdue-total">1<`) || !strings.Contains(string(body), fmt.Sprintf("/can-bo/ho-so/%d", id)) {
		t.Fatalf("dashboard: %d %s", resp.StatusCode, body)
	}
	f.signIn(f.users["viewer"])
	resp, body = f.get(t, c, "/can-bo/han-xu-ly")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `id="overdue-total">1<`) || strings.Contains(string(body), "/can-bo/ho-so/") {
		t.Fatalf("viewer dashboard must show counts only: %d %s", resp.StatusCode, body)
	}
}

// readXLSX unzips a workbook, parses every XML part, and returns the
// sheet's cells row by row as text.
func readXLSX(t *testing.T, data []byte) [][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	want := []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"}
	var names []string
	var sheet []byte
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		dec := xml.NewDecoder(bytes.NewReader(body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", zf.Name, err)
			}
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			sheet = body
		}
	}
	if !slices.Equal(names, want) {
		t.Fatalf("parts: %v", names)
	}
	var ws struct {
		Rows []struct {
			R     string `xml:"r,attr"`
			Cells []struct {
				R string `xml:"r,attr"`
				T string `xml:"t,attr"`
				V string `xml:"v"`
				S string `xml:"is>t"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(sheet, &ws); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for i, r := range ws.Rows {
		if r.R != fmt.Sprint(i+1) {
			t.Fatalf("row ref %s at %d", r.R, i)
		}
		var row []string
		for j, c := range r.Cells {
			if c.R != columnName(j)+r.R {
				t.Fatalf("cell ref %s", c.R)
			}
			if c.T == "inlineStr" {
				row = append(row, c.S)
			} else {
				row = append(row, c.V)
			}
		}
		out = append(out, row)
	}
	return out
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\uFEFF")) {
		t.Fatal("CSV without BOM: Excel would garble Vietnamese")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestExportsRedactPerRoleAndDefuseFormulas(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	f.newCase(t, "=cmd|' /C calc'!A0", "+SUM(1,2)\nhai dòng", false)
	f.newCase(t, "@Trần Bé", "-2+3", false)
	f.newCase(t, "+84 Bé", "=1+1", false)
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			read := func(b []byte) [][]string {
				if format == "csv" {
					return readCSV(t, b)
				}
				return readXLSX(t, b)
			}
			f.signIn(f.users["officer"])
			resp, body := f.get(t, c, "/can-bo/ho-so/xuat."+format+"?loc=all")
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
				t.Fatalf("officer export: %d %s", resp.StatusCode, body)
			}
			rows := read(body)
			if len(rows) != 4 || len(rows[0]) != 17 || rows[0][10] != "Họ tên trẻ" {
				t.Fatalf("officer rows: %q", rows)
			}
			names := map[string]bool{}
			for _, r := range rows[1:] {
				names[r[10]] = true
				for _, cell := range r {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("cell %q would be read as a formula", cell)
					}
				}
				if r[11] != "12" || r[12] != "Nữ" || r[15] != `'=HYPERLINK("http://evil.example","x")` {
					t.Errorf("row: %q", r)
				}
			}
			for _, want := range []string{"'=cmd|' /C calc'!A0", "'@Trần Bé", "'+84 Bé"} {
				if !names[want] {
					t.Errorf("name %q missing from %v", want, names)
				}
			}
			if bytes.Contains(body, []byte("Trần Thị Báo")) || bytes.Contains(body, []byte("0912345678")) {
				t.Fatal("the reporter's identity must never be exported")
			}
			for _, role := range []string{"chairman", "police", "school"} {
				f.signIn(f.users[role])
				resp, body := f.get(t, c, "/can-bo/ho-so/xuat."+format+"?loc=all")
				if resp.StatusCode != 200 {
					t.Fatalf("%s export: %d", role, resp.StatusCode)
				}
				rows := read(body)
				if len(rows[0]) != 10 || bytes.Contains(body, []byte("Trần Bé")) || bytes.Contains(body, []byte("SUM")) ||
					bytes.Contains(body, []byte("HYPERLINK")) {
					t.Fatalf("%s export carries personal data: %q", role, rows)
				}
				want := 4 // chairman sees every case
				if role != "chairman" {
					want = 1 // nothing referred: header only
				}
				if len(rows) != want {
					t.Fatalf("%s rows: %d", role, len(rows))
				}
			}
			f.signIn(f.users["viewer"])
			if resp, _ := f.get(t, c, "/can-bo/ho-so/xuat."+format); resp.StatusCode != http.StatusForbidden {
				t.Fatalf("viewer export: %d", resp.StatusCode)
			}
			f.signIn(nil)
			if resp, _ := f.get(t, c, "/can-bo/ho-so/xuat."+format); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("export without user: %d", resp.StatusCode)
			}
		})
	}
	// Each personal export records a view of each case.
	f.audit.mu.Lock()
	views := 0
	for _, a := range f.audit.audits {
		if strings.HasPrefix(a, fmt.Sprintf("case.view:%d:", f.users["officer"].ID)) {
			views++
		}
	}
	f.audit.mu.Unlock()
	if views != 6 {
		t.Fatalf("views recorded by two officer exports of 3 cases: %d", views)
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)",
		"\t=1": "'\t=1", "\r=1": "'\r=1", "": "", "Nguyễn": "Nguyễn", " =1": " =1", "1-2": "1-2"} {
		if got := safeCell(in); got != want {
			t.Errorf("safeCell(%q) = %q, want %q", in, got, want)
		}
	}
	if columnName(0) != "A" || columnName(25) != "Z" || columnName(26) != "AA" || columnName(701) != "ZZ" || columnName(702) != "AAA" {
		t.Error("column names")
	}
	if got := xmlEscape("a\x00b\x1f<&>\tc"); got != "ab&lt;&amp;&gt;&#x9;c" {
		t.Errorf("xmlEscape: %q", got)
	}
}

func TestHandOff111OnlyTickedParts(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	id := f.newCase(t, "Lê Thị Mai", "Bị lừa nạp thẻ game", false)
	page := fmt.Sprintf("/can-bo/ho-so/%d/chuyen-111", id)
	f.signIn(f.users["officer"])
	resp, body := f.get(t, c, page)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `value="reporter" disabled`) || !strings.Contains(string(body), `value="child"`) {
		t.Fatalf("form: %d %s", resp.StatusCode, body)
	}
	resp, body = f.post(t, c, page, page, url.Values{"part": {"child", "condition"}, "format": {"json"}})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("json: %d %s", resp.StatusCode, body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"case_code", "category", "child", "condition", "form", "generated_at", "handed_off_by", "shared_parts", "urgent"}; !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for _, leak := range []string{"Trần Thị Báo", "0912345678", "Bố: Nguyễn", "Bị lừa nạp thẻ", "Mất tiền", "HYPERLINK"} {
		if bytes.Contains(body, []byte(leak)) {
			t.Errorf("unticked %q in the JSON", leak)
		}
	}
	if child := got["child"].(map[string]any); child["name"] != "Lê Thị Mai" || child["age"] != float64(12) {
		t.Fatalf("child: %v", child)
	}
	// The PDF: one page, and a real PDF.
	resp, body = f.post(t, c, page, page, url.Values{"part": {"source", "child", "place", "description", "condition", "harm", "family"}, "format": {"pdf"}})
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("%PDF-")) || bytes.Count(body, []byte("/Type /Page\n")) != 1 {
		t.Fatalf("pdf: %d %.200s", resp.StatusCode, body)
	}
	// The reporter did not consent: refused, nothing produced.
	resp, body = f.post(t, c, page, page, url.Values{"part": {"reporter"}, "format": {"json"}})
	if resp.StatusCode != 400 || bytes.Contains(body, []byte("0912345678")) || !bytes.Contains(body, []byte("không đồng ý")) {
		t.Fatalf("reporter without consent: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.post(t, c, page, page, url.Values{"format": {"json"}}); resp.StatusCode != 400 {
		t.Fatalf("nothing ticked: %d", resp.StatusCode)
	}
	// Every hand-off is in the audit log, with its parts.
	f.audit.mu.Lock()
	n := 0
	for _, a := range f.audit.audits {
		if strings.HasPrefix(a, "case.handoff_111:") {
			n++
		}
	}
	f.audit.mu.Unlock()
	if n != 2 {
		t.Fatalf("hand-offs audited: %d", n)
	}
	// Other roles may not hand off.
	for _, role := range []string{"chairman", "police", "viewer"} {
		f.signIn(f.users[role])
		if resp, _ := f.post(t, c, "/can-bo/thong-bao", page, url.Values{"part": {"child"}, "format": {"json"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s hand-off: %d", role, resp.StatusCode)
		}
	}
	// With consent the reporter may be shared.
	id2 := f.newCase(t, "B", "C", true)
	page2 := fmt.Sprintf("/can-bo/ho-so/%d/chuyen-111", id2)
	f.signIn(f.users["ward_admin"])
	resp, body = f.post(t, c, page2, page2, url.Values{"part": {"reporter"}, "format": {"json"}})
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("0912345678")) || bytes.Contains(body, []byte(`"child"`)) {
		t.Fatalf("consented reporter: %d %s", resp.StatusCode, body)
	}
}

func TestHandOffPDFStaysOnePage(t *testing.T) {
	s := &Server{cfg: Config{Location: cases.DefaultLocation(), Ward: Ward{Name: "Phường Phù Liễn", Hotline: "111"}}}
	long := strings.Repeat("Nội dung rất dài về sự việc. ", 400)
	h := &cases.HandOff{Form: "Mẫu 01", CaseCode: "AB23CD45", Category: "scam", GeneratedAt: time.Now(), By: "Cán bộ",
		Parts:       cases.HandOffParts(),
		Source:      &cases.HandOffSource{Channel: "phone", ReceivedAt: time.Now()},
		Child:       &cases.HandOffChild{Name: "Lê Thị Mai", Age: 12},
		Description: &cases.HandOffDescription{Text: long, Links: []string{"https://example.vn/a"}},
		Condition:   &long, Harm: &long,
		Family:   &cases.HandOffFamily{Parents: long, Situation: long},
		Reporter: &cases.HandOffReporter{Name: "A", Phone: "0912"}}
	pdf, err := s.handoffPDF(h)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(pdf, []byte("/Type /Page\n")) != 1 {
		t.Fatal("more than one page")
	}
}
