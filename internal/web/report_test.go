package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/risk"
	"manglanh/internal/secret"
	"manglanh/internal/store"
)

// recorder is the cases Notifier and Auditor of these tests.
type recorder struct {
	mu     sync.Mutex
	audits []string
}

func (r *recorder) CaseEvent(context.Context, cases.Event) error { return nil }
func (r *recorder) Record(_ context.Context, a cases.Actor, action string, id int64, _ string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.audits = append(r.audits, fmt.Sprintf("%s:%d:%d", action, a.UserID, id))
	return nil
}

// fixture is a portal on a real SQLite store, with a switchable signed-in
// user standing in for the auth middleware.
type fixture struct {
	ts      *httptest.Server
	db      *store.Store
	cs      *store.CaseStore
	svc     *cases.Service
	audit   *recorder
	uploads string
	srv     *Server
	mu      sync.Mutex
	user    *SessionUser
}

// serve starts the test server on h, signing every request in as f.user
// (the fixtures' way past the two-step sign-in).
func (f *fixture) serve(t testing.TB, h http.Handler) {
	t.Helper()
	f.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		u := f.user
		f.mu.Unlock()
		if u != nil {
			r = r.WithContext(withUser(r.Context(), u))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.ts.Close)
}

func (f *fixture) signIn(u *SessionUser) {
	f.mu.Lock()
	f.user = u
	f.mu.Unlock()
}

func newFixture(t testing.TB, limits ReportLimits) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	sealer, err := secret.New(map[byte][]byte{1: key}, 1)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, audit: &recorder{}, uploads: filepath.Join(dir, "uploads")}
	if f.cs, err = db.Cases(sealer, f.uploads); err != nil {
		t.Fatal(err)
	}
	seedDirectory(t, db)
	if f.svc, err = cases.NewService(cases.Config{Store: f.cs, Notifier: f.audit, Audit: f.audit}); err != nil {
		t.Fatal(err)
	}
	rules, err := risk.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	engine, err := risk.New(rules, risk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Ward: Ward{Name: "Phường Phù Liễn", City: "Hải Phòng"}, Cases: f.svc, Evidence: f.cs,
		Sources: db, Posters: newPosterService(t, db, "https://manglanh.example.vn"),
		ReportLimits: limits, Risk: engine, BaseURL: "https://manglanh.example.vn", Location: cases.DefaultLocation()})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = s
	f.serve(t, s.Handler())
	return f
}

// client returns a browser-like client: cookies, no redirects followed.
func (f *fixture) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf loads page and returns its form token (setting the cookie).
func (f *fixture) csrf(t *testing.T, c *http.Client, page string) string {
	t.Helper()
	_, body := get(t, c, f.ts.URL+page)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	return m[1]
}

type upload struct {
	name string
	data []byte
}

// postForm posts fields and files as multipart/form-data.
func (f *fixture) postForm(t *testing.T, c *http.Client, path string, fields map[string]string, files []upload) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	// The token first, as every form of the portal sends it.
	if v, ok := fields["csrf"]; ok {
		mw.WriteField("csrf", v)
	}
	for k, v := range fields {
		if k != "csrf" {
			mw.WriteField(k, v)
		}
	}
	for _, up := range files {
		fw, _ := mw.CreateFormFile("images", up.name)
		fw.Write(up.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, receiptPath) {
		// POST, redirect, GET: follow to the receipt as a browser does.
		return get(t, c, f.ts.URL+loc)
	}
	return resp, string(b)
}

func baseFields(csrf string) map[string]string {
	return map[string]string{"csrf": csrf, "category": "scam", "urgent": "no",
		"description": "Có người giả làm cô giáo nhắn Zalo đòi chuyển tiền học phí."}
}

var codeRe = regexp.MustCompile(`id="code">([0-9A-Z]{4})-([0-9A-Z]{4})<`)

func receiptCode(t *testing.T, body string) string {
	t.Helper()
	m := codeRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no tracking code on the receipt: %s", body)
	}
	return m[1] + m[2]
}

