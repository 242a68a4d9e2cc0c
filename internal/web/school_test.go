package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/family"
)

// schoolHasher hashes at argon2id's lowest cost (tests only).
type schoolHasher struct{}

func (schoolHasher) Hash(p string) (string, error) {
	return auth.HashPassword(p, auth.HashParams{Memory: 64, Time: 1, Threads: 1})
}
func (schoolHasher) Verify(p, h string) (bool, error) { return auth.VerifyPassword(p, h) }

// schoolWebFixture is the case fixture's portal with the families service
// on, and accounts of two schools: school 5's principal ("school") and IT
// teacher ("teacher"), and school 6's principal ("school6").
type schoolWebFixture struct {
	*extraFixture
	fam *family.Service
}

func newSchoolWebFixture(t *testing.T) *schoolWebFixture {
	t.Helper()
	f := &schoolWebFixture{extraFixture: newExtraFixture(t)}
	now := time.Now()
	for _, u := range []struct {
		key  string
		role auth.Role
		org  int64
	}{{"teacher", auth.RoleTeacher, testSchoolOrg}, {"school6", auth.RoleSchool, testNoAccountOrg}} {
		au := &auth.User{Email: u.key + "@truong.vn", Name: "Người " + u.key, Role: u.role, OrgID: u.org,
			PasswordHash: "h", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := f.db.CreateUser(context.Background(), au); err != nil {
			t.Fatal(err)
		}
		f.users[u.key] = &SessionUser{ID: au.ID, Name: au.Name, Email: au.Email, Role: string(u.role), OrgID: u.org}
	}
	var err error
	if f.fam, err = family.New(family.Config{Store: f.db, Hasher: schoolHasher{}, ProfileDomain: "dns.phulien.vn",
		Schools: func(context.Context) ([]family.School, error) {
			return []family.School{{ID: testSchoolOrg, Name: "Trường THCS Phù Liễn"}, {ID: testNoAccountOrg, Name: "Trường Tiểu học Lê Lợi"}}, nil
		}}); err != nil {
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
		Notices: f.db, Families: f.fam, BaseURL: "https://ml.example.vn", Location: cases.DefaultLocation()})
	if err != nil {
		t.Fatal(err)
	}
	f.serve(t, s.Handler())
	return f
}

var schoolCreatedLoc = regexp.MustCompile(`^/can-bo/truong/ho-so/(\d+)\?ok=created#ho-so$`)

// createSchool makes the signed-in school account's profile and returns
// its page.
func (f *schoolWebFixture) createSchool(t *testing.T, c *http.Client, name, nets string) string {
	t.Helper()
	resp, body := f.post(t, c, "/can-bo/truong", "/can-bo/truong/tao", url.Values{"name": {name}, "networks": {nets}})
	m := schoolCreatedLoc.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("creating %s: %d %q %s", name, resp.StatusCode, resp.Header.Get("Location"), body)
	}
	return "/can-bo/truong/ho-so/" + m[1]
}

