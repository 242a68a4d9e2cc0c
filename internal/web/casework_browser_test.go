package web

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCaseworkPageInAPhoneBrowser opens an open, urgent case with a
// referral nobody received, at 360×740 in Chromium: nothing scrolls
// sideways and every <dl> holds only dt/dd groups (axe definition-list).
// With MANGLANH_SHOTS=DIR it keeps screenshots.
func TestCaseworkPageInAPhoneBrowser(t *testing.T) {
	ctx := phoneBrowser(t)
	f := newExtraFixture(t)
	id := f.newCase(t, "Phạm Thu", "Bị lừa chuyển tiền qua Zalo, đối tượng doạ tung ảnh.", true)
	page := fmt.Sprintf("/can-bo/ho-so/%d", id)
	f.signIn(f.users["ward_admin"])
	c := f.client(t)
	resp, _ := f.post(t, c, page, page+"/refer", url.Values{"org_id": {fmt.Sprint(testNoAccountOrg)}, "consent": {"yes"}})
	loc := resp.Header.Get("Location")
	const dlOK = `Array.from(document.querySelectorAll('dl')).every(dl => {
		const kids = Array.from(dl.children); if (!kids.length) return false;
		return kids.every((k, i) => (k.tagName === 'DT' && kids[i+1] && kids[i+1].tagName === 'DD') ||
			(k.tagName === 'DD' && i > 0 && (kids[i-1].tagName === 'DT' || kids[i-1].tagName === 'DD')));
	})`
	for _, lang := range []string{"vi", "en"} {
		if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(f.ts.URL+loc+"&lang="+lang+"#chuyen-gui")); err != nil {
			t.Fatal(err)
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 360 {
			t.Errorf("%s: the case page scrolls sideways: scrollWidth %d", lang, w)
		}
		if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](dlOK)); !ok {
			t.Errorf("%s: a <dl> holds something else than dt/dd groups", lang)
		}
		if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
			buf, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("chuyen-gui")))
			if err == nil {
				os.WriteFile(filepath.Join(dir, "casework-"+lang+".jpg"), buf, 0o644)
			}
			if buf, err = chromedp.Run(ctx, chromedp.FullScreenshot(80)); err == nil {
				os.WriteFile(filepath.Join(dir, "casework-full-"+lang+".jpg"), buf, 0o644)
			}
		}
	}
}