func TestReportFormIsAccessibleAndExplainsDangerFirst(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	for _, p := range []string{"/bao-cao", "/report"} {
		resp, body := get(t, f.ts.Client(), f.ts.URL+p)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		form := strings.Index(body, "<form id=\"report-form\"")
		police, hotline := strings.Index(body, `href="tel:113"`), strings.Index(body, `href="tel:111"`)
		if form < 0 || police < 0 || police > form || hotline < 0 || hotline > form {
			t.Fatalf("%s: the 113/111 buttons must come before the form", p)
		}
		if regexp.MustCompile(`name="consent"[^>]*checked`).MatchString(body) {
			t.Fatal("consent is pre-ticked")
		}
		if strings.Contains(body, "<script") {
			t.Fatal("public form uses JavaScript")
		}
		// Every text-like field has a label.
		for _, m := range regexp.MustCompile(`<(?:input|textarea|select) type="(?:text|number|date|url|tel|file)" id="([a-z_]+)"|<(?:textarea|select) id="([a-z_]+)"`).FindAllStringSubmatch(body, -1) {
			id := m[1] + m[2]
			if !strings.Contains(body, `for="`+id+`"`) {
				t.Errorf("%s: field %s has no label", p, id)
			}
		}
		for _, want := range []string{"Đe doạ tung ảnh", "Pháp luật cấm lưu giữ", "Điều 24 Nghị định 56/2017"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: missing %q", p, want)
			}
		}
	}
	_, body := get(t, f.ts.Client(), f.ts.URL+"/report?lang=en")
	if !strings.Contains(body, "Is a child in danger right now?") {
		t.Fatal("English form missing")
	}
}

func TestReportSubmitReceiptAndTracking(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	src := store.Source{Name: "Trường THCS Phù Liễn", Kind: "school", Address: "Số 1"}
	if err := f.db.CreateSource(context.Background(), &src); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	_, form := get(t, c, fmt.Sprintf("%s/bao-cao?nguon=%d", f.ts.URL, src.ID))
	if !strings.Contains(form, "Trường THCS Phù Liễn") {
		t.Fatal("source not shown on the form")
	}
	token := csrfRe.FindStringSubmatch(form)[1]
	fields := baseFields(token)
	fields["urgent"] = "yes"
	fields["nguon"] = fmt.Sprint(src.ID)
	fields["child_name"], fields["child_age"], fields["child_school"], fields["child_class"] = "Bé Na", "12", "THCS Phù Liễn", "6A"
	fields["suspect_name"], fields["suspect_url"], fields["suspect_phone"] = "Cô Lan giả", "https://facebook.com/gia.mao", "0901234567"
	fields["links"] = "https://zalo.me/abc\n\nhttps://example.com/chat"
	fields["reporter_name"], fields["reporter_phone"], fields["reporter_relation"], fields["consent"] = "Trần Mẹ", "0912345678", "mẹ", "yes"
	fields["when"] = time.Now().Format("2006-01-02")
	resp, body := f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
	code := receiptCode(t, body)
	h1 := strings.Index(body, "<h1")
	if i := strings.Index(body, `href="tel:113"`); i < 0 || i > h1 || !strings.Contains(body[:h1], "tel:111") {
		t.Fatal("urgent receipt must start with the 113 and 111 buttons")
	}
	got, err := f.cs.GetCaseByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	s := got.Sensitive
	if !got.Urgent || got.Channel != cases.ChannelQR || got.SourceID != src.ID || got.AgeBand != cases.AgeBand11to14 ||
		s.ChildName != "Bé Na" || s.ChildAge != 12 || len(s.EvidenceLinks) != 2 || !s.ReporterConsent ||
		s.ReporterPhone != "0912345678" || got.OccurredAt.IsZero() || got.SuggestedCategory != cases.CategoryScam ||
		got.SuggestedLevel == "" || got.SuggestedReasons == "" {
		t.Fatalf("stored case: %+v", got)
	}
	for _, q := range []string{code, strings.ToLower(code[:4]) + "-" + code[4:]} {
		_, body = get(t, c, f.ts.URL+"/tra-cuu?code="+url.QueryEscape(q))
		if !strings.Contains(body, "Đã tiếp nhận") || strings.Contains(body, "Bé Na") || strings.Contains(body, "giả làm cô giáo") {
			t.Fatalf("tracking %q: %s", q, body)
		}
	}
	_, unknown := get(t, c, f.ts.URL+"/tra-cuu?code=ZZZZ2222")
	_, malformed := get(t, c, f.ts.URL+"/tra-cuu?code=%27%3B+DROP+TABLE+cases%3B--")
	msgOf := func(b string) string {
		i := strings.Index(b, `<p class="warn" role="status">`)
		if i < 0 {
			t.Fatalf("no answer: %s", b)
		}
		return b[i : i+strings.Index(b[i:], "</p>")]
	}
	if msgOf(unknown) != msgOf(malformed) {
		t.Fatal("unknown and malformed codes must get the same answer")
	}
	resp, body = get(t, c, f.ts.URL+"/api/v1/reports/"+code+"/status")
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"Đã tiếp nhận"`) {
		t.Fatalf("api status: %d %s", resp.StatusCode, body)
	}
}

func TestReportEchoesHostileInputEscaped(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	token := f.csrf(t, c, "/bao-cao")
	const xss = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`
	fields := map[string]string{"csrf": token, "category": "scam", "child_age": "99"}
	for _, k := range []string{"description", "where", "child_name", "child_school", "child_class", "suspect_name",
		"suspect_url", "suspect_phone", "links", "reporter_name", "reporter_phone", "reporter_relation", "when"} {
		fields[k] = xss + k
	}
	resp, body := f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 400 {
		t.Fatalf("want the form again (400), got %d", resp.StatusCode)
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Fatal("hostile input echoed unescaped")
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(body, "Tuổi phải là số") {
		t.Fatalf("echo or message missing: %s", body)
	}
	// Now valid except the script in text fields: stored verbatim, shown
	// escaped to staff.
	fields = baseFields(token)
	fields["description"] = xss + ` Robert'); DROP TABLE cases;-- 1' OR '1'='1`
	fields["child_name"] = xss
	resp, body = f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
	got, err := f.cs.GetCaseByCode(context.Background(), receiptCode(t, body))
	if err != nil || got.Sensitive.Description != fields["description"] {
		t.Fatalf("SQL metacharacters not stored verbatim: %v %q", err, got.Sensitive.Description)
	}
	f.signIn(&SessionUser{ID: 7, Name: "Cán bộ", Role: cases.RoleOfficer})
	_, page := get(t, c, fmt.Sprintf("%s/can-bo/ho-so/%d", f.ts.URL, got.ID))
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;") {
		t.Fatal("case page does not escape")
	}
}