// TestSchoolPagesByDirectURL: a school sees and changes only its own
// profiles and statistics (another school's id is 404 for every page and
// form), a teacher never opens a case, and the ward page is for the
// ward's staff only.
func TestSchoolPagesByDirectURL(t *testing.T) {
	f := newSchoolWebFixture(t)
	c := f.client(t)
	f.signIn(f.users["school"])
	resp, body := f.get(t, c, "/can-bo/truong")
	if resp.StatusCode != 200 || !strings.Contains(pageText(body), T("vi", "school.new")) {
		t.Fatalf("school page: %d %s", resp.StatusCode, body)
	}
	page := f.createSchool(t, c, "THCS Phù Liễn", "10.1.0.0/16\n2001:db8:1::/48")
	_, body = f.get(t, c, page+"?ok=created")
	if text := pageText(body); !strings.Contains(text, T("vi", "school.ok.created")) || !strings.Contains(text, "2001:db8:1::/48") ||
		!strings.Contains(text, ".dns.phulien.vn") {
		t.Errorf("new profile page lacks the confirmation or networks: %s", text)
	}
	f.signIn(f.users["teacher"])
	if resp, body := f.get(t, c, page); resp.StatusCode != 200 || !strings.Contains(string(body), "10.1.0.0/16") {
		t.Errorf("the teacher of the school cannot open its profile: %d", resp.StatusCode)
	}

	// School 6 reaches none of it, by any URL.
	f.signIn(f.users["school6"])
	if _, body := f.get(t, c, "/can-bo/truong"); strings.Contains(string(body), "10.1.0.0/16") || strings.Contains(string(body), page) {
		t.Error("school 6's page shows school 5's profile")
	}
	if resp, _ := f.get(t, c, page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("school 6 opens school 5's profile: %d", resp.StatusCode)
	}
	for _, part := range []string{"mang", "chan", "lich", "lich-mau", "trang", "ten", "xoa"} {
		resp, _ := f.post(t, c, "/can-bo/truong", page+"/"+part, url.Values{"networks": {"10.1.0.0/16"}, "name": {"x"},
			"site": {"olm.vn"}, "list": {"allow"}})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("school 6 POST %s on school 5's profile: %d", part, resp.StatusCode)
		}
	}
	if p, _ := f.fam.Profile(context.Background(), staffActorOf(f.users["school"]), profileIDOf(t, page)); p == nil || len(p.Networks) != 2 || p.Nickname != "THCS Phù Liễn" {
		t.Errorf("school 6's requests changed school 5's profile: %+v", p)
	}

	// A teacher never opens a case, even one referred to the school.
	id := f.newCase(t, "Trần Văn Nam", "Bị dụ chơi cờ bạc", true)
	f.signIn(f.users["officer"])
	f.post(t, c, fmt.Sprintf("/can-bo/ho-so/%d", id), fmt.Sprintf("/can-bo/ho-so/%d/refer", id),
		url.Values{"org_id": {fmt.Sprint(testSchoolOrg)}, "consent": {"yes"}})
	f.signIn(f.users["teacher"])
	for _, p := range []string{"/can-bo/ho-so", fmt.Sprintf("/can-bo/ho-so/%d", id), "/can-bo/ho-so/xuat.csv?loc=all"} {
		resp, body := f.get(t, c, p)
		if resp.StatusCode == http.StatusOK || strings.Contains(string(body), "Trần Văn Nam") {
			t.Errorf("teacher GET %s: %d", p, resp.StatusCode)
		}
	}
	if _, body := f.get(t, c, "/can-bo"); strings.Contains(string(body), `href="/can-bo/ho-so"`) || !strings.Contains(string(body), `href="/can-bo/truong"`) {
		t.Error("the teacher's home links the cases, or not the school page")
	}

	// Who reaches which page.
	for _, tc := range []struct {
		who, path string
		want      int
	}{
		{"officer", "/can-bo/truong", 403}, {"viewer", "/can-bo/truong", 403}, {"police", "/can-bo/truong", 403},
		{"officer", page, 403}, {"ward_admin", page, 403},
		{"officer", "/can-bo/gia-dinh-truong-hoc", 200}, {"chairman", "/can-bo/gia-dinh-truong-hoc", 200},
		{"ward_admin", "/can-bo/gia-dinh-truong-hoc", 200}, {"viewer", "/can-bo/gia-dinh-truong-hoc", 200},
		{"school", "/can-bo/gia-dinh-truong-hoc", 403}, {"teacher", "/can-bo/gia-dinh-truong-hoc", 403},
		{"police", "/can-bo/gia-dinh-truong-hoc", 403},
	} {
		f.signIn(f.users[tc.who])
		if resp, _ := f.get(t, c, tc.path); resp.StatusCode != tc.want {
			t.Errorf("%s GET %s: %d, want %d", tc.who, tc.path, resp.StatusCode, tc.want)
		}
	}
	f.signIn(f.users["viewer"])
	_, body = f.get(t, c, "/can-bo/gia-dinh-truong-hoc")
	if text := pageText(body); !strings.Contains(text, "Trường THCS Phù Liễn") || !strings.Contains(text, "Trường Tiểu học Lê Lợi") ||
		!strings.Contains(text, T("vi", "ward.total")) || !strings.Contains(text, "<svg") {
		t.Errorf("ward page lacks a school, the total or the chart")
	}
}

