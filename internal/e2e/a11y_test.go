package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"manglanh/internal/web"
)

// npmDir is where .ci/npm's packages are installed (npm ci in .ci/npm):
// axe-core and lighthouse, pinned by its package-lock.json.
// MANGLANH_NODE_MODULES overrides it.
func npmDir() string {
	if d := os.Getenv("MANGLANH_NODE_MODULES"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", ".ci", "npm", "node_modules")
}

// npmFile returns the path of a file under node_modules. Without it the
// test is skipped, unless the full suite runs, where it fails.
func npmFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(npmDir(), rel)
	if _, err := os.Stat(p); err != nil {
		if testAll() {
			t.Fatalf("%s is missing but MANGLANH_TEST_ALL=1: run npm ci in .ci/npm (make npm-deps)", p)
		}
		t.Skipf("%s missing: run npm ci in .ci/npm", p)
	}
	return p
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeViolation is the part of an axe-core result a failure message needs.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// AxeCheck runs axe-core (from .ci/npm/node_modules) on the page the tab
// ctx shows and fails t for every violation of the WCAG 2.1 A and AA rules
// and axe's best practices, naming page. It is meant for reuse on any page
// (the staff case page too): open the page, bring it into the state to
// check (a step open, an error shown), then call AxeCheck. The tab must
// run scripts (axe is injected through DevTools and needs timers).
func AxeCheck(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	for _, v := range axeViolations(t, ctx, page) {
		t.Errorf("axe on %s: %s", page, v)
	}
}

// axeViolations runs axe-core on the page ctx shows and describes each
// violation (rule id first).
func axeViolations(t *testing.T, ctx context.Context, page string) []string {
	t.Helper()
	path := npmFile(t, "axe-core/axe.min.js")
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(path)
		axeSource = string(b)
	})
	if axeErr != nil {
		t.Fatalf("reading axe-core: %v", axeErr)
	}
	get(t, ctx, "injecting axe-core on "+page, chromedp.Evaluate[bool](axeSource+";\ntrue"))
	res := get(t, ctx, "running axe-core on "+page, chromedp.Evaluate[string](`axe.run(document, {
		runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
		resultTypes: ['violations']
	}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(res), &vs); err != nil {
		t.Fatalf("axe-core on %s: %v", page, err)
	}
	var out []string
	for _, v := range vs {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, fmt.Sprintf("… %d more", len(v.Nodes)-3))
				break
			}
			where = append(where, fmt.Sprintf("%v %s", n.Target, n.HTML))
		}
		out = append(out, fmt.Sprintf("%s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(where, "\n\t")))
	}
	return out
}

// TestAxeCheckFindsViolations: the helper really reports what axe finds.
func TestAxeCheckFindsViolations(t *testing.T) {
	npmFile(t, "axe-core/axe.min.js")
	phone := newPhone(t, newBrowser(t), false)
	do(t, phone, "opening a broken page", chromedp.Navigate(`data:text/html,<title>x</title><main><img src="x.png"><a href="/"></a></main>`))
	found := strings.Join(axeViolations(t, phone, "a broken page"), "\n")
	for _, want := range []string{"html-has-lang", "image-alt", "link-name"} {
		if !strings.Contains(found, want) {
			t.Errorf("axe did not report %s; it reported:\n%s", want, found)
		}
	}
}

// TestPublicPagesAccessible walks every public page at 360×740 in
// Vietnamese and English, in each state a person meets it (the report form
// folded and unfolded, with errors, the receipt, the check page empty and
// with a verdict), and runs axe-core on each; it also checks that nothing
// scrolls sideways and keeps a screenshot of each (-shots DIR).
func TestPublicPagesAccessible(t *testing.T) {
	npmFile(t, "axe-core/axe.min.js")
	browser := newBrowser(t)
	srv := startServer(t, wardConfig(t, t.TempDir(), ""))
	setup := setupServer(t)
	shots := t.TempDir()
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			phone := newPhone(t, browser, false)
			check := func(name string) {
				t.Helper()
				fitsPhone(t, phone, name)
				screenshot(t, phone, shots, lang+"-"+name)
				AxeCheck(t, phone, lang+" "+name)
			}
			open(t, phone, srv.base+"/lang/"+lang+"?next=/")
			check("home")
			open(t, phone, srv.base+"/bao-cao")
			check("bao-cao")
			do(t, phone, "unfolding the optional steps",
				chromedp.Click(chromedp.CSS(`#buoc-2 summary`)), chromedp.Click(chromedp.CSS(`#buoc-3 summary`)))
			check("bao-cao-steps")
			// Sent without what is required: the browser's own checks are
			// bypassed (novalidate), as on a phone that has none.
			get(t, phone, "switching the browser's checks off",
				chromedp.Evaluate[bool](`document.getElementById('report-form').noValidate = true`))
			do(t, phone, "sending an incomplete form", chromedp.SendKeys(chromedp.ID("child_age"), "40"))
			submit(t, phone, `#buoc-4 button[type=submit]`)
			// Chromium applies autofocus a moment after the load event on
			// a busy machine: wait up to 3 s for it, without changing focus.
			focused := get(t, phone, "reading the focus", chromedp.Evaluate[string](
				`new Promise(r => { const t0 = Date.now(); (function w() {
				  const id = document.activeElement ? document.activeElement.id : '';
				  if (id || Date.now() - t0 > 3000) r(id); else setTimeout(w, 50) })() })`,
				chromedp.EvalAwaitPromise))
			if focused != "cat-scam" {
				t.Errorf("after the error the focus is on %q, want the first invalid field", focused)
			}
			check("bao-cao-errors")
			do(t, phone, "filling in the report",
				chromedp.Click(chromedp.CSS(`input[name=urgent][value=yes]`)),
				chromedp.Click(chromedp.CSS(`input[name=category][value=scam]`)),
				chromedp.SendKeys(chromedp.ID("description"), "Có người giả làm cô giáo nhắn Zalo đòi chuyển tiền học phí."))
			get(t, phone, "clearing the age", chromedp.Evaluate[bool](`(document.getElementById('child_age').value = '', true)`))
			submit(t, phone, `#buoc-1 button[type=submit]`)
			if p := pathOf(t, phone); p != "/bao-cao/da-nhan" {
				t.Fatalf("after sending: at %s (%s)", p, bodyText(t, phone))
			}
			check("bien-nhan")
			open(t, phone, srv.base+"/tra-cuu")
			check("tra-cuu")
			open(t, phone, srv.base+"/kiem-tra")
			check("kiem-tra")
			do(t, phone, "pasting a message",
				chromedp.SendKeys(chromedp.ID("text"), "Con ơi mẹ bị tai nạn, chuyển khoản gấp 5tr vào stk 123456789 nhé"))
			submit(t, phone, `#check-form button[type=submit]`)
			// The verdict is on screen: its heading is within the viewport.
			top := get(t, phone, "locating the verdict", chromedp.Evaluate[float64](
				`document.getElementById('ket-qua').getBoundingClientRect().top`))
			// A fraction of a pixel above 0 is still on screen: scrolling to
			// the #ket-qua anchor lands on a subpixel offset once the page is
			// tall enough to scroll that far.
			if top < -1 || top > phoneHeight/2 {
				t.Errorf("the verdict starts at %.0f px, want it in the top half of the screen", top)
			}
			check("kiem-tra-ket-qua")
			open(t, phone, srv.base+"/cai-dat")
			check("cai-dat")
			open(t, phone, setup.URL+"/cai-dat?lang="+lang)
			check("cai-dat-day-du")
		})
	}
}