func TestReportRefusesInvalidUTF8AndMissingCSRF(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	token := f.csrf(t, c, "/bao-cao")
	fields := baseFields(token)
	fields["description"] = "bị lừa \xff\xfe mất tiền"
	resp, body := f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "UTF-8") {
		t.Fatalf("invalid UTF-8: %d", resp.StatusCode)
	}
	if !strings.Contains(body, "bị lừa \uFFFD mất tiền") {
		t.Fatal("the text is not echoed back for correction")
	}
	fields = baseFields(token)
	delete(fields, "csrf")
	resp, _ = f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("missing CSRF: %d", resp.StatusCode)
	}
	fields["csrf"] = strings.Repeat("x", len(token))
	resp, _ = f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("wrong CSRF: %d", resp.StatusCode)
	}
	if list, _ := f.cs.ListCases(context.Background(), cases.Filter{}); len(list) != 0 {
		t.Fatalf("refused reports were stored: %d", len(list))
	}
}

// testJPEG is a JPEG with an EXIF segment holding marker.
func testJPEG(t testing.TB, marker string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	payload := append([]byte("Exif\x00\x00"), marker...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, b.Bytes()[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, b.Bytes()[2:]...)
}

func pngChunk(typ string, data []byte) []byte {
	var out []byte
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// testPNG is a PNG with a tEXt chunk holding marker after IHDR.
func testPNG(t testing.TB, marker string) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 20, 10))
	img.Set(3, 3, color.NRGBA{0, 0, 255, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	raw := b.Bytes()
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte{}, raw[:ihdrEnd]...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00"+marker))...)
	return append(out, raw[ihdrEnd:]...)
}

// bombPNG claims 60000×60000 pixels in a few bytes.
func bombPNG() []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 60000)
	binary.BigEndian.PutUint32(ihdr[4:], 60000)
	ihdr[8], ihdr[9] = 8, 6
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}

