package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	hiddenRe = regexp.MustCompile(`name="(cap|v|tl)" value="([^"]*)"`)
	choiceRe = regexp.MustCompile(`name="chon" value="(\d)"`)
)

// TestSkillsSoloGame plays a whole solo game as a browser without
// JavaScript does: the level link starts a game with a seed in its
// address, each answer is a GET form, each step explains the answer just
// given, and after ten the page gives the score, the topics and every
// lesson. A refresh shows the same page; a broken address restarts the
// game with a message.
func TestSkillsSoloGame(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	c := f.client(t)
	_, home := get(t, c, f.ts.URL+"/ky-nang-so")
	for _, want := range []string{"Chơi Tiểu học", "Chơi Trung học cơ sở", "lớp 3–5", "111"} {
		if !strings.Contains(home, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	resp, _ := get(t, c, f.ts.URL+"/ky-nang-so/choi?cap=primary")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "v=") {
		t.Fatalf("new game: %d %q", resp.StatusCode, loc)
	}
	_, page := get(t, c, f.ts.URL+loc)
	for step := 1; step <= 10; step++ {
		if !strings.Contains(page, "Tình huống "+strconv.Itoa(step)+"/10") {
			t.Fatalf("step %d: page lacks its progress", step)
		}
		vals := url.Values{}
		for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
			vals.Set(m[1], m[2])
		}
		choices := choiceRe.FindAllStringSubmatch(page, -1)
		if len(choices) < 3 {
			t.Fatalf("step %d: %d choices", step, len(choices))
		}
		vals.Set("chon", choices[step%len(choices)][1])
		u := f.ts.URL + "/ky-nang-so/choi?" + vals.Encode()
		_, page = get(t, c, u)
		if !strings.Contains(page, "Ghi nhớ:") || !(strings.Contains(page, "Đúng rồi!") || strings.Contains(page, "Chưa đúng.")) {
			t.Fatalf("step %d: no explanation of the answer", step)
		}
		if _, again := get(t, c, u); again != page {
			t.Errorf("step %d: a refresh shows another page", step)
		}
	}
	for _, want := range []string{"Em đã xong 10 tình huống!", "Em chọn đúng", "Theo chủ đề", "Chơi lượt mới", "Xem lại từng tình huống"} {
		if !strings.Contains(page, want) {
			t.Errorf("result page lacks %q", want)
		}
	}
	if strings.Contains(page, `name="chon"`) {
		t.Errorf("the result page asks another question")
	}
	// A broken state restarts with a message; a missing answer asks again.
	resp, page = get(t, c, f.ts.URL+"/ky-nang-so/choi?cap=primary&v=7&tl=99999")
	if resp.StatusCode != 400 || !strings.Contains(page, "Địa chỉ của lượt chơi bị sai") || !strings.Contains(page, "Tình huống 1/10") {
		t.Errorf("broken state: %d", resp.StatusCode)
	}
	resp, page = get(t, c, f.ts.URL+"/ky-nang-so/choi?cap=primary&v=7&tl=&chon=")
	if resp.StatusCode != 400 || !strings.Contains(page, "Hãy chọn một câu trả lời") {
		t.Errorf("no answer: %d", resp.StatusCode)
	}
	if resp, _ := get(t, c, f.ts.URL+"/ky-nang-so/choi?cap=lop3"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("unknown level: %d", resp.StatusCode)
	}
	// English.
	_, en := get(t, c, f.ts.URL+"/ky-nang-so/choi?cap=secondary&v=7&lang=en")
	if !strings.Contains(en, "Situation 1 of 10") || !strings.Contains(en, `name="lang" value="en"`) {
		t.Errorf("English game page")
	}
}
