package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCasePageAndNavInAPhoneBrowser opens a fully worked case as the
// officer in headless Chromium at 360×740, in both languages: nothing
// scrolls sideways, and in the top bar "Đăng xuất" and the language link
// stand apart (a visible gap on one line, or separate lines), as does every
// other pair of neighbours. Skipped without Chromium unless
// MANGLANH_TEST_ALL=1. With MANGLANH_SHOTS=DIR it keeps screenshots.
func TestCasePageAndNavInAPhoneBrowser(t *testing.T) {
	ctx := phoneBrowser(t)
	f := newExtraFixture(t)
	id := caseThroughWorkflow(t, f)
	f.signIn(f.users["officer"])
	// Neighbouring items of the nav: the horizontal gap between two on the
	// same line, or -1 when the second starts a new line.
	const gaps = `JSON.stringify(Array.from(document.querySelectorAll('header.top nav > a, header.top nav > form')).map(e => {
		const r = e.getBoundingClientRect(); return {t: (e.innerText || '').trim(), l: r.left, r: r.right, top: r.top, b: r.bottom};
	}).map((x, i, a) => i === 0 ? null : {pair: a[i-1].t + ' | ' + x.t,
		gap: x.top >= a[i-1].b - 2 ? -1 : x.l - a[i-1].r}).filter(Boolean))`
	for _, lang := range []string{"vi", "en"} {
		u := fmt.Sprintf("%s/can-bo/ho-so/%d?lang=%s", f.ts.URL, id, lang)
		if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(u)); err != nil {
			t.Fatal(err)
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 360 {
			t.Errorf("%s: the case page scrolls sideways: scrollWidth %d", lang, w)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](gaps))
		if err != nil {
			t.Fatal(err)
		}
		var pairs []struct {
			Pair string
			Gap  float64
		}
		if err := json.Unmarshal([]byte(raw), &pairs); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if len(pairs) < 5 {
			t.Fatalf("%s: nav items %s", lang, raw)
		}
		for _, p := range pairs {
			if p.Gap != -1 && p.Gap < 8 {
				t.Errorf("%s: nav items %q are %.1f px apart, want at least 8 or separate lines", lang, p.Pair, p.Gap)
			}
		}
		if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
			buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "case-"+lang+".jpg"), buf, 0o644)
		}
	}
}

// phoneBrowser starts headless Chromium with a 360×740 phone tab and
// returns the tab's context, cancelled when t ends. It skips t without
// Chromium, unless MANGLANH_TEST_ALL=1, where it fails.
func phoneBrowser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, n := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(n); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("MANGLANH_TEST_ALL") == "1" {
			t.Fatal("chromium is not installed but MANGLANH_TEST_ALL=1")
		}
		t.Skip("chromium not installed")
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true), chromedp.WindowSize(360, 740))
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatalf("phone tab: %v", err)
	}
	return ctx
}
