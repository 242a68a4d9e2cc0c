package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/store"
)

// shopFixture is a portal with the programme service on a real SQLite
// store and a switchable signed-in user.
type shopFixture struct {
	ts   *httptest.Server
	db   *store.Store
	svc  *program.Service
	user *SessionUser
	c    *http.Client
}

func newShopFixture(t *testing.T) *shopFixture {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &shopFixture{db: db, user: &SessionUser{ID: 1, Name: "Cán bộ", Role: "officer"}}
	if f.svc, err = program.New(program.Options{Store: db, Location: cases.DefaultLocation()}); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Ward: Ward{Name: "Phường Phù Liễn"}, Program: f.svc, Location: cases.DefaultLocation()})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	f.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(withUser(r.Context(), f.user)))
	}))
	t.Cleanup(f.ts.Close)
	jar, _ := cookiejar.New(nil)
	f.c = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return f
}

func (f *shopFixture) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, err := f.c.Get(f.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (f *shopFixture) post(t *testing.T, page, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	_, body := f.get(t, page)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	form.Set("csrf", m[1])
	resp, err := f.c.PostForm(f.ts.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestShopPages(t *testing.T) {
	f := newShopFixture(t)
	hostile := `=HYPERLINK("http://evil.example","x")<script>alert(1)</script>`
	resp, _ := f.post(t, "/can-bo/co-so/moi", "/can-bo/co-so/moi", url.Values{"kind": {"game"}, "name": {hostile}, "address": {"Số 3 Lê Lợi"},
		"opens": {"07:00"}, "closes": {"23:00"}, "machines": {"12"}, "active": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/can-bo/co-so/1?ok=created#co-so" {
		t.Fatalf("create: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, b := f.get(t, "/can-bo/co-so/1?ok=created")
	if strings.Contains(b, "<script>alert") || !strings.Contains(pageText([]byte(b)), hostile) || !strings.Contains(b, T("vi", "shop.ok.created")) {
		t.Error("the hostile name is not shown as escaped text, or the creation is not confirmed")
	}
	if !strings.Contains(b, T("vi", "shop.out_of_hours")) || !strings.Contains(b, T("vi", "shop.cert.missing")) {
		t.Error("a game shop open 07:00–23:00 without certificate is not flagged")
	}
	// A control character: refused beside the field, with the focus.
	resp, b = f.post(t, "/can-bo/co-so/moi", "/can-bo/co-so/moi", url.Values{"kind": {"game"}, "name": {"Quán\x07"}, "address": {"x"}})
	if resp.StatusCode != http.StatusBadRequest || !regexp.MustCompile(`id="name-err">[^<]+</p>\s*<input type="text" id="name"[^>]*aria-invalid="true"[^>]*autofocus`).MatchString(b) {
		t.Errorf("control character: %d, error not beside the name", resp.StatusCode)
	}
	// One valid and one empty-article row with a description: nothing saved.
	form := url.Values{"date": {"2026-07-20"}, "team": {"Công an phường"}, "rows": {"3"},
		"v0_article": {"174-game-hours"}, "v0_description": {"Mở đến 23:00"}, "v1_description": {"thiếu điều khoản"}}
	resp, b = f.post(t, "/can-bo/co-so/1", "/can-bo/co-so/1/kiem-tra", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(b, `id="v1_article-err"`) {
		t.Fatalf("invalid row: %d", resp.StatusCode)
	}
	if ins, _ := f.db.InspectionsUpTo(context.Background(), 1, farDate()); len(ins) != 0 {
		t.Fatalf("half-saved: %d inspections", len(ins))
	}
	// "Thêm dòng" keeps what was typed and adds two rows, saving nothing.
	resp, b = f.post(t, "/can-bo/co-so/1", "/can-bo/co-so/1/kiem-tra", url.Values{"date": {"2026-07-20"}, "team": {"Đoàn"}, "rows": {"3"}, "more": {"1"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(b, `name="v4_article"`) || !strings.Contains(b, `value="Đoàn"`) {
		t.Errorf("more rows: %d", resp.StatusCode)
	}
	form.Set("v1_article", "174-game-rules-not-posted")
	resp, _ = f.post(t, "/can-bo/co-so/1", "/can-bo/co-so/1/kiem-tra", form)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=inspected&n=2") {
		t.Fatalf("inspection: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	ins, _ := f.db.InspectionsUpTo(context.Background(), 1, farDate())
	if len(ins) != 1 || len(ins[0].Violations) != 2 {
		t.Fatalf("stored: %+v", ins)
	}
	v := ins[0].Violations[0]
	act := "/can-bo/kiem-tra/1/vi-pham/" + itoa64(v.ID) + "/xu-ly"
	resp, b = f.post(t, "/can-bo/co-so/1", act, url.Values{"kind": {"fine"}, "date": {"2026-07-20"}, "fine": {"2.000.000"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(pageText([]byte(b)), T("vi", "shop.err.fine_range")) {
		t.Errorf("a fine below the range: %d", resp.StatusCode)
	}
	resp, _ = f.post(t, "/can-bo/co-so/1", act, url.Values{"kind": {"fine"}, "date": {"2026-07-20"}, "fine": {"12.000.000"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fine: %d", resp.StatusCode)
	}
	_, b = f.get(t, "/can-bo/kiem-tra?from=01/07/2026&to=31/07/2026&handled=no")
	if !strings.Contains(b, T("vi", "shop.ins.count", 1, 1)) {
		t.Errorf("filtered list does not count 1 inspection with 1 unhandled violation")
	}
	_, csv := f.get(t, "/can-bo/co-so.csv")
	if !strings.Contains(csv, `'=HYPERLINK`) {
		t.Errorf("CSV injection: %s", csv)
	}
	// Another ward's officer: 404 on the shop and its inspection form.
	f.user = &SessionUser{ID: 2, Name: "Phường khác", Role: "officer", TenantID: 2}
	if resp, _ := f.get(t, "/can-bo/co-so/1"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another ward's shop: %d", resp.StatusCode)
	}
	if resp, _ := f.post(t, "/can-bo/co-so", "/can-bo/co-so/1/kiem-tra", form); resp.StatusCode != http.StatusNotFound {
		t.Errorf("inspecting another ward's shop: %d", resp.StatusCode)
	}
	// A viewer reads but may not write.
	f.user = &SessionUser{ID: 3, Name: "Xem", Role: "viewer"}
	if resp, _ := f.get(t, "/can-bo/co-so/1"); resp.StatusCode != http.StatusOK {
		t.Errorf("viewer reading: %d", resp.StatusCode)
	}
	if resp, _ := f.post(t, "/can-bo/co-so", "/can-bo/co-so/1/kiem-tra", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer writing: %d", resp.StatusCode)
	}
}

func farDate() time.Time { return time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) }
