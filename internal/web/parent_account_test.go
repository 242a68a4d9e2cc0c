package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
	"manglanh/internal/family"
	"manglanh/internal/store"
)

type testHasher struct{}

func (testHasher) Hash(p string) (string, error) {
	return auth.HashPassword(p, auth.HashParams{Memory: 64, Time: 1, Threads: 1})
}
func (testHasher) Verify(p, h string) (bool, error) { return auth.VerifyPassword(p, h) }

type testMailbox struct {
	mu   sync.Mutex
	sent []string
}

func (m *testMailbox) Send(_ context.Context, to, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to+"\n"+body)
	return nil
}

func (m *testMailbox) all() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.sent...)
}

type parentEnv struct {
	*authEnv
	fam  *family.Service
	mail *testMailbox
}

func newParentEnv(t *testing.T, approval string) *parentEnv {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &parentEnv{authEnv: &authEnv{store: st, now: time.Now()}, mail: &testMailbox{}}
	log, err := audit.New(audit.Config{Store: st, Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.auth, err = auth.NewService(auth.Config{Store: st, Audit: log, Clock: e.clock,
		Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	e.fam, err = family.New(family.Config{Store: st, Approval: approval, Hasher: testHasher{}, Mailer: e.mail,
		PortalURL: "https://manglanh.example.vn", ProfileDomain: "dns.example.vn", Now: e.clock,
		Schools: func(context.Context) ([]family.School, error) {
			return []family.School{{ID: 5, Name: "THCS Lê Lợi"}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Auth: e.auth, Families: e.fam, Ward: Ward{Name: "Phường Thử"}})
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

// staff signs a staff member in through TOTP enrolment.
func (e *parentEnv) staff(t *testing.T, email string, role auth.Role, org int64) *browser {
	t.Helper()
	if _, err := e.auth.AddUser(context.Background(), auth.SystemActor, auth.NewUser{Email: email, Name: "Cán bộ",
		Role: role, OrgID: org, Password: "mat khau du dai"}); err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	b.login(email)
	_, body := b.get("/dang-nhap/cai-ma")
	m := secretText.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no enrolment key: %s", body)
	}
	resp, _ := b.post("/dang-nhap/cai-ma", "/dang-nhap/cai-ma", url.Values{"code": {e.code(t, enrolKey(m))}})
	wantRedirect(t, resp, "/can-bo")
	return b
}

const parentPW = "con đi học về nhà"

func (b *browser) signUp(login string) *http.Response {
	b.t.Helper()
	resp, _ := b.post(parentSignupPath, parentSignupPath, url.Values{"login": {login}, "password": {parentPW}, "name": {"Chị Lan"}})
	return resp
}

var parentCodeRe = regexp.MustCompile(`<code class="nowrap">([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</code>`)

func TestParentSignUpShowsCodesOnceAndOpensHome(t *testing.T) {
	e := newParentEnv(t, "none")
	b := e.browser(t)
	resp, body := b.get(parentSignupPath)
	if resp.StatusCode != 200 || !strings.Contains(body, `name="login"`) || !strings.Contains(body, "THCS Lê Lợi") || strings.Contains(body, "<script") {
		t.Fatalf("sign-up page %d", resp.StatusCode)
	}
	wantRedirect(t, b.signUp("0912 345 678"), parentCodesPath+"?ok=signup#ma")
	resp, body = b.get(parentCodesPath + "?ok=signup")
	codes := parentCodeRe.FindAllStringSubmatch(body, -1)
	if resp.StatusCode != 200 || len(codes) != family.RecoveryCodeCount || !strings.Contains(body, "Đã tạo tài khoản.") {
		t.Fatalf("codes page %d, %d codes: %s", resp.StatusCode, len(codes), body)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("codes page cacheable: %q", cc)
	}
	_, body = b.get(parentCodesPath)
	if parentCodeRe.MatchString(body) || !strings.Contains(body, "Còn 10 mã chưa dùng.") {
		t.Fatalf("codes shown twice: %s", body)
	}
	for _, page := range []string{parentLoginPath, parentSignupPath} {
		resp, _ = b.get(page)
		wantRedirect(t, resp, "/gia-dinh")
	}
	resp, body = b.get("/gia-dinh")
	if resp.StatusCode != 200 || !strings.Contains(body, "Xin chào, Chị Lan") || !strings.Contains(body, `action="/gia-dinh/dang-xuat"`) {
		t.Fatalf("home %d: %s", resp.StatusCode, body)
	}
	// The same number again, spelled another way.
	b2 := e.browser(t)
	resp, body = b2.post(parentSignupPath, parentSignupPath, url.Values{"login": {"+84912345678"}, "password": {parentPW}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "đã có tài khoản") {
		t.Fatalf("duplicate: %d", resp.StatusCode)
	}
	// The code works on the forgot page, once.
	resp, _ = b2.post(parentForgotPath, parentForgotPath+"/ma", url.Values{"login": {"0912345678"}, "code": {codes[3][1]}, "password": {"mật khẩu mới của tôi"}})
	wantRedirect(t, resp, parentLoginPath+"?ok=reset")
	resp, body = b2.post(parentForgotPath, parentForgotPath+"/ma", url.Values{"login": {"0912345678"}, "code": {codes[3][1]}, "password": {"mật khẩu khác nữa"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "mã đã được dùng") {
		t.Fatalf("code reused: %d", resp.StatusCode)
	}
	// Signing out ends the old session (the reset ended it already).
	resp, _ = b.get("/gia-dinh")
	wantRedirect(t, resp, parentLoginPath)
}

func TestParentSignUpHostileFields(t *testing.T) {
	e := newParentEnv(t, "none")
	b := e.browser(t)
	for _, tc := range []struct {
		form  url.Values
		field string
		text  string
	}{
		{url.Values{"login": {"<script>alert(1)</script>"}, "password": {parentPW}}, "login", "số điện thoại Việt Nam"},
		{url.Values{"login": {"' OR 1=1 --"}, "password": {parentPW}}, "login", "số điện thoại Việt Nam"},
		{url.Values{"login": {strings.Repeat("9", 5000)}, "password": {parentPW}}, "login", "số điện thoại Việt Nam"},
		{url.Values{"login": {"0912345678"}, "password": {"ngắn"}}, "password", "ít nhất 10 ký tự"},
		{url.Values{"login": {"0912345678"}, "password": {"1234567890"}}, "password", "quá phổ biến"},
		{url.Values{"login": {"0912345678"}, "password": {parentPW}, "name": {"a\u0000b"}}, "name", "không hợp lệ"},
		{url.Values{"login": {"0912345678"}, "password": {parentPW}, "school": {"99"}}, "school", "không có trong danh sách"},
		{url.Values{"login": {"0912345678"}, "password": {parentPW}, "school": {"abc"}}, "school", "không có trong danh sách"},
	} {
		resp, body := b.post(parentSignupPath, parentSignupPath, tc.form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d", tc.form, resp.StatusCode)
			continue
		}
		if !strings.Contains(body, `id="`+tc.field+`-error"`) || !strings.Contains(body, tc.text) {
			t.Errorf("%v: no error beside %s: %s", tc.form, tc.field, body)
		}
		if !regexp.MustCompile(`id="` + tc.field + `"[^>]*autofocus`).MatchString(body) {
			t.Errorf("%v: %s has no autofocus", tc.form, tc.field)
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("unescaped input echoed")
		}
	}
	// English.
	b.get("/lang/en")
	_, body := b.post(parentSignupPath, parentSignupPath, url.Values{"login": {"x"}, "password": {"y"}})
	if !strings.Contains(body, "Enter an e-mail address or a Vietnamese phone number") || !strings.Contains(body, "at least 10 characters") {
		t.Errorf("English errors: %s", body)
	}
	if ps, _ := e.store.Parents(context.Background(), family.StatusActive, 0, 10); len(ps) != 0 {
		t.Fatalf("a refused sign-up was saved: %+v", ps)
	}
	// No CSRF token: refused.
	resp, _ := b.postRaw(parentSignupPath, url.Values{"login": {"0912345678"}, "password": {parentPW}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", resp.StatusCode)
	}
}

func TestParentSignInNextThrottleAndSeparateCookies(t *testing.T) {
	e := newParentEnv(t, "none")
	b := e.browser(t)
	b.signUp("lan@example.com")
	b.post("/gia-dinh", "/gia-dinh/dang-xuat", url.Values{})
	resp, _ := b.get("/gia-dinh/mat-khau")
	wantRedirect(t, resp, parentLoginPath+"?next=%2Fgia-dinh%2Fmat-khau")

	resp, body := b.post(parentLoginPath, parentLoginPath, url.Values{"login": {"lan@example.com"}, "password": {"sai mật khẩu rồi"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Sai số điện thoại/e-mail hoặc mật khẩu.") ||
		!strings.Contains(body, `value="lan@example.com"`) {
		t.Fatalf("wrong password %d: %s", resp.StatusCode, body)
	}
	resp, _ = b.post(parentLoginPath, parentLoginPath, url.Values{"login": {"LAN@example.com"}, "password": {parentPW}, "next": {"/gia-dinh/mat-khau"}})
	wantRedirect(t, resp, "/gia-dinh/mat-khau")
	for _, evil := range []string{"//evil.example", "https://evil.example", "/can-bo", "/gia-dinh\r\nX: y"} {
		c := e.browser(t)
		resp, _ := c.post(parentLoginPath, parentLoginPath, url.Values{"login": {"lan@example.com"}, "password": {parentPW}, "next": {evil}})
		wantRedirect(t, resp, "/gia-dinh")
	}
	// A parent's cookie does not open staff pages, nor a staff cookie parent pages.
	resp, _ = b.get("/can-bo")
	wantRedirect(t, resp, "/dang-nhap?next=%2Fcan-bo")
	resp, _ = b.get(parentApprovePath)
	wantRedirect(t, resp, "/dang-nhap?next=%2Fcan-bo%2Fphu-huynh")
	officer := e.staff(t, "canbo@phuong.vn", auth.RoleOfficer, 0)
	resp, _ = officer.get("/gia-dinh")
	wantRedirect(t, resp, parentLoginPath)
	resp, _ = officer.post(parentApprovePath, "/gia-dinh/mat-khau", url.Values{"current": {"x"}, "password": {"y"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("staff posting a parent form: %d", resp.StatusCode)
	}
	// Throttled after repeated failures: 429 with Retry-After.
	c := e.browser(t)
	for range family.AccountFailures {
		c.post(parentLoginPath, parentLoginPath, url.Values{"login": {"lan@example.com"}, "password": {"sai mật khẩu rồi"}})
	}
	resp, body = c.post(parentLoginPath, parentLoginPath, url.Values{"login": {"lan@example.com"}, "password": {parentPW}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Hãy chờ") {
		t.Fatalf("throttled: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestParentApprovalByOfficerAndSchool(t *testing.T) {
	e := newParentEnv(t, "school")
	a := e.browser(t)
	a.signUp("0912345678")
	resp, body := a.get("/gia-dinh")
	if resp.StatusCode != 200 || !strings.Contains(body, "Tài khoản đang chờ duyệt") {
		t.Fatalf("pending page %d: %s", resp.StatusCode, body)
	}
	b := e.browser(t)
	b.post(parentSignupPath, parentSignupPath, url.Values{"login": {"b@example.com"}, "password": {parentPW}, "school": {"5"}})

	other := e.staff(t, "truong6@phuong.vn", auth.RoleSchool, 6)
	_, body = other.get(parentApprovePath)
	if strings.Contains(body, "b@example.com") || strings.Contains(body, "0912 345 678") {
		t.Fatalf("school 6 sees other parents: %s", body)
	}
	school := e.staff(t, "truong5@phuong.vn", auth.RoleSchool, 5)
	_, body = school.get(parentApprovePath)
	if !strings.Contains(body, "b@example.com") || strings.Contains(body, "0912 345 678") || strings.Contains(body, `id="dat-lai"`) {
		t.Fatalf("school 5's list: %s", body)
	}
	bp, _ := e.store.ParentByLogin(context.Background(), "b@example.com")
	ap, _ := e.store.ParentByLogin(context.Background(), "+84912345678")
	resp, _ = other.post(parentApprovePath, parentApprovePath+"/"+itoa64(bp.ID)+"/duyet", url.Values{})
	wantRedirect(t, resp, parentApprovePath+"?ok=gone#cho-duyet")
	resp, _ = school.post(parentApprovePath, parentApprovePath+"/"+itoa64(ap.ID)+"/duyet", url.Values{})
	wantRedirect(t, resp, parentApprovePath+"?ok=gone#cho-duyet")
	resp, _ = school.post(parentApprovePath, parentApprovePath+"/"+itoa64(bp.ID)+"/duyet", url.Values{})
	wantRedirect(t, resp, parentApprovePath+"?ok=approved#cho-duyet")
	_, body = school.get(parentApprovePath + "?ok=approved")
	if !strings.Contains(body, "Đã duyệt tài khoản") || strings.Contains(body, "b@example.com") {
		t.Fatalf("after approval: %s", body)
	}
	resp, body = b.get("/gia-dinh")
	if resp.StatusCode != 200 || strings.Contains(body, "chờ duyệt") {
		t.Fatalf("approved parent's home %d: %s", resp.StatusCode, body)
	}
	// The officer sees the one without school; police may not open the page.
	officer := e.staff(t, "canbo@phuong.vn", auth.RoleOfficer, 0)
	_, body = officer.get(parentApprovePath)
	if !strings.Contains(body, "0912 345 678") {
		t.Fatalf("officer's list: %s", body)
	}
	if _, body := officer.get("/can-bo"); !strings.Contains(body, `href="/can-bo/phu-huynh"`) {
		t.Fatal("no link to the parents page on the officer's home")
	}
	police := e.staff(t, "ca@phuong.vn", auth.RolePolice, 0)
	if _, body := police.get("/can-bo"); strings.Contains(body, `href="/can-bo/phu-huynh"`) {
		t.Fatal("police get a link to the parents page")
	}
	if resp, _ := police.get(parentApprovePath); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("police: %d", resp.StatusCode)
	}
	resp, _ = officer.post(parentApprovePath, parentApprovePath+"/"+itoa64(ap.ID)+"/tu-choi", url.Values{})
	wantRedirect(t, resp, parentApprovePath+"?ok=refused#cho-duyet")
	resp, _ = a.get("/gia-dinh")
	wantRedirect(t, resp, parentLoginPath)
	resp, _ = officer.post(parentApprovePath, parentApprovePath+"/abc/duyet", url.Values{})
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("bad id: %d", resp.StatusCode)
	}
}

func TestParentResetByMailAndByStaff(t *testing.T) {
	e := newParentEnv(t, "none")
	a := e.browser(t)
	a.signUp("lan@example.com")
	p := e.browser(t)
	p.signUp("0987654321")

	c := e.browser(t)
	for _, email := range []string{"nobody@example.com", "lan@example.com"} {
		resp, _ := c.post(parentForgotPath, parentForgotPath, url.Values{"email": {email}})
		wantRedirect(t, resp, parentForgotPath+"?ok=sent#thu")
	}
	resp, body := c.post(parentForgotPath, parentForgotPath, url.Values{"email": {"0987654321"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="email-error"`) {
		t.Fatalf("phone on the e-mail form: %d", resp.StatusCode)
	}
	mails := e.mail.all()
	if len(mails) != 1 || !strings.HasPrefix(mails[0], "lan@example.com\n") {
		t.Fatalf("mails: %q", mails)
	}
	link := regexp.MustCompile(`https://manglanh\.example\.vn(/gia-dinh/dat-lai/[A-Za-z0-9_-]+)`).FindStringSubmatch(mails[0])
	if link == nil {
		t.Fatalf("no link: %s", mails[0])
	}
	resp, _ = c.get(link[1])
	if resp.StatusCode != 200 || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page %d", resp.StatusCode)
	}
	resp, body = c.post(link[1], link[1], url.Values{"password": {"ngắn"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="password-error"`) {
		t.Fatalf("short password: %d", resp.StatusCode)
	}
	resp, _ = c.post(link[1], link[1], url.Values{"password": {"mật khẩu mới của tôi"}})
	wantRedirect(t, resp, parentLoginPath+"?ok=reset")
	if resp, _ := c.get(link[1]); resp.StatusCode != http.StatusGone {
		t.Fatalf("used link: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/gia-dinh/dat-lai/not-a-token"); resp.StatusCode != http.StatusGone {
		t.Fatalf("unknown link: %d", resp.StatusCode)
	}
	resp, _ = a.get("/gia-dinh")
	wantRedirect(t, resp, parentLoginPath) // the reset ended the old session
	resp, _ = c.post(parentLoginPath, parentLoginPath, url.Values{"login": {"lan@example.com"}, "password": {"mật khẩu mới của tôi"}})
	wantRedirect(t, resp, "/gia-dinh")

	// The phone-only parent comes to the ward.
	officer := e.staff(t, "canbo@phuong.vn", auth.RoleOfficer, 0)
	resp, body = officer.post(parentApprovePath, parentApprovePath+"/dat-lai", url.Values{"login": {"0999999999"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Không có tài khoản phụ huynh") {
		t.Fatalf("unknown parent: %d", resp.StatusCode)
	}
	resp, _ = officer.post(parentApprovePath, parentApprovePath+"/dat-lai", url.Values{"login": {"0987 654 321"}})
	wantRedirect(t, resp, parentApprovePath+"#dat-lai")
	_, body = officer.get(parentApprovePath)
	m := regexp.MustCompile(`Mật khẩu tạm của 0987 654 321: ([a-z2-9]{5}-[a-z2-9]{5})`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("temporary password not shown: %s", body)
	}
	if _, body := officer.get(parentApprovePath); strings.Contains(body, m[1]) {
		t.Fatal("temporary password shown twice")
	}
	resp, _ = p.get("/gia-dinh")
	wantRedirect(t, resp, parentLoginPath)
	resp, _ = p.post(parentLoginPath, parentLoginPath, url.Values{"login": {"0987654321"}, "password": {m[1]}})
	wantRedirect(t, resp, parentPasswordPath)
	resp, _ = p.get("/gia-dinh")
	wantRedirect(t, resp, parentPasswordPath)
	resp, body = p.post(parentPasswordPath, parentPasswordPath, url.Values{"current": {m[1]}, "password": {"ngắn"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="password-error"`) || !strings.Contains(body, "cán bộ phường đặt lại") {
		t.Fatalf("forced change, short: %d %s", resp.StatusCode, body)
	}
	resp, _ = p.post(parentPasswordPath, parentPasswordPath, url.Values{"current": {m[1]}, "password": {"ba mẹ yêu con nhiều"}})
	wantRedirect(t, resp, parentPasswordPath+"?ok=1#mat-khau")
	_, body = p.get(parentPasswordPath + "?ok=1")
	if !strings.Contains(body, "Đã đổi mật khẩu.") {
		t.Fatalf("no confirmation: %s", body)
	}
	if resp, _ := p.get("/gia-dinh"); resp.StatusCode != 200 {
		t.Fatalf("home after change: %d", resp.StatusCode)
	}
	// A school account may not reset parents' passwords.
	school := e.staff(t, "truong@phuong.vn", auth.RoleSchool, 5)
	if resp, _ := school.post(parentApprovePath, parentApprovePath+"/dat-lai", url.Values{"login": {"0987654321"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("school reset: %d", resp.StatusCode)
	}
}

func TestParentCodesNeedPassword(t *testing.T) {
	e := newParentEnv(t, "none")
	b := e.browser(t)
	b.signUp("lan@example.com")
	b.get(parentCodesPath) // consume the sign-up set
	resp, body := b.post(parentCodesPath, parentCodesPath, url.Values{"password": {"không đúng đâu"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="password-error"`) {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp, _ = b.post(parentCodesPath, parentCodesPath, url.Values{"password": {parentPW}})
	wantRedirect(t, resp, parentCodesPath+"#ma")
	_, body = b.get(parentCodesPath)
	if n := len(parentCodeRe.FindAllString(body, -1)); n != family.RecoveryCodeCount {
		t.Fatalf("%d codes", n)
	}
}

func TestParentDeletesAccount(t *testing.T) {
	e := newParentEnv(t, "none")
	b := e.browser(t)
	b.signUp("lan@example.com")
	other := e.browser(t)
	other.signUp("0912345678")
	ctx := context.Background()
	mine, _ := e.store.ParentByLogin(ctx, "lan@example.com")
	theirs, _ := e.store.ParentByLogin(ctx, "+84912345678")
	child, err := e.fam.CreateChild(ctx, family.Actor{Parent: mine}, family.NewChild{Nickname: "An"})
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := e.fam.CreateChild(ctx, family.Actor{Parent: theirs}, family.NewChild{Nickname: "Bình"})
	resp, body := b.post(parentPasswordPath, "/gia-dinh/xoa-tai-khoan", url.Values{"delete_password": {parentPW}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="confirm-error"`) ||
		!regexp.MustCompile(`id="confirm"[^>]*autofocus`).MatchString(body) {
		t.Fatalf("without confirmation: %d", resp.StatusCode)
	}
	resp, body = b.post(parentPasswordPath, "/gia-dinh/xoa-tai-khoan", url.Values{"confirm": {"yes"}, "delete_password": {"không đúng đâu"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="delete_password-error"`) {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	if _, err := e.fam.ProfileByToken(ctx, child.ChildToken); err != nil {
		t.Fatal("a refused deletion deleted the profile")
	}
	resp, _ = b.post(parentPasswordPath, "/gia-dinh/xoa-tai-khoan", url.Values{"confirm": {"yes"}, "delete_password": {parentPW}})
	wantRedirect(t, resp, parentLoginPath+"?ok=deleted")
	if _, body := b.get(parentLoginPath + "?ok=deleted"); !strings.Contains(body, "Đã xoá tài khoản") {
		t.Fatal("no confirmation")
	}
	if _, err := e.fam.ProfileByToken(ctx, child.ChildToken); err == nil {
		t.Fatal("the child's profile survived the account")
	}
	if _, err := e.fam.ProfileByToken(ctx, kept.ChildToken); err != nil {
		t.Fatal("another family's profile was deleted")
	}
	if _, _, err := e.fam.Login(ctx, "lan@example.com", parentPW, "192.0.2.1"); err == nil {
		t.Fatal("a deleted account signs in")
	}
}
