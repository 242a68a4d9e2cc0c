package risk

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeKeys(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Chuyển khoản", "chuyen khoan"},
		{"CHUYỂN KHOẢN", "chuyen khoan"},
		{"Chuye\u0302\u0309n khoa\u0309n", "chuyen khoan"}, // decomposed (NFD) input
		{"đừng", "dung"},
		{"ko dc đc hok khum", "khong duoc duoc khong khong"},
		{"ck vào stk", "chuyen khoan vao so tai khoan"},
		{"vk ck", "vo chong"},
		{"nhập mk", "nhap mat khau"},
		{"mk đi học", "minh di hoc"},
		{"e bn tuổi", "em bao nhieu tuoi"},
		{"bn ơi", "ban oi"},
		{"j z", "gi vay"},
		{"c.h.u.y.ể.n k.h.o.ả.n", "chuyen khoan"},
		{"t/ả/i", "tai"},
		{"c h u y e n t i e n", "chuyen tien"},
		{"c k  c h o  t a o", "chuyen khoan cho tao"},
		{"c\u200bh\u200bu\u200by\u200be\u200bn", "chuyen"},
		{"Mình\u200bmuốn\u200bchết", "minh muon chet"},
		{"gấppppp", "gap"},
		{"xoong", "xoong"},
		{"l0tt0 t4i x1u", "lotto tai xiu"},
		{"lớp 7a2 tháng t9 mạng 4g", "lop 7a2 thang t9 mang 4g"},
		{"n0 hu", "no hu"},
		{"Zаlо", "zalo"}, // Cyrillic а and о
		{"ＺＡＬＯ", "zalo"},
		{"@nh", "anh"},
		{"cười 🤣", "cuoi haha"},
		{"0987 336 120", "<phone>"},
		{"0071 0004 2236", "<digits>"},
	} {
		if got := Normalize(tc.in).Key(); got != tc.want {
			t.Errorf("Normalize(%q).Key() = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeTonePlacement(t *testing.T) {
	t.Parallel()
	for _, tc := range [][2]string{
		{"hoà", "hòa"}, {"thuý", "thúy"}, {"khoẻ", "khỏe"}, {"quý", "quý"}, {"giữa", "giữa"},
		{"người", "người"}, {"hoàng", "hoàng"}, {"thuở", "thuở"}, {"khuya", "khuya"},
		{"HOÀ", "hòa"}, {"ho\u0300a", "hòa"},
	} {
		got := Normalize(tc[0]).Tokens[0].Word
		want := Normalize(tc[1]).Tokens[0].Word
		if got != want {
			t.Errorf("Word(%q) = %q, Word(%q) = %q; want equal", tc[0], got, tc[1], want)
		}
	}
	if w := Normalize("hoà").Tokens[0].Word; w != "hòa" {
		t.Errorf("Word(hoà) = %q, want the traditional placement hòa", w)
	}
}

func TestNormalizeMoney(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64
		text string
	}{
		{"nạp 500k nhé", 500_000, "500k"},
		{"cần 5tr", 5_000_000, "5tr"},
		{"gửi 3tr5", 3_500_000, "3tr5"},
		{"cần 2 triệu", 2_000_000, "2 triệu"},
		{"phí 1.500.000đ", 1_500_000, "1.500.000đ"},
		{"chỉ 2m thôi", 2_000_000, "2m"},
		{"50 nghìn đồng", 50_000, "50 nghìn đồng"},
		{"1,5 triệu", 1_500_000, "1,5 triệu"},
		{"800,000VND", 800_000, "800,000VND"},
		{"2 lít", 200_000, "2 lít"},
	} {
		txt := Normalize(tc.in)
		var found bool
		for _, tok := range txt.Tokens {
			if tok.Kind == KindMoney {
				found = true
				if tok.Value != tc.want || tc.in[tok.Start:tok.End] != tc.text {
					t.Errorf("%q: money %d at %q, want %d at %q", tc.in, tok.Value, tc.in[tok.Start:tok.End], tc.want, tc.text)
				}
			}
		}
		if !found {
			t.Errorf("%q: no money found (%s)", tc.in, txt.Key())
		}
	}
	if a := Normalize("lớp 8B thắng 3-0 lúc 7 giờ").Amounts(); len(a) != 0 {
		t.Errorf("amounts in text without money: %v", a)
	}
}

func TestNormalizeOffsets(t *testing.T) {
	t.Parallel()
	s := "Thầy cần gấp, c.h.u.y.ể.n k.h.o.ả.n 2 triệu vào stk nhé"
	for _, tok := range Normalize(s).Tokens {
		if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
			t.Fatalf("token %+v out of bounds", tok)
		}
	}
	txt := Normalize(s)
	var spelled Token
	for _, tok := range txt.Tokens {
		if tok.Key == "chuyen" {
			spelled = tok
		}
	}
	if got := s[spelled.Start:spelled.End]; got != "c.h.u.y.ể.n" {
		t.Errorf("spelled token maps to %q", got)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"Chuyển khoản gấp 2 triệu vào stk 0123456789", "c.h.u.y.ể.n", "c h u y e n", "l0tt0",
		"a\u0301\u0301\u0301", "\xff\xfe", "1.2.3.4.5", "3tr5", "9999999999999999999999k", "🤣🔞", "\u200b\u200b",
		"ＺＡＬＯ", "o\u031b\u0300", "c k  c h o",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		txt := Normalize(s)
		for _, tok := range txt.Tokens {
			if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
				t.Fatalf("token %+v out of bounds for %q", tok, s)
			}
			if tok.Key == "" || strings.ContainsAny(tok.Key, " \t\n") {
				t.Fatalf("bad key %q in %q", tok.Key, s)
			}
			if !utf8.ValidString(tok.Word) {
				t.Fatalf("invalid UTF-8 word %q", tok.Word)
			}
		}
		// Normalising the key again gives the same key, unless the key
		// holds placeholders or numbers that read differently once joined.
		k := txt.Key()
		if !strings.ContainsAny(k, "<0123456789") {
			if k2 := Normalize(k).Key(); k2 != k && isPlainLetters(k) {
				t.Fatalf("not idempotent: %q → %q → %q", s, k, k2)
			}
		}
	})
}

