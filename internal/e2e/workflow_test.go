package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"manglanh/internal/app"
	"manglanh/internal/cases"
	"manglanh/internal/secret"
	"manglanh/internal/store"
	"manglanh/internal/web"
)

// Staff accounts of the browser tests (passwords pass the policy).
const (
	officerEmail  = "can.bo@phuluyen.gov.vn"
	chairmanEmail = "chu.tich@phuluyen.gov.vn"
	schoolEmail   = "hieu.truong@thcs-phuluyen.edu.vn"
	staffPassword = "Bảo vệ trẻ em 2026!"
	schoolOrg     = 7 // the school the school account belongs to
	otherSchool   = 8
)

// orgNames are the schools' names in the directory.
var orgNames = map[int64]string{schoolOrg: "Trường THCS Phù Liễn", otherSchool: "Trường Tiểu học Phù Liễn"}

var codeRe = regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}$`)

// TestReportAndCaseInBrowser drives the real portal with Chromium at phone
// size: (a) a resident reports with an image and tracks the report, (b)
// the officer and the chairman take the case through Decree 56's steps to
// closure, each with their own 2FA, (c) a school sees only what was
// referred to it, even when it types a case's address.
func TestReportAndCaseInBrowser(t *testing.T) {
	browser := newBrowser(t)
	dir := t.TempDir()
	cfgPath := wardConfig(t, dir, "")
	// The directory, in this order so the two schools are #7 and #8.
	for _, o := range [][2]string{{"Công an phường Phù Liễn", "police"}, {"Hội LHPN phường", "womens_union"},
		{"Đoàn Thanh niên phường", "youth_union"}, {"Trạm y tế phường", "health"},
		{"Phòng Văn hoá – Xã hội thành phố", "city_social_services"}, {"Trường Mầm non Phù Liễn", "school"},
		{"Trường THCS Phù Liễn", "school"}, {"Trường Tiểu học Phù Liễn", "school"}} {
		addOrg(t, cfgPath, o[0], o[1])
	}
	addUser(t, cfgPath, officerEmail, "Nguyễn Thị Hoà", "officer", 0, staffPassword)
	addUser(t, cfgPath, chairmanEmail, "Trần Văn Đức", "chairman", 0, staffPassword)
	addUser(t, cfgPath, schoolEmail, "Lê Thị Lan", "school", schoolOrg, staffPassword)
	srv := startServer(t, cfgPath)
	shots := t.TempDir()
	vi := func(s cases.Status) string { return cases.StaffStatusLabel(s, "vi") }

	// (a) A resident reports from a phone with JavaScript off: public
	// pages must work without it.
	resident := newPhone(t, browser, true)
	const description = "Một người lạ trên Zalo làm quen cháu, tặng thẻ game và đòi cháu gửi ảnh, hẹn gặp ở quán net."
	const reporterName = "Phạm Minh Tuấn"
	img := filepath.Join(dir, "tin-nhan.png")
	screenshotPNG(t, img)
	var code string
	t.Run("resident reports", func(t *testing.T) {
		do(t, resident, "loading a page with a script", chromedp.Navigate(`data:text/html,<title>off</title><script>document.title="on"</script>`))
		if title := get(t, resident, "reading the title", chromedp.Title()); title != "off" {
			t.Fatalf("page scripts still run on the resident's phone (title %q)", title)
		}
		if st := open(t, resident, srv.base+"/bao-cao"); st != http.StatusOK {
			t.Fatalf("/bao-cao: %d", st)
		}
		do(t, resident, "filling in the report form",
			chromedp.Click(chromedp.CSS(`input[name=category][value=grooming]`)),
			chromedp.Click(chromedp.CSS(`input[name=urgent][value=yes]`)),
			chromedp.SendKeys(chromedp.ID("description"), description),
			chromedp.Click(chromedp.CSS(`#buoc-2 summary`)), // the optional steps unfold
			chromedp.Click(chromedp.CSS(`#buoc-3 summary`)),
			chromedp.SendKeys(chromedp.ID("child_age"), "12"),
			chromedp.SendKeys(chromedp.ID("links"), "https://zalo.me/g/lamquen123"),
			chromedp.SetUploadFiles(chromedp.ID("images"), []string{img}),
			chromedp.SendKeys(chromedp.ID("reporter_name"), reporterName),
			chromedp.SendKeys(chromedp.ID("reporter_phone"), "0912345678"),
			chromedp.Click(chromedp.CSS(`input[name=consent]`)),
		)
		fitsPhone(t, resident, "the report form")
		t.Logf("form: %s", screenshot(t, resident, shots, "bao-cao"))
		submit(t, resident, `form.report-form button[type=submit]`)
		noPageErrors(t, resident, "sending the report")
		code = strings.TrimSpace(get(t, resident, "reading the tracking code", chromedp.Text(chromedp.ID("code"))))
		if !codeRe.MatchString(code) {
			t.Fatalf("tracking code %q on the receipt: %s", code, bodyText(t, resident))
		}
		text := bodyText(t, resident)
		for _, want := range []string{"Đã lưu 1 ảnh.", "Bạn cho biết trẻ đang gặp nguy hiểm", "111"} {
			if !strings.Contains(text, want) {
				t.Errorf("receipt lacks %q:\n%s", want, text)
			}
		}
		fitsPhone(t, resident, "the receipt")
		t.Logf("receipt: %s", screenshot(t, resident, shots, "bien-nhan"))

		open(t, resident, srv.base+"/tra-cuu?code="+code)
		if want := "Tình trạng: " + cases.StatusLabel(cases.StatusReceived, "vi"); !strings.Contains(bodyText(t, resident), want) {
			t.Fatalf("/tra-cuu lacks %q:\n%s", want, bodyText(t, resident))
		}
		fitsPhone(t, resident, "the tracking page")

		open(t, resident, srv.base+"/bao-cao?lang=en")
		if title := get(t, resident, "reading the English title", chromedp.Text(chromedp.CSS("h1"))); title != "Report an incident" {
			t.Errorf("English report form title %q", title)
		}
		fitsPhone(t, resident, "the English report form")
	})
	if code == "" {
		t.FailNow()
	}

	// (b) The officer and the chairman handle the case.
	officer := newPhone(t, browser, false)
	var caseURL string
	t.Run("officer and chairman handle the case", func(t *testing.T) {
		signIn(t, officer, srv.base, officerEmail, staffPassword)
		open(t, officer, srv.base+"/can-bo/ho-so")
		fitsPhone(t, officer, "the case list")
		row := get(t, officer, "finding the case in the list", chromedp.Evaluate[string](
			`(() => { const a = Array.from(document.querySelectorAll('td a')).find(a => a.textContent.trim() === `+jsString(code)+`);
			  return a ? a.closest('tr').innerText + '\n' + a.getAttribute('href') : '' })()`))
		if row == "" {
			t.Fatalf("case %s not in the officer's list:\n%s", code, bodyText(t, officer))
		}
		if !strings.Contains(row, web.T("vi", "case.urgent")) {
			t.Errorf("the list does not mark case %s urgent: %q", code, row)
		}
		caseURL = srv.base + row[strings.LastIndex(row, "\n")+1:]
		open(t, officer, caseURL)
		if st := statusOf(t, officer); st != vi(cases.StatusReceived) {
			t.Fatalf("new case status %q, want %q", st, vi(cases.StatusReceived))
		}
		text := bodyText(t, officer)
		for _, want := range []string{description, reporterName, "https://zalo.me/g/lamquen123"} {
			if !strings.Contains(text, want) {
				t.Errorf("the officer's case page lacks %q", want)
			}
		}
		checkEmergencyDeadline(t, officer)
		// The image is lazy: scroll to it, then it must load through the
		// authorised evidence route at its size.
		do(t, officer, "scrolling to the evidence", chromedp.ScrollIntoView(chromedp.CSS(`.evidence img`)))
		loaded := get(t, officer, "loading the evidence image", chromedp.Poll[bool](
			`Array.from(document.querySelectorAll('.evidence img')).filter(i => i.complete && i.naturalWidth === 120).length === 1`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if !loaded {
			t.Errorf("the evidence image is not shown at its size")
		}
		fitsPhone(t, officer, "the case page")
		t.Logf("case: %s", screenshot(t, officer, shots, "ho-so"))

		action := func(name string, fill []chromedp.Action[chromedp.Void], want cases.Status) {
			t.Helper()
			if len(fill) > 0 {
				do(t, officer, "filling in "+name, fill...)
			}
			submit(t, officer, `form[action$="/`+name+`"] button`)
			noPageErrors(t, officer, name)
			if st := statusOf(t, officer); st != vi(want) {
				t.Fatalf("after %s the status is %q, want %q", name, st, vi(want))
			}
		}
		// The report is urgent: the form starts with the emergency ticked,
		// never from "no risk".
		if !get(t, officer, "reading the assessment defaults", chromedp.Evaluate[bool](
			`document.querySelector('form[action$="/assess"] input[name=emergency]').checked && document.getElementById('risk_level').value !== 'none'`)) {
			t.Errorf("the urgent report's assessment form does not start with the emergency ticked")
		}
		action("assess", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.ID("risk_level"), cases.LevelHigh),
			chromedp.SendKeys(chromedp.ID("a_notes"), "Đối tượng đòi ảnh và hẹn gặp: nguy cơ cao."),
		}, cases.StatusAssessed)
		checkEmergencyDeadline(t, officer) // still open until the action is recorded
		action("emergency_action", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("e_action"), "Đã báo Công an phường, gia đình giữ điện thoại của cháu."),
		}, cases.StatusEmergencyIntervention)
		action("needs_assessment", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("n_views"), childViews),
			chromedp.SendKeys(chromedp.ID("n_notes"), "Họp ngày 28/11, chủ tịch phường chủ trì."),
		}, cases.StatusNeedsAssessed)
		due := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
		action("submit_plan", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("task_0"), "Tư vấn tâm lý cho cháu"),
			chromedp.SendKeys(chromedp.ID("owner_0"), "Cán bộ LĐTBXH"),
			chromedp.SetValue(chromedp.ID("due_0"), due),
			chromedp.SendKeys(chromedp.ID("cost_0"), "500.000"),
			chromedp.SendKeys(chromedp.ID("task_1"), "Hướng dẫn gia đình cài bộ lọc"),
			chromedp.SendKeys(chromedp.ID("owner_1"), "Đoàn thanh niên"),
			chromedp.SetValue(chromedp.ID("due_1"), due),
		}, cases.StatusPlanDrafted)
		if text := bodyText(t, officer); !strings.Contains(text, "500.000") || !strings.Contains(text, web.T("vi", "case.deadline.approval")) {
			t.Errorf("the plan page lacks the cost or the approval deadline:\n%s", text)
		}
		if n := get(t, officer, "looking for the approve form", chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/approve_plan"]').length`)); n != 0 {
			t.Errorf("the officer is offered the chairman's approval")
		}

		chairman := newPhone(t, browser, false)
		signIn(t, chairman, srv.base, chairmanEmail, staffPassword)
		open(t, chairman, caseURL)
		if st := statusOf(t, chairman); st != vi(cases.StatusPlanDrafted) {
			t.Fatalf("the chairman sees status %q, want %q", st, vi(cases.StatusPlanDrafted))
		}
		if strings.Contains(bodyText(t, chairman), reporterName) {
			t.Errorf("the chairman sees the reporter's name: Art. 24 keeps it confidential")
		}
		do(t, chairman, "writing the approval", chromedp.SendKeys(chromedp.ID("ap_note"), "Đồng ý kế hoạch."))
		submit(t, chairman, `form[action$="/approve_plan"] button`)
		noPageErrors(t, chairman, "approval")
		if st := statusOf(t, chairman); st != vi(cases.StatusPlanApproved) {
			t.Fatalf("after approval the status is %q, want %q", st, vi(cases.StatusPlanApproved))
		}

		open(t, officer, caseURL)
		if st := statusOf(t, officer); st != vi(cases.StatusPlanApproved) {
			t.Fatalf("the officer sees %q after approval", st)
		}
		action("start_implementation", nil, cases.StatusInProgress)
		action("review", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("rv_outcome"), "Cháu đã ổn định, không còn liên lạc với đối tượng."),
		}, cases.StatusReviewed)
		action("close", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("cl_note"), "Kết thúc hỗ trợ, hồ sơ lưu tại phường."),
		}, cases.StatusClosed)
		if n := get(t, officer, "counting action forms", chromedp.Evaluate[int](`document.querySelectorAll('section.actions form').length`)); n != 0 {
			t.Errorf("a closed case still offers %d actions", n)
		}

		open(t, resident, srv.base+"/tra-cuu?code="+code)
		if want := "Tình trạng: " + cases.StatusLabel(cases.StatusClosed, "vi"); !strings.Contains(bodyText(t, resident), want) {
			t.Errorf("the resident's tracking page lacks %q", want)
		}
		checkStoredRecords(t, srv, code)
	})
	if t.Failed() {
		t.FailNow()
	}

	// (c) A school sees only cases referred to it.
	t.Run("school sees only its referrals", func(t *testing.T) {
		notOurs := postReport(t, srv.base, "Một nhóm học sinh lập nhóm Facebook chế ảnh, chửi bới một bạn lớp 7.")
		ours := postReport(t, srv.base, "Cháu bị bạn cùng trường nhắn tin đe doạ trên Messenger nhiều ngày.")
		notOursURL := refer(t, officer, srv.base, notOurs, otherSchool)
		oursURL := refer(t, officer, srv.base, ours, schoolOrg)

		school := newPhone(t, browser, false)
		signIn(t, school, srv.base, schoolEmail, staffPassword)
		open(t, school, srv.base+"/can-bo/ho-so?loc=all")
		list := bodyText(t, school)
		if !strings.Contains(list, formatCode(ours)) || strings.Contains(list, formatCode(notOurs)) || strings.Contains(list, code) {
			t.Errorf("the school's list should hold %s only:\n%s", formatCode(ours), list)
		}
		if st := open(t, school, notOursURL); st != http.StatusNotFound {
			t.Errorf("the school typed the address of a case referred to another school: HTTP %d, want 404", st)
		}
		if text := bodyText(t, school); strings.Contains(text, "chế ảnh") {
			t.Errorf("the 404 page shows the case:\n%s", text)
		}
		if st := open(t, school, caseURL); st != http.StatusNotFound {
			t.Errorf("the school opened a case never referred: HTTP %d, want 404", st)
		}
		if st := open(t, school, oursURL); st != http.StatusOK {
			t.Fatalf("the school cannot open the case referred to it: HTTP %d", st)
		}
		text := bodyText(t, school)
		if !strings.Contains(text, "đe doạ trên Messenger") {
			t.Errorf("the school's view of its case lacks the narrative:\n%s", text)
		}
		if strings.Contains(text, "Ngô Thị Mai") || strings.Contains(text, "0987654321") {
			t.Errorf("the school sees the reporter's identity:\n%s", text)
		}
		fitsPhone(t, school, "the school's case page")
	})
}

