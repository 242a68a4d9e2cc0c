package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/secret"
	"manglanh/internal/skills"
)

// activityFixture is the case fixture's portal with the programme on: the
// directory's schools 5 (THCS Phù Liễn, with a school account) and 6
// (Tiểu học Lê Lợi, "school6"), and "ward2", an officer of another ward.
type activityFixture struct {
	*extraFixture
	prog *program.Service
}

func newActivityFixture(t *testing.T) *activityFixture {
	t.Helper()
	f := &activityFixture{extraFixture: newExtraFixture(t)}
	now := time.Now()
	for _, u := range []struct {
		key    string
		role   auth.Role
		org    int64
		tenant int64
	}{{"school6", auth.RoleSchool, testNoAccountOrg, 0}, {"ward2", auth.RoleOfficer, 0, 2}} {
		au := &auth.User{Email: u.key + "@phuong.vn", Name: "Người " + u.key, Role: u.role, OrgID: u.org,
			PasswordHash: "h", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := f.db.CreateUser(context.Background(), au); err != nil {
			t.Fatal(err)
		}
		f.users[u.key] = &SessionUser{ID: au.ID, Name: au.Name, Email: au.Email, Role: string(u.role), OrgID: u.org, TenantID: u.tenant}
	}
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	sealer, _ := secret.New(map[byte][]byte{1: key}, 1)
	acts, err := f.db.Activities(sealer)
	if err != nil {
		t.Fatal(err)
	}
	if f.prog, err = program.New(program.Options{Store: f.db, Activities: acts, Location: cases.DefaultLocation(),
		Schools: fixedSchoolList{{ID: testSchoolOrg, Name: "Trường THCS Phù Liễn"}, {ID: testNoAccountOrg, Name: "Trường Tiểu học Lê Lợi"}}}); err != nil {
		t.Fatal(err)
	}
	log, err := audit.New(audit.Config{Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	authSvc, err := auth.NewService(auth.Config{Store: f.db, Audit: log, Hash: auth.HashParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Ward: Ward{Name: "Phường Phù Liễn"}, Auth: authSvc, Cases: f.svc, Evidence: f.cs, Sources: f.db,
		Notices: f.db, Program: f.prog, BaseURL: "https://ml.example.vn", Location: cases.DefaultLocation(),
		SkillsSessions: &skills.Service{Store: f.db, Program: f.prog, Location: cases.DefaultLocation()}})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	f.ts.Close()
	f.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		u := f.user
		f.mu.Unlock()
		if u != nil {
			r = r.WithContext(withUser(r.Context(), u))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.ts.Close)
	return f
}

type fixedSchoolList []program.School

func (l fixedSchoolList) Schools(context.Context) ([]program.School, error) { return l, nil }

// activityDay is a date inside the current school year and not in the
// future: the school year's 1 September plus ten days, or today.
func activityDay() time.Time {
	loc := cases.DefaultLocation()
	now := time.Now().In(loc)
	d := time.Date(program.SchoolYearOf(now), time.September, 11, 0, 0, 0, 0, loc)
	if d.After(now) {
		d = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	}
	return d
}

// sessionForm is a communication session at school 5 with 120 grade-7
// pupils and 6 teachers.
func sessionForm() url.Values {
	return url.Values{"kind": {program.KindCommunication}, "date": {activityDay().Format("02/01/2006")}, "prows": {"3"}, "rows": {"6"},
		"place.0": {fmt.Sprintf("school:%d", testSchoolOrg)}, "organiser": {"UBND phường"}, "topic": {"Phòng chống lừa đảo trực tuyến"},
		"p_group.0": {"pupils"}, "p_school.0": {strconv.Itoa(testSchoolOrg)}, "p_grade.0": {"7"}, "p_count.0": {"120"},
		"p_group.1": {"teachers"}, "p_school.1": {strconv.Itoa(testSchoolOrg)}, "p_count.1": {"6"},
		"attendees": {"Nguyễn Văn An\nTrần Thị Bình"}, "save": {"1"}}
}

var activityLoc = regexp.MustCompile(`^/can-bo/hoat-dong/(\d+)\?ok=(created|updated)#hoat-dong$`)

func (f *activityFixture) record(t *testing.T, c *http.Client, form url.Values) int64 {
	t.Helper()
	resp, body := f.post(t, c, "/can-bo/hoat-dong/moi", "/can-bo/hoat-dong/moi", form)
	m := activityLoc.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("recording: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func (f *activityFixture) count(t *testing.T) int {
	t.Helper()
	_, n, err := f.prog.Activities(context.Background(), program.Actor{Role: program.RoleOfficer}, program.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestActivityRecordShowListDelete(t *testing.T) {
	f := newActivityFixture(t)
	c := f.client(t)
	f.signIn(f.users["officer"])
	resp, body := f.get(t, c, "/can-bo/hoat-dong/moi")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `name="p_count.5"`) || strings.Contains(string(body), `name="p_count.6"`) ||
		!strings.Contains(pageText(body), "Trường Tiểu học Lê Lợi") {
		t.Fatalf("form: %d, want 6 participant lines and the directory's schools", resp.StatusCode)
	}
	// "More lines" shows the form again with six more, saving nothing.
	more := sessionForm()
	more.Set("more", "rows")
	more.Del("save")
	resp, body = f.post(t, c, "/can-bo/hoat-dong/moi", "/can-bo/hoat-dong/moi", more)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `name="p_count.11"`) || !strings.Contains(string(body), `value="120"`) || f.count(t) != 0 {
		t.Fatalf("more lines: %d, %d saved", resp.StatusCode, f.count(t))
	}
	id := f.record(t, c, sessionForm())
	date := activityDay().Format("02/01/2006")
	_, body = f.get(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d?ok=created", id))
	want := "Đã ghi buổi truyền thông ngày " + date + " tại Trường THCS Phù Liễn, 120 học sinh, 6 giáo viên."
	if text := pageText(body); !strings.Contains(text, want) || !strings.Contains(text, "Trần Thị Bình") {
		t.Errorf("confirmation %q missing: %s", want, text)
	}
	// The list with the dashboard's parameters finds it; other filters do not.
	from, to := activityDay().AddDate(0, 0, -1).Format("02/01/2006"), activityDay().Format("2006-01-02")
	for _, tt := range []struct {
		q    string
		want int
	}{
		{"", 1},
		{"?kind=communication&from=" + from + "&to=" + to + "&school=5&group=pupils", 1},
		{"?kind=training", 0},
		{"?school=6", 0},
		{"?group=parents", 0},
		{"?to=" + from, 0},
	} {
		_, body := f.get(t, c, "/can-bo/hoat-dong"+tt.q)
		if got := pageText(body); !strings.Contains(got, T("vi", "activity.count", tt.want)) {
			t.Errorf("list %s: want %d rows", tt.q, tt.want)
		}
	}
	// Delete asks first, then says what it deleted.
	resp, body = f.get(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d/xoa", id))
	if resp.StatusCode != 200 || !strings.Contains(pageText(body), T("vi", "activity.delete.yes")) || f.count(t) != 1 {
		t.Fatalf("confirm step: %d", resp.StatusCode)
	}
	resp, _ = f.post(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d/xoa", id), fmt.Sprintf("/can-bo/hoat-dong/%d/xoa", id), url.Values{})
	if resp.StatusCode != http.StatusSeeOther || f.count(t) != 0 {
		t.Fatalf("delete: %d, %d left", resp.StatusCode, f.count(t))
	}
	_, body = f.get(t, c, resp.Header.Get("Location"))
	if !strings.Contains(pageText(body), "Đã xoá buổi truyền thông ngày "+date+".") {
		t.Errorf("no deletion confirmation: %s", pageText(body))
	}
}

func TestActivityHostileFields(t *testing.T) {
	f := newActivityFixture(t)
	c := f.client(t)
	f.signIn(f.users["officer"])
	long := strings.Repeat("á", 5001)
	for _, tt := range []struct {
		name, field, value, errID string
	}{
		{"date not a date", "date", "32/13/2025", "a-date"},
		{"date before 2000", "date", "31/12/1999", "a-date"},
		{"date far ahead", "date", "01/01/2099", "a-date"},
		{"SQL as a date", "date", "1' OR '1'='1", "a-date"},
		{"unknown kind", "kind", "<script>", "a-kind"},
		{"unknown school id", "place.0", "school:999", "a-place-0"},
		{"not a school id", "place.0", "school:'; DROP TABLE program_activities;--", "a-place-0"},
		{"negative count", "p_count.0", "-5", "a-pgroup-0"},
		{"absurd count", "p_count.0", "999999999", "a-pgroup-0"},
		{"count not a number", "p_count.0", "1e9", "a-pgroup-0"},
		{"grade 10", "p_grade.0", "10", "a-pgroup-0"},
		{"unknown school of pupils", "p_school.0", "999", "a-pgroup-0"},
		{"topic too long", "topic", strings.Repeat("x", 501), "a-topic"},
		{"notes 5001 characters", "notes", long, "a-notes"},
		{"copies for a session", "copies", "10", "a-copies"},
		{"no place", "place.0", "", "a-place-0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := sessionForm()
			form.Set(tt.field, tt.value)
			resp, body := f.post(t, c, "/can-bo/hoat-dong/moi", "/can-bo/hoat-dong/moi", form)
			b := string(body)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			if !regexp.MustCompile(`id="` + tt.errID + `"[^>]*aria-invalid="true"[^>]*autofocus`).MatchString(b) {
				t.Errorf("%s is not marked and focused", tt.errID)
			}
			if !strings.Contains(b, `class="field-error"`) || strings.Contains(b, "<script>\"") {
				t.Errorf("no error beside the field")
			}
			if n := f.count(t); n != 0 {
				t.Errorf("%d activities saved", n)
			}
		})
	}
	// HTML, SQL and control characters are text: saved, shown escaped,
	// control characters gone.
	form := sessionForm()
	form.Set("topic", "<script>alert(1)</script>'; DROP TABLE program_activities;--\x00\x1b\u202e")
	id := f.record(t, c, form)
	_, body := f.get(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d", id))
	if strings.Contains(string(body), "<script>alert") || !strings.Contains(string(body), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("topic not escaped")
	}
	act, err := f.prog.Activity(context.Background(), program.Actor{Role: program.RoleOfficer}, id)
	if err != nil || strings.ContainsAny(act.Topic, "\x00\x1b\u202e") {
		t.Errorf("control characters kept: %q %v", act.Topic, err)
	}
}

func TestActivityByDirectURL(t *testing.T) {
	f := newActivityFixture(t)
	c := f.client(t)
	f.signIn(f.users["officer"])
	form := sessionForm()
	form.Set("place.0", fmt.Sprintf("school:%d", testNoAccountOrg))
	form.Set("p_school.0", strconv.Itoa(testNoAccountOrg))
	form.Set("p_grade.0", "4")
	form.Set("p_school.1", strconv.Itoa(testNoAccountOrg))
	at6 := f.record(t, c, form)
	f.signIn(f.users["school"])
	at5 := f.record(t, c, sessionForm())
	for _, who := range []string{"school", "ward2"} {
		f.signIn(f.users[who])
		for _, p := range []string{"", "/sua", "/xoa"} {
			if resp, _ := f.get(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d%s", at6, p)); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s opens %s of school 6's activity: %d", who, p, resp.StatusCode)
			}
		}
		resp, _ := f.post(t, c, "/can-bo/hoat-dong", fmt.Sprintf("/can-bo/hoat-dong/%d/xoa", at6), url.Values{})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes school 6's activity: %d", who, resp.StatusCode)
		}
		_, body := f.get(t, c, "/can-bo/hoat-dong?school=6")
		if strings.Contains(string(body), fmt.Sprintf("/can-bo/hoat-dong/%d\"", at6)) {
			t.Errorf("%s lists school 6's activity", who)
		}
		_, body = f.get(t, c, "/can-bo/hoat-dong.csv?school=6")
		if strings.Contains(string(body), "Lê Lợi") {
			t.Errorf("%s exports school 6's activity", who)
		}
	}
	f.signIn(f.users["school"])
	if resp, _ := f.get(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d", at5)); resp.StatusCode != 200 {
		t.Errorf("the school cannot open its own activity: %d", resp.StatusCode)
	}
	f.signIn(f.users["viewer"])
	if resp, _ := f.get(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d", at6)); resp.StatusCode != 200 {
		t.Errorf("the viewer cannot read: %d", resp.StatusCode)
	}
	if resp, _ := f.get(t, c, "/can-bo/hoat-dong/moi"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the viewer gets the form: %d", resp.StatusCode)
	}
	resp, _ := f.post(t, c, "/can-bo/hoat-dong", "/can-bo/hoat-dong/moi", sessionForm())
	if resp.StatusCode != http.StatusForbidden || f.count(t) != 2 {
		t.Errorf("the viewer records: %d", resp.StatusCode)
	}
	// A stale edit is refused, nothing overwritten.
	f.signIn(f.users["officer"])
	edit := sessionForm()
	edit.Set("version", "1")
	edit.Set("topic", "Lần sửa thứ nhất")
	resp, _ = f.post(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d/sua", at5), fmt.Sprintf("/can-bo/hoat-dong/%d/sua", at5), edit)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", resp.StatusCode)
	}
	edit.Set("topic", "Ghi đè bản cũ")
	resp, body := f.post(t, c, fmt.Sprintf("/can-bo/hoat-dong/%d/sua", at5), fmt.Sprintf("/can-bo/hoat-dong/%d/sua", at5), edit)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(pageText(body), T("vi", "activity.err.conflict")) {
		t.Errorf("stale edit: %d", resp.StatusCode)
	}
	if a, _ := f.prog.Activity(context.Background(), program.Actor{Role: program.RoleOfficer}, at5); a.Topic != "Lần sửa thứ nhất" {
		t.Errorf("topic %q", a.Topic)
	}
}

func TestActivityExportFormulaInjection(t *testing.T) {
	f := newActivityFixture(t)
	c := f.client(t)
	f.signIn(f.users["officer"])
	form := sessionForm()
	form.Set("topic", `=HYPERLINK("http://evil.example","x")`)
	form.Set("organiser", "+cmd|' /C calc'!A0")
	f.record(t, c, form)
	resp, data := f.get(t, c, "/can-bo/hoat-dong.csv?kind=communication")
	if resp.StatusCode != 200 {
		t.Fatalf("csv: %d", resp.StatusCode)
	}
	rows := readCSV(t, data)
	if len(rows) != 2 || rows[1][6] != `'=HYPERLINK("http://evil.example","x")` || rows[1][5] != "'+cmd|' /C calc'!A0" || rows[1][7] != "120" {
		t.Errorf("csv rows %q", rows)
	}
	resp, data = f.get(t, c, "/can-bo/hoat-dong.xlsx?kind=communication")
	if resp.StatusCode != 200 {
		t.Fatalf("xlsx: %d", resp.StatusCode)
	}
	x := readXLSX(t, data)
	if len(x) != 2 || !strings.HasPrefix(x[1][6], "'=") {
		t.Errorf("xlsx rows %q", x)
	}
	if resp, _ := f.get(t, c, "/can-bo/hoat-dong.csv?from=notadate"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("export with a bad filter: %d", resp.StatusCode)
	}
}

func TestEnrolmentAndCoveragePage(t *testing.T) {
	f := newActivityFixture(t)
	c := f.client(t)
	f.signIn(f.users["officer"])
	f.record(t, c, sessionForm())
	year := program.SchoolYearOf(time.Now().In(cases.DefaultLocation()))
	_, body := f.get(t, c, "/can-bo/si-so")
	text := pageText(body)
	if !strings.Contains(text, T("vi", "enrolment.ward.none")) || !strings.Contains(text, "chưa có sĩ số") || !strings.Contains(text, T("vi", "enrolment.rule")) {
		t.Errorf("before enrolment: %s", text)
	}
	y := strconv.Itoa(year)
	resp, _ := f.post(t, c, "/can-bo/si-so", "/can-bo/si-so", url.Values{"school": {"5"}, "year": {y}, "lower_secondary": {"400"}, "primary": {""}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "#truong-5") {
		t.Fatalf("save: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = f.get(t, c, resp.Header.Get("Location"))
	text = pageText(body)
	for _, want := range []string{fmt.Sprintf("Đã lưu sĩ số năm học %d–%d của Trường THCS Phù Liễn: tiểu học 0, THCS 400.", year, year+1),
		"Toàn phường: 120 / 400 học sinh được tiếp cận (30,0 %).", "120 / 400 · 30,0 %", "Trường có hoạt động trong kỳ: 1 / 2."} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	resp, body = f.post(t, c, "/can-bo/si-so", "/can-bo/si-so", url.Values{"school": {"6"}, "year": {y}, "primary": {"-3"}})
	if resp.StatusCode != http.StatusBadRequest || !regexp.MustCompile(`id="e-6-primary"[^>]*aria-invalid="true"[^>]*autofocus`).Match(body) {
		t.Errorf("bad count: %d", resp.StatusCode)
	}
	f.signIn(f.users["school"])
	resp, _ = f.post(t, c, "/can-bo/si-so", "/can-bo/si-so", url.Values{"school": {"6"}, "year": {y}, "primary": {"300"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("school 5 sets school 6's enrolment: %d", resp.StatusCode)
	}
	_, body = f.get(t, c, "/can-bo/si-so")
	if strings.Contains(pageText(body), "Lê Lợi") {
		t.Errorf("school 5 sees school 6's coverage")
	}
	resp, data := f.get(t, c, "/can-bo/si-so.csv")
	rows := readCSV(t, data)
	if resp.StatusCode != 200 || len(rows) != 3 || rows[2][2] != "400" || rows[2][3] != "120" || rows[2][4] != "30" {
		t.Errorf("coverage csv %d %q", resp.StatusCode, rows)
	}
}
