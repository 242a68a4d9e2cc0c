package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"manglanh/internal/auth"
)

// csrfCookie is the browser's nonce cookie for the env's server.
func (b *browser) csrfCookie(name string) *http.Cookie {
	u, _ := url.Parse(b.e.ts.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestCSRFTokenBoundToSession(t *testing.T) {
	for _, secure := range []bool{false, true} {
		name := csrfCookiePlain
		if secure {
			name = csrfCookieSecure
		}
		e := newAuthEnv(t, secure)
		e.addUser(t, "v@phuong.vn", auth.RoleViewer)
		b := e.browser(t)

		// The sign-in form: a nonce cookie with the right flags; without a
		// session the form carries the nonce itself.
		resp, body := b.get("/dang-nhap")
		var set *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == name {
				set = c
			}
			if secure && c.Name == csrfCookiePlain {
				t.Fatalf("secure: a plain csrf cookie is set too")
			}
		}
		if set == nil || !set.HttpOnly || set.Secure != secure || set.Path != "/" || set.Domain != "" || len(set.Value) < 43 {
			t.Fatalf("secure=%v: nonce cookie %+v", secure, set)
		}
		m := csrfField.FindStringSubmatch(body)
		if m == nil || m[1] != set.Value {
			t.Fatalf("secure=%v: anonymous token %v, cookie %q", secure, m, set.Value)
		}
		before := set.Value

		// Sign-in renews the nonce.
		resp = b.login("v@phuong.vn")
		renewed := ""
		for _, c := range resp.Cookies() {
			if c.Name == name {
				renewed = c.Value
			}
		}
		if renewed == "" || renewed == before {
			t.Fatalf("secure=%v: sign-in did not renew the nonce (%q → %q)", secure, before, renewed)
		}
		if c := b.csrfCookie(name); c == nil || c.Value != renewed {
			t.Fatalf("secure=%v: the browser does not hold the renewed nonce", secure)
		}

		// Signed in, a page's token is bound to the session: it is not the
		// nonce, and the nonce alone (plain double submit) is refused.
		_, body = b.get("/can-bo/mat-khau")
		m = csrfField.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("secure=%v: no token on the password page", secure)
		}
		if m[1] == renewed {
			t.Fatalf("secure=%v: the signed-in token is the bare nonce", secure)
		}
		if m[1] != csrfFormToken(renewed, b.sessionValue()) {
			t.Fatalf("secure=%v: token is not HMAC(session, nonce)", secure)
		}
		if resp, _ := b.postRaw("/dang-xuat", url.Values{"csrf": {renewed}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("secure=%v: the bare nonce signed out: %d", secure, resp.StatusCode)
		}
		// The token of the session before sign-in is dead too.
		if resp, _ := b.postRaw("/dang-xuat", url.Values{"csrf": {before}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("secure=%v: the pre-sign-in token signed out: %d", secure, resp.StatusCode)
		}
		// A token made for another session with the same nonce is refused.
		if resp, _ := b.postRaw("/dang-xuat", url.Values{"csrf": {csrfFormToken(renewed, "another session token")}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("secure=%v: another session's token signed out: %d", secure, resp.StatusCode)
		}
		resp, _ = b.postRaw("/dang-xuat", url.Values{"csrf": {m[1]}})
		wantRedirect(t, resp, "/")
	}
}

// sessionValue is the browser's session cookie value.
func (b *browser) sessionValue() string {
	if c := b.csrfCookie(sessionCookie); c != nil {
		return c.Value
	}
	return ""
}

// Over HTTPS a csrf cookie planted without the __Host- prefix (say by a
// sibling host) counts for nothing.
func TestCSRFPlantedPlainCookieIgnoredOverHTTPS(t *testing.T) {
	e := newAuthEnv(t, true)
	req, _ := http.NewRequest("POST", e.ts.URL+"/dang-nhap", strings.NewReader(url.Values{
		"csrf": {strings.Repeat("a", 43)}, "email": {"x@phuong.vn"}, "password": {"p"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: csrfCookiePlain, Value: strings.Repeat("a", 43)})
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a planted plain cookie passed: %d", resp.StatusCode)
	}
}