func TestReportImagesAreReencodedAndHostileOnesRefused(t *testing.T) {
	f := newFixture(t, ReportLimits{SubmitBurst: 100})
	c := f.client(t)
	token := f.csrf(t, c, "/bao-cao")
	resp, body := f.postForm(t, c, "/bao-cao", baseFields(token), []upload{
		{"../../../../tmp/evil.jpg", testJPEG(t, "GPSSECRET-HANOI")},
		{`..\..\x.png`, testPNG(t, "PNGSECRET")},
	})
	if resp.StatusCode != 200 || !strings.Contains(body, "Đã lưu 2 ảnh") {
		t.Fatalf("images: %d %s", resp.StatusCode, body)
	}
	got, _ := f.cs.GetCaseByCode(context.Background(), receiptCode(t, body))
	ev, err := f.cs.ListEvidence(context.Background(), got.ID)
	if err != nil || len(ev) != 2 {
		t.Fatalf("evidence: %v %v", ev, err)
	}
	names, _ := os.ReadDir(f.uploads)
	for _, n := range names {
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(n.Name()) {
			t.Errorf("unexpected file in uploads: %q", n.Name())
		}
	}
	if _, err := os.Stat("/tmp/evil.jpg"); err == nil {
		t.Error("upload name used as a path")
	}
	for i, e := range ev {
		_, data, err := f.cs.OpenEvidence(context.Background(), got.ID, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("SECRET")) {
			t.Errorf("image %d kept its metadata", i)
		}
		if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("image %d does not decode: %v", i, err)
		}
	}
	// Staff see them; a school user does not.
	f.signIn(&SessionUser{ID: 7, Name: "Cán bộ", Role: cases.RoleOfficer})
	r2, img := get(t, c, fmt.Sprintf("%s/can-bo/ho-so/%d/anh/%d", f.ts.URL, got.ID, ev[0].ID))
	if r2.StatusCode != 200 || r2.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(img, "\xff\xd8") {
		t.Fatalf("staff image: %d %s", r2.StatusCode, r2.Header.Get("Content-Type"))
	}
	f.signIn(&SessionUser{ID: 9, Role: cases.RoleSchool, OrgID: 3})
	if r3, _ := get(t, c, fmt.Sprintf("%s/can-bo/ho-so/%d/anh/%d", f.ts.URL, got.ID, ev[0].ID)); r3.StatusCode != 404 {
		t.Fatalf("school user got an evidence image: %d", r3.StatusCode)
	}
	f.signIn(nil)

	big := make([]byte, maxImageBytes+10)
	copy(big, testJPEG(t, ""))
	six := make([]upload, 6)
	for i := range six {
		six[i] = upload{"a.png", testPNG(t, "")}
	}
	bad := []struct {
		name  string
		files []upload
		want  string
	}{
		{"fake image", []upload{{"photo.jpg", []byte("<?php system($_GET['c']); ?>")}}, "không phải ảnh JPEG hoặc PNG"},
		{"truncated jpeg", []upload{{"a.jpg", testJPEG(t, "")[:200]}}, "không phải ảnh JPEG hoặc PNG"},
		{"gif", []upload{{"a.gif", []byte("GIF89a\x01\x00\x01\x00")}}, "không phải ảnh JPEG hoặc PNG"},
		{"decompression bomb", []upload{{"bomb.png", bombPNG()}}, "quá 16 triệu điểm ảnh"},
		{"oversized", []upload{{"big.jpg", big}}, "lớn hơn 5 MB"},
		{"too many", six, "Tối đa 5 ảnh"},
	}
	for _, tt := range bad {
		resp, body := f.postForm(t, c, "/bao-cao", baseFields(token), tt.files)
		if resp.StatusCode != 400 || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, message %q missing", tt.name, resp.StatusCode, tt.want)
		}
	}
	if list, _ := f.cs.ListCases(context.Background(), cases.Filter{}); len(list) != 1 {
		t.Fatalf("refused uploads created cases: %d", len(list))
	}
}

// TestReportWhoseImagesFailIsNotKept: the report and its images are one
// write, so a failing image write leaves no report, and the form comes back
// with what was typed (no receipt saying the images were lost).
func TestReportWhoseImagesFailIsNotKept(t *testing.T) {
	f := newFixture(t, ReportLimits{SubmitBurst: 100})
	// The uploads directory becomes a file: every image write fails, as
	// root too.
	if err := os.RemoveAll(f.uploads); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.uploads, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	token := f.csrf(t, c, "/bao-cao")
	fields := baseFields(token)
	resp, body := f.postForm(t, c, "/bao-cao", fields, []upload{{"a.png", testPNG(t, "")}})
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "Chưa lưu được báo cáo") ||
		!strings.Contains(body, html.EscapeString(fields["description"])) || codeRe.MatchString(body) {
		t.Fatalf("failed images: %d\n%s", resp.StatusCode, body)
	}
	if list, _ := f.cs.ListCases(context.Background(), cases.Filter{}); len(list) != 0 {
		t.Fatalf("a report whose images failed was kept: %d cases", len(list))
	}
	// Without images the same report goes through.
	resp, body = f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 200 || receiptCode(t, body) == "" {
		t.Fatalf("report without images: %d", resp.StatusCode)
	}
}

