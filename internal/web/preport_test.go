package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/report"
	"manglanh/internal/secret"
)

// preportForm2025 is a complete editor form for 2025 with one narrative.
func preportForm2025(base, assessment string) url.Values {
	return url.Values{"from": {"01/01/2025"}, "to": {"31/12/2025"}, "base": {base},
		"number": {"05/BC-UBND"}, "place": {"Phù Liễn"}, "date": {"05/01/2026"},
		"title": {"Báo cáo kết quả năm 2025"}, "basis": {"Thực hiện Công văn số 2386/CATP-ANM(Đ3)."},
		"recipients": {"Công an thành phố;\r\n\r\nLưu: VT."}, "sig_capacity": {"TM. ỦY BAN NHÂN DÂN"},
		"sig_deputy": {"KT. CHỦ TỊCH"}, "sig_title": {"PHÓ CHỦ TỊCH"}, "sig_name": {"Nguyễn Văn A"},
		"narr_" + report.NarrAssessment: {assessment}}
}

// newPreportFixture is the shops' fixture with the activities store, so
// that the figures count activities.
func newPreportFixture(t *testing.T) *shopFixture {
	t.Helper()
	f := newShopFixture(t)
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	sealer, _ := secret.New(map[byte][]byte{1: key}, 1)
	acts, err := f.db.Activities(sealer)
	if err != nil {
		t.Fatal(err)
	}
	if f.svc, err = program.New(program.Options{Store: f.db, Activities: acts, Location: cases.DefaultLocation(),
		Schools: fixedSchoolList{{ID: 5, Name: "Trường THCS Phù Liễn"}}}); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Ward: Ward{Name: "Phường Phù Liễn"}, Program: f.svc, Location: cases.DefaultLocation()})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	f.ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(withUser(r.Context(), f.user)))
	})
	return f
}

func (f *shopFixture) as(role string, tenant int64) {
	f.user = &SessionUser{ID: int64(len(role)) + 10*tenant, Name: "Người " + role, Role: role, TenantID: tenant}
}

