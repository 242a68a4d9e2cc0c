package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"manglanh/internal/cases"
)

// countCases is the number of cases the ward holds.
func (f *fixture) countCases(t *testing.T) int {
	t.Helper()
	list, err := f.svc.List(context.Background(), cases.Actor{UserID: 1, Role: cases.RoleWardAdmin}, cases.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

var keyRe = regexp.MustCompile(`name="key" value="([^"]+)"`)

// postRaw posts fields as multipart without following the redirect.
func (f *fixture) postRaw(t *testing.T, c *http.Client, path string, fields map[string]string) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestReceiptIsAGetPageAndRefreshingMakesNoSecondCase(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	_, form := get(t, c, f.ts.URL+"/bao-cao")
	key := keyRe.FindStringSubmatch(form)
	if key == nil || len(key[1]) < cases.MinSubmissionKey {
		t.Fatal("the form carries no submission key")
	}
	fields := baseFields(csrfRe.FindStringSubmatch(form)[1])
	fields["key"] = key[1]
	resp := f.postRaw(t, c, "/bao-cao", fields)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != receiptPath+"#ket-qua" {
		t.Fatalf("submit: %d %q, want 303 to the receipt", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, first := get(t, c, f.ts.URL+receiptPath)
	_, again := get(t, c, f.ts.URL+receiptPath) // the refresh
	code := receiptCode(t, first)
	if receiptCode(t, again) != code || f.countCases(t) != 1 {
		t.Fatalf("refresh: code %s then %s, %d cases", code, receiptCode(t, again), f.countCases(t))
	}
	// Someone who gets the URL later (another browser) sees no code.
	other := f.client(t)
	if _, body := get(t, other, f.ts.URL+receiptPath); codeRe.MatchString(body) || !strings.Contains(body, "Không còn hiển thị biên nhận") {
		t.Fatalf("the receipt shows to another browser:\n%s", body)
	}
	// A forged or tampered cookie shows nothing either.
	u, _ := url.Parse(f.ts.URL + receiptPath)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == receiptCookie {
			forged := f.client(t)
			forged.Jar.SetCookies(u, []*http.Cookie{{Name: receiptCookie, Value: ck.Value[:len(ck.Value)-2] + "AA", Path: receiptPath}})
			if _, body := get(t, forged, f.ts.URL+receiptPath); codeRe.MatchString(body) {
				t.Fatal("a tampered receipt cookie shows a code")
			}
		}
	}
}

func TestRetriedFormSubmissionsMakeOneCase(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	_, form := get(t, c, f.ts.URL+"/bao-cao")
	fields := baseFields(csrfRe.FindStringSubmatch(form)[1])
	fields["key"] = keyRe.FindStringSubmatch(form)[1]
	fields["urgent"] = "yes"
	// A double tap and retries: five identical posts at once.
	const n = 5
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, body := f.postForm(t, c, "/bao-cao", fields, nil)
			if resp.StatusCode == 200 {
				if m := codeRe.FindStringSubmatch(body); m != nil {
					codes[i] = m[1] + m[2]
				}
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if codes[i] == "" || codes[i] != codes[0] {
			t.Fatalf("receipts: %v, want one code on every one", codes)
		}
	}
	if got := f.countCases(t); got != 1 {
		t.Fatalf("%d cases from one form", got)
	}
	// Back, edit, send with the same key: refused, with a fresh key to send
	// it as a new report on purpose.
	fields["description"] += " Thêm: nó còn gọi điện."
	resp, body := f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "đã được gửi trước đó") ||
		strings.Contains(body, `value="`+fields["key"]+`"`) || !strings.Contains(body, "Thêm: nó còn gọi điện.") {
		t.Fatalf("reused key: %d\n%s", resp.StatusCode, body)
	}
	if got := f.countCases(t); got != 1 {
		t.Fatalf("%d cases after a reused key", got)
	}
	fields["key"] = keyRe.FindStringSubmatch(body)[1]
	if resp, body := f.postForm(t, c, "/bao-cao", fields, nil); resp.StatusCode != 200 || receiptCode(t, body) == codes[0] {
		t.Fatalf("new report with the fresh key: %d", resp.StatusCode)
	}
	if got := f.countCases(t); got != 2 {
		t.Fatalf("%d cases, want 2", got)
	}
}

func TestAPIIdempotencyKey(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	body := `{"category":"scam","description":"Có người giả danh công an gọi video đòi tiền."}`
	post := func(key, b string) (int, string, http.Header) {
		req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/reports", strings.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out), resp.Header
	}
	const key = "retry-7f3a9c1e2b4d"
	const n = 6
	type answer struct {
		status int
		body   string
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, b, _ := post(key, body)
			answers[i] = answer{st, b}
		}()
	}
	wg.Wait()
	created := 0
	for _, a := range answers {
		switch a.status {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Fatalf("answer %d %s", a.status, a.body)
		}
		if a.body != answers[0].body || !strings.Contains(a.body, `"code"`) {
			t.Fatalf("answers differ: %q and %q", a.body, answers[0].body)
		}
	}
	if created != 1 || f.countCases(t) != 1 {
		t.Fatalf("%d answers 201, %d cases; want 1 and 1", created, f.countCases(t))
	}
	if _, _, h := post(key, body); h.Get("Idempotent-Replayed") != "true" {
		t.Error("a replay is not marked")
	}
	if st, b, _ := post(key, strings.Replace(body, "scam", "bullying", 1)); st != http.StatusUnprocessableEntity || !strings.Contains(b, "error_vi") {
		t.Fatalf("same key, other body: %d %s", st, b)
	}
	if st, b, _ := post("short", body); st != http.StatusBadRequest || !strings.Contains(b, `"field":"Idempotency-Key"`) {
		t.Fatalf("short key: %d %s", st, b)
	}
	if st, _, _ := post("", body); st != http.StatusCreated || f.countCases(t) != 2 {
		t.Fatalf("no key: %d, %d cases", st, f.countCases(t))
	}
}

func TestLanguageSwitchKeepsTheFormAndThePage(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	_, page := get(t, c, f.ts.URL+"/tra-cuu?code=ABCD-2345")
	link := regexp.MustCompile(`href="(/lang/en\?[^"]*)"`).FindStringSubmatch(page)
	if link == nil {
		t.Fatal("no language link")
	}
	lu, err := url.Parse(html.UnescapeString(link[1]))
	if err != nil || lu.Query().Get("next") != "/tra-cuu?code=ABCD-2345" {
		t.Fatalf("language link %q: next is not the page, encoded once", link[1])
	}
	resp, _ := get(t, c, f.ts.URL+"/lang/en?next=/tra-cuu?code=ABCD-2345")
	if loc := resp.Header.Get("Location"); loc != "/tra-cuu?code=ABCD-2345" {
		t.Fatalf("back to %q", loc)
	}
	get(t, c, f.ts.URL+"/lang/vi?next=/")
	_, form := get(t, c, f.ts.URL+"/bao-cao")
	if !strings.Contains(form, `form="report-form" name="doi_ngon_ngu" value="en" formnovalidate`) {
		t.Fatal("the switch on the form page is not a button of the form")
	}
	fields := baseFields(csrfRe.FindStringSubmatch(form)[1])
	fields["key"] = keyRe.FindStringSubmatch(form)[1]
	fields["child_name"], fields["anonymous"] = "Bé Na", "yes"
	fields["doi_ngon_ngu"] = "en"
	resp, body := f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Send the report") {
		t.Fatalf("switch: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"giả làm cô giáo", `value="Bé Na"`, `value="scam" checked`, `name="anonymous" value="yes" checked`, `value="` + fields["key"] + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("switched form lost %q", want)
		}
	}
	if f.countCases(t) != 0 {
		t.Fatal("the language switch sent the report")
	}
	if _, body := get(t, c, f.ts.URL+"/tra-cuu"); !strings.Contains(body, `<html lang="en">`) {
		t.Error("the switch did not stick")
	}
}

func TestReportErrorsStandBesideTheirFields(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	_, form := get(t, c, f.ts.URL+"/bao-cao")
	fields := map[string]string{"csrf": csrfRe.FindStringSubmatch(form)[1], "key": keyRe.FindStringSubmatch(form)[1],
		"description": "  ", "child_age": "40", "child_school": "THCS Phù Liễn", "suspect_phone": "abc"}
	resp, body := f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 400 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// Every problem at once, each beside its field, the first focused,
	// a summary linking to them, and nothing typed lost.
	for _, id := range []string{"cat-scam", "description", "child_age"} {
		if !strings.Contains(body, `id="`+id+`-err"`) || !strings.Contains(body, `href="#`+id+`"`) {
			t.Errorf("no message beside or link to %s", id)
		}
	}
	if n := strings.Count(body, " autofocus"); n != 1 || !regexp.MustCompile(`id="cat-scam"[^>]*aria-invalid="true"[^>]*autofocus`).MatchString(body) {
		t.Errorf("%d autofocus, want one on the first invalid field", n)
	}
	if !strings.Contains(body, `value="THCS Phù Liễn"`) || !strings.Contains(body, `value="40"`) {
		t.Error("typed values lost")
	}
	if !regexp.MustCompile(`<details class="step" id="buoc-2" open>`).MatchString(body) {
		t.Error("the step holding an error is folded")
	}
	// Only the service finds a bad phone: it too stands beside its field.
	fields = baseFields(fields["csrf"])
	fields["suspect_phone"] = "gọi cho tôi"
	resp, body = f.postForm(t, c, "/bao-cao", fields, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, `id="suspect_phone-err"`) ||
		!regexp.MustCompile(`id="suspect_phone"[^>]*autofocus`).MatchString(body) {
		t.Fatalf("service error: %d", resp.StatusCode)
	}
}

func TestPublicPagesHeadAndLandmarks(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	for _, p := range []string{"/", "/bao-cao", "/tra-cuu", "/cai-dat", receiptPath} {
		_, body := get(t, f.client(t), f.ts.URL+p)
		head := body[:strings.Index(body, "</head>")]
		if strings.Count(body, `rel="stylesheet"`) != strings.Count(head, `rel="stylesheet"`) {
			t.Errorf("%s: a stylesheet outside <head>", p)
		}
		if m := regexp.MustCompile(`<meta name="description" content="([^"]{40,})">`).FindStringSubmatch(head); m == nil {
			t.Errorf("%s: no meta description", p)
		}
		if !strings.Contains(head, `rel="icon"`) {
			t.Errorf("%s: no icon", p)
		}
		if !regexp.MustCompile(`<aside class="hotline" aria-label="[^"]+"><a class="call" href="tel:111"`).MatchString(body) {
			t.Errorf("%s: the hotline banner is not a landmark", p)
		}
	}
	for _, p := range []string{"/favicon.ico", "/favicon.svg"} {
		resp, body := get(t, f.client(t), f.ts.URL+p)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "max-age=") || !strings.HasPrefix(body, "<svg") {
			t.Errorf("%s: %d %v", p, resp.StatusCode, resp.Header)
		}
	}
}