const childViews = "Cháu nói: cháu sợ, muốn bố mẹ giữ điện thoại giúp và không muốn nghỉ học."

// checkEmergencyDeadline finds the 12-hour emergency deadline on a case
// page and checks that it is 12 hours after receipt.
func checkEmergencyDeadline(t *testing.T, ctx context.Context) {
	t.Helper()
	kind := web.T("vi", "case.deadline.emergency")
	line := get(t, ctx, "reading the deadlines", chromedp.Evaluate[string](
		`(Array.from(document.querySelectorAll('li')).find(li => li.textContent.startsWith(`+jsString(kind)+`)) || {textContent: ''}).textContent`))
	if line == "" {
		t.Fatalf("no %q deadline on the case page:\n%s", kind, bodyText(t, ctx))
	}
	summary := get(t, ctx, "reading the case summary", chromedp.Evaluate[string](`document.querySelector('h1 ~ p').textContent`))
	parts := strings.Split(summary, " · ")
	received, err := time.ParseInLocation("15:04 02/01/2006", strings.TrimSpace(parts[3]), cases.DefaultLocation())
	if err != nil {
		t.Fatalf("received time in %q: %v", summary, err)
	}
	// Decree 56 Art. 26: emergency intervention within 12 hours of receipt.
	want := received.Add(12 * time.Hour).Format("15:04 02/01/2006")
	if !strings.Contains(line, want) {
		t.Errorf("emergency deadline %q, want %s (12 h after receipt)", line, want)
	}
}

