package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"manglanh/internal/auth"
)

// enrolled signs the account in through the enrolment page, so it has
// TOTP on, and returns its browser and TOTP key.
func (e *authEnv) enrolled(t *testing.T, email string) (*browser, string) {
	t.Helper()
	b := e.browser(t)
	wantRedirect(t, b.login(email), "/dang-nhap/cai-ma")
	_, body := b.get("/dang-nhap/cai-ma")
	key := enrolKey(secretText.FindStringSubmatch(body))
	resp, _ := b.post("/dang-nhap/cai-ma", "/dang-nhap/cai-ma", url.Values{"code": {e.code(t, key)}})
	wantRedirect(t, resp, "/can-bo")
	return b, key
}

// TestRecoveryCodesIssuedShownOnceAndUsedOnce: the ward admin issues
// codes from the account list; the page after the redirect shows ten
// codes, and a reload shows none; the officer signs in with one in place
// of the TOTP code; the same code is refused the next time, beside the
// recovery field; the list then counts nine left.
func TestRecoveryCodesIssuedShownOnceAndUsedOnce(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "admin@phuong.vn", auth.RoleWardAdmin)
	e.addUser(t, "canbo@phuong.vn", auth.RoleOfficer)
	admin, _ := e.enrolled(t, "admin@phuong.vn")
	ob, _ := e.enrolled(t, "canbo@phuong.vn")
	resp, _ := ob.post("/can-bo", "/dang-xuat", url.Values{})
	wantRedirect(t, resp, "/")
	officer, _ := e.store.UserByEmail(context.Background(), "canbo@phuong.vn")
	page := "/can-bo/nguoi-dung/" + strconv.FormatInt(officer.ID, 10) + "/ma-du-phong"

	_, list := admin.get("/can-bo/nguoi-dung")
	if !strings.Contains(list, `action="`+page+`"`) || !strings.Contains(list, "không còn mã nào") {
		t.Fatalf("account list has no recovery button for the officer:\n%s", list)
	}
	resp, _ = admin.post("/can-bo/nguoi-dung", page, url.Values{})
	wantRedirect(t, resp, page+"#ma")
	_, body := admin.get(page)
	codes := regexp.MustCompile(`<code class="nowrap">([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</code>`).FindAllStringSubmatch(body, -1)
	if len(codes) != auth.RecoveryCodeCount || !strings.Contains(body, "Đã cấp 10 mã dự phòng mới") {
		t.Fatalf("codes page: %d codes\n%s", len(codes), body)
	}
	if resp, again := admin.get(page); resp.StatusCode != 200 || strings.Contains(again, codes[0][1]) ||
		!strings.Contains(again, "không thể xem lại") {
		t.Fatalf("the codes are shown a second time: %d", resp.StatusCode)
	}

	signIn := func(code string) (*http.Response, string) {
		b := e.browser(t)
		wantRedirect(t, b.login("canbo@phuong.vn"), "/dang-nhap/ma")
		return b.post("/dang-nhap/ma", "/dang-nhap/ma-du-phong", url.Values{"code": {code}})
	}
	resp, _ = signIn(strings.ToLower(codes[0][1]))
	wantRedirect(t, resp, "/can-bo")
	resp, body = signIn(codes[0][1])
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "đã dùng rồi") ||
		!regexp.MustCompile(`id="recovery-code"[^>]*autofocus aria-invalid="true"`).MatchString(body) {
		t.Fatalf("a used code: %d\n%s", resp.StatusCode, body)
	}
	_, list = admin.get("/can-bo/nguoi-dung")
	if !strings.Contains(list, "còn 9 mã") {
		t.Errorf("account list does not count 9 codes left")
	}

	// The officer may not issue codes.
	ob = e.browser(t)
	wantRedirect(t, ob.login("canbo@phuong.vn"), "/dang-nhap/ma")
	resp, _ = ob.post("/dang-nhap/ma", "/dang-nhap/ma-du-phong", url.Values{"code": {codes[1][1]}})
	wantRedirect(t, resp, "/can-bo")
	if resp, _ := ob.post("/can-bo", page, url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an officer issued recovery codes: %d", resp.StatusCode)
	}
}

// TestOwnRecoveryCodes: a signed-in officer makes their own set from the
// staff home's link after typing the password again; a wrong password is
// refused beside its field; the set is shown once and works at sign-in.
func TestOwnRecoveryCodes(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "canbo@phuong.vn", auth.RoleOfficer)
	b, _ := e.enrolled(t, "canbo@phuong.vn")
	_, home := b.get("/can-bo")
	if !strings.Contains(home, `href="/can-bo/ma-du-phong"`) {
		t.Fatal("no link to one's own recovery codes on the staff home")
	}
	resp, body := b.post("/can-bo/ma-du-phong", "/can-bo/ma-du-phong", url.Values{"password": {"sai roi"}})
	if resp.StatusCode != http.StatusUnauthorized || !regexp.MustCompile(`id="password"[^>]*aria-invalid="true"`).MatchString(body) {
		t.Fatalf("wrong password: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = b.post("/can-bo/ma-du-phong", "/can-bo/ma-du-phong", url.Values{"password": {"mat khau du dai"}})
	wantRedirect(t, resp, "/can-bo/ma-du-phong#ma")
	_, body = b.get("/can-bo/ma-du-phong")
	codes := regexp.MustCompile(`<code class="nowrap">([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</code>`).FindAllStringSubmatch(body, -1)
	if len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("%d codes shown", len(codes))
	}
	if _, again := b.get("/can-bo/ma-du-phong"); strings.Contains(again, codes[0][1]) || !strings.Contains(again, "còn 10 mã") {
		t.Fatal("own codes shown twice, or the count is wrong")
	}
	nb := e.browser(t)
	wantRedirect(t, nb.login("canbo@phuong.vn"), "/dang-nhap/ma")
	resp, _ = nb.post("/dang-nhap/ma", "/dang-nhap/ma-du-phong", url.Values{"code": {codes[5][1]}})
	wantRedirect(t, resp, "/can-bo")
}
