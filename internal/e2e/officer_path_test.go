package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"manglanh/internal/web"
)

// TestUrgentGroomingOfficerPath walks the officer's path of an urgent
// report as a ward would live it, at 360×740: a resident with JavaScript
// off reports an adult arranging to meet a child tonight and refreshes the
// receipt (still one case); the ward admin sees it on the home page as
// urgent with a high or critical suggestion, finds the assessment starting
// as an emergency, assigns it to the officer by name, refers it to a school
// that has no account and is told nobody received it, and hands it to 111,
// which the history then shows. A language switch mid-form keeps the form.
// axe-core checks the case page.
func TestUrgentGroomingOfficerPath(t *testing.T) {
	browser := newBrowser(t)
	dir := t.TempDir()
	cfgPath := wardConfig(t, dir, "")
	addOrg(t, cfgPath, "Công an phường Phù Liễn", "police")
	addOrg(t, cfgPath, "Trường THCS Lê Lợi", "school") // #2, no account
	const adminEmail = "quan.tri@phuluyen.gov.vn"
	addUser(t, cfgPath, adminEmail, "Vũ Thị Mai", "ward_admin", 0, staffPassword)
	addUser(t, cfgPath, officerEmail, "Nguyễn Thị Hoà", "officer", 0, staffPassword)
	srv := startServer(t, cfgPath)
	shots := t.TempDir()

	resident := newPhone(t, browser, true)
	const description = "Có một người đàn ông lạ trên Zalo hẹn gặp cháu tối nay ở công viên, dặn cháu không được nói với bố mẹ."
	if st := open(t, resident, srv.base+"/bao-cao"); st != http.StatusOK {
		t.Fatalf("/bao-cao: %d", st)
	}
	do(t, resident, "filling in step 1",
		chromedp.Click(chromedp.CSS(`input[name=urgent][value=yes]`)),
		chromedp.Click(chromedp.CSS(`input[name=category][value=grooming]`)),
		chromedp.SendKeys(chromedp.ID("description"), description))
	// The language switch mid-form keeps what was typed.
	submit(t, resident, `button[name=doi_ngon_ngu]`)
	if got := get(t, resident, "reading the description", chromedp.Evaluate[string](`document.getElementById('description').value`)); got != description {
		t.Fatalf("after the language switch the description is %q", got)
	}
	if lang := get(t, resident, "reading the language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
		t.Errorf("after the switch the page is in %q", lang)
	}
	submit(t, resident, `#buoc-1 button[type=submit]`)
	noPageErrors(t, resident, "sending the report")
	code := strings.TrimSpace(get(t, resident, "reading the code", chromedp.Text(chromedp.ID("code"))))
	if !codeRe.MatchString(code) {
		t.Fatalf("tracking code %q: %s", code, bodyText(t, resident))
	}
	// A refresh of the receipt shows it again and sends nothing.
	do(t, resident, "refreshing the receipt", chromedp.Reload())
	if again := strings.TrimSpace(get(t, resident, "reading the code again", chromedp.Text(chromedp.ID("code")))); again != code {
		t.Errorf("after a refresh the receipt shows %q, want %q", again, code)
	}

	admin := newPhone(t, browser, false)
	signIn(t, admin, srv.base, adminEmail, staffPassword)
	open(t, admin, srv.base+"/can-bo")
	fitsPhone(t, admin, "the staff home")
	t.Logf("home: %s", screenshot(t, admin, shots, "home"))
	card := get(t, admin, "reading the first card", chromedp.Evaluate[string](
		`(document.querySelector('.case-card') || {innerText: ''}).innerText`))
	if !strings.Contains(card, code) || !strings.Contains(card, web.T("vi", "case.urgent")) {
		t.Fatalf("the first card of the home page is not the urgent case %s:\n%s", code, card)
	}
	if !strings.Contains(card, web.T("vi", "case.level.critical")) && !strings.Contains(card, web.T("vi", "case.level.high")) {
		t.Errorf("the urgent grooming report is not suggested high or critical:\n%s", card)
	}
	cases := get(t, admin, "counting the cases", chromedp.Evaluate[int](
		`(async () => { const r = await fetch('/can-bo/ho-so'); const h = await r.text();
		  return (h.match(/\/can-bo\/ho-so\/\d+"/g) || []).filter((v, i, a) => a.indexOf(v) === i).length })()`,
		chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if cases != 1 {
		t.Errorf("the case list holds %d cases after one report and a refresh, want 1", cases)
	}

	href := get(t, admin, "reading the case link", chromedp.Evaluate[string](
		`document.querySelector('.case-card a.code').getAttribute('href')`))
	caseURL := srv.base + href
	open(t, admin, caseURL)
	level := get(t, admin, "reading the assessment level", chromedp.Evaluate[string](`document.getElementById('risk_level').value`))
	emergency := get(t, admin, "reading the emergency box", chromedp.Evaluate[bool](`document.querySelector('input[name=emergency]').checked`))
	if (level != "high" && level != "critical") || !emergency {
		t.Errorf("the assessment of an urgent report starts at %q, emergency %v; want high or critical, ticked", level, emergency)
	}

	// Assign by name: the officer is chosen from the list.
	if !get(t, admin, "choosing the officer by name", chromedp.Evaluate[bool](
		`(() => { const s = document.getElementById('as_id');
		  const o = Array.from(s.options).find(o => o.textContent.includes('Nguyễn Thị Hoà'));
		  if (!o) return false; s.value = o.value; return true })()`)) {
		t.Fatalf("the officer is not in the assignee list by name:\n%s", bodyText(t, admin))
	}
	submit(t, admin, `form[action$="/assign"] button`)
	if text := bodyText(t, admin); !strings.Contains(text, web.T("vi", "case.ok.assign", "Nguyễn Thị Hoà")) {
		t.Fatalf("no confirmation of the assignment:\n%s", text)
	}

	// Refer to the school that has no account: the page says nobody got it.
	do(t, admin, "filling in the referral",
		chromedp.SetValue(chromedp.ID("rf_org"), "2"),
		chromedp.Click(chromedp.CSS(`form[action$="/refer"] input[name=consent]`)))
	submit(t, admin, `form[action$="/refer"] button`)
	text := bodyText(t, admin)
	if !strings.Contains(text, web.T("vi", "case.ok.refer.nobody", "Trường THCS Lê Lợi")) ||
		!strings.Contains(text, web.T("vi", "case.delivery.nobody")) {
		t.Fatalf("the referral to a school with no account is not shown as received by nobody:\n%s", text)
	}
	t.Logf("referred: %s", screenshot(t, admin, shots, "chuyen-gui"))

	// The 111 hand-off is downloaded (a POST answered with a file) and
	// then shows in the history.
	open(t, admin, caseURL+"/chuyen-111")
	status := get(t, admin, "downloading the hand-off", chromedp.Evaluate[int](
		`(async () => { const f = document.querySelector('form[action$="/chuyen-111"]');
		  f.querySelectorAll('input[name=part]:not([disabled])').forEach(i => i.checked = true);
		  const r = await fetch(f.action, {method: 'POST', body: new FormData(f)}); await r.blob(); return r.status })()`,
		chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if status != http.StatusOK {
		t.Fatalf("hand-off download: %d", status)
	}
	open(t, admin, caseURL)
	if text := bodyText(t, admin); !strings.Contains(text, strings.TrimSuffix(web.T("vi", "case.hist.parts", ""), ": ")) {
		t.Errorf("the 111 hand-off is not in the history:\n%s", text)
	}
	fitsPhone(t, admin, "the case page")
	AxeCheck(t, admin, "case page")
}
