package skills

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestBank loads the shipped starter bank: it must parse, and hold at
// least 120 items with both levels and every topic represented, so a
// pupil's 10-item game at either level can draw on every topic.
func TestBank(t *testing.T) {
	b, err := LoadBank(nil)
	if err != nil {
		t.Fatalf("starter bank: %v", err)
	}
	if b.Len() < 120 {
		t.Errorf("starter bank has %d items, want at least 120", b.Len())
	}
	for _, lv := range Levels() {
		items := b.Items(lv, "")
		if len(items) < 60 {
			t.Errorf("level %s: %d items, want at least 60", lv, len(items))
		}
		for _, tp := range Topics() {
			if n := len(b.Items(lv, tp)); n < 6 {
				t.Errorf("level %s topic %s: %d items, want at least 6", lv, tp, n)
			}
		}
		// The right answer must not sit in one position: a pupil who
		// always picks the first answer should not pass.
		pos := map[int]int{}
		for _, it := range items {
			pos[it.Correct()]++
		}
		for p, n := range pos {
			if n*2 > len(items) {
				t.Errorf("level %s: %d of %d right answers are answer %d", lv, n, len(items), p+1)
			}
		}
	}
	for _, it := range b.Items("", "") {
		for _, s := range []string{it.Text.Vi, it.Text.En} {
			for _, w := range strings.Fields(s) {
				if looksLikeHost(w) && !strings.HasSuffix(strings.TrimRight(strings.ToLower(w), ".,;:!?)\"'"), ".example") && !officialHost(w) {
					t.Errorf("%s: link %q is not an invented .example host or a known official site", it.ID, w)
				}
			}
		}
	}
}

// looksLikeHost reports whether w reads as a web address (has a dot
// between letters and a known top-level domain or a path).
func looksLikeHost(w string) bool {
	w = strings.ToLower(strings.Trim(w, ".,;:!?()\"'"))
	w = strings.TrimPrefix(strings.TrimPrefix(w, "https://"), "http://")
	host, _, _ := strings.Cut(w, "/")
	for _, tld := range []string{".com", ".vn", ".net", ".org", ".xyz", ".top", ".vip", ".me", ".io", ".cc", ".app", ".link", ".info", ".example", ".site", ".online", ".shop", ".club"} {
		if strings.HasSuffix(host, tld) && len(host) > len(tld) {
			return true
		}
	}
	return false
}

// officialHost lists the real sites an item may name as the genuine one.
func officialHost(w string) bool {
	w = strings.ToLower(strings.Trim(w, ".,;:!?()\"'"))
	w = strings.TrimPrefix(strings.TrimPrefix(w, "https://"), "http://")
	host, _, _ := strings.Cut(w, "/")
	host = strings.TrimPrefix(host, "www.")
	for _, o := range []string{"garena.vn", "zalo.me", "facebook.com", "tiktok.com", "roblox.com", "vng.com.vn", "chongluadao.vn", "tongdai111.vn", "dichvucong.gov.vn", "canhbao.khonggianmang.vn", "vneid.gov.vn", "youtube.com", "google.com", "moet.gov.vn"} {
		if host == o || strings.HasSuffix(host, "."+o) {
			return true
		}
	}
	return false
}

const goodItem = `
- id: t-scam-001
  level: primary
  topic: scam
  kind: message
  source: "test"
  app: Zalo
  from: {vi: "Cô Hạnh", en: "Ms Hanh"}
  text: {vi: "Chuyển tiền quỹ lớp vào tài khoản mới nhé.", en: "Send the class fund to my new account."}
  question: {vi: "Em nên làm gì?", en: "What should you do?"}
  choices:
    - text: {vi: "Chuyển ngay", en: "Send it now"}
      why: {vi: "Có thể là kẻ gian.", en: "It may be a scammer."}
    - text: {vi: "Hỏi lại cô ở trường", en: "Ask the teacher at school"}
      correct: true
      why: {vi: "Hỏi bằng cách khác là an toàn.", en: "Checking another way is safe."}
    - text: {vi: "Gửi mật khẩu", en: "Send the password"}
      why: {vi: "Không bao giờ gửi mật khẩu.", en: "Never send a password."}
  lesson: {vi: "Báo bố mẹ; cần giúp gọi 111.", en: "Tell your parents; call 111 for help."}
`

func TestParseItemsGood(t *testing.T) {
	items, err := ParseItems("t.yaml", strings.NewReader(goodItem))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Correct() != 1 || items[0].From.In("en") != "Ms Hanh" || items[0].From.In("vi") != "Cô Hạnh" {
		t.Fatalf("parsed %+v", items)
	}
}

// TestParseItemsBroken: a broken file is refused as a whole, and the error
// names the file, the item and the field.
func TestParseItemsBroken(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"two right", strings.Replace(goodItem, "    - text: {vi: \"Chuyển ngay\", en: \"Send it now\"}\n", "    - text: {vi: \"Chuyển ngay\", en: \"Send it now\"}\n      correct: true\n", 1), "t-scam-001: choices: exactly one answer must have correct: true, found 2"},
		{"bad level", strings.Replace(goodItem, "level: primary", "level: lop3", 1), `t-scam-001: level: "lop3" is not one of`},
		{"bad topic", strings.Replace(goodItem, "topic: scam", "topic: hacking", 1), `topic: "hacking"`},
		{"missing en", strings.Replace(goodItem, `en: "What should you do?"`, `en: ""`, 1), "question.en: missing"},
		{"bad id", strings.Replace(goodItem, "t-scam-001", "T Scam!", 1), "id: use lowercase"},
		{"unknown field", strings.Replace(goodItem, "  app: Zalo", "  app: Zalo\n  answer: 2", 1), "field answer not found"},
		{"not yaml", "- id: [", "t.yaml: yaml"},
		{"empty", "", "no items"},
		{"not a list", "id: x", "cannot unmarshal"},
		{"duplicate", goodItem + goodItem[1:], "t-scam-001: id: also used by item #1"},
		{"two answers", strings.Replace(goodItem, "    - text: {vi: \"Gửi mật khẩu\", en: \"Send the password\"}\n      why: {vi: \"Không bao giờ gửi mật khẩu.\", en: \"Never send a password.\"}\n", "", 1), "need 3 or 4 answers, found 2"},
		{"control char", strings.Replace(goodItem, "Chuyển ngay", "Chuyển\\x00ngay", 1), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items, err := ParseItems("t.yaml", strings.NewReader(c.src))
			if c.want == "" {
				return // only must not panic
			}
			if err == nil {
				t.Fatalf("accepted: %+v", items)
			}
			if items != nil {
				t.Errorf("returned items with an error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
	big := strings.Repeat("#", maxFileBytes+10)
	if _, err := ParseItems("big.yaml", strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge file: %v", err)
	}
}

// TestLoadBankDuplicateAcrossFiles: ids are unique across the bank.
func TestLoadBankDuplicateAcrossFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml": {Data: []byte(goodItem)},
		"b.yaml": {Data: []byte(goodItem)},
	}
	if _, err := LoadBank(fsys); err == nil || !strings.Contains(err.Error(), "already used in another file") {
		t.Fatalf("duplicate across files: %v", err)
	}
	bad := fstest.MapFS{"a.yaml": {Data: []byte(goodItem)}, "c.yaml": {Data: []byte("- id: x\n")}}
	if _, err := LoadBank(bad); err == nil || !strings.Contains(err.Error(), "c.yaml") {
		t.Fatalf("broken second file: %v", err)
	}
}