func TestGzipForTextOnly(t *testing.T) {
	png := testPNG(t, "x")
	h := gzipResponses(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		case "/empty":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, strings.Repeat("<p>Mạng Lành</p>", 200))
		}
	}))
	for _, tt := range []struct {
		path, accept string
		gzipped      bool
		vary         bool
	}{
		{"/", "gzip, deflate, br", true, true},
		{"/", "br;q=1, gzip;q=0.5", true, true},
		{"/", "gzip;q=0", false, true},
		{"/", "", false, true},
		{"/", "*", true, true},
		{"/png", "gzip", false, false},
		{"/empty", "gzip", false, true},
	} {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get("Content-Encoding") == "gzip"
			if got != tt.gzipped || (rec.Header().Get("Vary") == "Accept-Encoding") != tt.vary {
				t.Fatalf("gzip %v vary %q, want gzip %v vary %v", got, rec.Header().Get("Vary"), tt.gzipped, tt.vary)
			}
			body := rec.Body.Bytes()
			if got {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			switch tt.path {
			case "/png":
				if !bytes.Equal(body, png) {
					t.Fatal("image changed")
				}
			case "/":
				if !strings.HasPrefix(string(body), "<p>Mạng Lành</p>") || len(body) != 200*len("<p>Mạng Lành</p>") {
					t.Fatalf("body %d bytes", len(body))
				}
			}
		})
	}
}