func TestSexualAbuseReportsKeepNoImage(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	token := f.csrf(t, c, "/bao-cao")
	for _, cat := range []string{cases.CategorySextortion, cases.CategorySexualContent} {
		fields := baseFields(token)
		fields["category"], fields["links"] = cat, "https://example.com/bad"
		resp, body := f.postForm(t, c, "/bao-cao", fields, []upload{{"x.jpg", testJPEG(t, "")}})
		if resp.StatusCode != 200 || !strings.Contains(body, "pháp luật cấm lưu giữ hình ảnh") {
			t.Fatalf("%s: %d %s", cat, resp.StatusCode, body)
		}
		got, _ := f.cs.GetCaseByCode(context.Background(), receiptCode(t, body))
		if ev, _ := f.cs.ListEvidence(context.Background(), got.ID); len(ev) != 0 || got.Sensitive.EvidenceLinks[0] != "https://example.com/bad" {
			t.Fatalf("%s: evidence %v links %v", cat, ev, got.Sensitive.EvidenceLinks)
		}
	}
	if names, _ := os.ReadDir(f.uploads); len(names) != 0 {
		t.Fatalf("files written for a sexual-abuse report: %d", len(names))
	}
}

func postJSON(t *testing.T, c *http.Client, u string, body []byte) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := c.Post(u, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp, m
}

func TestAPIReports(t *testing.T) {
	f := newFixture(t, ReportLimits{SubmitBurst: 100})
	u := f.ts.URL + "/api/v1/reports"
	c := f.ts.Client()
	ok := `{"category":"gambling","description":"Con chơi nổ hũ","urgent":true,"where":"TikTok","when":"2026-11-20",
		"child":{"name":"Minh","age":14},"suspect":{"profile_url":"https://tiktok.com/@x"},"links":["https://nohu.example"],
		"reporter":{"anonymous":true,"name":"bị bỏ"},"source":0}`
	resp, m := postJSON(t, c, u, []byte(ok))
	if resp.StatusCode != 201 {
		t.Fatalf("201 expected: %d %v", resp.StatusCode, m)
	}
	code, _ := m["code"].(string)
	got, err := f.cs.GetCaseByCode(context.Background(), code)
	if err != nil || got.Category != "gambling" || got.Channel != cases.ChannelAPI || !got.Urgent || got.Sensitive.ReporterName != "" || got.AgeBand != cases.AgeBand11to14 {
		t.Fatalf("stored: %+v %v", got, err)
	}
	tests := []struct {
		name   string
		body   []byte
		status int
	}{
		{"malformed", []byte(`{"category":`), 400},
		{"not an object", []byte(`[1,2]`), 400},
		{"two values", []byte(`{"category":"scam","description":"a"}{}`), 400},
		{"unknown field", []byte(`{"category":"scam","description":"a","admin":true}`), 400},
		{"wrong type", []byte(`{"category":"scam","description":1}`), 400},
		{"invalid utf8", []byte("{\"category\":\"scam\",\"description\":\"\xff\"}"), 400},
		{"bad category", []byte(`{"category":"x' OR 1=1 --","description":"a"}`), 400},
		{"no description", []byte(`{"category":"scam"}`), 400},
		{"javascript link", []byte(`{"category":"scam","description":"a","links":["javascript:alert(1)"]}`), 400},
		{"bad when", []byte(`{"category":"scam","description":"a","when":"hôm qua"}`), 400},
		{"unknown source", []byte(`{"category":"scam","description":"a","source":999}`), 400},
		{"too large", []byte(`{"category":"scam","description":"` + strings.Repeat("a", maxAPIBody) + `"}`), 413},
	}
	for _, tt := range tests {
		resp, m := postJSON(t, c, u, tt.body)
		if resp.StatusCode != tt.status || (tt.status != 413 && (m["error"] == "" || m["error_vi"] == "")) {
			t.Errorf("%s: %d %v", tt.name, resp.StatusCode, m)
		}
		if resp.StatusCode == 413 && (m["error"] == nil || m["error_vi"] == nil) {
			t.Errorf("%s: bilingual error missing: %v", tt.name, m)
		}
	}
	if list, _ := f.cs.ListCases(context.Background(), cases.Filter{}); len(list) != 1 {
		t.Fatalf("refused API reports were stored: %d", len(list))
	}
	resp, m = postJSON(t, c, u, []byte(`{}`))
	if resp.StatusCode != 400 || m["field"] != "Category" {
		t.Fatalf("empty body: %d %v", resp.StatusCode, m)
	}
	r2, body := get(t, c, f.ts.URL+"/api/v1/reports/"+code+"/status?lang=en")
	if r2.StatusCode != 200 || !strings.Contains(body, `"status":"Received"`) {
		t.Fatalf("status: %d %s", r2.StatusCode, body)
	}
	r2, body = get(t, c, f.ts.URL+"/api/v1/reports/ZZZZ2222/status")
	r3, body3 := get(t, c, f.ts.URL+"/api/v1/reports/nonsense/status")
	if r2.StatusCode != 404 || r3.StatusCode != 404 || body != body3 {
		t.Fatalf("unknown codes: %d %s / %d %s", r2.StatusCode, body, r3.StatusCode, body3)
	}
}