// isPlainLetters reports keys made of words of two or more ASCII letters,
// where a second normalisation must not change anything except teencode
// expansion of the words themselves.
func isPlainLetters(k string) bool {
	for _, w := range strings.Fields(k) {
		if len(w) < 7 || teencode(w, "", "") != "" {
			return false
		}
		for i := 0; i < len(w); i++ {
			if w[i] < 'a' || w[i] > 'z' {
				return false
			}
		}
	}
	return true
}

// TestFoldTables checks the constant fold tables against Unicode
// decomposition.
func TestFoldTables(t *testing.T) {
	t.Parallel()
	for r := rune(0xC0); r <= 0x1EF9; r++ {
		if r > 0x1B0 && r < 0x1EA0 {
			continue
		}
		var buf [4]byte
		n := utf8.EncodeRune(buf[:], r)
		d := norm.NFD.Properties(buf[:n]).Decomposition()
		want := rune(0)
		if len(d) > 0 && d[0] < utf8.RuneSelf {
			want = rune(d[0]) | 0x20
		}
		if r == 'đ' || r == 'Đ' {
			want = 'd'
		}
		if want != 0 && foldRune(r) != want {
			t.Errorf("foldRune(%q) = %q, want %q", r, foldRune(r), want)
		}
	}
}

func TestNormalizeBreaks(t *testing.T) {
	t.Parallel()
	toks := Normalize("bảo vệ, bản thân. Em họ").Tokens
	var brk []string
	for _, tok := range toks {
		if tok.Break {
			brk = append(brk, tok.Key)
		}
	}
	if strings.Join(brk, " ") != "ban em" {
		t.Errorf("breaks before %q, want before ban and em", brk)
	}
	e := newDefaultEngine(t)
	if matchedRules(e, "Cả lớp cười em, họ về rồi")["frame.ordinary_photo"] {
		t.Error("phrase matched across a comma")
	}
}