func TestSetupShowsOnlyWhatWorks(t *testing.T) {
	for _, tt := range []struct {
		name          string
		cfg           Config
		want, notWant []string
	}{
		{"port 5353", Config{DNSAddress: "0.0.0.0:5353"},
			[]string{"chỉ dùng được cổng 53", "dns.listen"}, []string{"Định cấu hình DNS", "DNS riêng tư →", "dns-query"}},
		{"loopback", Config{DNSAddress: "127.0.0.1:53"},
			[]string{"chỉ trả lời trên chính máy"}, []string{"Định cấu hình DNS"}},
		{"off", Config{},
			[]string{"chưa bật máy chủ DNS"}, []string{"Định cấu hình DNS"}},
		{"every address", Config{DNSAddress: "0.0.0.0:53"},
			[]string{"Định cấu hình DNS", "hỏi cán bộ phường"}, []string{"DNS riêng tư → Tên", "dns-query", "dns.listen"}},
		{"DoT only", Config{DNSAddress: "10.0.0.5:53", ProfileDomain: "dns.phuong.vn", DoTListen: ":853"},
			[]string{`<strong class="addr">10.0.0.5</strong>`, "be-an.dns.phuong.vn"}, []string{"dns-query", "/cai-dat/ios", "10.0.0.5:53"}},
		{"DoH on 8443", Config{DNSAddress: "10.0.0.5:53", ProfileDomain: "dns.phuong.vn", DoHListen: ":8443"},
			[]string{"https://dns.phuong.vn:8443/dns-query/be-an", "/cai-dat/ios"}, []string{"be-an.dns.phuong.vn</code>"}},
		{"domain but nothing on", Config{DNSAddress: "10.0.0.5:53", ProfileDomain: "dns.phuong.vn"},
			nil, []string{"dns.phuong.vn"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, tt.cfg)
			_, body := get(t, ts.Client(), ts.URL+"/cai-dat")
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("shows %q", w)
				}
			}
		})
	}
}
