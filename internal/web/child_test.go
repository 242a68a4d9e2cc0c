package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/querylog"
	"manglanh/internal/store"
)

// childFixture signs up a parent with a child profile and returns the
// parent's browser, the parent and the profile.
func childFixture(t *testing.T, e *parentEnv, login, nickname string, birthYear int) (*browser, *family.Parent, *family.Profile) {
	t.Helper()
	b := e.browser(t)
	b.signUp(login)
	par, err := e.store.ParentByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.fam.CreateChild(context.Background(), family.Actor{Parent: par}, family.NewChild{Nickname: nickname, BirthYear: birthYear})
	if err != nil {
		t.Fatal(err)
	}
	return b, par, p
}

func TestChildPageAskAndParentAllows(t *testing.T) {
	e := newParentEnv(t, "none")
	pb, par, p := childFixture(t, e, "me@example.com", "Bin", time.Now().Year()-10)
	kid := e.browser(t)

	resp, body := kid.get("/tre/" + p.ChildToken)
	if resp.StatusCode != 200 {
		t.Fatalf("child page %d", resp.StatusCode)
	}
	for _, want := range []string{"Chào Bin!", "Nội dung người lớn", "Cờ bạc", "bị chặn", "Trò chơi", "không bao giờ đọc tin nhắn", "Mỗi trò chơi"} {
		if !strings.Contains(body, want) {
			t.Errorf("child page lacks %q", want)
		}
	}
	if strings.Contains(body, "Chị Lan") || strings.Contains(body, "me@example.com") {
		t.Error("the child's page shows the parent's name or login")
	}
	for _, bad := range []string{"/tre/nope", "/tre/" + strings.Repeat("a", 200), "/tre/%3Cscript%3E", "/tre/" + p.ChildToken + "x"} {
		if resp, _ := kid.get(bad); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", bad, resp.StatusCode)
		}
	}

	page := "/tre/" + p.ChildToken + "/chan?d=Roblox.com"
	resp, body = kid.get(page)
	if resp.StatusCode != 200 || !strings.Contains(body, "roblox.com") || !strings.Contains(body, "Xin bố mẹ cho phép trang này") {
		t.Fatalf("block page %d: %s", resp.StatusCode, body)
	}
	if resp, _ := kid.get("/tre/" + p.ChildToken + "/chan?d=%3Cscript%3E"); resp.StatusCode != 400 {
		t.Errorf("a hostile domain: %d, want 400", resp.StatusCode)
	}
	resp, _ = kid.post(page, "/tre/"+p.ChildToken+"/xin", url.Values{"d": {"roblox.com"}, "category": {"roblox"}})
	wantRedirect(t, resp, "/tre/"+p.ChildToken+"/chan?d=roblox.com&ok=sent#xin")
	_, body = kid.get("/tre/" + p.ChildToken + "/chan?d=roblox.com&ok=sent")
	if !strings.Contains(body, "Đã gửi cho bố mẹ") {
		t.Fatal("no receipt")
	}
	resp, _ = kid.post(page, "/tre/"+p.ChildToken+"/xin", url.Values{"d": {"roblox.com"}})
	wantRedirect(t, resp, "/tre/"+p.ChildToken+"/chan?d=roblox.com&ok=again#xin")
	// Hostile input: a script, a very long name, no CSRF.
	if resp, _ := kid.post(page, "/tre/"+p.ChildToken+"/xin", url.Values{"d": {"<script>alert(1)</script>"}}); resp.StatusCode != 400 {
		t.Errorf("hostile domain: %d", resp.StatusCode)
	}
	if resp, _ := kid.post(page, "/tre/"+p.ChildToken+"/xin", url.Values{"d": {strings.Repeat("a", 5000) + ".com"}}); resp.StatusCode != 400 {
		t.Errorf("long domain: %d", resp.StatusCode)
	}
	if resp, _ := kid.postRaw("/tre/"+p.ChildToken+"/xin", url.Values{"d": {"x.com"}}); resp.StatusCode != 403 {
		t.Errorf("no CSRF: %d", resp.StatusCode)
	}
	// The cap per hour.
	for i := range family.MaxRequestsPerHour {
		kid.post(page, "/tre/"+p.ChildToken+"/xin", url.Values{"d": {"site" + string(rune('a'+i)) + ".com"}})
	}
	if resp, body := kid.post(page, "/tre/"+p.ChildToken+"/xin", url.Values{"d": {"last.com"}}); resp.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(body, "nhiều trang trong một giờ") {
		t.Errorf("over the cap: %d", resp.StatusCode)
	}

	// The parent sees it and allows it for an hour; the rules change.
	resp, body = pb.get("/gia-dinh/yeu-cau")
	if resp.StatusCode != 200 || !strings.Contains(body, "roblox.com") || !strings.Contains(body, "Cho phép 1 giờ") {
		t.Fatalf("requests page %d: %s", resp.StatusCode, body)
	}
	reqs, err := e.fam.AllowRequests(context.Background(), family.Actor{Parent: par}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var rid int64
	for _, q := range reqs {
		if q.Domain == "roblox.com" {
			rid = q.ID
		}
	}
	action := "/gia-dinh/yeu-cau/" + itoa64(rid)
	resp, _ = pb.post("/gia-dinh/yeu-cau", action, url.Values{"decision": {"hour"}})
	wantRedirect(t, resp, "/gia-dinh/yeu-cau?ok=hour&d=roblox.com#cho-duyet")
	_, body = pb.get("/gia-dinh/yeu-cau?ok=hour&d=roblox.com")
	if !strings.Contains(body, "Đã cho phép roblox.com trong 1 giờ") {
		t.Fatal("no confirmation")
	}
	got, _ := e.fam.Profile(context.Background(), family.Actor{Parent: par}, p.ID)
	if len(got.Rules.TempAllows) != 1 || got.Rules.TempAllows[0].Domain != "roblox.com" ||
		time.Until(got.Rules.TempAllows[0].Until) < 59*time.Minute {
		t.Fatalf("temp allows: %+v", got.Rules.TempAllows)
	}
	resp, _ = pb.post("/gia-dinh/yeu-cau", action, url.Values{"decision": {"always"}})
	wantRedirect(t, resp, "/gia-dinh/yeu-cau?ok=done#da-tra-loi")
	if resp, _ := pb.post("/gia-dinh/yeu-cau", "/gia-dinh/yeu-cau/"+itoa64(reqs[0].ID), url.Values{"decision": {"<b>"}}); resp.StatusCode != 400 {
		t.Errorf("a hostile decision: %d", resp.StatusCode)
	}
	_, body = kid.get("/tre/" + p.ChildToken + "/chan?d=roblox.com")
	if !strings.Contains(body, "Bố mẹ đã cho phép trang này") {
		t.Error("the block page should say the site is now allowed")
	}

	// Another family: the request and the summary are not found.
	other, _, op := childFixture(t, e, "other@example.com", "Na", 2015)
	for _, q := range reqs {
		if resp, _ := other.post("/gia-dinh/yeu-cau", "/gia-dinh/yeu-cau/"+itoa64(q.ID), url.Values{"decision": {"always"}}); resp.StatusCode != 404 {
			t.Fatalf("another family's request: %d, want 404", resp.StatusCode)
		}
	}
	if _, body := other.get("/gia-dinh/yeu-cau"); strings.Contains(body, "roblox.com") {
		t.Fatal("another family sees the request")
	}
	if resp, _ := other.get("/gia-dinh/tre/" + itoa64(p.ID) + "/tuan"); resp.StatusCode != 404 {
		t.Fatalf("another family's summary: %d", resp.StatusCode)
	}
	if resp, _ := pb.get("/gia-dinh/tre/" + itoa64(op.ID) + "/tuan"); resp.StatusCode != 404 {
		t.Fatalf("another family's summary: %d", resp.StatusCode)
	}
	// Signed out: the requests page leads to sign-in.
	if resp, _ := kid.get("/gia-dinh/yeu-cau"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signed out: %d", resp.StatusCode)
	}
}

