package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStaffHomeAndCaseListOnAPhone opens the staff home and the case list
// as the officer in headless Chromium at 360×740, in both languages: the
// page never scrolls sideways, and each case of the list shows its code,
// risk and deadline inside the screen. Skipped without Chromium unless
// MANGLANH_TEST_ALL=1. With MANGLANH_SHOTS=DIR it keeps screenshots.
func TestStaffHomeAndCaseListOnAPhone(t *testing.T) {
	ctx := phoneBrowser(t)
	f := newExtraFixture(t)
	for i := range 3 {
		id := f.newCase(t, fmt.Sprintf("Trẻ %d", i), "Tin nhắn lạ đòi chuyển khoản gấp", false)
		if i == 0 { // received 11 hours ago: the emergency deadline is near
			c, _ := f.cs.GetCase(context.Background(), id)
			c.ReceivedAt = time.Now().Add(-11 * time.Hour)
			if err := f.cs.UpdateCase(context.Background(), c); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.signIn(f.users["officer"])
	// Every case cell's right edge, and how many there are.
	const cells = `(() => { const td = Array.from(document.querySelectorAll('table.cases td, .case-card'));
		return JSON.stringify({n: td.length, right: Math.max(0, ...td.map(e => e.getBoundingClientRect().right))}); })()`
	for _, page := range []string{"/can-bo", "/can-bo/ho-so", "/can-bo/han-xu-ly"} {
		for _, lang := range []string{"vi", "en"} {
			if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(f.ts.URL+page+"?lang="+lang)); err != nil {
				t.Fatal(err)
			}
			w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if w > 360 {
				t.Errorf("%s %s scrolls sideways: scrollWidth %d", page, lang, w)
			}
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](cells))
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				N     int
				Right float64
			}
			if err := json.Unmarshal([]byte(raw), &got); err != nil {
				t.Fatal(err)
			}
			if got.N == 0 || got.Right > 360 {
				t.Errorf("%s %s: %d case cells, right edge %.0f px (want some, within 360)", page, lang, got.N, got.Right)
			}
			if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
				buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				name := map[string]string{"/can-bo": "staff-home", "/can-bo/ho-so": "case-list", "/can-bo/han-xu-ly": "deadlines"}[page]
				os.WriteFile(filepath.Join(dir, name+"-"+lang+".png"), buf, 0o644)
			}
		}
	}
}
