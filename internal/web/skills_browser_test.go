package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestSkillsGameInAPhoneBrowser plays a solo game in a 360×740 tab with
// JavaScript off: pick a level, answer ten situations by tapping an answer
// and "Trả lời", and reach the result; nothing scrolls sideways.
// MANGLANH_SHOTS=dir keeps screenshots of each kind of page.
func TestSkillsGameInAPhoneBrowser(t *testing.T) {
	f, ctx, eval := checkPhoneTab(t)
	shot := func(name string) {
		t.Helper()
		if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
	fits := func(name string) {
		t.Helper()
		if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
			t.Errorf("%s scrolls sideways at 360 px: %d (%v)", name, w, err)
		}
	}
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(f.ts.URL+"/ky-nang-so")); err != nil {
		t.Fatal(err)
	}
	shot("skills-1-home")
	fits("the start page")
	click(`.skills-levels a[href$="cap=primary"]`)
	shot("skills-2-question")
	fits("a question")
	for step := 1; step <= 10; step++ {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`label[for="chon-1"]`))); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		click(`.skills-item button`)
		if step == 1 {
			shot("skills-3-feedback")
			fits("the feedback")
		}
	}
	body := eval(`document.body.innerText`)
	if !strings.Contains(body, "Em đã xong 10 tình huống!") || !strings.Contains(body, "Em chọn đúng") {
		t.Errorf("no result after ten answers:\n%.400s", body)
	}
	shot("skills-4-result")
	fits("the result")
}
