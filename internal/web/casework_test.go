package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"manglanh/internal/cases"
)

// TestReferralNobodyReceivedIsSaid refers a case to a school that has no
// account: the redirect lands on the referral section, the page says at
// once that nobody received it and what to do (call the directory phone,
// print the hand-off), and the badge stays on later views. A referral to
// the school that has an account says how many accounts it reached.
func TestReferralNobodyReceivedIsSaid(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	id := f.newCase(t, "Phạm Thu", "Bị lừa chuyển tiền", true)
	page := fmt.Sprintf("/can-bo/ho-so/%d", id)
	f.signIn(f.users["officer"])

	resp, _ := f.post(t, c, page, page+"/refer", url.Values{"org_id": {fmt.Sprint(testNoAccountOrg)}, "consent": {"yes"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, page+"?ok=refer&r=") || !strings.HasSuffix(loc, "#chuyen-gui") {
		t.Fatalf("refer: HTTP %d, Location %q", resp.StatusCode, loc)
	}
	_, b := f.get(t, c, loc)
	text := pageText(b)
	for _, want := range []string{
		T("vi", "case.ok.refer.nobody", "Trường Tiểu học Lê Lợi"),
		`role="alert"`,
		T("vi", "case.delivery.nobody"),
		`href="tel:02253822456"`,
		T("vi", "case.delivery.todo", "0225 3 822 456"),
		fmt.Sprintf(`href="/can-bo/ho-so/%d/chuyen-111"`, id),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("after referring to an organisation without account, the page lacks %q", want)
		}
	}
	if strings.Contains(text, T("vi", "case.delivery.delivered", 0)) {
		t.Error("the page shows the referral as delivered")
	}
	// Later, without the flash, the badge is still there.
	_, b = f.get(t, c, page)
	if text := pageText(b); !strings.Contains(text, `badge nobody">`+T("vi", "case.delivery.nobody")) ||
		strings.Contains(text, T("vi", "case.ok.refer.nobody", "Trường Tiểu học Lê Lợi")) {
		t.Error("the persistent badge is missing, or the flash repeats without ?ok")
	}
	stored, _ := f.cs.GetCase(context.Background(), id)
	if r := stored.Referrals[0]; r.Delivery != cases.DeliveryNobody || r.DeliveredAccounts != 0 {
		t.Errorf("stored referral %+v", r)
	}

	resp, _ = f.post(t, c, page, page+"/refer", url.Values{"org_id": {fmt.Sprint(testSchoolOrg)}, "consent": {"yes"}})
	_, b = f.get(t, c, resp.Header.Get("Location"))
	if want := T("vi", "case.ok.refer.delivered", "Trường THCS Phù Liễn", 1); !strings.Contains(pageText(b), want) {
		t.Errorf("a delivered referral does not say %q", want)
	}
}

// TestUnknownIdsAreRefused posts #99 as organisation and as assignee:
// both are refused beside their list, in Vietnamese, and nothing is stored.
func TestUnknownIdsAreRefused(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	id := f.newCase(t, "Phạm Thu", "Bị lừa", true)
	page := fmt.Sprintf("/can-bo/ho-so/%d", id)
	for _, tc := range []struct {
		who, action, field, input string
		form                      url.Values
	}{
		{"officer", "refer", "OrgID", "rf_org", url.Values{"org_id": {"99"}, "consent": {"yes"}}},
		{"officer", "refer", "OrgID", "rf_org", url.Values{"org_id": {"abc"}, "consent": {"yes"}}},
		{"ward_admin", "assign", "AssigneeID", "as_id", url.Values{"assignee_id": {"99"}}},
		{"ward_admin", "assign", "AssigneeID", "as_id", url.Values{"assignee_id": {fmt.Sprint(f.users["viewer"].ID)}}},
	} {
		f.signIn(f.users[tc.who])
		resp, b := f.post(t, c, page, page+"/"+tc.action, tc.form)
		text := pageText(b)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s %v: HTTP %d", tc.action, tc.form, resp.StatusCode)
			continue
		}
		re := regexp.MustCompile(`<p class="field-error" id="` + tc.input + `-err">[^<]+</p>\s*<select id="` + tc.input + `"[^>]*aria-invalid="true"[^>]*autofocus`)
		if !re.MatchString(text) {
			t.Errorf("%s %v: the error is not beside %s with the focus", tc.action, tc.form, tc.input)
		}
		if tc.form.Get("org_id") == "99" && !strings.Contains(text, "Không có tổ chức #99 trong danh bạ") {
			t.Errorf("the refusal of #99 does not say so in Vietnamese")
		}
	}
	stored, _ := f.cs.GetCase(context.Background(), id)
	if len(stored.Referrals) != 0 || stored.AssigneeID != 0 {
		t.Errorf("a refused id was stored: %+v %d", stored.Referrals, stored.AssigneeID)
	}
}

