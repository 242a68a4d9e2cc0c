// Package ocrtest draws chat screenshots with known text in headless
// Chromium, for the tests of the screenshot reader and of the pages that
// take screenshots. Only tests import it.
package ocrtest

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Message is one bubble: Self is the phone owner's (right, blue, white
// text), otherwise the other person's (left, grey).
type Message struct {
	Self bool
	Text string
}

// Chat is a screen to draw.
type Chat struct {
	Title    string // the contact's name in the title bar
	Time     string // a time line above the first message, e.g. "21:05"
	Messages []Message
	Dark     bool // dark mode: light text on black
}

// page is the chat as HTML: a title bar, bubbles 75% wide at most, the
// DejaVu Sans that Debian's Chromium has (fonts-dejavu-core), 16 CSS px.
func (c Chat) page() string {
	bg, in, inText, bar := "#fff", "#f0f2f5", "#111", "#0068ff"
	if c.Dark {
		bg, in, inText, bar = "#000", "#262626", "#eee", "#1c1c1c"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><style>
body{margin:0;font-family:"DejaVu Sans",sans-serif;background:%s;font-size:16px}
header{background:%s;color:#fff;padding:12px 16px;font-weight:bold}
.w{display:flex;flex-direction:column}
.m{max-width:75%%;margin:8px 12px;padding:8px 12px;border-radius:16px;line-height:1.35}
.in{background:%s;color:%s;align-self:flex-start}
.out{background:#0084ff;color:#fff;align-self:flex-end}
.t{font-size:11px;color:#888;text-align:center;margin:10px}
</style><header>%s</header><div class="w">`, bg, bar, in, inText, html.EscapeString(c.Title))
	if c.Time != "" {
		fmt.Fprintf(&b, `<div class="t">%s</div>`, html.EscapeString(c.Time))
	}
	for _, m := range c.Messages {
		cls := "in"
		if m.Self {
			cls = "out"
		}
		fmt.Fprintf(&b, `<div class="m %s">%s</div>`, cls, html.EscapeString(m.Text))
	}
	b.WriteString(`</div></html>`)
	return b.String()
}

// Browser starts headless Chromium for rendering; it skips the test
// without Chromium unless MANGLANH_TEST_ALL=1.
func Browser(t testing.TB) context.Context {
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
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("hide-scrollbars", true))
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	ctx, cancel := context.WithTimeout(bctx, 120*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Render draws c as a phone screenshot of 1080×2400 pixels (a 360×800 CSS
// px screen at device scale 3, as a common Android phone) and returns the
// PNG.
func Render(ctx context.Context, c Chat) ([]byte, error) {
	url := "data:text/html;base64," + base64.StdEncoding.EncodeToString([]byte(c.page()))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(3), chromedp.EmulateMobile), chromedp.Navigate(url)); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}