// setupServer is a portal whose set-up page has everything to show: a
// filter address and both kinds of encrypted DNS.
func setupServer(t *testing.T) *httptest.Server {
	t.Helper()
	s, err := web.New(web.Config{Ward: web.Ward{Name: "Phường Phù Liễn", City: "Hải Phòng"}, DNSAddress: "192.168.1.2:53",
		ProfileDomain: "dns.phuonglienbao.vn", DoTListen: "0.0.0.0:853", DoHListen: "0.0.0.0:443"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// TestPublicPagesWithoutJavaScript walks the report form with scripts off:
// the steps fold and unfold, "stay anonymous" hides the identity and the
// consent, the file input is a full touch target, and the language switch
// keeps what was typed.
func TestPublicPagesWithoutJavaScript(t *testing.T) {
	browser := newBrowser(t)
	srv := startServer(t, wardConfig(t, t.TempDir(), ""))
	shots := t.TempDir()
	phone := newPhone(t, browser, true)
	if st := open(t, phone, srv.base+"/bao-cao"); st != http.StatusOK {
		t.Fatalf("/bao-cao: %d", st)
	}
	visible := func(id string) bool {
		return get(t, phone, "measuring #"+id, chromedp.Evaluate[bool](
			`(e => !!e && e.checkVisibility())(document.getElementById(`+jsString(id)+`))`))
	}
	if visible("child_name") {
		t.Error("the optional steps start unfolded")
	}
	do(t, phone, "unfolding step 3", chromedp.Click(chromedp.CSS(`#buoc-3 summary`)))
	if h := get(t, phone, "measuring the file input", chromedp.Evaluate[float64](
		`document.getElementById('images').getBoundingClientRect().height`)); h < 44 {
		t.Errorf("the file input is %.0f px tall, want at least 44", h)
	}
	do(t, phone, "typing", chromedp.Click(chromedp.CSS(`input[name=category][value=bullying]`)),
		chromedp.SendKeys(chromedp.ID("description"), "Bạn cùng lớp chửi cháu trong nhóm Zalo."),
		chromedp.SendKeys(chromedp.ID("suspect_name"), "Nhóm 7A"))
	for _, id := range []string{"reporter_name", "reporter_phone"} {
		if !visible(id) {
			t.Errorf("#%s hidden before choosing to stay anonymous", id)
		}
	}
	do(t, phone, "choosing to stay anonymous", chromedp.Click(chromedp.ID("anonymous")))
	for _, sel := range []string{"reporter_name", "reporter_phone"} {
		if visible(sel) {
			t.Errorf("#%s still shown when anonymous", sel)
		}
	}
	if get(t, phone, "measuring the consent", chromedp.Evaluate[bool](
		`document.querySelector("input[name=consent]").checkVisibility()`)) {
		t.Error("the consent is still shown when anonymous")
	}
	fitsPhone(t, phone, "the report form")
	screenshot(t, phone, shots, "nojs-bao-cao")
	submit(t, phone, `button[name=doi_ngon_ngu]`)
	if title := get(t, phone, "reading the title", chromedp.Text(chromedp.CSS("h1"))); title != "Report an incident" {
		t.Fatalf("after the switch the title is %q", title)
	}
	got := get(t, phone, "reading the form", chromedp.Evaluate[string](
		`[document.getElementById('description').value, document.getElementById('suspect_name').value,
		  document.querySelector('input[name=category]:checked').value, String(document.getElementById('anonymous').checked)].join('|')`))
	if got != "Bạn cùng lớp chửi cháu trong nhóm Zalo.|Nhóm 7A|bullying|true" {
		t.Errorf("the switch lost what was typed: %q", got)
	}
	screenshot(t, phone, shots, "nojs-bao-cao-en")
	submit(t, phone, `#buoc-4 button[type=submit]`)
	if p := pathOf(t, phone); p != "/bao-cao/da-nhan" {
		t.Fatalf("after sending: at %s (%s)", p, bodyText(t, phone))
	}
	code := get(t, phone, "reading the code", chromedp.Text(chromedp.ID("code")))
	do(t, phone, "refreshing the receipt", chromedp.Reload())
	if again := get(t, phone, "reading the code again", chromedp.Text(chromedp.ID("code"))); again != code {
		t.Errorf("the refreshed receipt shows %q, want %q", again, code)
	}
	screenshot(t, phone, shots, "nojs-bien-nhan")
}
