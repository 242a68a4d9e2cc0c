package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestChildAndRequestsInAPhoneBrowser walks the child's side and the
// parent's answer in headless Chromium at 360×740 with JavaScript off: the
// child's page, why a site is blocked, "ask my parent" and its receipt,
// then the parent signs in, allows the site for an hour and sees the
// confirmation; the weekly summary and the alerts page open too. No page
// scrolls sideways, in Vietnamese and English. MANGLANH_SHOTS=DIR keeps
// the screenshots.
func TestChildAndRequestsInAPhoneBrowser(t *testing.T) {
	ctx := noScriptPhone(t)
	e := newParentEnv(t, "none")
	_, _, p := childFixture(t, e, "me@example.com", "Bin", time.Now().Year()-10)
	tab := phoneTab{t: t, ctx: ctx, base: e.ts.URL, prefix: "child-"}
	eval, check, open, submit := tab.eval, tab.check, tab.open, tab.submit
	for _, lang := range []string{"en", "vi"} {
		open("/tre/" + p.ChildToken + "?lang=" + lang)
		check("page-" + lang)
	}
	if body := eval(`document.body.innerText`); !strings.Contains(body, "Chào Bin!") || !strings.Contains(body, "không bao giờ đọc tin nhắn") {
		t.Fatalf("child page: %q", body)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("d"), "Roblox.com")); err != nil {
		t.Fatal(err)
	}
	submit(`#xin-phep button[type=submit]`)
	if got := eval(`location.pathname + '|' + document.querySelector('h1').innerText`); got != "/tre/"+p.ChildToken+"/chan|Trang này bị chặn" {
		t.Fatalf("block explanation: %q", got)
	}
	check("blocked")
	submit(`#xin button[type=submit]`)
	if got := eval(`document.querySelector('[role=status]').innerText`); !strings.HasPrefix(got, "Đã gửi cho bố mẹ") {
		t.Fatalf("receipt: %q", got)
	}
	check("asked")

	open(parentLoginPath)
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("login"), "me@example.com"), chromedp.SetValue(chromedp.ID("password"), parentPW)); err != nil {
		t.Fatal(err)
	}
	submit(`form[action="/gia-dinh/dang-nhap"] button[type=submit]`)
	for _, lang := range []string{"en", "vi"} {
		open("/gia-dinh/yeu-cau?lang=" + lang)
		check("requests-" + lang)
	}
	if body := eval(`document.body.innerText`); !strings.Contains(body, "roblox.com") || !strings.Contains(body, "Cho phép 1 giờ") {
		t.Fatalf("requests page: %q", body)
	}
	submit(`#cho-duyet button[value=hour]`)
	if got := eval(`document.querySelector('[role=status]').innerText`); got != "Đã cho phép roblox.com trong 1 giờ." {
		t.Fatalf("after allowing: %q", got)
	}
	check("allowed")
	open("/gia-dinh/tre/" + itoa64(p.ID) + "/tuan")
	if got := eval(`document.querySelectorAll('svg.chart').length + '|' + document.querySelector('h1').innerText`); got != "0|Tuần của Bin" {
		t.Errorf("weekly page without recorded activity: %q", got)
	}
	check("weekly")
	open("/gia-dinh/canh-bao")
	check("alerts")
}
