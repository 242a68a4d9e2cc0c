package web

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestStatsPageInAPhoneBrowser: the statistics page in headless Chromium
// at 360×740 with JavaScript off: no sideways scrolling, the charts fit
// the width, a quick link changes the period, and a bad date comes back
// beside its field with the focus on it. Skipped without Chromium unless
// MANGLANH_TEST_ALL=1; MANGLANH_SHOTS=DIR keeps screenshots.
func TestStatsPageInAPhoneBrowser(t *testing.T) {
	ctx := noScriptPhone(t)
	f := newStatsFixture(t, true)
	tab := phoneTab{t: t, ctx: ctx, base: f.ts.URL, prefix: "stats-"}
	f.signIn(f.users["officer"])
	tab.open(stats2025)
	tab.check("2025")
	right := tab.eval(`String(Math.ceil(Math.max(...Array.from(document.querySelectorAll('svg.chart')).map(e => e.getBoundingClientRect().right))))`)
	if w, err := strconv.Atoi(right); err != nil || w > 360 || w < 200 {
		t.Errorf("the charts reach %s px, want between 200 and 360", right)
	}
	if n := tab.eval(`String(document.querySelectorAll('svg.chart').length)`); n != "6" {
		t.Errorf("%s charts, want 6", n)
	}
	tab.open("/can-bo/thong-ke?from=01/01/2021&to=31/12/2025")
	tab.check("programme")
	if got := tab.eval(`document.querySelector('.now').textContent`); got != T("vi", "stats.period.now", "01/01/2021 – 31/12/2025") {
		t.Errorf("programme period: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("from"), "32/01/2025")); err != nil {
		t.Fatal(err)
	}
	tab.submit("#ky button")
	tab.check("bad-date")
	if got := tab.eval(`document.activeElement.id + ' ' + document.getElementById('from-err').textContent`); got != "from "+T("vi", "stats.err.date") {
		t.Errorf("after a bad date: %q", got)
	}
	tab.open("/can-bo/thong-ke?from=01/01/2025&to=31/12/2025&lang=en")
	tab.check("en")
}
