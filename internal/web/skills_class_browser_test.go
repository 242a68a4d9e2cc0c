package web

import (
	"context"
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

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

// browserTab opens a tab of a fresh headless Chromium: a 360×740 phone
// (JavaScript off when noJS) or a 1280×800 classroom screen. It skips
// without Chromium unless MANGLANH_TEST_ALL=1. Every browser test of this
// package opens its tabs here.
func browserTab(t *testing.T, phone, noJS bool) context.Context {
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
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true))
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	ctx, cancel := context.WithTimeout(bctx, 120*time.Second)
	t.Cleanup(cancel)
	var steps []chromedp.Action[chromedp.Void]
	if phone {
		steps = append(steps, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	} else {
		steps = append(steps, chromedp.EmulateViewport(1280, 800))
	}
	if noJS {
		steps = append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("tab: %v", err)
	}
	return ctx
}

// TestClassSessionInBrowsers: a teacher's classroom screen (JavaScript
// on) starts a session for class 7A; three pupils' phones at 360 px join
// with nicknames, one with JavaScript off, and answer question 1; the
// teacher's screen shows the three answers without anyone pressing
// refresh; ending the session shows the results, and the school's
// coverage counts three more pupils at lower secondary.
func TestClassSessionInBrowsers(t *testing.T) {
	f := newActivityFixture(t)
	f.signIn(f.users["school"])
	teacher := browserTab(t, false, false)
	shot := func(ctx context.Context, name string) {
		t.Helper()
		if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
	eval := func(ctx context.Context, js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	click := func(ctx context.Context, sel string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	coverage := func() int {
		t.Helper()
		cov, err := f.prog.Coverage(context.Background(), program.Actor{Role: program.RoleOfficer, TenantID: program.DefaultTenant}, program.Days(time.Now().AddDate(-1, 0, 0), time.Now().AddDate(0, 0, 1), cases.DefaultLocation()))
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range cov.BySchool {
			if sc.SchoolID == testSchoolOrg {
				return sc.Reached[program.LevelLowerSecondary]
			}
		}
		return 0
	}
	before := coverage()
	if _, err := chromedp.Run(teacher, chromedp.NavigateResponse(f.ts.URL+"/can-bo/ky-nang-so")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(teacher, chromedp.SetValue(chromedp.ID("c-grade"), "7"), chromedp.SetValue(chromedp.ID("c-class"), "7A")); err != nil {
		t.Fatal(err)
	}
	click(teacher, `.class-start button`)
	code := eval(teacher, `document.querySelector('.class-code').innerText`)
	screen := eval(teacher, `location.pathname`)
	shot(teacher, "class-1-screen")

	nicks := []string{"Mèo Con", "Tí Hon", "Gấu 7"}
	var phones []context.Context
	for i, n := range nicks {
		ph := browserTab(t, true, i == 2)
		if _, err := chromedp.Run(ph, chromedp.NavigateResponse(f.ts.URL+"/ky-nang-so/lop/"+code)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ph, chromedp.SetValue(chromedp.ID("j-nick"), n)); err != nil {
			t.Fatal(err)
		}
		click(ph, `.class-join-form button`)
		if body := eval(ph, `document.body.innerText`); !strings.Contains(body, "Chờ thầy cô mở câu hỏi") {
			t.Fatalf("%s does not wait for the first question:\n%.300s", n, body)
		}
		phones = append(phones, ph)
	}
	shot(phones[2], "class-2-pupil-waiting")
	// The teacher's screen (JavaScript on) shows who joined by itself.
	waitText := func(ctx context.Context, want string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			if v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); err == nil && strings.Contains(v, want) {
				return
			}
			time.Sleep(300 * time.Millisecond)
		}
		t.Fatalf("the page never showed %q", want)
	}
	waitText(teacher, "Đã vào: 3 học sinh")
	click(teacher, `form[action$="/tiep"] button`)
	shot(teacher, "class-3-question")
	for i, ph := range phones {
		// The waiting page refreshes itself every 4 s; load it now.
		if _, err := chromedp.Run(ph, chromedp.NavigateResponse(f.ts.URL+"/ky-nang-so/lop/"+code)); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			shot(ph, "class-4-pupil-question")
		}
		if err := chromedp.Do(ph, chromedp.Click(chromedp.CSS(`label[for="chon-`+string(rune('0'+i))+`"]`))); err != nil {
			t.Fatal(err)
		}
		click(ph, `.skills-item button`)
		if body := eval(ph, `document.body.innerText`); !strings.Contains(body, "Ghi nhớ") {
			t.Errorf("pupil %d sees no explanation after answering", i+1)
		}
		if w, err := chromedp.Run(ph, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
			t.Errorf("pupil %d's page scrolls sideways: %d", i+1, w)
		}
	}
	shot(phones[2], "class-5-pupil-answered")
	waitText(teacher, "Đã trả lời: 3/3")
	shot(teacher, "class-6-answers")
	click(teacher, `form[action$="/ket-thuc"] button`)
	waitText(teacher, "Đã tính vào số liệu chương trình: 3 học sinh lớp 7")
	shot(teacher, "class-7-results")
	if got := coverage(); got != before+3 {
		t.Errorf("the school's lower-secondary pupils reached went %d → %d, want +3", before, got)
	}
	if !strings.HasPrefix(screen, "/can-bo/ky-nang-so/") {
		t.Errorf("screen %q", screen)
	}
}