func TestWeeklySummaryPage(t *testing.T) {
	e := newParentEnv(t, "none")
	pb, _, p := childFixture(t, e, "me@example.com", "Bin", 2015)
	week := family.WeekOf(time.Now().In(profileLoc(p)))
	start, _ := family.ParseWeek(week, profileLoc(p))
	if err := e.store.AddHourly(context.Background(), []querylog.Hourly{
		{Hour: start.Add(10 * time.Hour).UTC().Truncate(time.Hour), Profile: p.Label, Category: "gambling", Action: querylog.Blocked, Queries: 12},
	}); err != nil {
		t.Fatal(err)
	}
	resp, body := pb.get("/gia-dinh/tre/" + itoa64(p.ID) + "/tuan")
	if resp.StatusCode != 200 {
		t.Fatalf("weekly %d", resp.StatusCode)
	}
	for _, want := range []string{"Tuần của Bin", "chưa ghi được phút nào", "Cờ bạc", ">12<", "game bài đổi thưởng", "Chưa gửi thư", "<table"} {
		if !strings.Contains(body, want) {
			t.Errorf("weekly page lacks %q", want)
		}
	}
	if strings.Contains(body, "<svg") {
		t.Error("a week without minutes must not draw a chart of zeros")
	}
	for _, bad := range []string{"2026-W99", "<script>", "abc", "2026-W1"} {
		resp, body := pb.get("/gia-dinh/tre/" + itoa64(p.ID) + "/tuan?tuan=" + url.QueryEscape(bad))
		if resp.StatusCode != 400 || !strings.Contains(body, "2026-W49") || strings.Contains(body, "<script>") {
			t.Errorf("week %q: %d", bad, resp.StatusCode)
		}
	}
	if resp, _ := pb.get("/gia-dinh/tre/" + itoa64(p.ID) + "/tuan?tuan=2026-W01"); resp.StatusCode != 200 {
		t.Errorf("a past week: %d", resp.StatusCode)
	}
	if resp, _ := pb.get("/gia-dinh/tre/abc/tuan"); resp.StatusCode != 404 {
		t.Errorf("bad id: %d", resp.StatusCode)
	}
}

