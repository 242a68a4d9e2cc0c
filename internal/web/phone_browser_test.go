package web

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// noScriptPhone is phoneBrowser with the pages' JavaScript off, as on a
// phone that has it off (DevTools can still read the page).
func noScriptPhone(t *testing.T) context.Context {
	t.Helper()
	ctx := phoneBrowser(t)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// phoneTab is the browser tests' helpers for one tab at 360 px: evaluate,
// open a path of the portal at base, submit with a button, and check that
// the page does not scroll sideways (keeping a screenshot named
// prefix+name.png in MANGLANH_SHOTS when it is set).
type phoneTab struct {
	t      *testing.T
	ctx    context.Context
	base   string
	prefix string
}

func (p phoneTab) eval(js string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (p phoneTab) open(path string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.NavigateResponse(p.base+path)); err != nil {
		p.t.Fatalf("%s: %v", path, err)
	}
}

func (p phoneTab) submit(sel string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		p.t.Fatalf("submitting %s: %v", sel, err)
	}
}

func (p phoneTab) check(name string) {
	p.t.Helper()
	w, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		p.t.Fatal(err)
	}
	if w > 360 {
		wide := p.eval(`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 360).map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40)).slice(-3).join(' | ')`)
		p.t.Errorf("%s scrolls sideways at 360 px: scrollWidth %d (%s)", name, w, wide)
	}
	if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
		buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			p.t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, p.prefix+name+".png"), buf, 0o644)
	}
}
