package web

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/secret"
)

// statsFixture is the case fixture's portal with the programme on, its
// clock at 10/01/2026 in the ward, and 2025 seeded: activities at two
// schools (one without enrolment, one named like a formula), cases of
// two categories, a shop with two inspections; data just outside the
// period and in another ward that must not be counted.
type statsFixture struct {
	*extraFixture
	prog *program.Service
}

const statsHostileSchool = `=HYPERLINK("http://evil.example","Trường Tiểu học Lê Lợi")`

func newStatsFixture(t *testing.T, withDNS bool) *statsFixture {
	t.Helper()
	f := &statsFixture{extraFixture: newExtraFixture(t)}
	loc := cases.DefaultLocation()
	now := time.Date(2026, 1, 10, 9, 0, 0, 0, loc)
	for _, u := range []struct {
		key    string
		role   auth.Role
		org    int64
		tenant int64
	}{{"teacher", auth.RoleTeacher, testSchoolOrg, 0}, {"ward2", auth.RoleOfficer, 0, 2}, {"city", auth.RoleCity, 0, 0}} {
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
	o := program.Options{Store: f.db, Activities: acts, Cases: f.cs, Location: loc, Now: func() time.Time { return now },
		Schools: fixedSchoolList{{ID: testSchoolOrg, Name: "Trường THCS Phù Liễn"}, {ID: testNoAccountOrg, Name: statsHostileSchool}}}
	if withDNS {
		o.DNS = f.db.ProgramDNS()
	}
	if f.prog, err = program.New(o); err != nil {
		t.Fatal(err)
	}
	f.start(t, f.prog)
	f.seed(t, loc)
	return f
}

func (f *statsFixture) seed(t *testing.T, loc *time.Location) {
	t.Helper()
	ctx := context.Background()
	officer := programActor(f.users["officer"])
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	school := func(id int64) program.Place { return program.Place{Kind: program.PlaceSchool, OrgID: id} }
	pupils := func(id int64, grade, n int) program.Participant {
		return program.Participant{Group: program.GroupPupils, SchoolID: id, Grade: grade, Count: n}
	}
	for _, a := range []struct {
		who  program.Actor
		act  program.Activity
		note string
	}{
		{officer, program.Activity{Kind: program.KindCommunication, Date: day(2025, 3, 12), Places: []program.Place{school(testSchoolOrg)},
			Participants: []program.Participant{pupils(testSchoolOrg, 7, 120), {Group: program.GroupTeachers, SchoolID: testSchoolOrg, Count: 6}}}, ""},
		// One session at two schools: each counts it.
		{officer, program.Activity{Kind: program.KindCommunication, Date: day(2025, 3, 31), Places: []program.Place{school(testSchoolOrg), school(testNoAccountOrg)},
			Participants: []program.Participant{pupils(testNoAccountOrg, 3, 50), pupils(testSchoolOrg, 8, 80)}}, ""},
		{officer, program.Activity{Kind: program.KindThemedMeeting, Date: day(2025, 5, 5), Places: []program.Place{{Kind: program.PlaceResidential, Name: "Tổ dân phố 3"}},
			Participants: []program.Participant{{Group: program.GroupParents, Count: 30}, {Group: program.GroupResidents, Count: 20}}}, ""},
		{officer, program.Activity{Kind: program.KindTraining, Date: day(2025, 12, 31), Places: []program.Place{{Kind: program.PlaceWardOffice}},
			Participants: []program.Participant{{Group: program.GroupStaff, Count: 15}}}, "last day of the period"},
		{officer, program.Activity{Kind: program.KindCommunication, Date: day(2026, 1, 1), Places: []program.Place{school(testSchoolOrg)},
			Participants: []program.Participant{pupils(testSchoolOrg, 6, 300)}}, "first day after the period"},
		{programActor(f.users["ward2"]), program.Activity{Kind: program.KindCommunication, Date: day(2025, 3, 12), Places: []program.Place{{Kind: program.PlaceResidential, Name: "Phường khác"}},
			Participants: []program.Participant{{Group: program.GroupParents, Count: 99}}}, "another ward"},
	} {
		act := a.act
		act.Organiser, act.Topic = "UBND phường", "Phòng chống lừa đảo trực tuyến"
		if err := f.prog.CreateActivity(ctx, a.who, &act); err != nil {
			t.Fatalf("activity %s %s: %v", act.Kind, a.note, err)
		}
	}
	if err := f.prog.SetEnrolment(ctx, officer, program.Enrolment{SchoolID: testSchoolOrg, SchoolYear: 2025, Level: program.LevelLowerSecondary, Pupils: 400}); err != nil {
		t.Fatal(err)
	}
	// A shop: two violations at one 2025 inspection (one handled), one in
	// 2024; another ward's shop with an inspection in 2025.
	for _, who := range []program.Actor{officer, programActor(f.users["ward2"])} {
		sh := &program.Shop{Kind: program.ShopGame, Name: "Game Hùng", Address: "Số 3", Owner: "Anh Hùng", Opens: "08:00", Closes: "22:00", Active: true}
		if err := f.prog.CreateShop(ctx, who, sh); err != nil {
			t.Fatal(err)
		}
		dates := []time.Time{day(2025, 6, 10)}
		if who == officer {
			dates = append(dates, day(2024, 11, 2))
		}
		for _, d := range dates {
			in := &program.Inspection{ShopID: sh.ID, Date: d, Team: "Công an phường",
				Violations: []program.Violation{{Article: "174-game-hours", Description: "Mở sau 22 giờ"}, {Article: "174-game-no-certificate"}}}
			if err := f.prog.RecordInspection(ctx, who, in); err != nil {
				t.Fatal(err)
			}
			if err := f.prog.AddAction(ctx, who, in.Violations[0].ID, &program.Action{Kind: program.ActionReminder, Date: d}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Cases: three scams and a gambling case in 2025 (one at 23:30 on the
	// last day), a scam at 00:00 on 01/01/2026, another ward's case.
	for _, c := range []struct {
		at  time.Time
		cat string
		ten int64
	}{
		{day(2025, 2, 3).Add(10 * time.Hour), cases.CategoryScam, 0},
		{day(2025, 3, 20), cases.CategoryScam, 0},
		{day(2025, 12, 31).Add(23*time.Hour + 30*time.Minute), cases.CategoryScam, 0},
		{day(2025, 8, 8), cases.CategoryGambling, 0},
		{day(2026, 1, 1), cases.CategoryScam, 0},
		{day(2025, 4, 4), cases.CategoryScam, 2},
	} {
		who := actorOf(f.users["officer"])
		if c.ten != 0 {
			who = actorOf(f.users["ward2"])
		}
		in, err := f.svc.Intake(ctx, who, cases.Intake{Category: c.cat, Channel: cases.ChannelPhone, Place: "Zalo",
			Sensitive: cases.Sensitive{ChildName: "Trẻ", Description: "x"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.cs.GetCase(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.ReceivedAt = c.at
		if err := f.cs.UpdateCase(ctx, got); err != nil {
			t.Fatal(err)
		}
	}
}

const stats2025 = "/can-bo/thong-ke?from=01/01/2025&to=31/12/2025"

var statsLinkRe = regexp.MustCompile(`<td data-label="([^"]*)"[^>]*><a href="([^"]+)">([0-9.]+)</a></td>`)

// statsLinks are the (label, href, figure) of the page's linked figures
// in the section with id sec.
func statsLinks(t *testing.T, page, sec string) [][3]string {
	t.Helper()
	i := strings.Index(page, `<section id="`+sec+`"`)
	if i < 0 {
		t.Fatalf("no section %s", sec)
	}
	part := page[i:]
	if j := strings.Index(part[1:], "<section "); j > 0 {
		part = part[:j+1]
	}
	var out [][3]string
	for _, m := range statsLinkRe.FindAllStringSubmatch(part, -1) {
		out = append(out, [3]string{html.UnescapeString(m[1]), html.UnescapeString(m[2]), strings.ReplaceAll(m[3], ".", "")})
	}
	return out
}

var activityCountRe = regexp.MustCompile(`(\d+) hoạt động`)
var inspectionCountRe = regexp.MustCompile(`(\d+) lần kiểm tra, (\d+) vi phạm`)

// TestStatsFiguresLandOnTheirRows: every linked figure of the activity,
// case and shop sections, followed with the real list handlers, lands on
// a list whose count is the figure; and the figures are the seeded ones
// (the next day, another ward and 2024 are not counted).
func TestStatsFiguresLandOnTheirRows(t *testing.T) {
	f := newStatsFixture(t, true)
	cl := f.client(t)
	f.signIn(f.users["officer"])
	resp, b := f.get(t, cl, stats2025)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page: HTTP %d", resp.StatusCode)
	}
	page := string(b)
	follow := func(href string) string {
		t.Helper()
		resp, b := f.get(t, cl, href)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d", href, resp.StatusCode)
		}
		return pageText(b)
	}
	checked := map[string]int{}
	for _, sec := range []string{"xu-huong", "ho-so", "hoat-dong", "co-so", "chi-tieu"} {
		for _, l := range statsLinks(t, page, sec) {
			label, href, want := l[0], l[1], l[2]
			switch {
			case strings.HasPrefix(href, "/can-bo/hoat-dong?"):
				if label == T("vi", "stats.act.part") {
					continue // participations, not activities: checked below
				}
				m := activityCountRe.FindStringSubmatch(follow(href))
				if m == nil || m[1] != want {
					t.Errorf("%s %q → %s: list says %v, figure %s", sec, label, href, m, want)
				}
				checked["activities"]++
			case strings.HasPrefix(href, "/can-bo/ho-so?"):
				_, b := f.get(t, cl, href)
				if got := strconv.Itoa(len(caseRowRe.FindAll(b, -1))); got != want {
					t.Errorf("%s %q → %s: %s rows, figure %s", sec, label, href, got, want)
				}
				checked["cases"]++
			case strings.HasPrefix(href, "/can-bo/kiem-tra?"):
				m := inspectionCountRe.FindStringSubmatch(follow(href))
				if m == nil {
					t.Fatalf("%s: no count", href)
				}
				row := pageRowLabel(page, href, want)
				switch row {
				case T("vi", "stats.shop.inspections"):
					if m[1] != want {
						t.Errorf("inspections: list %s, figure %s", m[1], want)
					}
				case T("vi", "stats.shop.violations"), T("vi", "stats.shop.handled"):
					if m[2] != want {
						t.Errorf("%s: list %s violations, figure %s", row, m[2], want)
					}
				}
				checked["shops"]++
			}
		}
	}
	if checked["activities"] < 10 || checked["cases"] < 12 || checked["shops"] < 3 {
		t.Errorf("too few links followed: %v", checked)
	}
	// The figures themselves (2025 only, this ward only).
	text := pageText(b)
	for _, want := range []string{
		`/can-bo/hoat-dong?from=01%2F01%2F2025&amp;kind=communication&amp;to=31%2F12%2F2025">2<`,
		fmt.Sprintf(`school=%d&amp;to=31%%2F12%%2F2025">2<`, testSchoolOrg),
		fmt.Sprintf(`school=%d&amp;to=31%%2F12%%2F2025">1<`, testNoAccountOrg),
		`received_to=31%2F12%2F2025">3<`, // scams received in 2025
		`/can-bo/kiem-tra?from=01%2F01%2F2025&amp;to=31%2F12%2F2025">1<`,
		`/can-bo/kiem-tra?from=01%2F01%2F2025&amp;handled=yes&amp;to=31%2F12%2F2025">1<`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, want := range []string{"200/400 (50,0\u00a0%)", T("vi", "stats.school.noenrol.n", 50)} {
		if !strings.Contains(text, want) {
			t.Errorf("coverage lacks %q", want)
		}
	}
	if !strings.Contains(page, `/can-bo/hoat-dong?from=01%2F01%2F2025&amp;to=31%2F12%2F2025">4<`) {
		t.Error("the total is not the period's four activities of this ward")
	}
	// Participations of parents: 30 (not the other ward's 99), and the
	// link lands on the one activity with parents.
	for _, l := range statsLinks(t, page, "hoat-dong") {
		if l[0] == T("vi", "stats.act.part") && strings.Contains(l[1], "group=parents") {
			if l[2] != "30" || activityCountRe.FindStringSubmatch(follow(l[1]))[1] != "1" {
				t.Errorf("parents: figure %s → %s", l[2], l[1])
			}
		}
	}
}

// pageRowLabel is the row header of the cell that links href with text n.
func pageRowLabel(page, href, n string) string {
	esc := strings.ReplaceAll(html.EscapeString(href), "&#39;", "'")
	i := strings.Index(page, `<a href="`+esc+`">`+n+`</a>`)
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(page[:i], `<th scope="row"`)
	if j < 0 {
		return ""
	}
	m := regexp.MustCompile(`^<th scope="row"[^>]*>([^<]*)</th>`).FindStringSubmatch(page[j:])
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// TestStatsRoles: the ward's staff open the page; school, teacher and
// city accounts are refused; case figures link to the case list only for
// the roles whose list is the whole ward's.
func TestStatsRoles(t *testing.T) {
	f := newStatsFixture(t, false)
	cl := f.client(t)
	for _, tt := range []struct {
		user      string
		status    int
		caseLinks bool
		staffLink bool
	}{
		{"ward_admin", 200, true, true}, {"officer", 200, true, true}, {"chairman", 200, true, true},
		{"police", 200, false, true}, {"viewer", 200, false, true},
		{"school", 403, false, false}, {"teacher", 403, false, false}, {"city", 403, false, false},
	} {
		f.signIn(f.users[tt.user])
		resp, b := f.get(t, cl, stats2025)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: HTTP %d, want %d", tt.user, resp.StatusCode, tt.status)
			continue
		}
		if got := strings.Contains(string(b), `href="/can-bo/ho-so?`); resp.StatusCode == 200 && got != tt.caseLinks {
			t.Errorf("%s: case links %v, want %v", tt.user, got, tt.caseLinks)
		}
		if resp, _ := f.get(t, cl, "/can-bo/thong-ke/chi-tieu.csv?from=01/01/2025&to=31/12/2025"); resp.StatusCode != tt.status {
			t.Errorf("%s: export HTTP %d, want %d", tt.user, resp.StatusCode, tt.status)
		}
		if tt.user == "city" {
			continue
		}
		_, home := f.get(t, cl, "/can-bo")
		if got := strings.Contains(string(home), `href="/can-bo/thong-ke"`); got != tt.staffLink {
			t.Errorf("%s: staff home link %v, want %v", tt.user, got, tt.staffLink)
		}
	}
	// Another ward's officer sees that ward's figures only: its one
	// session with 99 parents, none of this ward's.
	f.signIn(f.users["ward2"])
	_, b := f.get(t, cl, stats2025)
	page := string(b)
	for _, want := range []string{`kind=communication&amp;to=31%2F12%2F2025">1<`, `group=parents&amp;to=31%2F12%2F2025">99<`,
		`group=pupils&amp;to=31%2F12%2F2025">0<`, `category=scam&amp;loc=all&amp;received_from=01%2F01%2F2025&amp;received_to=31%2F12%2F2025">1<`} {
		if !strings.Contains(page, want) {
			t.Errorf("another ward's page lacks %s", want)
		}
	}
	f.signIn(nil)
	if resp, _ := f.get(t, cl, "/can-bo/thong-ke"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: HTTP %d, want a redirect to sign in", resp.StatusCode)
	}
}

// TestStatsPeriod: without dates the page shows this year by the
// service's clock (2026, not the machine's year); quick links name their
// days; a bad date is an error beside its field with the focus, 200, and
// no figure; an export with a bad period is 400.
func TestStatsPeriod(t *testing.T) {
	f := newStatsFixture(t, false)
	cl := f.client(t)
	f.signIn(f.users["officer"])
	_, b := f.get(t, cl, "/can-bo/thong-ke")
	page := string(b)
	if !strings.Contains(pageText(b), T("vi", "stats.period.now", "01/01/2026 – 31/12/2026")) ||
		!strings.Contains(page, `href="/can-bo/thong-ke?from=01%2F01%2F2026&amp;to=31%2F12%2F2026" aria-current="true"`) {
		t.Errorf("default period is not the service clock's year")
	}
	for _, q := range []string{"from=01%2F12%2F2025&amp;to=31%2F12%2F2025", "from=01%2F01%2F2026&amp;to=31%2F03%2F2026",
		"from=01%2F01%2F2025&amp;to=31%2F12%2F2025", "from=01%2F01%2F2021&amp;to=31%2F12%2F2025", "from=01%2F01%2F2026&amp;to=31%2F01%2F2026"} {
		if !strings.Contains(page, `href="/can-bo/thong-ke?`+q+`"`) {
			t.Errorf("no quick link %s", q)
		}
	}
	for _, tt := range []struct{ q, field, key string }{
		{"from=32/01/2025&to=31/12/2025", "from", "stats.err.date"},
		{"from=01/01/2025&to=", "to", "stats.err.missing"},
		{"from=01/01/2025&to=2025-13-01", "to", "stats.err.date"},
		{"from=31/12/2025&to=01/01/2025", "to", "stats.err.order"},
		{"from=01/01/2000&to=31/12/2025", "to", "stats.err.long"},
		{"from=%3Cscript%3E&to=31/12/2025", "from", "stats.err.date"},
	} {
		resp, b := f.get(t, cl, "/can-bo/thong-ke?"+tt.q)
		page := string(b)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<p class="field-error" id="`+tt.field+`-err">`+T("vi", tt.key)) ||
			!regexp.MustCompile(`<input id="`+tt.field+`"[^>]*aria-invalid="true" autofocus`).MatchString(page) ||
			strings.Contains(page, `<section id="chi-tieu"`) || strings.Contains(page, "<script>") {
			t.Errorf("%s: HTTP %d; want the error %s beside %s with focus and no figures", tt.q, resp.StatusCode, tt.key, tt.field)
		}
		if resp, _ := f.get(t, cl, "/can-bo/thong-ke/chi-tieu.csv?"+tt.q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("export %s: HTTP %d, want 400", tt.q, resp.StatusCode)
		}
	}
	// English.
	_, b = f.get(t, cl, stats2025+"&lang=en")
	if text := pageText(b); !strings.Contains(text, "Programme statistics") || !strings.Contains(text, "Activities by kind") {
		t.Errorf("no English page")
	}
}

// TestStatsMissingSource: without the DNS source the DNS section and the
// DNS column say "not measured", never a 0 as if measured; with it, the
// section has its table and the trends their DNS chart.
func TestStatsMissingSource(t *testing.T) {
	for _, withDNS := range []bool{false, true} {
		f := newStatsFixture(t, withDNS)
		cl := f.client(t)
		f.signIn(f.users["officer"])
		_, b := f.get(t, cl, stats2025)
		page := string(b)
		i := strings.Index(page, `<section id="dns"`)
		j := strings.Index(page[i:], "</section>")
		sec := page[i : i+j]
		missing := T("vi", "stats.missing", T("vi", "stats.src.dns"))
		if got := strings.Contains(pageText([]byte(sec)), missing); got == withDNS {
			t.Errorf("with DNS %v: the section says missing %v", withDNS, got)
		}
		if !withDNS && (strings.Contains(sec, "<table") || strings.Contains(sec, T("vi", "stats.dns.devices"))) {
			t.Error("a missing source shows a table of zeros")
		}
		if got := strings.Contains(page, `id="chart-m2-t"`); got != withDNS {
			t.Errorf("with DNS %v: DNS chart shown %v", withDNS, got)
		}
		// The DNS column of the month table.
		_, csvb := f.get(t, cl, "/can-bo/thong-ke/theo-thang.csv?from=01/01/2025&to=31/12/2025")
		rows, err := readStatsCSV(csvb)
		if err != nil {
			t.Fatal(err)
		}
		var mar []string
		for _, r := range rows {
			if len(r) == 4 && r[0] == "03/2025" {
				mar = r
			}
		}
		wantDNS := T("vi", "stats.na")
		if withDNS {
			wantDNS = "0"
		}
		if mar == nil || mar[1] != "2" || mar[2] != "1" || mar[3] != wantDNS {
			t.Errorf("with DNS %v: March row %q, want 2 activities, 1 case, DNS %q", withDNS, mar, wantDNS)
		}
	}
}

// TestStatsExports: every table exports as CSV and XLSX; a school named
// like a formula comes out quoted; an unknown table is 404.
func TestStatsExports(t *testing.T) {
	f := newStatsFixture(t, true)
	cl := f.client(t)
	f.signIn(f.users["officer"])
	_, b := f.get(t, cl, stats2025)
	links := regexp.MustCompile(`href="(/can-bo/thong-ke/[a-z-]+\.(csv|xlsx)\?[^"]+)"`).FindAllStringSubmatch(string(b), -1)
	if len(links) != 2*10 {
		t.Errorf("%d export links, want 20", len(links))
	}
	for _, m := range links {
		resp, body := f.get(t, cl, html.UnescapeString(m[1]))
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("%s: HTTP %d", m[1], resp.StatusCode)
		}
		if m[2] == "xlsx" && !strings.HasPrefix(string(body), "PK") {
			t.Errorf("%s: not a zip", m[1])
		}
	}
	_, body := f.get(t, cl, "/can-bo/thong-ke/truong.csv?from=01/01/2025&to=31/12/2025")
	rows, err := readStatsCSV(body)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if strings.Contains(r[0], "HYPERLINK") {
			found = true
			if r[0] != "'"+statsHostileSchool {
				t.Errorf("school cell %q is not quoted", r[0])
			}
		}
		if strings.HasPrefix(r[0], "=") {
			t.Errorf("a cell starts with =: %q", r[0])
		}
	}
	if !found {
		t.Errorf("the school is not in the export: %q", rows)
	}
	if len(rows) < 3 || rows[2][0] != T("vi", "stats.school") || len(rows[2]) != 9 {
		t.Errorf("header row %q, want 9 columns with the export-only numbers", rows[2])
	}
	for _, p := range []string{"/can-bo/thong-ke/khong-co.csv", "/can-bo/thong-ke/truong.pdf", "/can-bo/thong-ke/truong"} {
		if resp, _ := f.get(t, cl, p+"?from=01/01/2025&to=31/12/2025"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: HTTP %d, want 404", p, resp.StatusCode)
		}
	}
}

// readStatsCSV reads an export (a BOM, rows of different lengths).
func readStatsCSV(b []byte) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF")))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}