// TestSchoolHostileInput: bad, overlapping and hostile networks, a window
// with from = to and a bad site are refused beside their field with focus,
// what was typed is kept, and nothing is saved.
func TestSchoolHostileInput(t *testing.T) {
	f := newSchoolWebFixture(t)
	c := f.client(t)
	f.signIn(f.users["school"])
	page := f.createSchool(t, c, "THCS Phù Liễn", "10.1.0.0/16")
	f.signIn(f.users["school6"])
	for _, tc := range []struct{ nets, want string }{
		{"10.1.5.0/24", "Trường THCS Phù Liễn"},
		{"0.0.0.0/0", "mọi địa chỉ"},
		{"10.2.0.5/16", "ý bạn là 10.2.0.0/16"},
		{"<script>alert(1)</script>", "không phải địa chỉ IP"},
		{"10.2.0.0/16\n10.2.3.0/24", "trùng hoặc nằm lẫn"},
	} {
		resp, body := f.post(t, c, "/can-bo/truong", "/can-bo/truong/tao", url.Values{"name": {"Lê Lợi"}, "networks": {tc.nets}})
		b := string(body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pageText(body), tc.want) ||
			!regexp.MustCompile(`<textarea id="school_networks"[^>]*aria-invalid="true" autofocus`).MatchString(b) ||
			strings.Contains(b, "<script>alert") {
			t.Errorf("networks %q: %d, want the error %q beside the field with focus: %s", tc.nets, resp.StatusCode, tc.want, b)
		}
	}
	if s, _, _ := f.fam.SchoolProfiles(context.Background(), staffActorOf(f.users["school6"])); s != nil {
		t.Fatalf("a refused school profile was saved: %+v", s)
	}
	// In English too.
	_, body := f.post(t, c, "/can-bo/truong?lang=en", "/can-bo/truong/tao?lang=en", url.Values{"name": {"Lê Lợi"}, "networks": {"10.1.5.0/24"}})
	if !strings.Contains(pageText(body), "overlaps network 10.1.0.0/16 of Trường THCS Phù Liễn") {
		t.Errorf("no English overlap error: %s", body)
	}

	f.signIn(f.users["teacher"])
	resp, body := f.post(t, c, page, page+"/lich", url.Values{"sched_name": {"Sáng"}, "sched_days": {"mon", "tue"},
		"sched_from": {"07:00"}, "sched_to": {"07:00"}, "sched_mode": {"block"}, "sched_block": {"tiktok"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pageText(body), "Giờ kết thúc phải khác giờ bắt đầu") ||
		!regexp.MustCompile(`id="sched_to"[^>]*value="07:00" aria-invalid="true" aria-describedby="sched_to-err" autofocus`).Match(body) {
		t.Errorf("from = to: %d %s", resp.StatusCode, body)
	}
	resp, body = f.post(t, c, page, page+"/trang", url.Values{"site": {"http://<b>x</b>"}, "list": {"allow"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pageText(body), T("vi", "school.err.site")) ||
		strings.Contains(string(body), "<b>x</b>") {
		t.Errorf("bad site: %d", resp.StatusCode)
	}
	resp, body = f.post(t, c, page, page+"/mang", url.Values{"networks": {"10.50.0.0/16 ::/0"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pageText(body), "::/0") {
		t.Errorf("bad networks on the profile page: %d", resp.StatusCode)
	}
	p, _ := f.fam.Profile(context.Background(), staffActorOf(f.users["teacher"]), profileIDOf(t, page))
	if len(p.Rules.Schedules) != 0 || len(p.Rules.Allow) != 0 || len(p.Networks) != 1 || p.Networks[0] != "10.1.0.0/16" {
		t.Errorf("a refused form changed the profile: %+v", p)
	}
	if _, body := f.get(t, c, "/can-bo/truong?tuan=2099-01-01"); !strings.Contains(pageText(body), T("vi", "school.week.bad")) {
		t.Error("a future week is not refused")
	}
}

// TestSchoolRulesForms: the school-hours preset, a window, a site allowed
// then removed, the categories: each POST answers 303 to its section with
// a confirmation, and the profile changed.
func TestSchoolRulesForms(t *testing.T) {
	f := newSchoolWebFixture(t)
	c := f.client(t)
	f.signIn(f.users["teacher"])
	page := f.createSchool(t, c, "THCS Phù Liễn", "10.1.0.0/16")
	for _, tc := range []struct {
		part string
		form url.Values
		ok   string
	}{
		{"lich-mau", url.Values{}, "schoolhours#lich"},
		{"lich-mau", url.Values{}, "schoolhours_already#lich"}, // twice: not doubled
		{"lich", url.Values{"sched_name": {"Giờ kiểm tra"}, "sched_days": {"sat"}, "sched_from": {"08:00"}, "sched_to": {"09:30"},
			"sched_mode": {"allow_only"}, "sched_allow": {"olm.vn, vnedu.vn"}}, "schedule#lich"},
		{"trang", url.Values{"site": {"https://www.Hocmai.vn/"}, "list": {"allow"}}, "allowed#trang-web"},
		{"trang", url.Values{"site": {"game.example"}, "list": {"deny"}}, "denied#trang-web"},
		{"trang-xoa", url.Values{"site": {"game.example"}}, "siteremoved#trang-web"},
		{"chan", url.Values{"block": {"adult", "gambling", "tiktok"}, "safe_search": {"moderate"}}, "blocked#chan"},
		{"lich-xoa", url.Values{"index": {"0"}}, "unscheduled#lich"},
		{"ten", url.Values{"name": {"THCS Phù Liễn (cơ sở 2)"}}, "renamed#ten"},
	} {
		resp, body := f.post(t, c, page, page+"/"+tc.part, tc.form)
		if want := page + "?ok=" + tc.ok; resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Fatalf("%s: %d %q, want %q: %s", tc.part, resp.StatusCode, resp.Header.Get("Location"), want, body)
		}
		key := strings.SplitN(tc.ok, "#", 2)[0]
		if _, body := f.get(t, c, resp.Header.Get("Location")); !strings.Contains(pageText(body), T("vi", "school.ok."+key)) {
			t.Errorf("%s: no confirmation", tc.part)
		}
	}
	p, _ := f.fam.Profile(context.Background(), staffActorOf(f.users["teacher"]), profileIDOf(t, page))
	if len(p.Rules.Schedules) != 2 || p.Rules.Schedules[1].Name != "Giờ kiểm tra" || len(p.Rules.Schedules[1].AllowOnly) != 2 ||
		len(p.Rules.Allow) != 1 || p.Rules.Allow[0] != "www.hocmai.vn" || len(p.Rules.Deny) != 0 ||
		p.Rules.SafeSearch != "moderate" || len(p.Rules.Block) != 3 || p.Nickname != "THCS Phù Liễn (cơ sở 2)" {
		t.Errorf("profile after the forms: %+v %+v", p.Nickname, p.Rules)
	}
	// The class: inside the school's network, then the school's page lists it.
	resp, body := f.post(t, c, "/can-bo/truong", "/can-bo/truong/lop", url.Values{"name": {"Phòng máy 1"}, "networks": {"10.1.9.0/24"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("class: %d %s", resp.StatusCode, body)
	}
	if _, body := f.get(t, c, "/can-bo/truong"); !strings.Contains(pageText(body), "Phòng máy 1") || !strings.Contains(string(body), "10.1.9.0/24") {
		t.Error("the class is not listed")
	}
	// Deleting the school is refused while the class remains.
	resp, body = f.post(t, c, page, page+"/xoa", url.Values{})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(pageText(body), "xoá các lớp trước") {
		t.Errorf("deleting a school with a class: %d", resp.StatusCode)
	}
}

func staffActorOf(u *SessionUser) family.Actor {
	return family.Actor{StaffID: u.ID, StaffRole: u.Role, StaffOrgID: u.OrgID}
}

func profileIDOf(t *testing.T, page string) int64 {
	var id int64
	if _, err := fmt.Sscanf(page, "/can-bo/truong/ho-so/%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestUserFormOffersTeacher: the account form offers the teacher role, a
// teacher of a school is created, and a teacher of the police is refused
// beside the organisation field.
func TestUserFormOffersTeacher(t *testing.T) {
	f := newSchoolWebFixture(t)
	c := f.client(t)
	f.signIn(f.users["ward_admin"])
	if _, body := f.get(t, c, "/can-bo/nguoi-dung"); !strings.Contains(pageText(body), `value="teacher"`) ||
		!strings.Contains(pageText(body), T("vi", "auth.role.teacher")) {
		t.Fatal("the account form does not offer the teacher role")
	}
	form := func(org int64) url.Values {
		return url.Values{"email": {fmt.Sprintf("gv%d@truong.vn", org)}, "name": {"Cô Hoa"}, "role": {"teacher"},
			"org_id": {fmt.Sprint(org)}, "password": {"mat khau du dai 123"}}
	}
	if resp, body := f.post(t, c, "/can-bo/nguoi-dung", "/can-bo/nguoi-dung", form(testPoliceOrg)); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a teacher of the police: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.post(t, c, "/can-bo/nguoi-dung", "/can-bo/nguoi-dung", form(testSchoolOrg)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a teacher of a school: %d %s", resp.StatusCode, body)
	}
	u, err := f.db.UserByEmail(context.Background(), fmt.Sprintf("gv%d@truong.vn", testSchoolOrg))
	if err != nil || u.Role != auth.RoleTeacher || u.OrgID != testSchoolOrg {
		t.Errorf("created %+v, %v", u, err)
	}
}

// TestWardFamiliesFigures: the ward page's rows carry the store's counts
// for the chosen week: school 5 and school 6 each one family, one child
// and one device this week; the ward two; three weeks ago, before the
// profiles were made, nothing counts (not even a device-week recorded then).
func TestWardFamiliesFigures(t *testing.T) {
	f := newSchoolWebFixture(t)
	c := f.client(t)
	seedSchoolFigures(t, f)
	f.signIn(f.users["officer"])
	row := func(body []byte, name string) string {
		m := regexp.MustCompile(`<strong>` + regexp.QuoteMeta(name) + `</strong></td>((?:<td[^>]*>[^<]*</td>){4})`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("no row for %s", name)
		}
		return regexp.MustCompile(`<td[^>]*>([^<]*)</td>`).ReplaceAllString(string(m[1]), "$1 ")
	}
	_, body := f.get(t, c, "/can-bo/gia-dinh-truong-hoc")
	for name, want := range map[string]string{"Trường THCS Phù Liễn": "1 1 1 0 ", "Trường Tiểu học Lê Lợi": "1 1 1 0 ",
		T("vi", "ward.noschool"): "0 0 0 0 ", T("vi", "ward.total"): "2 2 2 0 "} {
		if got := row(body, name); got != want {
			t.Errorf("this week, %s: families, children, devices, blocked = %q, want %q", name, got, want)
		}
	}
	week := family.WeekStart(time.Now()).AddDate(0, 0, -21).Format(time.DateOnly)
	_, body = f.get(t, c, "/can-bo/gia-dinh-truong-hoc?tuan="+week)
	if got := row(body, "Trường THCS Phù Liễn"); got != "0 0 0 0 " {
		t.Errorf("three weeks ago, school 5: %q", got)
	}
	if got := row(body, "Trường Tiểu học Lê Lợi"); got != "0 0 0 0 " {
		t.Errorf("three weeks ago, school 6: %q", got)
	}
}
