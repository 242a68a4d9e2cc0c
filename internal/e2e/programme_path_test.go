package e2e

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// fetchBytes downloads url with the tab's cookies (as the download link
// would) and returns the body; it fails the test on a status other than
// 200.
func fetchBytes(t *testing.T, ctx context.Context, url string) []byte {
	t.Helper()
	b64 := get(t, ctx, "downloading "+url, chromedp.Evaluate[string](
		`(async () => { const r = await fetch(`+jsString(url)+`);
		  if (r.status !== 200) return "status " + r.status;
		  const b = new Uint8Array(await r.arrayBuffer()); let s = "";
		  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192));
		  return "ok " + btoa(s) })()`,
		chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	data, ok := strings.CutPrefix(b64, "ok ")
	if !ok {
		t.Fatalf("downloading %s: %s", url, b64)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatalf("downloading %s: %v", url, err)
	}
	return raw
}

// pdfText is the text of a PDF by poppler's pdftotext -layout.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if testAll() {
			t.Fatal("pdftotext (Debian poppler-utils) is not installed")
		}
		t.Skip("pdftotext (Debian poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		head := pdf[:min(len(pdf), 200)]
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("pdftotext: %v: %s (%d bytes starting %q)", err, ee.Stderr, len(pdf), head)
		}
		t.Fatalf("pdftotext: %v (%d bytes starting %q)", err, len(pdf), head)
	}
	return string(out)
}

