package risk

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestScoreScenarios checks levels and top categories on messages written
// for this test (not taken from the corpora).
func TestScoreScenarios(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	for _, tc := range []struct {
		text     string
		top      Category
		atLeast  Level
		atMost   Level
		critical bool
	}{
		// Harmful.
		{text: "Cô là cô Lan chủ nhiệm lớp 5A, cô đang cần gấp, phụ huynh ck giúp cô 2tr vào stk mới 0123456789 nhé", top: Scam, atLeast: LevelHigh},
		{text: "Mẹ đây, mẹ đổi số rồi, con mua giúp mẹ 5 thẻ viettel 200k, cào xong chụp mã gửi mẹ ngay", top: Scam, atLeast: LevelHigh},
		{text: "Bạn ơi đọc giúp mình mã OTP vừa gửi về máy bạn với", top: Scam, atLeast: LevelMedium},
		{text: "Cơ quan công an: em là đối tượng điều tra, phải thuê phòng khách sạn, tắt định vị, không liên lạc với gia đình", top: Scam, critical: true},
		{text: "Tài khoản Garena của bạn sắp bị khóa, xác minh ngay tại garena-baomat.site", top: Scam, atLeast: LevelHigh},
		{text: "tai xiu uy tin, nap 50k choi thu, rut tien nhanh", top: Gambling, atLeast: LevelHigh},
		{text: "Chủ nhật anh đón em ở cổng trường nhé, đừng nói với ai", top: Grooming, critical: true},
		{text: "gửi anh ảnh em mặc đồ ngủ đi, anh nạp thẻ game cho em", top: Grooming, critical: true},
		{text: "Chuyển 2 triệu trước tối nay không tao tung ảnh nóng của mày lên nhóm lớp", top: Sextortion, critical: true},
		{text: "Mình không muốn sống nữa, tối nay mình sẽ uống hết vỉ thuốc ngủ", top: SelfHarm, critical: true},
		{text: "Cả lớp đừng ai chơi với nó, đồ ngu như bò", top: Bullying, atLeast: LevelMedium},
		{text: "Link phim người lớn không che miễn phí nè", top: SexualContent, atLeast: LevelMedium},
		{text: "C.h.u.y.ể.n k.h.o.ả.n g.ấ.p 5 t.r cho thầy, thầy đang ở bệnh viện", top: Scam, atLeast: LevelMedium},
		// Benign: must not reach medium.
		{text: "Chán chết, mai lại kiểm tra Toán", atMost: LevelLow},
		{text: "Cười chết mất với con mèo nhà bà", atMost: LevelLow},
		{text: "Tao giết mày nếu mày spoil phim 😂", atMost: LevelLow},
		{text: "Việt Nam thắng Thái Lan 3-0, đỉnh quá", atMost: LevelLow},
		{text: "Nhà trường thông báo học phí học kỳ II là 1.200.000đ, phụ huynh nộp tại văn phòng trường hoặc chuyển khoản vào tài khoản của trường, có phiếu thu.", atMost: LevelLow},
		{text: "Vietcombank: Ma OTP cua Quy khach la 123456. Tuyet doi khong chia se ma OTP cho bat ky ai.", atMost: LevelLow},
		{text: "Cảnh báo: thủ đoạn mạo danh giáo viên gọi điện báo con bị tai nạn để lừa chuyển tiền. Phụ huynh đừng chuyển tiền, hãy gọi lại cho nhà trường.", atMost: LevelLow},
		{text: "Công an khuyến cáo: không bao giờ cung cấp mã OTP, mật khẩu cho người lạ", atMost: LevelLow},
		{text: "Mai con đi học bơi nhớ mang đồ bơi và kính bơi nhé", atMost: LevelLow},
		{text: "Mẹ ơi tối nay con ngủ nhà bà nhé", atMost: LevelLow},
	} {
		res := e.Score(tc.text)
		if tc.critical && res.Level != LevelCritical {
			t.Errorf("%q: level %s, want critical (%s)", tc.text, res.Level, summary(res))
		}
		if res.Level < tc.atLeast {
			t.Errorf("%q: level %s, want ≥ %s (%s)", tc.text, res.Level, tc.atLeast, summary(res))
		}
		if tc.atMost != LevelNone || tc.top == "" {
			if res.Level > tc.atMost {
				t.Errorf("%q: level %s, want ≤ %s (%s)", tc.text, res.Level, tc.atMost, summary(res))
			}
		}
		if tc.top != "" && res.Top() != tc.top {
			t.Errorf("%q: top %q, want %q (%s)", tc.text, res.Top(), tc.top, summary(res))
		}
	}
}

func summary(r Result) string {
	var b strings.Builder
	for _, c := range r.Categories {
		b.WriteString(string(c.Category) + "=" + c.Level.String() + " ")
	}
	for _, rs := range r.Reasons {
		b.WriteString(rs.RuleID + "[" + rs.Phrase + "] ")
	}
	return b.String()
}

func TestReasonsPointAtOriginal(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	s := "Thầy cần GẤPPP, phụ huynh c.h.u.y.ể.n k.h.o.ả.n 3 triệu vào stk nhé"
	res := e.Score(s)
	if len(res.Reasons) == 0 {
		t.Fatal("no reasons")
	}
	var sawSpelled bool
	for _, r := range res.Reasons {
		if r.Start < 0 || r.End > len(s) || r.Start > r.End {
			t.Fatalf("reason %+v out of bounds", r)
		}
		if r.Phrase != s[r.Start:r.End] {
			t.Errorf("reason phrase %q != original %q", r.Phrase, s[r.Start:r.End])
		}
		if r.Vi == "" || r.En == "" {
			t.Errorf("reason %s lacks an explanation", r.RuleID)
		}
		sawSpelled = sawSpelled || r.Phrase == "c.h.u.y.ể.n k.h.o.ả.n"
	}
	if !sawSpelled {
		t.Errorf("obfuscated phrase not reported as found: %s", summary(res))
	}
	if len(res.Advice.Vi) == 0 || len(res.Advice.Vi) != len(res.Advice.En) {
		t.Errorf("advice missing: %+v", res.Advice)
	}
}

func TestLevelJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct{ L Level }{LevelHigh})
	if err != nil || string(b) != `{"L":"high"}` {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var v struct{ L Level }
	if err := json.Unmarshal([]byte(`{"L":"critical"}`), &v); err != nil || v.L != LevelCritical {
		t.Fatalf("unmarshal = %v, %v", v.L, err)
	}
	if err := json.Unmarshal([]byte(`{"L":"severe"}`), &v); err == nil {
		t.Fatal("unknown level accepted")
	}
	res := newDefaultEngine(t).Score("tài xỉu nạp 50k")
	b, err = json.Marshal(res)
	if err != nil || !strings.Contains(string(b), `"level":"`) {
		t.Fatalf("result JSON %s, %v", b, err)
	}
}

func TestScoreHostileInput(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	for _, s := range []string{"", "\xff\xfe\xfd", strings.Repeat("a.", 50000), strings.Repeat("chuyển khoản ", 20000), strings.Repeat("ế", 40000)} {
		res := e.Score(s)
		for _, r := range res.Reasons {
			if r.End > len(s) {
				t.Fatalf("reason beyond input")
			}
		}
	}
}

func TestScoreDeterministic(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	s := "Thầy cần gấp 3 triệu, chuyển khoản vào vietcombank-xacminh.com, đừng nói với ai"
	a, _ := json.Marshal(e.Score(s))
	for range 20 {
		b, _ := json.Marshal(e.Score(s))
		if string(a) != string(b) {
			t.Fatal("Score is not deterministic")
		}
	}
}
