package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestParentAccountInAPhoneBrowser signs a parent up in headless Chromium
// at 360×740 with JavaScript off: a too-short password comes back with the
// error beside the field and the focus on it, the codes are shown once,
// the home opens, sign-out returns to the sign-in page with a
// confirmation; no page scrolls sideways, in Vietnamese and English.
// Skipped without Chromium unless MANGLANH_TEST_ALL=1; MANGLANH_SHOTS=DIR
// keeps screenshots.
func TestParentAccountInAPhoneBrowser(t *testing.T) {
	ctx := noScriptPhone(t)
	e := newParentEnv(t, "none")
	tab := phoneTab{t: t, ctx: ctx, base: e.ts.URL, prefix: "parent-"}
	eval, check, submit := tab.eval, tab.check, tab.submit
	for _, p := range []string{parentSignupPath, parentLoginPath, parentForgotPath} {
		for _, lang := range []string{"vi", "en"} {
			if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.ts.URL+p+"?lang="+lang)); err != nil {
				t.Fatal(err)
			}
			check(strings.ReplaceAll(strings.TrimPrefix(p, "/gia-dinh/"), "/", "-") + "-" + lang)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.ts.URL+parentSignupPath+"?lang=vi")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("login"), "0912 345 678"), chromedp.SetValue(chromedp.ID("password"), "ngắn"),
		chromedp.SetValue(chromedp.ID("name"), `<img src=x onerror="document.title='pwned'">`)); err != nil {
		t.Fatal(err)
	}
	submit(`#dang-ky button[type=submit]`)
	// Chromium applies autofocus a moment after load.
	got := ""
	for range 30 {
		if got = eval(`document.activeElement.id + '|' + (document.getElementById('password-error') || {}).innerText`); strings.HasPrefix(got, "password|") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.HasPrefix(got, "password|Mật khẩu cần ít nhất 10 ký tự") {
		t.Errorf("after a short password: %q", got)
	}
	if got := eval(`document.getElementById('login').value + '|' + document.title`); got != "0912 345 678|Đăng ký tài khoản phụ huynh · Phường Thử" {
		t.Errorf("kept values / title: %q", got)
	}
	check("signup-error")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("password"), parentPW), chromedp.SetValue(chromedp.ID("name"), "Chị Lan")); err != nil {
		t.Fatal(err)
	}
	submit(`#dang-ky button[type=submit]`)
	if got := eval(`location.pathname + '|' + document.querySelectorAll('.recovery-codes li').length`); got != parentCodesPath+"|10" {
		t.Fatalf("codes page: %q", got)
	}
	check("codes")
	submit(`#ma a.button`)
	if body := eval(`location.pathname + '|' + document.body.innerText`); !strings.HasPrefix(body, "/gia-dinh|") || !strings.Contains(body, "Xin chào, Chị Lan") {
		t.Fatalf("home: %q", body)
	}
	check("home")
	submit(`header form[action="/gia-dinh/dang-xuat"] button`)
	if got := eval(`location.pathname + '|' + document.querySelector('[role=status]').innerText`); got != parentLoginPath+"|Bạn đã đăng xuất." {
		t.Errorf("after sign-out: %q", got)
	}

	// The officer's approval page with two parents waiting, the officer's
	// session cookie handed to the browser.
	e2 := newParentEnv(t, "officer")
	for _, login := range []string{"0912345678", "mot.dia.chi.rat.dai.cua.phu.huynh@truong-tieu-hoc.example.vn"} {
		e2.browser(t).signUp(login)
	}
	officer := e2.staff(t, "canbo@phuong.vn", "officer", 0)
	u, _ := url.Parse(e2.ts.URL)
	for _, c := range officer.c.Jar.Cookies(u) {
		setCookie := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: e2.ts.URL})
			return err
		})
		if err := chromedp.Do(ctx, setCookie); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"vi", "en"} {
		if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(e2.ts.URL+parentApprovePath+"?lang="+lang)); err != nil {
			t.Fatal(err)
		}
		if n := eval(`String(document.querySelectorAll('#cho-duyet tbody tr').length)`); n != "2" {
			t.Fatalf("%s: %s pending rows: %s", lang, n, eval(`document.body.innerText`))
		}
		check("approve-" + lang)
	}
}
