package web

import (
	"strings"
	"testing"
	"time"

	"manglanh/internal/report"

	"github.com/chromedp/chromedp"
)

// TestPreportOnPhone writes a version of the 2025 report at 360×740 with
// JavaScript off, then the chairman approves it: the editor shows the
// computed session, the version page confirms, nothing scrolls sideways.
func TestPreportOnPhone(t *testing.T) {
	f := newPreportFixture(t)
	f.withSession(t)
	f.as("officer", 1)
	ctx := noScriptPhone(t)
	p := phoneTab{t: t, ctx: ctx, base: f.ts.URL, prefix: "preport-"}
	p.open("/can-bo/bao-cao-dinh-ky?from=01/01/2025&to=31/12/2025")
	p.check("list")
	p.open("/can-bo/bao-cao-dinh-ky/soan?from=01/01/2025&to=31/12/2025")
	if got := p.eval(`document.querySelector('#muc-results_targets .generated').textContent`); !strings.Contains(got, sessionFigure) {
		t.Fatalf("the editor's computed paragraphs: %q", got)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("number"), "05/BC-UBND"),
		chromedp.SetValue(chromedp.ID("recipients"), "Công an thành phố;\nLưu: VT."),
		chromedp.SetValue(chromedp.ID("sig_name"), "Nguyễn Văn A"),
		chromedp.SetValue(chromedp.ID("narr_"+report.NarrAssessment), "Các chỉ tiêu cơ bản đạt; cần thêm buổi sinh hoạt chuyên đề ở trường Tiểu học.")); err != nil {
		t.Fatal(err)
	}
	p.check("editor")
	// A wrong number first: the error beside it, the focus on it, the
	// text typed kept, nothing saved.
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("number"), "số 5")); err != nil {
		t.Fatal(err)
	}
	p.submit(`#soan .actions button`)
	got := ""
	for range 30 { // Chromium applies autofocus a moment after the load
		if got = p.eval(`document.activeElement.id + ' ' + document.querySelector('#number-err').textContent`); got == "number "+T("vi", "report.err.number") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != "number "+T("vi", "report.err.number") {
		t.Fatalf("after a wrong number: %q", got)
	}
	if got := p.eval(`document.querySelector('#narr_assessment').value`); !strings.HasPrefix(got, "Các chỉ tiêu cơ bản đạt") || len(f.versions(t)) != 0 {
		t.Fatalf("the narrative was lost or something was saved: %q", got)
	}
	p.check("editor-error")
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("number"), "05/BC-UBND")); err != nil {
		t.Fatal(err)
	}
	p.submit(`#soan .actions button`)
	if got := p.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : document.title`); got != T("vi", "preport.ok.saved", 1, "01/01/2025 – 31/12/2025") {
		t.Fatalf("after saving: %q", got)
	}
	p.check("version")
	f.as("chairman", 1)
	p.open(p.eval(`location.pathname`))
	p.submit(`#duyet button`)
	if got := p.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); got != T("vi", "preport.ok.approved", 1, "01/01/2025 – 31/12/2025") {
		t.Fatalf("after approving: %q", got)
	}
	p.check("approved")
	p.open("/can-bo/bao-cao-dinh-ky?from=01/01/2025&to=31/12/2025")
	if got := p.eval(`document.querySelector('#pb-1 .status').textContent`); got != T("vi", "preport.status.approved") {
		t.Errorf("the list's status: %q", got)
	}
	p.check("list-versions")
	if vs := f.versions(t); len(vs) != 1 || vs[0].Status != "approved" || vs[0].Signature.Name != "Nguyễn Văn A" {
		t.Fatalf("stored: %+v", vs)
	}
	f.as("officer", 1)
	p.open("/can-bo/chi-tieu")
	p.check("targets")
}
