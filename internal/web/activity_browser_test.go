package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"manglanh/internal/program"
)

// TestActivityFormInAPhoneBrowser records a session at a school in
// headless Chromium at 360×740 with JavaScript off: a count out of range
// comes back beside its line with the focus on it, "more lines" adds
// lines, the saved session is confirmed in words, the school's coverage
// follows on /can-bo/si-so, and no page scrolls sideways. Skipped without
// Chromium unless MANGLANH_TEST_ALL=1; MANGLANH_SHOTS=DIR keeps
// screenshots.
func TestActivityFormInAPhoneBrowser(t *testing.T) {
	ctx := noScriptPhone(t)
	f := newActivityFixture(t)
	tab := phoneTab{t: t, ctx: ctx, base: f.ts.URL, prefix: "activity-"}
	f.signIn(f.users["officer"])
	year := program.SchoolYearOf(time.Now().In(f.prog.Location()))
	if err := f.prog.SetEnrolment(context.Background(), programActor(f.users["officer"]),
		program.Enrolment{SchoolID: testSchoolOrg, SchoolYear: year, Level: program.LevelLowerSecondary, Pupils: 400}); err != nil {
		t.Fatal(err)
	}
	tab.open("/can-bo/hoat-dong/moi")
	tab.check("form-vi")
	date := activityDay().Format("02/01/2006")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("a-date"), date),
		chromedp.SetValue(chromedp.ID("a-place-0"), "school:5"),
		chromedp.SetValue(chromedp.ID("a-topic"), "Phòng chống lừa đảo trực tuyến"),
		chromedp.SetValue(chromedp.ID("a-pgroup-0"), "pupils"),
		chromedp.SetValue(chromedp.ID("a-pschool-0"), "5"),
		chromedp.SetValue(chromedp.ID("a-pgrade-0"), "7"),
		chromedp.SetValue(chromedp.ID("a-pcount-0"), "120"),
		chromedp.SetValue(chromedp.ID("a-pgroup-1"), "parents"),
		chromedp.SetValue(chromedp.ID("a-pcount-1"), "999999"),
	); err != nil {
		t.Fatal(err)
	}
	tab.submit(`button[name="save"]`)
	got := ""
	for range 30 { // Chromium applies autofocus a moment after the load
		if got = tab.eval(`document.activeElement.id`); got == "a-pgroup-1" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != "a-pgroup-1" {
		t.Errorf("after the absurd count the focus is on %q, want a-pgroup-1", got)
	}
	if text := tab.eval(`document.body.innerText`); !strings.Contains(text, T("vi", "activity.err.count_range")) {
		t.Errorf("no error beside the line: %s", text)
	}
	tab.check("form-error-vi")
	tab.submit(`button[name="more"][value="rows"]`)
	if n := tab.eval(`String(document.querySelectorAll('select[name^="p_group."]').length)`); n != "12" {
		t.Errorf("%s participant lines after 'more lines', want 12", n)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("a-pcount-1"), "35")); err != nil {
		t.Fatal(err)
	}
	tab.submit(`button[name="save"]`)
	want := "Đã ghi buổi truyền thông ngày " + date + " tại Trường THCS Phù Liễn, 120 học sinh, 35 phụ huynh."
	if text := tab.eval(`document.body.innerText`); !strings.Contains(text, want) {
		t.Errorf("confirmation %q missing: %s", want, text)
	}
	tab.check("saved-vi")
	tab.open("/can-bo/si-so")
	if text := tab.eval(`document.body.innerText`); !strings.Contains(text, "120 / 400 · 30,0 %") {
		t.Errorf("coverage did not follow: %s", text)
	}
	tab.check("coverage-vi")
	tab.open("/can-bo/hoat-dong")
	tab.check("list-vi")
	tab.open("/lang/en?next=/can-bo/hoat-dong/moi")
	tab.open("/can-bo/hoat-dong/moi?lang=en")
	tab.check("form-en")
}
