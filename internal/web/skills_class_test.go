package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"manglanh/internal/program"
)

var (
	classCodeRe = regexp.MustCompile(`<p class="class-code">(\d{6})</p>`)
	itemFieldRe = regexp.MustCompile(`name="item" value="(-?\d+)"`)
)

// TestClassSession runs a class session over HTTP as a teacher's screen
// and three pupils' phones do: the teacher starts it for class 7A of the
// school chosen by name, pupils join with nicknames (a duplicate and a
// hostile one refused beside the field), answer the question on the
// screen once each, a late answer to a question the teacher moved past is
// refused, and ending the session records a digital-skills activity with
// the three pupils at grade 7 of that school, which the coverage counts.
func TestClassSession(t *testing.T) {
	f := newActivityFixture(t)
	teacher := f.client(t)
	f.signIn(f.users["school"])
	_, page := f.get(t, teacher, "/can-bo/ky-nang-so")
	if !strings.Contains(string(page), "Trường THCS Phù Liễn") || strings.Contains(string(page), "Lê Lợi") {
		t.Fatalf("the school account is not offered its own school (only):\n%s", page)
	}
	resp, body := f.post(t, teacher, "/can-bo/ky-nang-so", "/can-bo/ky-nang-so", url.Values{"school": {fmt.Sprint(testSchoolOrg)}, "grade": {"7"}, "class": {""}})
	if resp.StatusCode != 400 || !strings.Contains(string(body), "Hãy ghi tên lớp") {
		t.Errorf("no class name: %d", resp.StatusCode)
	}
	resp, _ = f.post(t, teacher, "/can-bo/ky-nang-so", "/can-bo/ky-nang-so", url.Values{"school": {fmt.Sprint(testSchoolOrg)}, "grade": {"7"}, "class": {" 7A "}})
	screen := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(screen, "/can-bo/ky-nang-so/") {
		t.Fatalf("start: %d %q", resp.StatusCode, screen)
	}
	_, page = f.get(t, teacher, screen)
	m := classCodeRe.FindStringSubmatch(string(page))
	if m == nil || !strings.Contains(string(page), "<svg class=\"qr\"") || !strings.Contains(string(page), "https://ml.example.vn/ky-nang-so/lop và nhập mã") {
		t.Fatalf("the screen shows no code and QR")
	}
	code := m[1]
	lobby := "/ky-nang-so/lop/" + code

	join := func(nick string) (*http.Client, int, string) {
		c := f.client(t)
		resp, body := f.post(t, c, "/ky-nang-so/lop", "/ky-nang-so/lop", url.Values{"code": {code}, "nickname": {nick}})
		return c, resp.StatusCode, string(body)
	}
	pupils := map[string]*http.Client{}
	for _, n := range []string{"Mèo Con", "Tí", "Bạn Nam 7"} {
		c, status, _ := join(n)
		if status != http.StatusSeeOther {
			t.Fatalf("join %q: %d", n, status)
		}
		pupils[n] = c
	}
	for nick, want := range map[string]string{"mèo con": "Đã có bạn dùng biệt danh này", "<script>alert(1)</script>": "Biệt danh cần 2–20", "Nguyễn Văn Minh Anh": "tối đa 3 từ", "x": "Biệt danh cần"} {
		if _, status, body := join(nick); status < 400 || !strings.Contains(body, want) || !strings.Contains(body, `id="j-nick-err"`) {
			t.Errorf("nickname %q: %d, want the error %q beside the field", nick, status, want)
		}
	}
	c := f.client(t)
	if resp, body := f.post(t, c, "/ky-nang-so/lop", "/ky-nang-so/lop", url.Values{"code": {"12ab"}, "nickname": {"Tèo"}}); resp.StatusCode != 400 || !strings.Contains(string(body), "6 chữ số") {
		t.Errorf("malformed code: %d", resp.StatusCode)
	}
	other := "000000"
	if code == other {
		other = "000001"
	}
	if resp, body := f.post(t, c, "/ky-nang-so/lop", "/ky-nang-so/lop", url.Values{"code": {other}, "nickname": {"Tèo"}}); resp.StatusCode != 404 || !strings.Contains(string(body), "Không có buổi chơi nào") {
		t.Errorf("unknown code: %d", resp.StatusCode)
	}
	_, page = f.get(t, pupils["Tí"], lobby)
	if !strings.Contains(string(page), "Chờ thầy cô mở câu hỏi") || !strings.Contains(string(page), `http-equiv="refresh"`) {
		t.Errorf("a pupil before the first question does not wait")
	}
	_, page = f.get(t, teacher, screen)
	if !strings.Contains(string(page), "Đã vào: 3 học sinh") || !strings.Contains(string(page), "Mèo Con") {
		t.Errorf("the screen does not list who joined")
	}
	// Question 1.
	if resp, _ := f.post(t, teacher, screen, screen+"/tiep", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("next: %d", resp.StatusCode)
	}
	answer := func(nick, choice string) (int, string) {
		pc := pupils[nick]
		_, page := f.get(t, pc, lobby)
		item := "0"
		if m := itemFieldRe.FindStringSubmatch(string(page)); m != nil {
			item = m[1]
		}
		resp, body := f.post(t, pc, lobby, lobby, url.Values{"item": {item}, "chon": {choice}})
		return resp.StatusCode, string(body)
	}
	for i, n := range []string{"Mèo Con", "Tí", "Bạn Nam 7"} {
		if status, _ := answer(n, fmt.Sprint(i)); status != http.StatusSeeOther {
			t.Fatalf("%s answers: %d", n, status)
		}
	}
	_, page = f.get(t, pupils["Tí"], lobby)
	if !strings.Contains(string(page), "Ghi nhớ:") || !strings.Contains(string(page), "Em đã trả lời") {
		t.Errorf("after answering, the pupil sees no explanation")
	}
	// A second tap changes nothing.
	f.post(t, pupils["Tí"], lobby, lobby, url.Values{"item": {"0"}, "chon": {"3"}})
	_, page = f.get(t, teacher, screen)
	if !strings.Contains(string(page), "Đã trả lời: 3/3") {
		t.Errorf("the screen does not show three answers")
	}
	resp, stateBody := f.get(t, teacher, screen+"/trang-thai")
	if resp.StatusCode != 200 || !strings.Contains(string(stateBody), `"version":"0-3-3-open"`) {
		t.Errorf("state: %d %s", resp.StatusCode, stateBody)
	}
	// The teacher moves on; an answer to question 1 now is refused.
	f.post(t, teacher, screen, screen+"/tiep", url.Values{})
	if resp, body := f.post(t, pupils["Mèo Con"], lobby, lobby, url.Values{"item": {"0"}, "chon": {"1"}}); resp.StatusCode != 409 || !strings.Contains(string(body), "đã chuyển sang câu khác") {
		t.Errorf("late answer: %d", resp.StatusCode)
	}
	if status, _ := answer("Mèo Con", "1"); status != http.StatusSeeOther {
		t.Errorf("answer to question 2: %d", status)
	}
	// Another school's account may not see or run it.
	f.signIn(f.users["school6"])
	if resp, _ := f.get(t, teacher, screen); resp.StatusCode != 403 {
		t.Errorf("another school's account sees the session: %d", resp.StatusCode)
	}
	f.signIn(f.users["school"])
	before := f.count(t)
	if resp, _ := f.post(t, teacher, screen, screen+"/ket-thuc", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d", resp.StatusCode)
	}
	_, page = f.get(t, teacher, screen+"?ok=ended")
	for _, want := range []string{"Buổi chơi đã kết thúc.", "3 học sinh đã trả lời", "Đã tính vào số liệu chương trình: 3 học sinh lớp 7", "Chủ đề lớp sai nhiều nhất", "Điểm theo biệt danh"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("results lack %q", want)
		}
	}
	if f.count(t) != before+1 {
		t.Fatalf("ending recorded %d activities, want 1", f.count(t)-before)
	}
	acts, _, err := f.prog.Activities(context.Background(), program.Actor{Role: program.RoleOfficer}, program.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got *program.Activity
	for i := range acts {
		if acts[i].Kind == program.KindDigitalSkills {
			got = &acts[i]
		}
	}
	if got == nil || got.Total() != 3 || got.Participants[0].Grade != 7 || got.Participants[0].SchoolID != testSchoolOrg || !got.AtSchool(testSchoolOrg) {
		t.Fatalf("recorded activity %+v", got)
	}
	// Ending again records nothing more; answers and joins after the end are refused.
	f.post(t, teacher, screen, screen+"/ket-thuc", url.Values{})
	if f.count(t) != before+1 {
		t.Errorf("ending twice recorded another activity")
	}
	if resp, body := f.post(t, pupils["Tí"], lobby, lobby, url.Values{"item": {"1"}, "chon": {"0"}}); resp.StatusCode != 409 || !strings.Contains(string(body), "đã kết thúc") {
		t.Errorf("answer after the end: %d", resp.StatusCode)
	}
	if _, status, body := join("Muộn"); status != http.StatusGone || !strings.Contains(body, "đã kết thúc") {
		t.Errorf("join after the end: %d", status)
	}
	_, page = f.get(t, pupils["Mèo Con"], lobby)
	if !strings.Contains(string(page), "Buổi chơi đã kết thúc. Em chọn đúng") {
		t.Errorf("the pupil's phone does not show the end")
	}
	_, page = f.get(t, teacher, screen+"/in")
	if !strings.Contains(string(page), "Đáp án (cho giáo viên)") {
		t.Errorf("no printable version")
	}
}
