package risk

import (
	"strings"
	"testing"
)

// TestReasonsRight checks the reasons the check page shows: a fake
// relative asking for money and secrecy is a scam, not also grooming, and
// "bị mất" (lost) is not "bí mật" (secret).
func TestReasonsRight(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	relatives := []string{
		"Alo cháu à, chú là bạn của bố cháu đây, bố cháu đang cấp cứu, cháu chuyển ngay 5 triệu vào stk này cho chú, đừng nói với ai kẻo mẹ lo",
		"Mẹ ơi con đây, con bị mất điện thoại nên mượn máy bạn nhắn, mẹ chuyển gấp cho con 3 triệu vào số tài khoản 0123456789 nhé, đừng nói với bố",
	}
	for _, text := range relatives {
		r := e.Score(text)
		if r.Top() != Scam || r.Level < LevelHigh {
			t.Errorf("%q: %s %s, want a high scam", text, r.Level, r.Top())
		}
		for _, c := range r.Categories {
			if c.Category == Grooming && c.Level >= LevelLow {
				t.Errorf("%q: also grooming at %s", text, c.Level)
			}
		}
		for _, x := range r.Reasons {
			if x.Signal == "secrecy" && x.Category != Scam {
				t.Errorf("%q: secrecy reason under %q, want scam", text, x.Category)
			}
		}
	}
	for _, text := range []string{"Con bị mất ví rồi, mẹ chuyển cho con 500k qua momo nhé", "em bi mat dien thoai roi"} {
		for _, x := range e.Score(text).Reasons {
			if x.Signal == "secrecy" {
				t.Errorf("%q: secrecy reason %q", text, x.Phrase)
			}
		}
	}
	// Secrecy with the diacritics, and a groomer's secrecy, still count.
	r := e.Score("Đây là bí mật của hai đứa mình thôi nhé, em đừng kể với ai")
	if r.Top() != Grooming || r.Level < LevelMedium {
		t.Errorf("groomer's secrecy: %s %s", r.Level, r.Top())
	}
	found := false
	for _, x := range r.Reasons {
		found = found || (x.Signal == "secrecy" && strings.Contains(x.Phrase, "bí mật"))
	}
	if !found {
		t.Errorf("no secrecy reason on «bí mật»: %+v", r.Reasons)
	}
}