// activityStore adds fixed DNS activity to the store, as the policy
// engineer's usage tables would.
type activityStore struct {
	*store.Store
	usage map[string][]family.Usage // by day
}

func (a activityStore) BudgetUsage(_ context.Context, profileID int64, day string) ([]family.Usage, error) {
	var out []family.Usage
	for _, u := range a.usage[day] {
		u.ProfileID, u.Day = profileID, day
		out = append(out, u)
	}
	return out, nil
}

func (a activityStore) DevicesSeen(context.Context, []int64) (map[int64]time.Time, error) {
	return map[int64]time.Time{}, nil
}

func TestWeeklySummaryWithActivity(t *testing.T) {
	e := newParentEnv(t, "none")
	_, par, p := childFixture(t, e, "me@example.com", "Bin", 2015)
	loc := profileLoc(p)
	start, _ := family.ParseWeek(family.WeekOf(time.Now().In(loc)), loc)
	usage := map[string][]family.Usage{}
	for i := range 7 {
		day := start.AddDate(0, 0, i).Format(time.DateOnly)
		usage[day] = []family.Usage{{Key: "lienquan", Minutes: 100 + i}, {Key: "tiktok", Minutes: 30}, {Key: "group:games", Minutes: 100 + i}}
	}
	fam, err := family.New(family.Config{Store: activityStore{Store: e.store, usage: usage}, Hasher: testHasher{}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Families: fam, Ward: Ward{Name: "Phường Thử"}})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/gia-dinh/tre/"+itoa64(p.ID)+"/tuan", nil)
	token, _, err := fam.Login(context.Background(), "me@example.com", parentPW, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	_ = par
	r.AddCookie(&http.Cookie{Name: parentCookie, Value: token})
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("weekly %d", w.Code)
	}
	// 7 days × 2 services, and the week's total (721 + 210) in the table.
	if n := strings.Count(body, "<rect x="); n != 14+2 {
		t.Errorf("chart segments + legend: %d", n)
	}
	for _, want := range []string{"Liên Quân", "TikTok", ">931<", ">106<", "Nghị định 147/2024", "<caption>"} {
		if !strings.Contains(body, want) {
			t.Errorf("weekly page with activity lacks %q", want)
		}
	}
}
