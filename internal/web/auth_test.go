package web

import (
	"context"
	"encoding/base32"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
	"manglanh/internal/store"
)

type authEnv struct {
	ts    *httptest.Server
	auth  *auth.Service
	store *store.Store
	mu    sync.Mutex
	now   time.Time
}

func (e *authEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *authEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

func newAuthEnv(t *testing.T, secure bool) *authEnv {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &authEnv{store: st, now: time.Now()}
	log, err := audit.New(audit.Config{Store: st, Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.auth, err = auth.NewService(auth.Config{Store: st, Audit: log, Clock: e.clock,
		Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Auth: e.auth, SecureCookies: secure, Ward: Ward{Name: "Phường Thử"}})
	if err != nil {
		t.Fatal(err)
	}
	// A secure deployment is served over HTTPS, as its cookies need.
	if secure {
		e.ts = httptest.NewTLSServer(srv.Handler())
	} else {
		e.ts = httptest.NewServer(srv.Handler())
	}
	t.Cleanup(e.ts.Close)
	return e
}

func (e *authEnv) addUser(t *testing.T, email string, role auth.Role) *auth.User {
	t.Helper()
	u, err := e.auth.AddUser(context.Background(), auth.SystemActor, auth.NewUser{Email: email, Name: "Người " + string(role),
		Role: role, Password: "mat khau du dai"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t *testing.T
	c *http.Client
	e *authEnv
}

func (e *authEnv) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, c: &http.Client{Jar: jar, Transport: e.ts.Client().Transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.e.ts.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post sends a form from page (read first for its CSRF token).
func (b *browser) post(page, action string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	_, body := b.get(page)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s: %s", page, body)
	}
	form.Set("csrf", m[1])
	return b.postRaw(action, form)
}

func (b *browser) postRaw(action string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.e.ts.URL+action, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func wantRedirect(t *testing.T, resp *http.Response, loc string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != loc {
		t.Fatalf("got %d → %q, want 303 → %q", resp.StatusCode, resp.Header.Get("Location"), loc)
	}
}

// secretText finds the key on the enrolment page: groups of four, each an
// unbreakable span; enrolKey takes the spans away.
var secretText = regexp.MustCompile(`id="totp-key"><code>((?:<span class="nowrap">[A-Z2-7]{1,4}</span> ?){5,})</code>`)

func enrolKey(m []string) string {
	return regexp.MustCompile(`</?span[^>]*>`).ReplaceAllString(m[1], "")
}

// code computes the current TOTP code from a base32 secret.
func (e *authEnv) code(t *testing.T, secret string) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(secret, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return auth.HOTP(key, auth.TOTPStep(e.clock()), auth.TOTPDigits)
}

func (b *browser) login(email string) *http.Response {
	b.t.Helper()
	resp, _ := b.post("/dang-nhap", "/dang-nhap", url.Values{"email": {email}, "password": {"mat khau du dai"}})
	return resp
}

func TestLoginFlowPasswordEnrolTOTPStaff(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "canbo@phuong.vn", auth.RoleOfficer)
	b := e.browser(t)

	resp, _ := b.get("/can-bo")
	wantRedirect(t, resp, "/dang-nhap?next=%2Fcan-bo")

	wantRedirect(t, b.login("canbo@phuong.vn"), "/dang-nhap/cai-ma")
	// Halfway through, nothing else is reachable.
	resp, _ = b.get("/can-bo")
	wantRedirect(t, resp, "/dang-nhap/cai-ma?next=%2Fcan-bo")
	resp, _ = b.get("/dang-nhap")
	wantRedirect(t, resp, "/dang-nhap/cai-ma")

	resp, body := b.get("/dang-nhap/cai-ma")
	m := secretText.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, "otpauth://totp/") {
		t.Fatalf("enrol page %d: %s", resp.StatusCode, body)
	}
	secret := enrolKey(m)
	resp, body = b.post("/dang-nhap/cai-ma", "/dang-nhap/cai-ma", url.Values{"code": {"000000"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Mã không đúng") {
		t.Fatalf("wrong enrolment code: %d", resp.StatusCode)
	}
	resp, _ = b.post("/dang-nhap/cai-ma", "/dang-nhap/cai-ma", url.Values{"code": {e.code(t, secret)}})
	wantRedirect(t, resp, "/can-bo")
	resp, body = b.get("/can-bo")
	if resp.StatusCode != 200 || !strings.Contains(body, "Người officer") || !strings.Contains(body, "Cán bộ bảo vệ trẻ em") {
		t.Fatalf("staff home %d: %s", resp.StatusCode, body)
	}

	resp, _ = b.post("/can-bo", "/dang-xuat", url.Values{})
	wantRedirect(t, resp, "/")
	resp, _ = b.get("/can-bo")
	wantRedirect(t, resp, "/dang-nhap?next=%2Fcan-bo")

	// Next time: password, then a code; a wrong code is refused.
	wantRedirect(t, b.login("canbo@phuong.vn"), "/dang-nhap/ma")
	resp, body = b.post("/dang-nhap/ma", "/dang-nhap/ma", url.Values{"code": {"123456"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Mã không đúng") {
		t.Fatalf("wrong code: %d", resp.StatusCode)
	}
	resp, _ = b.post("/dang-nhap/ma", "/dang-nhap/ma", url.Values{"code": {e.code(t, secret)}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code accepted: %d", resp.StatusCode)
	}
	e.advance(auth.TOTPPeriod)
	resp, _ = b.post("/dang-nhap/ma", "/dang-nhap/ma", url.Values{"code": {e.code(t, secret)}, "next": {"/can-bo/mat-khau"}})
	wantRedirect(t, resp, "/can-bo/mat-khau")
	if resp, _ := b.get("/can-bo"); resp.StatusCode != 200 {
		t.Fatalf("staff home after TOTP: %d", resp.StatusCode)
	}

	recent, err := e.store.RecentAudit(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range recent {
		seen[a.Action] = true
		if strings.HasPrefix(a.Action, "auth.") && a.IP != "127.0.0.1" {
			t.Errorf("audit %s without client address: %q", a.Action, a.IP)
		}
	}
	for _, a := range []string{"auth.password_ok", "auth.totp_failed", "auth.totp_enrolled", "auth.login", "auth.logout"} {
		if !seen[a] {
			t.Errorf("no audit entry %s", a)
		}
	}
}

func TestLoginWrongPasswordThenThrottled(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "v@phuong.vn", auth.RoleViewer)
	b := e.browser(t)
	for range 5 {
		resp, body := b.post("/dang-nhap", "/login", url.Values{"email": {"v@phuong.vn"}, "password": {"sai mat khau"}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "không đúng") || !strings.Contains(body, `value="v@phuong.vn"`) {
			t.Fatalf("wrong password: %d", resp.StatusCode)
		}
	}
	resp, body := b.post("/login?lang=en", "/login?lang=en", url.Values{"email": {"v@phuong.vn"}, "password": {"mat khau du dai"}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("throttled: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestLoginWithoutCSRFIsRefused(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "v@phuong.vn", auth.RoleViewer)
	b := e.browser(t)
	b.get("/dang-nhap") // has the csrf cookie, but the form carries no token
	resp, _ := b.postRaw("/dang-nhap", url.Values{"email": {"v@phuong.vn"}, "password": {"mat khau du dai"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without CSRF token: %d", resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			t.Fatal("a session was issued without CSRF")
		}
	}
}

func TestViewerCannotManageUsers(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "v@phuong.vn", auth.RoleViewer)
	b := e.browser(t)
	wantRedirect(t, b.login("v@phuong.vn"), "/can-bo") // viewers need no TOTP
	if resp, body := b.get("/can-bo"); resp.StatusCode != 200 || strings.Contains(body, "/can-bo/nguoi-dung") {
		t.Fatalf("viewer home %d", resp.StatusCode)
	}
	if resp, _ := b.get("/can-bo/nguoi-dung"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer opened the user list: %d", resp.StatusCode)
	}
	resp, _ := b.post("/can-bo", "/can-bo/nguoi-dung", url.Values{"email": {"x@phuong.vn"}, "name": {"X"}, "role": {"ward_admin"}, "password": {"mat khau du dai"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer created a user: %d", resp.StatusCode)
	}
	if _, err := e.store.UserByEmail(context.Background(), "x@phuong.vn"); err == nil {
		t.Fatal("user created")
	}
}

func TestAdminManagesUsersAndResetForcesChange(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "admin@phuong.vn", auth.RoleWardAdmin)
	e.addUser(t, "v@phuong.vn", auth.RoleViewer)
	b := e.browser(t)
	wantRedirect(t, b.login("admin@phuong.vn"), "/dang-nhap/cai-ma")
	_, body := b.get("/dang-nhap/cai-ma")
	secret := enrolKey(secretText.FindStringSubmatch(body))
	resp, _ := b.post("/dang-nhap/cai-ma", "/dang-nhap/cai-ma", url.Values{"code": {e.code(t, secret)}})
	wantRedirect(t, resp, "/can-bo")

	resp, body = b.get("/can-bo/nguoi-dung")
	if resp.StatusCode != 200 || !strings.Contains(body, "v@phuong.vn") {
		t.Fatalf("user list %d", resp.StatusCode)
	}
	resp, body = b.post("/can-bo/nguoi-dung", "/can-bo/nguoi-dung", url.Values{"email": {"gv@truong.vn"}, "name": {"Cô Hoa"},
		"role": {"school"}, "org_id": {""}, "password": {"tam thoi 123"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Cô Hoa"`) {
		t.Fatalf("school without org: %d", resp.StatusCode)
	}
	resp, _ = b.post("/can-bo/nguoi-dung", "/can-bo/nguoi-dung", url.Values{"email": {"gv@truong.vn"}, "name": {"Cô Hoa"},
		"role": {"school"}, "org_id": {"4"}, "password": {"tam thoi 123"}})
	wantRedirect(t, resp, "/can-bo/nguoi-dung?ok=created")
	gv, err := e.store.UserByEmail(context.Background(), "gv@truong.vn")
	if err != nil || gv.OrgID != 4 || !gv.MustChangePassword {
		t.Fatalf("created %+v, %v", gv, err)
	}

	// The viewer signs in, is reset by the admin, and must change the
	// temporary password before reaching any staff page.
	vb := e.browser(t)
	wantRedirect(t, vb.login("v@phuong.vn"), "/can-bo")
	v, _ := e.store.UserByEmail(context.Background(), "v@phuong.vn")
	resp, _ = b.post("/can-bo/nguoi-dung", "/can-bo/nguoi-dung/"+strconv.FormatInt(v.ID, 10)+"/mat-khau", url.Values{"password": {"tam thoi 456"}})
	wantRedirect(t, resp, "/can-bo/nguoi-dung?ok=reset")
	resp, _ = vb.get("/can-bo")
	wantRedirect(t, resp, "/dang-nhap?next=%2Fcan-bo")
	resp, _ = vb.post("/dang-nhap", "/dang-nhap", url.Values{"email": {"v@phuong.vn"}, "password": {"tam thoi 456"}})
	wantRedirect(t, resp, "/can-bo/mat-khau")
	resp, _ = vb.get("/can-bo")
	wantRedirect(t, resp, "/can-bo/mat-khau")
	resp, body = vb.post("/can-bo/mat-khau", "/can-bo/mat-khau", url.Values{"current": {"tam thoi 456"}, "new": {"cau mat khau moi"}, "repeat": {"cau mat khau khac"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "không giống nhau") {
		t.Fatalf("mismatch: %d", resp.StatusCode)
	}
	resp, _ = vb.post("/can-bo/mat-khau", "/can-bo/mat-khau", url.Values{"current": {"tam thoi 456"}, "new": {"cau mat khau moi"}, "repeat": {"cau mat khau moi"}})
	wantRedirect(t, resp, "/can-bo?ok=password")
	if resp, body := vb.get("/can-bo?ok=password"); resp.StatusCode != 200 || !strings.Contains(body, "Đã đổi mật khẩu") {
		t.Fatalf("after change %d", resp.StatusCode)
	}

	resp, _ = b.post("/can-bo/nguoi-dung", "/can-bo/nguoi-dung/"+strconv.FormatInt(v.ID, 10)+"/khoa", url.Values{"disabled": {"1"}})
	wantRedirect(t, resp, "/can-bo/nguoi-dung?ok=disabled")
	if resp, _ := vb.get("/can-bo"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabled user still in: %d", resp.StatusCode)
	}
	resp, _ = b.post("/can-bo/nguoi-dung", "/can-bo/nguoi-dung/999/khoa", url.Values{"disabled": {"1"}})
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("missing user: %d", resp.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		e := newAuthEnv(t, secure)
		e.addUser(t, "v@phuong.vn", auth.RoleViewer)
		b := e.browser(t)
		resp := b.login("v@phuong.vn")
		var c *http.Cookie
		for _, x := range resp.Cookies() {
			if x.Name == sessionCookie {
				c = x
			}
		}
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Path != "/" || c.MaxAge != 0 || len(c.Value) < 43 {
			t.Fatalf("secure=%v: cookie %+v", secure, c)
		}
		// Only the hash is stored: the token itself finds no row.
		if _, err := e.store.SessionByHash(context.Background(), c.Value); err == nil {
			t.Fatal("the raw token is stored")
		}
		if _, err := e.store.SessionByHash(context.Background(), auth.TokenHash(c.Value)); err != nil {
			t.Fatalf("no session under the token's hash: %v", err)
		}
	}
}
