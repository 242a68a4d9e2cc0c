package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestCheckPageInAPhoneBrowser drives /kiem-tra in headless Chromium at
// 360×740 with JavaScript off, as on a cheap phone: a hostile paste is shown
// as text, the verdict and the highlighted phrases are there, nothing
// scrolls sideways, and "Báo cáo sự việc này" opens the report form filled
// in by POST, with nothing in the URL. Skipped without Chromium unless
// MANGLANH_TEST_ALL=1.
func TestCheckPageInAPhoneBrowser(t *testing.T) {
	f, ctx, eval := checkPhoneTab(t)
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(f.ts.URL+"/kiem-tra")); err != nil {
		t.Fatal(err)
	}
	paste := `<img src=x onerror="document.title='pwned'"> Con ơi mẹ bị tai nạn, chuyển khoản gấp 5tr vào stk 123456789 nhé`
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("text"), paste)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`.check-form button`)))); err != nil {
		t.Fatalf("checking: %v", err)
	}
	if got := eval(`document.querySelectorAll('img').length + '|' + document.title`); strings.HasPrefix(got, "1") || strings.Contains(got, "pwned") {
		t.Errorf("pasted markup became markup: %s", got)
	}
	body := eval(`document.body.innerText`)
	for _, want := range []string{"rất nguy hiểm", "Vì sao?", "Nên làm gì?", "Gọi 111", "<img src=x"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if marks := eval(`Array.from(document.querySelectorAll('.pasted mark')).map(m => m.innerText).join('|')`); !strings.Contains(marks, "chuyển khoản") {
		t.Errorf("highlighted: %q", marks)
	}
	fits := func(name string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 360 {
			t.Errorf("%s scrolls sideways at 360 px: scrollWidth %d", name, w)
		}
	}
	fits("the result")
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`.report-this button`)))); err != nil {
		t.Fatalf("report this: %v", err)
	}
	if loc := eval(`location.pathname + location.search`); loc != "/kiem-tra/bao-cao" {
		t.Errorf("report form at %q (the message must not be in the URL)", loc)
	}
	if v := eval(`document.getElementById('description').value`); v != paste {
		t.Errorf("description %q", v)
	}
	if v := eval(`(document.querySelector('input[name=category]:checked') || {}).value || ''`); v != "scam" {
		t.Errorf("category %q", v)
	}
	fits("the prefilled report form")
}

// checkPhoneTab opens headless Chromium as a 360×740 phone with
// JavaScript off on a check fixture; it skips without Chromium unless
// MANGLANH_TEST_ALL=1. eval runs a script returning a string.
func checkPhoneTab(t *testing.T, opts ...func(*Config)) (f *checkFixture, ctx context.Context, eval func(string) string) {
	t.Helper()
	ctx = browserTab(t, true, true)
	f = newCheckFixture(t, CheckLimits{}, opts...)
	eval = func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	return f, ctx, eval
}