// TestAssignByNameConfirms chooses the officer from the list by name and
// role, and the page confirms it at the assignment section.
func TestAssignByNameConfirms(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	id := f.newCase(t, "Phạm Thu", "Bị lừa", true)
	page := fmt.Sprintf("/can-bo/ho-so/%d", id)
	f.signIn(f.users["ward_admin"])
	_, b := f.get(t, c, page)
	officer := f.users["officer"]
	opt := fmt.Sprintf(`<option value="%d">%s (%s)</option>`, officer.ID, officer.Name, T("vi", "auth.role.officer"))
	if !strings.Contains(pageText(b), opt) {
		t.Fatalf("the assignee list lacks %s", opt)
	}
	sel := pageText(b)[strings.Index(pageText(b), `<select id="as_id"`):]
	if sel = sel[:strings.Index(sel, "</select>")]; strings.Contains(sel, f.users["school"].Name) || strings.Contains(sel, f.users["viewer"].Name) {
		t.Error("a school account is offered as assignee")
	}
	resp, _ := f.post(t, c, page, page+"/assign", url.Values{"assignee_id": {fmt.Sprint(officer.ID)}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != page+"?ok=assign#phan-cong" {
		t.Fatalf("assign: HTTP %d to %q", resp.StatusCode, loc)
	}
	_, b = f.get(t, c, page+"?ok=assign")
	text := pageText(b)
	if !strings.Contains(text, T("vi", "case.ok.assign", officer.Name)) || !strings.Contains(text, T("vi", "case.hist.assignee", officer.Name)) {
		t.Error("the assignment is not confirmed by name, or the history does not name the assignee")
	}
}

// TestDetailsAndHandOffAreInTheHistory completes Mẫu 01 on the case page
// and downloads the hand-off: both are steps of the history, naming the
// parts, never the values.
func TestDetailsAndHandOffAreInTheHistory(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	id := f.newCase(t, "Phạm Thu", "Bị lừa", true)
	page := fmt.Sprintf("/can-bo/ho-so/%d", id)
	f.signIn(f.users["officer"])
	form := url.Values{"child_condition": {"Sợ hãi"}, "likely_harm": {"Mất tiền"}, "parents_info": {"Bố: Nguyễn Văn C"},
		"caregiver": {"Bà ngoại"}, "family_situation": {"Bố mẹ đi làm xa"}, "prior_help": {""}}
	resp, _ := f.post(t, c, page, page+"/edit_details", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "#mau-01") {
		t.Fatalf("details: HTTP %d to %q", resp.StatusCode, loc)
	}
	_, b := f.get(t, c, loc)
	text := pageText(b)
	want := T("vi", "case.ok.details", T("vi", "case.field.caregiver")+"; "+T("vi", "case.field.family_situation"))
	if !strings.Contains(text, want) {
		t.Errorf("the confirmation does not say %q", want)
	}
	resp, _ = f.post(t, c, page+"/chuyen-111", page+"/chuyen-111", url.Values{"part": {"child", "family"}})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("hand-off: HTTP %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	_, b = f.get(t, c, page)
	text = pageText(b)
	hist := text[strings.Index(text, `<ol class="history">`):]
	hist = hist[:strings.Index(hist, "</ol>")]
	for _, want := range []string{T("vi", "case.action.edit_details"), T("vi", "case.action.handoff_111"),
		T("vi", "case.hist.parts", T("vi", "handoff.part.child")+"; "+T("vi", "handoff.part.family")),
		f.users["officer"].Name} {
		if !strings.Contains(hist, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
	if strings.Contains(hist, "Bà ngoại") {
		t.Error("the history shows a value of Mẫu 01")
	}
}

// TestUrgentReportNeverLooksCalm: an urgent report the engine rated low
// shows "Khẩn – chưa đánh giá", not a green level, and the assessment form
// starts at High with the emergency box ticked and the 12-hour deadline.
func TestUrgentReportNeverLooksCalm(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	got, err := f.svc.Intake(context.Background(), actorOf(f.users["officer"]), cases.Intake{Category: cases.CategoryScam,
		Channel: cases.ChannelPhone, Urgent: true, SuggestedLevel: cases.LevelLow,
		Sensitive: cases.Sensitive{Description: "Con bị doạ"}})
	if err != nil {
		t.Fatal(err)
	}
	f.signIn(f.users["officer"])
	_, b := f.get(t, c, fmt.Sprintf("/can-bo/ho-so/%d", got.ID))
	text := pageText(b)
	if !strings.Contains(text, `<span class="level-urgent">`+T("vi", "case.triage.urgent")) || strings.Contains(text, `class="level-low"`) {
		t.Error("an urgent unassessed report shows a calm level")
	}
	if !strings.Contains(text, `<option value="high" selected>`) || !regexp.MustCompile(`name="emergency" value="yes" checked`).MatchString(text) {
		t.Error("the assessment form does not start at High with the emergency ticked")
	}
	if strings.Contains(text, `<option value="none" selected>`) {
		t.Error("the assessment form starts from no risk")
	}
	if !strings.Contains(text, "12 giờ từ lúc tiếp nhận") {
		t.Error("the 12-hour deadline is not said")
	}
}

// TestOrganisationDirectoryPage adds, edits with an error, and deactivates
// an organisation as the ward admin; each change confirms itself.
func TestOrganisationDirectoryPage(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	f.signIn(f.users["officer"])
	if resp, _ := f.get(t, c, "/can-bo/to-chuc"); resp.StatusCode == http.StatusOK {
		t.Error("an officer opened the directory admin page")
	}
	f.signIn(f.users["ward_admin"])
	resp, _ := f.post(t, c, "/can-bo/to-chuc", "/can-bo/to-chuc", url.Values{"name": {"Trạm y tế phường 2"}, "kind": {"health"}, "phone": {"0225 3 999 000"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/can-bo/to-chuc?ok=created&id=7#org-7") {
		t.Fatalf("add: HTTP %d to %q", resp.StatusCode, loc)
	}
	_, b := f.get(t, c, loc)
	if !strings.Contains(pageText(b), T("vi", "org.ok.created", "Trạm y tế phường 2")) || !strings.Contains(pageText(b), T("vi", "org.noaccount")) {
		t.Error("the addition is not confirmed, or the organisation without account is not flagged")
	}
	resp, b = f.post(t, c, "/can-bo/to-chuc", "/can-bo/to-chuc", url.Values{"id": {"7"}, "name": {"Trạm y tế phường 2"}, "kind": {"health"}, "phone": {"gọi tôi"}})
	if resp.StatusCode != http.StatusBadRequest || !regexp.MustCompile(`id="o7_phone-err">[^<]+</p>\s*<input type="tel" id="o7_phone"[^>]*aria-invalid="true"`).MatchString(pageText(b)) {
		t.Errorf("a bad phone: HTTP %d, error not beside the field", resp.StatusCode)
	}
	resp, _ = f.post(t, c, "/can-bo/to-chuc", "/can-bo/to-chuc/7/trang-thai", url.Values{"active": {"0"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate: HTTP %d", resp.StatusCode)
	}
	o, err := f.db.Organisation(context.Background(), 7)
	if err != nil || o.Active {
		t.Errorf("after deactivation: %+v, %v", o, err)
	}
	resp, _ = f.post(t, c, "/can-bo/to-chuc", "/can-bo/to-chuc/99/trang-thai", url.Values{"active": {"0"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("deactivating #99: HTTP %d", resp.StatusCode)
	}
}

// TestUserFormChoosesOrganisationByName: the account form lists the
// directory by name; #99, or a school account in the police, is refused.
func TestUserFormChoosesOrganisationByName(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	f.signIn(f.users["ward_admin"])
	_, b := f.get(t, c, "/can-bo/nguoi-dung")
	if text := pageText(b); !strings.Contains(text, `<option value="5">Trường THCS Phù Liễn</option>`) || strings.Contains(text, `name="org_id" value=""`) {
		t.Fatal("the account form does not offer the directory by name")
	}
	for _, org := range []string{"99", "1"} {
		resp, b := f.post(t, c, "/can-bo/nguoi-dung", "/can-bo/nguoi-dung", url.Values{"email": {"gv" + org + "@truong.vn"}, "name": {"Cô Lan"},
			"role": {"school"}, "org_id": {org}, "password": {"tam thoi 12345"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pageText(b), `id="u_org-err"`) {
			t.Errorf("school account in org %s: HTTP %d", org, resp.StatusCode)
		}
	}
	resp, _ := f.post(t, c, "/can-bo/nguoi-dung", "/can-bo/nguoi-dung", url.Values{"email": {"gv@truong.vn"}, "name": {"Cô Lan"},
		"role": {"school"}, "org_id": {"6"}, "password": {"tam thoi 12345"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("school account in school 6: HTTP %d", resp.StatusCode)
	}
	_, b = f.get(t, c, "/can-bo/nguoi-dung")
	if !strings.Contains(pageText(b), "<small>Trường Tiểu học Lê Lợi</small>") {
		t.Error("the account list does not name the organisation")
	}
}
