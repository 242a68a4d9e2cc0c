package risk

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden")

// TestGoldenExplanations pins the explanation of representative messages;
// run with -update after an intended change and review the diff.
func TestGoldenExplanations(t *testing.T) {
	e, err := New(mustDefault(t), Options{Domains: fakeChecker{"go88.vip": "gambling"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, text string }{
		{"teacher_transfer", "Thầy là giáo viên chủ nhiệm lớp 8B, thầy đang ở bệnh viện cần gấp 3 triệu, phụ huynh chuyển khoản vào stk 0123456789 giúp thầy"},
		{"phone_cards", "Con ơi mẹ đổi số mới rồi, con ra tiệm mua giúp mẹ 3 thẻ Mobifone 500k, cào rồi chụp mã gửi mẹ nhé"},
		{"otp_friend", "ê m đọc giúp t cái mã OTP vừa gửi về máy m với, t đk nhầm sđt"},
		{"bank_phishing", "Ngan hang thong bao the cua ban bi khoa, bam vao link xac minh ngay: vietcombank-xacminh[.]com"},
		{"online_kidnap", "Công an thông báo em liên quan vụ án rửa tiền, phải thuê phòng khách sạn, tắt định vị, không liên lạc với gia đình"},
		{"gambling_ad", "N0 HU d0i thuong, nap 50k t4ng c0de 88k, rut tien nhanh tai go88.vip"},
		{"grooming_meet", "Em dễ thương quá, chủ nhật anh đón em ở cổng trường đi chơi riêng, đừng nói với bố mẹ nhé"},
		{"sextortion", "Chuyển 5 triệu trước tối nay không tao tung ảnh nóng của mày lên nhóm lớp"},
		{"self_harm", "Mình chán sống lắm rồi, tối nay mình sẽ kết thúc tất cả"},
		{"bullying", "Cả lớp đừng ai chơi với con này, đồ ngu như bò"},
		{"police_warning", "Công an phường cảnh báo thủ đoạn mạo danh giáo viên để lừa tiền, phụ huynh tuyệt đối không chuyển tiền"},
		{"bank_otp_sms", "Vietcombank: Ma OTP cua Quy khach la 482913. TUYET DOI KHONG chia se ma OTP cho bat ky ai"},
		{"everyday", "Cười chết mất với video con mèo này, chán chết"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			res := e.Score(tc.text)
			b.WriteString(tc.text + "\n\n")
			if err := res.WriteExplanation(&b, "vi"); err != nil {
				t.Fatal(err)
			}
			b.WriteString("\n")
			if err := res.WriteExplanation(&b, "en"); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", tc.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("explanation changed; run with -update and review.\ngot:\n%s\nwant:\n%s", b.Bytes(), want)
			}
		})
	}
}

func mustDefault(t testing.TB) *Rules {
	t.Helper()
	r, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	return r
}
