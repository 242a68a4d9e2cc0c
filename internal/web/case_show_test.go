package web

import (
	"context"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
)

// Texts written into a case by the workflow in caseThroughWorkflow.
const (
	wfReporter    = "Phạm Thị Hoa"
	wfReporterTel = "0911222333"
	wfAssessNote  = "Đối tượng hẹn gặp cháu ở quán net."
	wfEmergency   = "Đã báo Công an phường, gia đình giữ điện thoại."
	wfViews       = "Cháu nói: cháu sợ và muốn tiếp tục đi học."
	wfNeedsNote   = "Họp ngày 28/11 do Chủ tịch phường chủ trì."
	wfTask        = "Tư vấn tâm lý cho cháu"
	wfOwner       = "Cán bộ văn hoá xã hội"
	wfReject      = "Cần ghi rõ kinh phí từng việc."
	wfPlanNote    = "Đã bổ sung kinh phí."
	wfApproval    = "Đồng ý kế hoạch, giao cán bộ theo dõi."
	wfStart       = "Bắt đầu từ thứ Hai."
	wfOutcome     = "Cháu đã ổn định, không còn liên lạc với đối tượng."
	wfReviewNote  = "Gia đình hợp tác tốt."
	wfClose       = "Kết thúc hỗ trợ, hồ sơ lưu tại phường."
	wfReferNote   = "Nhờ nhà trường để ý cháu trong giờ học."
)

// caseThroughWorkflow records a public web report, refers it to school
// org 5 with consent, and takes it through every step by posting the case
// page's forms as the officer and the chairman. It returns the case id.
func caseThroughWorkflow(t *testing.T, f *extraFixture) int64 {
	t.Helper()
	c, err := f.svc.Intake(context.Background(), cases.Actor{Role: cases.RolePublic}, cases.Intake{
		Category: cases.CategoryGrooming, Channel: cases.ChannelWeb,
		Sensitive: cases.Sensitive{ChildName: "Lê Văn Khang", ChildAge: 13, ChildSex: "male",
			Description:  "Một người lạ xin ảnh riêng tư của cháu qua Zalo.",
			ReporterName: wfReporter, ReporterPhone: wfReporterTel, ReporterRelation: "mẹ"}})
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/can-bo/ho-so/%d", c.ID)
	cl := f.client(t)
	due := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
	plan := url.Values{"task_0": {wfTask}, "owner_0": {wfOwner}, "due_0": {due}, "cost_0": {"1.500.000"}}
	for _, st := range []struct {
		who, action string
		form        url.Values
	}{
		{"officer", "refer", url.Values{"org_id": {"5"}, "consent": {"yes"}, "note": {wfReferNote}}},
		{"officer", "assess", url.Values{"risk_level": {cases.LevelHigh}, "emergency": {"yes"}, "notes": {wfAssessNote}}},
		{"officer", "emergency_action", url.Values{"action": {wfEmergency}}},
		{"officer", "needs_assessment", url.Values{"child_views": {wfViews}, "notes": {wfNeedsNote}}},
		{"officer", "submit_plan", plan},
		{"chairman", "reject_plan", url.Values{"reason": {wfReject}}},
		{"officer", "submit_plan", func() url.Values { v := url.Values{"notes": {wfPlanNote}}; maps.Copy(v, plan); return v }()},
		{"chairman", "approve_plan", url.Values{"note": {wfApproval}}},
		{"officer", "start_implementation", url.Values{"note": {wfStart}}},
		{"officer", "review", url.Values{"outcome": {wfOutcome}, "notes": {wfReviewNote}}},
		{"officer", "close", url.Values{"note": {wfClose}}},
	} {
		f.signIn(f.users[st.who])
		resp, body := f.post(t, cl, page, page+"/"+st.action, st.form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s by %s: HTTP %d\n%s", st.action, st.who, resp.StatusCode, body)
		}
	}
	return c.ID
}

// pageText is a page's body with entities decoded, for text assertions.
func pageText(b []byte) string { return html.UnescapeString(string(b)) }

var stampRe = regexp.MustCompile(`^\d{2}/\d{2}/\d{4} \d{2}:\d{2} · `)