// TestFloodIsLimitedAndNothingAcceptedIsLost floods the API from one
// address: some get 429 with Retry-After, and every 201 is in the store.
func TestFloodIsLimitedAndNothingAcceptedIsLost(t *testing.T) {
	f := newFixture(t, ReportLimits{SubmitBurst: 8, SubmitEvery: time.Hour})
	var mu sync.Mutex
	var codes []string
	limited := 0
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"category":"bullying","description":"tin nhắn số %d"}`, i)
			resp, err := f.ts.Client().Post(f.ts.URL+"/api/v1/reports", "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var m map[string]string
			json.NewDecoder(resp.Body).Decode(&m)
			mu.Lock()
			defer mu.Unlock()
			switch resp.StatusCode {
			case 201:
				codes = append(codes, m["code"])
			case 429:
				if resp.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				limited++
			default:
				t.Errorf("status %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if len(codes) != 8 || limited != 32 {
		t.Fatalf("accepted %d, limited %d", len(codes), limited)
	}
	for _, code := range codes {
		if _, err := f.cs.GetCaseByCode(context.Background(), code); err != nil {
			t.Fatalf("accepted report %s lost: %v", code, err)
		}
	}
	list, _ := f.cs.ListCases(context.Background(), cases.Filter{})
	if len(list) != 8 {
		t.Fatalf("store holds %d reports, 8 were accepted", len(list))
	}
	// The form shares the bucket and answers 429 too.
	c := f.client(t)
	resp, _ := f.postForm(t, c, "/bao-cao", baseFields(f.csrf(t, c, "/bao-cao")), nil)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("form after flood: %d", resp.StatusCode)
	}
}

func TestTrackingIsRateLimited(t *testing.T) {
	f := newFixture(t, ReportLimits{LookupBurst: 3, LookupEvery: time.Hour})
	for i := range 3 {
		if resp, _ := get(t, f.ts.Client(), f.ts.URL+"/tra-cuu?code=ABCD234"+fmt.Sprint(i+2)); resp.StatusCode != 200 {
			t.Fatalf("look-up %d: %d", i, resp.StatusCode)
		}
	}
	resp, _ := get(t, f.ts.Client(), f.ts.URL+"/tra-cuu?code=ABCD2345")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth look-up: %d", resp.StatusCode)
	}
	if resp, _ := get(t, f.ts.Client(), f.ts.URL+"/tra-cuu"); resp.StatusCode != 200 {
		t.Fatal("the empty form must not spend the budget")
	}
}

func TestRateLimiterRefillsAndKeysIPv6By64(t *testing.T) {
	l := newRateLimiter(2, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	a := mustAddr("2001:db8:1:2::5")
	b := mustAddr("2001:db8:1:2:ffff::9") // same /64
	if ok, _ := l.allow(a); !ok {
		t.Fatal("first")
	}
	if ok, _ := l.allow(b); !ok {
		t.Fatal("second")
	}
	ok, wait := l.allow(a)
	if ok || wait != time.Minute {
		t.Fatalf("third: %v %v", ok, wait)
	}
	if ok, _ := l.allow(mustAddr("2001:db8:1:3::5")); !ok {
		t.Fatal("another /64 must have its own bucket")
	}
	now = now.Add(30 * time.Second)
	if ok, wait := l.allow(a); ok || wait != 30*time.Second {
		t.Fatalf("half refilled: %v %v", ok, wait)
	}
	now = now.Add(30 * time.Second)
	if ok, _ := l.allow(a); !ok {
		t.Fatal("refilled")
	}
	l.max = 4
	for i := range 10 {
		l.allow(mustAddr(fmt.Sprintf("10.0.0.%d", i)))
	}
	if len(l.buckets) > 4 {
		t.Fatalf("table not bounded: %d", len(l.buckets))
	}
}

func TestStaffPagesNeedASignedInUser(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	for _, p := range []string{"/can-bo/ho-so", "/can-bo/ho-so/1", "/can-bo/bao-cao-moi", "/can-bo/nguon", "/can-bo/nguon/1/poster.pdf", "/can-bo/ho-so/1/anh/1"} {
		resp, _ := get(t, c, f.ts.URL+p)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/dang-nhap") {
			t.Errorf("%s without user: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	token := f.csrf(t, c, "/bao-cao")
	for _, p := range []string{"/can-bo/bao-cao-moi", "/can-bo/nguon", "/can-bo/ho-so/1/assess"} {
		resp, _ := f.postForm(t, c, p, map[string]string{"csrf": token}, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s without user: %d", p, resp.StatusCode)
		}
	}
	f.signIn(&SessionUser{ID: 3, Role: cases.RoleViewer, Name: "Xem"})
	if resp, _ := get(t, c, f.ts.URL+"/can-bo/ho-so"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer on the case list: %d", resp.StatusCode)
	}
	if resp, _ := get(t, c, f.ts.URL+"/can-bo/nguon"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer on sources: %d", resp.StatusCode)
	}
}

func TestStaffEntryAndWorkflow(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	officer := &SessionUser{ID: 7, Name: "Nguyễn Cán Bộ", Role: cases.RoleOfficer}
	f.signIn(officer)
	token := f.csrf(t, c, "/can-bo/bao-cao-moi")
	fields := baseFields(token)
	fields["channel"], fields["child_name"], fields["parents_info"] = cases.ChannelHotline111, "Bé Tý", "Bố: Nguyễn A, 40 tuổi"
	resp, body := f.postForm(t, c, "/can-bo/bao-cao-moi", fields, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff entry: %d %s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	var id int64
	fmt.Sscanf(loc, "/can-bo/ho-so/%d", &id)
	got, err := f.cs.GetCase(context.Background(), id)
	if err != nil || got.Channel != cases.ChannelHotline111 || got.Sensitive.ParentsInfo == "" || got.Steps[0].ActorID != 7 {
		t.Fatalf("staff case: %+v %v", got, err)
	}
	fields["channel"] = cases.ChannelWeb // the public channel is not for staff entry
	if resp, _ := f.postForm(t, c, "/can-bo/bao-cao-moi", fields, nil); resp.StatusCode != 400 {
		t.Fatalf("staff entry with channel web: %d", resp.StatusCode)
	}
	_, list := get(t, c, f.ts.URL+"/can-bo/ho-so")
	if !strings.Contains(list, fmt.Sprintf("/can-bo/ho-so/%d", id)) || strings.Contains(list, "Bé Tý") {
		t.Fatal("list must link the case and show no sensitive content")
	}
	resp, page := get(t, c, f.ts.URL+loc)
	if !strings.Contains(page, "Bé Tý") || !strings.Contains(page, `action="/can-bo/ho-so/`+fmt.Sprint(id)+`/assess"`) {
		t.Fatalf("case page: %s", page)
	}
	resp, _ = f.postForm(t, c, loc+"/assess", map[string]string{"csrf": token, "risk_level": "high", "emergency": "yes", "notes": "nguy cơ"}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assess: %d", resp.StatusCode)
	}
	resp, body = f.postForm(t, c, loc+"/approve_plan", map[string]string{"csrf": token}, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("officer approving: %d", resp.StatusCode)
	}
	resp, body = f.postForm(t, c, loc+"/close", map[string]string{"csrf": token, "note": "x"}, nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Không thể thực hiện") {
		t.Fatalf("close from assessed with risk: %d", resp.StatusCode)
	}
	resp, body = f.postForm(t, c, loc+"/refer", map[string]string{"csrf": token, "org_id": "1"}, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "Chưa ghi nhận sự đồng ý") {
		t.Fatalf("referral without consent nor reason: %d", resp.StatusCode)
	}
	resp, _ = f.postForm(t, c, loc+"/refer", map[string]string{"csrf": token, "org_id": "1", "consent": "yes"}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("referral with consent: %d", resp.StatusCode)
	}
	got, _ = f.cs.GetCase(context.Background(), id)
	if got.Status != cases.StatusAssessed || got.RiskLevel != "high" || len(got.Referrals) != 1 {
		t.Fatalf("after steps: %+v", got)
	}
	f.audit.mu.Lock()
	views := 0
	for _, a := range f.audit.audits {
		if strings.HasPrefix(a, "case.view:7:") {
			views++
		}
	}
	f.audit.mu.Unlock()
	if views == 0 {
		t.Fatal("views of the case were not recorded")
	}
	if resp, _ := get(t, c, f.ts.URL+"/can-bo/ho-so/999999"); resp.StatusCode != 404 {
		t.Fatalf("missing case: %d", resp.StatusCode)
	}
	// The police unit the case was referred to sees it, without the
	// reporter's identity unless consented, and accepts the referral.
	f.signIn(&SessionUser{ID: 30, Name: "Công an phường", Role: cases.RolePolice, OrgID: 1})
	resp, page = get(t, c, f.ts.URL+loc)
	if resp.StatusCode != 200 || !strings.Contains(page, `name="referral_id"`) {
		t.Fatalf("police page: %d", resp.StatusCode)
	}
	resp, _ = f.postForm(t, c, loc+"/referral_update", map[string]string{"csrf": token, "referral_id": fmt.Sprint(got.Referrals[0].ID), "status": "accepted"}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("police accepting: %d", resp.StatusCode)
	}
	if got, _ = f.cs.GetCase(context.Background(), id); got.Referrals[0].Status != cases.ReferralAccepted {
		t.Fatalf("referral: %+v", got.Referrals[0])
	}
	// A school user outside the referral's scope sees nothing.
	f.signIn(&SessionUser{ID: 20, Role: cases.RoleSchool, OrgID: 5})
	if resp, _ := get(t, c, f.ts.URL+loc); resp.StatusCode != 404 {
		t.Fatalf("school out of scope: %d", resp.StatusCode)
	}
}

func TestPosterPDF(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	f.signIn(&SessionUser{ID: 2, Name: "Quản trị", Role: cases.RoleWardAdmin})
	token := f.csrf(t, c, "/can-bo/nguon")
	resp, body := f.postForm(t, c, "/can-bo/nguon", map[string]string{"csrf": token, "name": "<b>Trường</b>", "kind": "nope"}, nil)
	if resp.StatusCode != 400 || strings.Contains(body, "<b>Trường") {
		t.Fatalf("bad source: %d", resp.StatusCode)
	}
	resp, _ = f.postForm(t, c, "/can-bo/nguon", map[string]string{"csrf": token, "name": "Nhà văn hoá tổ dân phố số 3", "kind": "cultural_house", "address": "Ngõ 12 Phù Liễn"}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create source: %d", resp.StatusCode)
	}
	srcs, _ := f.db.ListSources(context.Background())
	if len(srcs) != 1 {
		t.Fatalf("sources: %v", srcs)
	}
	resp, pdf := get(t, c, fmt.Sprintf("%s/can-bo/nguon/%d/poster.pdf", f.ts.URL, srcs[0].ID))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("poster: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed: PDF text not checked")
	}
	path := filepath.Join(t.TempDir(), "p.pdf")
	os.WriteFile(path, []byte(pdf), 0o600)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Gọi 111", "PHƯỜNG PHÙ LIỄN", "Nhà văn hoá tổ dân phố số 3 – Ngõ 12 Phù Liễn",
		fmt.Sprintf("https://manglanh.example.vn/bao-cao?nguon=%d", srcs[0].ID), "Trẻ em bị lừa đảo, dụ dỗ, đe doạ"} {
		if !strings.Contains(text, want) {
			t.Errorf("poster text lacks %q:\n%s", want, text)
		}
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