func (f *shopFixture) versions(t *testing.T) []program.ReportVersion {
	t.Helper()
	loc := cases.DefaultLocation()
	p := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
	vs, err := f.svc.Reports(context.Background(), program.Actor{Role: program.RoleWardAdmin, TenantID: 1}, p)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// withSession adds one communication session in 2025 to the ward.
func (f *shopFixture) withSession(t *testing.T) {
	t.Helper()
	loc := cases.DefaultLocation()
	act := &program.Activity{Kind: program.KindCommunication, Date: time.Date(2025, 3, 4, 0, 0, 0, 0, loc),
		Places: []program.Place{{Kind: program.PlaceResidential, Name: "Tổ dân phố số 3"}}, Organiser: "UBND phường",
		Topic: "An toàn trên mạng", Participants: []program.Participant{{Group: program.GroupParents, Count: 40}}}
	if err := f.svc.CreateActivity(context.Background(), program.Actor{UserID: 1, Role: program.RoleOfficer, TenantID: 1}, act); err != nil {
		t.Fatal(err)
	}
}

const sessionFigure = "Đã tổ chức được 01 buổi truyền thông"

func TestPreportVersions(t *testing.T) {
	f := newPreportFixture(t)
	f.withSession(t)
	editor := "/can-bo/bao-cao-dinh-ky/soan?from=01/01/2025&to=31/12/2025"

	resp, b := f.get(t, "/can-bo/bao-cao-dinh-ky?from=01/01/2025&to=31/12/2025")
	if resp.StatusCode != http.StatusOK || !strings.Contains(b, T("vi", "preport.versions.none")) {
		t.Fatalf("list: %d", resp.StatusCode)
	}
	resp, b = f.get(t, editor)
	if resp.StatusCode != http.StatusOK || !strings.Contains(b, sessionFigure) || !strings.Contains(b, `name="base" value="0"`) {
		t.Fatalf("editor: %d, the computed session is not shown", resp.StatusCode)
	}

	narrative := "Nhận định riêng của phường về năm 2025: <b>tốt</b>."
	resp, _ = f.postMultipart(t, editor, "/can-bo/bao-cao-dinh-ky/soan", preportForm2025("0", narrative))
	if resp.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/can-bo/bao-cao-dinh-ky/\d+\?ok=saved#phien-ban$`).MatchString(resp.Header.Get("Location")) {
		t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	v1 := resp.Header.Get("Location")
	_, b = f.get(t, v1)
	if !strings.Contains(b, T("vi", "preport.ok.saved", 1, "01/01/2025 – 31/12/2025")) || strings.Contains(b, "<b>tốt</b>") || !strings.Contains(pageText([]byte(b)), narrative) {
		t.Error("the version page does not confirm version 1 or does not show the narrative as text")
	}
	if vs := f.versions(t); len(vs) != 1 || len(vs[0].Recipients) != 2 || vs[0].Signature.Deputy != "KT. CHỦ TỊCH" {
		t.Fatalf("stored: %+v", vs)
	}

	// The same form sent again (back and resend): nothing new.
	resp, _ = f.postMultipart(t, editor, "/can-bo/bao-cao-dinh-ky/soan", preportForm2025("0", narrative))
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=same") || len(f.versions(t)) != 1 {
		t.Fatalf("resent form: %d %q, %d versions", resp.StatusCode, resp.Header.Get("Location"), len(f.versions(t)))
	}
	// A stale editor with other text: shown, nothing saved, then saved on
	// the second press.
	resp, b = f.postMultipart(t, editor, "/can-bo/bao-cao-dinh-ky/soan", preportForm2025("0", "Bản khác"))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(b, `id="stale"`) || !strings.Contains(b, "Bản khác") || len(f.versions(t)) != 1 {
		t.Fatalf("stale editor: %d, %d versions", resp.StatusCode, len(f.versions(t)))
	}

	// The next editor starts from version 1's text.
	_, b = f.get(t, editor)
	if !strings.Contains(b, `name="base" value="1"`) || !strings.Contains(b, ">Nhận định riêng của phường về năm 2025: &lt;b&gt;tốt&lt;/b&gt;.</textarea>") ||
		!strings.Contains(b, `value="05/BC-UBND"`) {
		t.Fatal("the next editor is not prefilled from version 1")
	}
	resp, _ = f.postMultipart(t, editor, "/can-bo/bao-cao-dinh-ky/soan", preportForm2025("1", narrative+" Bổ sung."))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second save: %d", resp.StatusCode)
	}
	vs := f.versions(t)
	if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 {
		t.Fatalf("versions: %+v", vs)
	}
	v2 := resp.Header.Get("Location")
	v2 = v2[:strings.IndexByte(v2, '?')]

	// Hostile fields: an error beside the field with the focus, nothing saved.
	for _, c := range []struct {
		name, field, value, key string
	}{
		{"control character", "narr_" + report.NarrAssessment, "Đánh\x07 giá", "narr_" + report.NarrAssessment},
		{"50,000 characters", "narr_" + report.NarrCrime, strings.Repeat("ạ", 50_000), "narr_" + report.NarrCrime},
		{"bad number", "number", "số <5>", "number"},
		{"bad date", "date", "31/02/2026", "date"},
		{"NUL in the place", "place", "Phù\x00Liễn", "place"},
		{"no signer title", "sig_title", "", "sig_title"},
	} {
		form := preportForm2025("2", "Khác hẳn.")
		form.Set(c.field, c.value)
		resp, b := f.postMultipart(t, editor, "/can-bo/bao-cao-dinh-ky/soan", form)
		re := regexp.MustCompile(`id="` + c.key + `-err">[^<]+</p>\s*<(input|textarea)[^>]*id="` + c.key + `"[^>]*aria-invalid="true"[^>]*autofocus`)
		if resp.StatusCode != http.StatusBadRequest || !re.MatchString(b) {
			t.Errorf("%s: %d, no error beside %s with the focus", c.name, resp.StatusCode, c.key)
		}
		if !strings.Contains(b, `<a href="#`+c.key+`">`) {
			t.Errorf("%s: the summary does not link to %s", c.name, c.key)
		}
		if n := len(f.versions(t)); n != 2 {
			t.Fatalf("%s: %d versions saved", c.name, n)
		}
	}

	// Downloads: the version's DOCX has the narrative and a computed figure.
	resp, docx := f.get(t, v2+"/bao-cao.docx")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("docx: %d", resp.StatusCode)
	}
	doc := docxText(t, []byte(docx))
	if !strings.Contains(doc, "Bổ sung.") || !strings.Contains(doc, sessionFigure) || !strings.Contains(doc, "05/BC-UBND") {
		t.Errorf("the DOCX lacks the narrative, the figure or the number")
	}
	for _, u := range []string{v2 + "/bao-cao.pdf", "/can-bo/bao-cao-dinh-ky/hien-tai.pdf?from=01/01/2025&to=31/12/2025"} {
		if resp, pdf := f.get(t, u); resp.StatusCode != http.StatusOK || !strings.HasPrefix(pdf, "%PDF") {
			t.Errorf("%s: %d, not a PDF", u, resp.StatusCode)
		}
	}
	// The current file: the latest version's text with the figures now.
	f.withSession(t)
	_, docx = f.get(t, "/can-bo/bao-cao-dinh-ky/hien-tai.docx?from=01/01/2025&to=31/12/2025")
	if doc := docxText(t, []byte(docx)); !strings.Contains(doc, "Bổ sung.") || !strings.Contains(doc, "Đã tổ chức được 02 buổi truyền thông") {
		t.Error("the current DOCX does not have the latest text with the figures now")
	}
	_, docx = f.get(t, v2+"/bao-cao.docx")
	if doc := docxText(t, []byte(docx)); !strings.Contains(doc, sessionFigure) {
		t.Error("the saved version's DOCX does not keep its snapshot")
	}
	if _, b := f.get(t, v2); !strings.Contains(b, sessionFigure) {
		t.Error("the version page does not show its snapshot's figures")
	}
	if _, b := f.get(t, strings.Split(v1, "?")[0]+"?ok=same"); !strings.Contains(b, T("vi", "preport.ok.same", 1, "01/01/2025 – 31/12/2025")) {
		t.Error("ok=same is not confirmed")
	}

	// Roles.
	for _, c := range []struct {
		role, path string
		want       int
	}{
		{"viewer", "/can-bo/bao-cao-dinh-ky", 200},
		{"police", v2, 200},
		{"police", v2 + "/bao-cao.pdf", 200},
		{"viewer", editor, 403},
		{"school", "/can-bo/bao-cao-dinh-ky", 403},
		{"teacher", v2, 403},
		{"chairman", editor, 200},
		{"ward_admin", editor, 200},
	} {
		f.as(c.role, 1)
		if resp, _ := f.get(t, c.path); resp.StatusCode != c.want {
			t.Errorf("%s GET %s: %d, want %d", c.role, c.path, resp.StatusCode, c.want)
		}
	}
	f.as("viewer", 1)
	if resp, b := f.get(t, v2); strings.Contains(b, `action="`+v2+`/duyet"`) || strings.Contains(b, "soan?tu=") || resp.StatusCode != 200 {
		t.Error("a viewer is offered approval or a new version")
	}
	if resp, _ := f.postMultipart(t, v2, "/can-bo/bao-cao-dinh-ky/soan", preportForm2025("2", "x")); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer saving: %d", resp.StatusCode)
	}
	for _, role := range []string{"officer", "ward_admin"} {
		f.as(role, 1)
		if resp, _ := f.post(t, v2, v2+"/duyet", url.Values{"version": {"2"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s approving: %d", role, resp.StatusCode)
		}
	}

	// The chairman approves version 2; it is frozen.
	f.as("chairman", 1)
	_, b = f.get(t, v2)
	if !strings.Contains(b, T("vi", "preport.approve", 2)) {
		t.Fatal("the chairman is not offered the approval")
	}
	resp, _ = f.post(t, v2, v2+"/duyet", url.Values{"version": {"2"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != v2+"?ok=approved#phien-ban" {
		t.Fatalf("approve: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, b = f.get(t, v2+"?ok=approved")
	if !strings.Contains(b, T("vi", "preport.ok.approved", 2, "01/01/2025 – 31/12/2025")) || !strings.Contains(b, "Đã duyệt bởi Người chairman") || strings.Contains(b, `/duyet"`) {
		t.Error("the approved version does not confirm, name its approver, or still offers approval")
	}
	resp, b = f.post(t, v2, v2+"/duyet", url.Values{"version": {"2"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(b, "Phiên bản 2 đã được duyệt bởi Người chairman") {
		t.Errorf("a second approval: %d", resp.StatusCode)
	}
	// Version 1 was superseded by its number: approving it as "version 2" is refused.
	if resp, _ := f.post(t, v1, strings.Split(v1, "?")[0]+"/duyet", url.Values{"version": {"2"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("approving version 1 as version 2: %d", resp.StatusCode)
	}
	_, b = f.get(t, "/can-bo/bao-cao-dinh-ky?from=01/01/2025&to=31/12/2025")
	if !strings.Contains(b, T("vi", "preport.status.approved")) || !strings.Contains(b, T("vi", "preport.status.draft")) {
		t.Error("the list does not show Đã duyệt and Nháp")
	}
	// A new version from the approved one.
	_, b = f.get(t, "/can-bo/bao-cao-dinh-ky/soan?tu="+strings.TrimPrefix(v2, "/can-bo/bao-cao-dinh-ky/"))
	if !strings.Contains(b, "Bổ sung.</textarea>") || !strings.Contains(b, `name="base" value="2"`) {
		t.Error("a new version from the approved one does not start from its text")
	}

	// Another ward: 404 on every path of this ward's version.
	f.as("officer", 2)
	for _, u := range []string{v2, v2 + "/bao-cao.docx", v2 + "/bao-cao.pdf", "/can-bo/bao-cao-dinh-ky/soan?tu=" + strings.TrimPrefix(v2, "/can-bo/bao-cao-dinh-ky/")} {
		if resp, _ := f.get(t, u); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another ward GET %s: %d", u, resp.StatusCode)
		}
	}
	f.as("chairman", 2)
	if resp, _ := f.post(t, "/can-bo/bao-cao-dinh-ky", strings.Split(v1, "?")[0]+"/duyet", url.Values{"version": {"1"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another ward's chairman approving: %d", resp.StatusCode)
	}
}

func TestPreportEnglish(t *testing.T) {
	f := newPreportFixture(t)
	_, b := f.get(t, "/can-bo/bao-cao-dinh-ky/soan?from=01/01/2025&to=31/12/2025&lang=en")
	for _, want := range []string{T("en", "preport.editor", "01/01/2025 – 31/12/2025"), report.Sections()[0].HeadingEN, T("en", "preport.save"), T("en", "preport.group.results")} {
		if !strings.Contains(pageText([]byte(b)), want) {
			t.Errorf("the English editor lacks %q", want)
		}
	}
	// The language button posts the form as typed: shown again in the
	// other language, nothing saved.
	if !strings.Contains(b, `form="soan" name="doi_ngon_ngu" value="vi"`) {
		t.Fatal("the editor's language switch is not a button of its form")
	}
	form := preportForm2025("0", "Văn bản chưa lưu")
	form.Set("doi_ngon_ngu", "vi")
	form.Set("date", "31/02/2026")
	resp, b := f.postMultipart(t, "/can-bo/bao-cao-dinh-ky/soan?from=01/01/2025&to=31/12/2025&lang=en", "/can-bo/bao-cao-dinh-ky/soan", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(b, "Văn bản chưa lưu</textarea>") || !strings.Contains(b, `value="31/02/2026"`) ||
		!strings.Contains(b, T("vi", "preport.save")) || len(f.versions(t)) != 0 {
		t.Errorf("language switch: %d, text or language lost, or saved", resp.StatusCode)
	}
	for key, m := range preportMessages {
		if m.vi == "" || m.en == "" {
			t.Errorf("%s is missing a language", key)
		}
	}
	for key, m := range indicatorMessages {
		if m.vi == "" || m.en == "" {
			t.Errorf("%s is missing a language", key)
		}
	}
}

func TestPreportPeriodChooser(t *testing.T) {
	f := newShopFixture(t)
	_, b := f.get(t, "/can-bo/bao-cao-dinh-ky")
	if !strings.Contains(b, "from=01%2f01%2f2021&amp;to=31%2f12%2f2025") || !strings.Contains(b, T("vi", "preport.quick.this_year", time.Now().Year())) {
		t.Error("no quick choices")
	}
	resp, b := f.get(t, "/can-bo/bao-cao-dinh-ky?from=32/01/2025&to=31/12/2025")
	if resp.StatusCode != http.StatusBadRequest || !regexp.MustCompile(`id="from-err">[^<]+</p>\s*<input type="text" id="from"[^>]*aria-invalid="true"[^>]*autofocus`).MatchString(b) {
		t.Errorf("a bad day: %d, no error beside the field", resp.StatusCode)
	}
	if resp, _ := f.get(t, "/can-bo/bao-cao-dinh-ky/hien-tai.docx?from=01/01/2026&to=31/12/2025"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a reversed period's download: %d", resp.StatusCode)
	}
}

// postMultipart sends form as multipart/form-data, as the editor's form
// does (a long narrative does not fit an ordinary form's 64 KB).
func (f *shopFixture) postMultipart(t *testing.T, page, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	_, body := f.get(t, page)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	form.Set("csrf", m[1])
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", m[1]) // first, as the page's form sends it
	for k, vs := range form {
		for _, v := range vs {
			if k != "csrf" {
				mw.WriteField(k, v)
			}
		}
	}
	mw.Close()
	resp, err := f.c.Post(f.ts.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// docxText is the text of a DOCX's word/document.xml.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, zf := range z.File {
		if zf.Name == "word/document.xml" {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(x), "")
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}
