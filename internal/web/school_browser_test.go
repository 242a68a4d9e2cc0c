package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"manglanh/internal/alert"
	"manglanh/internal/family"
	"manglanh/internal/querylog"
)

// TestSchoolAndWardPagesInAPhoneBrowser opens the school's page, a
// profile page and the ward's figures in headless Chromium at 360×740
// with JavaScript off: an overlapping network comes back beside the field
// with the focus on it, the profile is then made, and no page scrolls
// sideways, in Vietnamese and English. Skipped without Chromium unless
// MANGLANH_TEST_ALL=1; MANGLANH_SHOTS=DIR keeps screenshots.
func TestSchoolAndWardPagesInAPhoneBrowser(t *testing.T) {
	ctx := noScriptPhone(t)
	f := newSchoolWebFixture(t)
	bg := context.Background()
	seedSchoolFigures(t, f)

	tab := phoneTab{t: t, ctx: ctx, base: f.ts.URL, prefix: ""}
	eval, check, open, submit := tab.eval, tab.check, tab.open, tab.submit

	// School 5's principal types a range of school 6's network.
	f.signIn(f.users["school"])
	open("/can-bo/truong?lang=vi")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("school_name"), "THCS Phù Liễn"),
		chromedp.SetValue(chromedp.ID("school_networks"), "10.6.1.0/24")); err != nil {
		t.Fatal(err)
	}
	submit(`form[action^="/can-bo/truong/tao"] button`)
	got := ""
	for range 30 { // Chromium applies autofocus a moment after the load
		if got = eval(`document.activeElement.id`); got == "school_networks" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != "school_networks" {
		t.Errorf("after the overlap the focus is on %q, want school_networks", got)
	}
	if text := eval(`document.body.innerText`); !strings.Contains(text, "Trường Tiểu học Lê Lợi") {
		t.Errorf("the overlap error does not name the other school: %s", text)
	}
	check("school-error-vi")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("school_networks"), "10.5.0.0/16\n2001:db8:5::/48")); err != nil {
		t.Fatal(err)
	}
	submit(`form[action^="/can-bo/truong/tao"] button`)
	if text := eval(`document.body.innerText`); !strings.Contains(text, T("vi", "school.ok.created")) {
		t.Errorf("no confirmation after making the profile: %s", text)
	}
	check("school-profile-vi")
	submit(`form[action$="/lich-mau"] button`)
	if text := eval(`document.body.innerText`); !strings.Contains(text, T("vi", "school.ok.schoolhours")) || !strings.Contains(text, "07:00–11:30") {
		t.Errorf("school hours preset: %s", text)
	}
	check("school-profile-hours-vi")
	a := staffActorOf(f.users["school"])
	school, _, _ := f.fam.SchoolProfiles(bg, a)
	if school == nil {
		t.Fatal("no school profile after the browser made it")
	}
	if _, err := f.fam.CreateClass(bg, a, family.NewClass{Name: "Phòng máy 1", Networks: []string{"10.5.9.0/24"}}); err != nil {
		t.Fatal(err)
	}
	addSchoolTraffic(t, f, school.Label)
	for _, lang := range []string{"vi", "en"} {
		open("/can-bo/truong?lang=" + lang)
		if n := eval(`String(document.querySelectorAll('svg.chart rect').length)`); n != "8" {
			t.Errorf("the school chart has %s bars, want 8", n)
		}
		check("school-" + lang)
	}

	f.signIn(f.users["officer"])
	for _, lang := range []string{"vi", "en"} {
		open("/can-bo/gia-dinh-truong-hoc?lang=" + lang)
		if text := eval(`document.body.innerText`); !strings.Contains(text, "Trường THCS Phù Liễn") || !strings.Contains(text, T(lang, "ward.total")) {
			t.Errorf("ward page %s lacks a school or the total", lang)
		}
		check("ward-" + lang)
	}
}

// seedSchoolFigures gives school 6 a profile and the ward two families
// with devices seen this week and last week.
func seedSchoolFigures(t *testing.T, f *schoolWebFixture) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.fam.CreateSchool(ctx, staffActorOf(f.users["school6"]), family.NewSchool{Name: "Tiểu học Lê Lợi",
		Networks: []string{"10.6.0.0/16"}}); err != nil {
		t.Fatal(err)
	}
	for i, login := range []string{"me1@example.vn", "me2@example.vn"} {
		if _, err := f.fam.SignUp(ctx, family.SignUp{Login: login, Password: "con đi học về nhà"}); err != nil {
			t.Fatal(err)
		}
		_, p, err := f.fam.Login(ctx, login, "con đi học về nhà", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		pa := family.Actor{Parent: p}
		org := []int64{testSchoolOrg, testNoAccountOrg}[i]
		kid, err := f.fam.CreateChild(ctx, pa, family.NewChild{Nickname: "Bé", BirthYear: 2014, OrgID: org})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.fam.AddDevice(ctx, pa, kid.ID, "Điện thoại", "android")
		if err != nil {
			t.Fatal(err)
		}
		for w := range 3 + i*3 {
			if err := f.db.MarkDeviceWeeks(ctx, family.WeekStart(time.Now().AddDate(0, 0, -7*w)), []int64{d.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// addSchoolTraffic records blocked attempts on the school's label over
// eight weeks and one alert this week.
func addSchoolTraffic(t *testing.T, f *schoolWebFixture, label string) {
	t.Helper()
	ctx := context.Background()
	var rows []querylog.Hourly
	for w := range 8 {
		at := family.WeekStart(time.Now()).AddDate(0, 0, -7*w).Add(3 * time.Hour)
		rows = append(rows,
			querylog.Hourly{Hour: at, Profile: label, Category: "gambling", Action: querylog.Blocked, Queries: int64(5 + 3*w)},
			querylog.Hourly{Hour: at, Profile: label, Category: "tiktok", Action: querylog.Blocked, Queries: int64(20 - 2*w)},
			querylog.Hourly{Hour: at, Profile: label, Category: "", Action: querylog.Allowed, Queries: 900})
	}
	if err := f.db.AddHourly(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SaveAlert(ctx, &alert.Alert{Time: family.WeekStart(time.Now()).Add(4 * time.Hour), Rule: "dns.repeat", Source: "dns",
		Profile: label, Category: "gambling", Level: "high", Count: 6, Snippet: "nohu.club"}); err != nil {
		t.Fatal(err)
	}
}