// pageHas polls the page's text until it contains want.
func pageHas(t *testing.T, ctx context.Context, want string) bool {
	t.Helper()
	for range 20 {
		if strings.Contains(bodyText(t, ctx), want) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// TestOfficerRecordsASessionAndReportsIt walks the programme path the
// issue asks for, at 360×740 with JavaScript off: the officer enters a
// school's enrolment, records a communication session there for 120
// pupils of grade 7, sees the school's coverage change, finds the same
// figure on the dashboard and follows it to the session it counts, writes
// the report's narrative and saves a version; the chairman approves it and
// the PDF, turned into text by pdftotext, shows the session count, the
// coverage and the narrative.
func TestOfficerRecordsASessionAndReportsIt(t *testing.T) {
	browser := newBrowser(t)
	dir := t.TempDir()
	cfgPath := wardConfig(t, dir, "")
	addOrg(t, cfgPath, "Trường THCS Phù Liễn", "school") // #1
	addUser(t, cfgPath, officerEmail, "Nguyễn Thị Hoà", "officer", 0, staffPassword)
	const chairEmail = "chu.tich@phulien.gov.vn"
	addUser(t, cfgPath, chairEmail, "Phạm Văn Nam", "chairman", 0, staffPassword)
	const adminEmail = "quan.tri@phulien.gov.vn"
	addUser(t, cfgPath, adminEmail, "Vũ Thị Mai", "ward_admin", 0, staffPassword)
	srv := startServer(t, cfgPath)
	shots := t.TempDir()
	loc := srv.cfg.Location()
	now := time.Now().In(loc)
	year := now.Year()
	from, to := fmt.Sprintf("01/01/%d", year), fmt.Sprintf("31/12/%d", year)

	officer := newPhone(t, browser, true)
	signIn(t, officer, srv.base, officerEmail, staffPassword)

	// 1. The school's enrolment: 400 pupils in lower secondary.
	if st := open(t, officer, srv.base+"/can-bo/si-so"); st != http.StatusOK {
		t.Fatalf("/can-bo/si-so: %d", st)
	}
	do(t, officer, "typing the enrolment", chromedp.SetValue(chromedp.ID("e-1-lower_secondary"), "400"))
	submit(t, officer, `form[method=post][action="/can-bo/si-so"] button`)
	noPageErrors(t, officer, "saving the enrolment")
	if text := bodyText(t, officer); !strings.Contains(text, "0 / 400") {
		t.Errorf("after the enrolment the school does not show 0 / 400:\n%s", text)
	}

	// 2. A communication session at the school for 120 pupils of grade 7.
	open(t, officer, srv.base+"/can-bo/hoat-dong/moi")
	date := now.Format("02/01/2006")
	do(t, officer, "filling in the session",
		chromedp.SetValue(chromedp.ID("a-date"), date),
		chromedp.SetValue(chromedp.ID("a-place-0"), "school:1"),
		chromedp.SetValue(chromedp.ID("a-topic"), "Nhận diện lừa đảo trực tuyến"),
		chromedp.SetValue(chromedp.ID("a-pgroup-0"), "pupils"),
		chromedp.SetValue(chromedp.ID("a-pschool-0"), "1"),
		chromedp.SetValue(chromedp.ID("a-pgrade-0"), "7"),
		chromedp.SetValue(chromedp.ID("a-pcount-0"), "120"))
	submit(t, officer, `button[name="save"]`)
	noPageErrors(t, officer, "saving the session")
	if want := "Đã ghi buổi truyền thông ngày " + date + " tại Trường THCS Phù Liễn, 120 học sinh."; !pageHas(t, officer, want) {
		t.Errorf("no confirmation %q:\n%s", want, bodyText(t, officer))
	}
	t.Logf("saved: %s", screenshot(t, officer, shots, "programme-1-saved"))

	// 3. The school's coverage follows.
	open(t, officer, srv.base+"/can-bo/si-so")
	if text := bodyText(t, officer); !strings.Contains(text, "120 / 400 · 30,0 %") {
		t.Errorf("coverage did not follow the session:\n%s", text)
	}
	fitsPhone(t, officer, "the enrolment page")
	t.Logf("coverage: %s", screenshot(t, officer, shots, "programme-2-coverage"))

	// 4. The dashboard shows the same figure, and each figure leads to the
	// rows it counts.
	if st := open(t, officer, srv.base+"/can-bo/thong-ke?from="+from+"&to="+to); st != http.StatusOK {
		t.Fatalf("/can-bo/thong-ke: %d", st)
	}
	fitsPhone(t, officer, "the dashboard")
	t.Logf("dashboard: %s", screenshot(t, officer, shots, "programme-3-dashboard"))
	if text := strings.ReplaceAll(bodyText(t, officer), "\u00a0", " "); !strings.Contains(text, "30,0 % (120/400)") {
		t.Errorf("the dashboard does not show the coverage 30,0 %% (120/400):\n%s", text)
	}
	for _, link := range []struct{ what, css string }{
		{"the communication sessions of the period", `a[href^="/can-bo/hoat-dong?"][href*="kind=communication"]`},
		{"the school's activities", `a[href^="/can-bo/hoat-dong?"][href*="school=1"]`},
	} {
		href := get(t, officer, "finding the link to "+link.what, chromedp.Evaluate[string](
			`(document.querySelector('`+link.css+`') || {}).getAttribute ? document.querySelector('`+link.css+`').getAttribute('href') : ''`))
		n := get(t, officer, "reading "+link.what, chromedp.Evaluate[string](
			`(document.querySelector('`+link.css+`') || {textContent: ''}).textContent.trim()`))
		if href == "" || n != "1" {
			t.Errorf("the dashboard's figure for %s is %q → %q, want 1 with a link", link.what, n, href)
			continue
		}
		open(t, officer, srv.base+href)
		rows := get(t, officer, "counting the rows", chromedp.Evaluate[int](
			`new Set(Array.from(document.querySelectorAll('a[href^="/can-bo/hoat-dong/"]')).map(a => a.getAttribute('href')).filter(h => /^\/can-bo\/hoat-dong\/\d+$/.test(h))).size`))
		if rows != 1 || !strings.Contains(bodyText(t, officer), "Nhận diện lừa đảo trực tuyến") {
			t.Errorf("%s (%s) lists %d activities, want the one session", link.what, href, rows)
		}
		open(t, officer, srv.base+"/can-bo/thong-ke?from="+from+"&to="+to)
	}

	// 5. The officer writes the report's narrative and saves a version.
	open(t, officer, srv.base+"/can-bo/bao-cao-dinh-ky/soan?from="+from+"&to="+to)
	const narrative = "Phường phối hợp với nhà trường tổ chức buổi truyền thông cho học sinh lớp 7."
	do(t, officer, "writing the report",
		chromedp.SetValue(chromedp.ID("number"), "12/BC-UBND"),
		chromedp.SetValue(chromedp.ID("recipients"), "UBND thành phố;\nLưu: VT."),
		chromedp.SetValue(chromedp.ID("sig_name"), "Phạm Văn Nam"),
		chromedp.SetValue(chromedp.ID("narr_results_tasks"), narrative))
	if computed := bodyText(t, officer); !strings.Contains(computed, "01 buổi truyền thông") {
		t.Errorf("the editor does not show the computed paragraph with the session:\n%s", computed)
	}
	t.Logf("editor: %s", screenshot(t, officer, shots, "programme-4-editor"))
	submit(t, officer, `form#soan button:not([name])`)
	noPageErrors(t, officer, "saving the report")
	if !pageHas(t, officer, "Đã lưu phiên bản 1") {
		t.Fatalf("no confirmation of version 1 at %s:\n%s", pathOf(t, officer), bodyText(t, officer))
	}
	version, _, _ := strings.Cut(pathOf(t, officer), "?")
	fitsPhone(t, officer, "the version page")
	t.Logf("version: %s", screenshot(t, officer, shots, "programme-5-version"))

	// 6. The chairman approves it; its PDF shows the session, the coverage
	// and the narrative.
	chair := newPhone(t, browser, true)
	signIn(t, chair, srv.base, chairEmail, staffPassword)
	open(t, chair, srv.base+version)
	submit(t, chair, `form[action$="/duyet"] button`)
	noPageErrors(t, chair, "approving the report")
	if text := bodyText(t, chair); !strings.Contains(text, "Đã duyệt") || !strings.Contains(text, "Phạm Văn Nam") {
		t.Errorf("after the approval the version does not say it was approved, by whom:\n%s", text)
	}
	t.Logf("approved: %s", screenshot(t, chair, shots, "programme-6-approved"))
	text := pdfText(t, fetchBytes(t, chair, srv.base+version+"/bao-cao.pdf"))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"12/BC-UBND", "01 buổi truyền thông", "đạt 30% (120/400", "Trường THCS Phù Liễn", narrative, "Phạm Văn Nam"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the approved report's PDF lacks %q:\n%s", want, text)
		}
	}

	// 7. axe-core finds nothing on the pages of the path (a tab with
	// scripts on, which axe needs).
	admin := newPhone(t, browser, false)
	signIn(t, admin, srv.base, adminEmail, staffPassword)
	for _, page := range []string{"/can-bo/thong-ke?from=" + from + "&to=" + to, "/can-bo/bao-cao-dinh-ky?from=" + from + "&to=" + to,
		"/can-bo/bao-cao-dinh-ky/soan?from=" + from + "&to=" + to, version, "/can-bo/chi-tieu", "/can-bo/si-so"} {
		open(t, admin, srv.base+page)
		AxeCheck(t, admin, page)
	}
}
