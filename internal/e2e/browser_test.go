package e2e

import (
	"context"
	"encoding/base32"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"manglanh/internal/auth"
)

// shotsDir keeps the screenshots after the test (they go to the test's
// temporary directory otherwise): go test ./internal/e2e -run Browser -shots /tmp/shots
var shotsDir = flag.String("shots", "", "directory that keeps the browser tests' screenshots")

// Phone size: a cheap Android phone's CSS viewport.
const (
	phoneWidth  = 360
	phoneHeight = 740
)

// stepTimeout bounds one browser step (a navigation, a form submission).
const stepTimeout = 30 * time.Second

// chromium returns the path of Debian's Chromium. Without it the test is
// skipped, unless the full suite runs, where it fails: CI must really
// drive a browser.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if testAll() {
		t.Fatal("chromium is not installed but MANGLANH_TEST_ALL=1: install Debian's chromium (make deps-all)")
	}
	t.Skip("chromium not installed: browser tests skipped (apt-get install chromium, or make test-all)")
	return ""
}

// newBrowser starts a headless Chromium with a throwaway profile, closed
// when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	profile := t.TempDir() // registered first, so removed after the browser exits
	actx, acancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.UserDataDir(profile),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("lang", "vi-VN"), // a Vietnamese phone: dates and Accept-Language
		chromedp.WindowSize(phoneWidth, phoneHeight),
	)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel() })
	if err := chromedp.Do(bctx); err != nil { // starts the browser, with no deadline
		t.Fatalf("starting chromium: %v", err)
	}
	return bctx
}

// newPhone opens a tab in a browser context of its own (its own cookies:
// one person, one phone) emulating a 360×740 touch phone. With noScript
// the pages' own JavaScript does not run, as on a phone that has it off;
// the test still reads the page through DevTools.
func newPhone(t *testing.T, browser context.Context, noScript bool) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(phoneWidth, phoneHeight,
		chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)}
	if noScript {
		steps = append(steps, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("opening a phone-sized tab: %v", err)
	}
	return ctx
}

// do runs browser steps with a deadline and fails the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open navigates to url and returns the HTTP status of the document.
func open(t *testing.T, ctx context.Context, url string) int64 {
	t.Helper()
	resp := get(t, ctx, "opening "+url, chromedp.NavigateResponse(url))
	if resp == nil {
		t.Fatalf("opening %s: no response", url)
	}
	return resp.Status
}

// submit clicks the button and waits for the page that answers.
func submit(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	get(t, ctx, "submitting with "+button, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(button))))
}

// pathOf is the path (and query) of the page the tab shows.
func pathOf(t *testing.T, ctx context.Context) string {
	t.Helper()
	return get(t, ctx, "reading the location", chromedp.Evaluate[string](`location.pathname + location.search`))
}

func bodyText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return get(t, ctx, "reading the page", chromedp.Evaluate[string](`document.body.innerText`))
}

// noPageErrors fails when the page shows a form error.
func noPageErrors(t *testing.T, ctx context.Context, after string) {
	t.Helper()
	msg := get(t, ctx, "reading errors", chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll('.error')).map(e => e.innerText).join(' | ')`))
	if msg != "" {
		t.Fatalf("after %s the page (%s) shows an error: %s", after, pathOf(t, ctx), msg)
	}
}

// fitsPhone fails when the page scrolls sideways at phone width.
func fitsPhone(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	w := get(t, ctx, "measuring "+name, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if w > phoneWidth {
		t.Errorf("%s scrolls sideways on a phone: scrollWidth %d > %d", name, w, phoneWidth)
	}
}

// screenshot saves the whole page as dir/name.png.
func screenshot(t *testing.T, ctx context.Context, dir, name string) string {
	t.Helper()
	if *shotsDir != "" {
		dir = *shotsDir
		os.MkdirAll(dir, 0o755)
	}
	buf := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if len(buf) < 1000 {
		t.Fatalf("screenshot %s: only %d bytes", name, len(buf))
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// statusOf reads the staff status label from a case page's summary line
// (category · status · channel · received · level).
func statusOf(t *testing.T, ctx context.Context) string {
	t.Helper()
	line := get(t, ctx, "reading the case summary", chromedp.Evaluate[string](
		`(document.querySelector('h1 ~ p') || {textContent: ''}).textContent`))
	parts := strings.Split(line, " · ")
	if len(parts) < 3 {
		t.Fatalf("case summary line %q on %s", line, pathOf(t, ctx))
	}
	return strings.TrimSpace(parts[1])
}

// signIn signs a staff member in with the password, enrols the TOTP app
// (the test reads the secret from the page and computes the code, as an
// authenticator app would) and checks that the staff home is reached.
func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	open(t, ctx, base+"/dang-nhap")
	do(t, ctx, "typing the credentials of "+email,
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password))
	submit(t, ctx, `form[action="/dang-nhap"] button`)
	if p := pathOf(t, ctx); !strings.HasPrefix(p, "/dang-nhap/cai-ma") {
		t.Fatalf("%s after the password: at %s, want the TOTP enrolment page", email, p)
	}
	// Half signed in: the case pages send the browser back to enrolment.
	open(t, ctx, base+"/can-bo/ho-so")
	if p := pathOf(t, ctx); !strings.HasPrefix(p, "/dang-nhap/cai-ma") {
		t.Fatalf("%s reached %s before the second factor", email, p)
	}
	shown := get(t, ctx, "reading the TOTP secret", chromedp.Text(chromedp.CSS(`.secret code`)))
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(strings.TrimSpace(shown), " ", ""))
	if err != nil || len(key) < 10 {
		t.Fatalf("TOTP secret %q on the page: %v", shown, err)
	}
	code := auth.HOTP(key, auth.TOTPStep(time.Now()), auth.TOTPDigits)
	do(t, ctx, "typing the TOTP code", chromedp.SendKeys(chromedp.CSS(`input[name=code]`), code))
	submit(t, ctx, `form[action="/dang-nhap/cai-ma"] button`)
	if p := pathOf(t, ctx); !strings.HasPrefix(p, "/can-bo") {
		t.Fatalf("%s after the TOTP code: at %s (%s)", email, p, bodyText(t, ctx))
	}
}

// screenshotPNG writes a small PNG "screenshot" for the report form.
func screenshotPNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for y := range 80 {
		for x := range 120 {
			img.Set(x, y, color.RGBA{R: uint8(x * 2), G: uint8(y * 3), B: 180, A: 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