// checkStoredRecords reads the closed case from the database beside the
// running server: what the forms sent is kept, including the child's views,
// which the case page does not show.
func checkStoredRecords(t *testing.T, srv *server, code string) {
	t.Helper()
	ctx := context.Background()
	sealer, err := secret.LoadOrCreateKey(app.KeyPath(srv.cfg))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.Config{DataDir: srv.cfg.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, err := db.Cases(sealer, filepath.Join(srv.cfg.DataDir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cs.GetCaseByCode(ctx, strings.ReplaceAll(code, "-", ""))
	if err != nil {
		t.Fatalf("case %s in the store: %v", code, err)
	}
	switch {
	case c.Status != cases.StatusClosed:
		t.Errorf("stored status %s", c.Status)
	case c.NeedsAssessment == nil || c.NeedsAssessment.ChildViews != childViews:
		t.Errorf("stored needs assessment %+v, want the child's views %q", c.NeedsAssessment, childViews)
	case c.Emergency == nil || c.Approval == nil || c.Review == nil || c.Plan == nil || len(c.Plan.Items) != 2:
		t.Errorf("stored records: emergency %v, approval %v, review %v, plan %+v", c.Emergency, c.Approval, c.Review, c.Plan)
	case c.Plan.Items[0].CostVND != 500000:
		t.Errorf("plan cost %d, want 500000", c.Plan.Items[0].CostVND)
	}
}

// postReport sends a report through the public JSON API and returns its
// tracking code.
func postReport(t *testing.T, base, description string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"category": "bullying", "description": description,
		"child":    map[string]any{"age": 13, "school": "THCS Phù Liễn"},
		"reporter": map[string]any{"name": "Ngô Thị Mai", "phone": "0987654321", "relation": "mẹ"},
	})
	resp, err := http.Post(base+"/api/v1/reports", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Code string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated || out.Code == "" {
		t.Fatalf("POST /api/v1/reports: %d %+v %v", resp.StatusCode, out, err)
	}
	return out.Code
}

// refer has the officer open the case with code from the list and refer
// it to school org with the family's consent; it returns the case's URL.
func refer(t *testing.T, officer context.Context, base, code string, org int64) string {
	t.Helper()
	open(t, officer, base+"/can-bo/ho-so")
	href := get(t, officer, "finding case "+code, chromedp.Evaluate[string](
		`((Array.from(document.querySelectorAll('td a')).find(a => a.textContent.trim() === `+jsString(formatCode(code))+`)) || {getAttribute: () => ''}).getAttribute('href')`))
	if href == "" {
		t.Fatalf("case %s not in the officer's list", code)
	}
	open(t, officer, base+href)
	do(t, officer, "filling in the referral",
		chromedp.SetValue(chromedp.ID("rf_org"), fmt.Sprint(org)),
		chromedp.Click(chromedp.CSS(`form[action$="/refer"] input[name=consent]`)),
		chromedp.SendKeys(chromedp.ID("rf_note"), "Nhờ nhà trường theo dõi cháu."),
	)
	submit(t, officer, `form[action$="/refer"] button`)
	// A school without an account gets the "nobody received it" alert,
	// which is the page working, not an error.
	if text := bodyText(t, officer); !strings.Contains(text, web.T("vi", "case.hist.refer", orgNames[org])) {
		t.Fatalf("the referral to school %d is not on the case page:\n%s", org, text)
	}
	return base + href
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