// TestCaseShowRecordsPerRole: everything recorded along the workflow is on
// the officer's case page, in the history too, with dd/mm/yyyy HH:MM dates
// in the ward's zone; the chairman reads the records but not the
// reporter; the school the case was referred to reads neither the
// records, nor the notes, nor the reporter.
func TestCaseShowRecordsPerRole(t *testing.T) {
	f := newExtraFixture(t)
	id := caseThroughWorkflow(t, f)
	page := fmt.Sprintf("/can-bo/ho-so/%d", id)
	cl := f.client(t)

	f.signIn(f.users["officer"])
	resp, b := f.get(t, cl, page)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("officer: HTTP %d", resp.StatusCode)
	}
	text := pageText(b)
	records := []string{wfAssessNote, wfEmergency, wfViews, wfNeedsNote, wfTask, wfOwner, "1.500.000 ₫", wfReject,
		wfPlanNote, wfApproval, wfOutcome, wfReviewNote, wfClose, wfReferNote}
	for _, want := range append(records, wfReporter, wfReporterTel, wfStart) {
		if !strings.Contains(text, want) {
			t.Errorf("the officer's case page lacks %q", want)
		}
	}
	// Each step's note is in the history as well as in its record.
	for _, note := range []string{wfAssessNote, wfEmergency, wfViews, wfReject, wfApproval, wfOutcome, wfClose} {
		if n := strings.Count(text, note); n < 2 {
			t.Errorf("%q appears %d time(s): want its record and its history step", note, n)
		}
	}
	if strings.Contains(text, "·  ·") {
		t.Errorf("a history line has an empty actor")
	}
	hist := text[strings.Index(text, `<ol class="history">`):]
	hist = hist[:strings.Index(hist, "</ol>")]
	items := strings.Split(hist, "<li>")[1:]
	if len(items) != 12 {
		t.Fatalf("history has %d steps, want 12:\n%s", len(items), hist)
	}
	if want := T("vi", "case.hist.refer", "Trường THCS Phù Liễn") + " · " + T("vi", "case.hist.consent"); !strings.Contains(items[1], want) {
		t.Errorf("the referral step does not say %q in Vietnamese: %q", want, items[1])
	}
	if !strings.Contains(items[0], T("vi", "case.actor.public")) {
		t.Errorf("the public report's step does not name the public reporter: %q", items[0])
	}
	for _, it := range items {
		if !stampRe.MatchString(it) {
			t.Errorf("history step not dated dd/mm/yyyy HH:MM: %q", it)
		}
	}
	c, err := f.svc.Get(context.Background(), actorOf(f.users["officer"]), id)
	if err != nil {
		t.Fatal(err)
	}
	for name, at := range map[string]time.Time{"closed": c.ClosedAt, "approved": c.Approval.At, "needs": c.NeedsAssessment.At} {
		if want := at.In(cases.DefaultLocation()).Format("02/01/2006 15:04"); !strings.Contains(text, want) {
			t.Errorf("the %s time %s (ward time) is not on the page", name, want)
		}
	}
	if !strings.Contains(text, fmt.Sprintf(`href="/can-bo/ho-so/%d/chuyen-111"`, id)) {
		t.Errorf("the officer's page has no link to the 111 hand-off")
	}
	if resp, _ := f.get(t, cl, fmt.Sprintf("/can-bo/ho-so/%d/chuyen-111", id)); resp.StatusCode != http.StatusOK {
		t.Errorf("the hand-off page the link opens: HTTP %d", resp.StatusCode)
	}

	_, b = f.get(t, cl, page+"?lang=en")
	text = pageText(b)
	for _, want := range []string{"The child's views", "Plan approval", "Reason for closing", "Public reporter", "Review", wfViews} {
		if !strings.Contains(text, want) {
			t.Errorf("the English case page lacks %q", want)
		}
	}

	f.signIn(f.users["chairman"])
	_, b = f.get(t, cl, page)
	text = pageText(b)
	for _, want := range []string{wfViews, wfTask, wfApproval, wfClose} {
		if !strings.Contains(text, want) {
			t.Errorf("the chairman's case page lacks %q", want)
		}
	}
	for _, hidden := range []string{wfReporter, wfReporterTel, "/chuyen-111"} {
		if strings.Contains(text, hidden) {
			t.Errorf("the chairman's case page shows %q", hidden)
		}
	}

	f.signIn(f.users["school"])
	resp, b = f.get(t, cl, page)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("school: HTTP %d", resp.StatusCode)
	}
	text = pageText(b)
	if !strings.Contains(text, "Một người lạ xin ảnh riêng tư") {
		t.Errorf("the school's page lacks the narrative")
	}
	for _, hidden := range append(records, wfReporter, wfReporterTel, wfStart, "/chuyen-111") {
		if strings.Contains(text, hidden) {
			t.Errorf("the school's case page shows %q", hidden)
		}
	}
}

// TestCaseListOffersExports: the list links to the CSV and XLSX exports of
// the same filter, for the roles that may list, and the links answer.
func TestCaseListOffersExports(t *testing.T) {
	f := newExtraFixture(t)
	f.newCase(t, "Nguyễn Thị A", "Bị lừa nạp thẻ.", false)
	cl := f.client(t)
	for _, role := range []string{"officer", "ward_admin", "chairman", "police", "school"} {
		f.signIn(f.users[role])
		resp, b := f.get(t, cl, "/can-bo/ho-so?loc=all")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: list HTTP %d", role, resp.StatusCode)
		}
		for _, link := range []string{"/can-bo/ho-so/xuat.csv?loc=all", "/can-bo/ho-so/xuat.xlsx?loc=all"} {
			if !strings.Contains(string(b), `href="`+link+`"`) {
				t.Errorf("%s: the list has no link to %s", role, link)
				continue
			}
			if resp, _ := f.get(t, cl, link); resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %s answers HTTP %d", role, link, resp.StatusCode)
			}
		}
	}
	f.signIn(f.users["viewer"])
	if resp, b := f.get(t, cl, "/can-bo/ho-so"); resp.StatusCode != http.StatusForbidden || strings.Contains(string(b), "xuat.csv") {
		t.Errorf("viewer: list HTTP %d, or export link shown", resp.StatusCode)
	}
}
