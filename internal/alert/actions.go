package alert

// actions are the recommended actions per rule or category, for the adult
// who receives the alert.
var actions = map[string][]text{
	"gambling": {
		{"Nói chuyện bình tĩnh với con về cờ bạc trên mạng (tài xỉu, nổ hũ, cá độ): dễ mất tiền và là vi phạm pháp luật.", "Talk calmly with your child about online gambling (dice, slots, betting): money is easily lost and it is illegal."},
		{"Kiểm tra tài khoản ngân hàng, ví điện tử và thẻ cào của con.", "Check your child's bank account, e-wallet and phone cards."},
		{"Nếu có người dụ con nạp tiền, giữ tin nhắn và báo cáo trên Mạng Lành hoặc gọi 111.", "If someone lures your child into paying, keep the messages and report it on Mạng Lành or call 111."},
	},
	"adult": {
		{"Nói chuyện nhẹ nhàng, không la mắng: hỏi con đã thấy gì và ai gửi.", "Talk gently, without scolding: ask what your child saw and who sent it."},
		{"Nếu người lạ gửi nội dung đồi truỵ hay đòi ảnh, giữ bằng chứng và báo cáo ngay.", "If a stranger sends sexual content or asks for photos, keep the evidence and report it now."},
	},
	"scam": {
		{"Hỏi con đã nhập mật khẩu, mã OTP hay chuyển tiền chưa; nếu có, đổi mật khẩu và gọi ngân hàng.", "Ask whether your child typed a password or OTP or sent money; if so, change passwords and call the bank."},
		{"Báo trang lừa đảo tại tinnhiemmang.vn.", "Report the scam site at tinnhiemmang.vn."},
	},
	"bypass": {
		{"Thiết bị của con đang thử VPN hoặc DNS khác để vượt bộ lọc.", "Your child's device is trying a VPN or another DNS to get past the filter."},
		{"Kiểm tra các ứng dụng VPN trên máy và nói chuyện lại về quy tắc dùng mạng.", "Look for VPN apps on the device and talk again about the rules for going online."},
	},
	"bedtime": {
		{"Con đang dùng mạng trong giờ ngủ đã đặt.", "Your child is going online during the bedtime you set."},
		{"Nhắc con giờ ngủ; nên để điện thoại ngoài phòng ngủ vào ban đêm.", "Remind your child of bedtime; keep the phone outside the bedroom at night."},
	},
	"sextortion": {
		{"Liên hệ trẻ và gia đình ngay: không trả tiền, không gửi thêm ảnh, không xoá tin nhắn.", "Contact the child and family now: do not pay, send no more images, delete no messages."},
		{"Mở hồ sơ và báo Công an; gọi 111 để được hỗ trợ.", "Open a case and inform the police; call 111 for support."},
	},
	"grooming": {
		{"Liên hệ gia đình ngay để ngăn cuộc gặp với người lạ.", "Contact the family now to stop any meeting with the stranger."},
		{"Giữ tin nhắn làm bằng chứng; mở hồ sơ, báo Công an và gọi 111.", "Keep the messages as evidence; open a case, inform the police and call 111."},
	},
	"self_harm": {
		{"Liên hệ trẻ và gia đình ngay; không để trẻ một mình.", "Contact the child and family now; do not leave the child alone."},
		{"Nếu nguy hiểm đến tính mạng, gọi 115; gọi 111 để được tư vấn.", "If life is in danger call 115; call 111 for counselling."},
	},
	"bullying": {
		{"Hỏi chuyện trẻ, giữ lại ảnh chụp màn hình và báo nhà trường.", "Talk with the child, keep screenshots and inform the school."},
	},
	"sexual_content": {
		{"Không lưu, không chia sẻ nội dung: chỉ ghi lại đường link và báo cáo.", "Do not save or share the content: note the link and report it."},
	},
}

// Actions returns the recommended actions for the alert in lang: those of
// its rule or category, then what always helps.
func (a Alert) Actions(lang string) []string {
	key := a.Category
	if a.Rule == RuleBedtime {
		key = "bedtime"
	}
	if key == "phishing" || key == "malware" {
		key = "scam"
	}
	var out []string
	for _, t := range actions[key] {
		out = append(out, t.in(lang))
	}
	if a.Source != SourceDNS {
		out = append(out, text{"Ghi nhận và đánh giá ban đầu theo Nghị định 56/2017 trong vòng 12 giờ nếu trẻ gặp nguy hiểm.",
			"Record it and make the initial assessment under Decree 56/2017 within 12 hours if a child is in danger."}.in(lang))
	}
	return out
}
