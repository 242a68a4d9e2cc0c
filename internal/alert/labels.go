package alert

// text is one text in Vietnamese and English.
type text struct{ vi, en string }

func (t text) in(lang string) string {
	if lang == "en" {
		return t.en
	}
	return t.vi
}

var categoryLabels = map[string]text{
	"scam":           {"lừa đảo", "scam"},
	"gambling":       {"cờ bạc", "gambling"},
	"grooming":       {"dụ dỗ, làm quen xấu", "grooming"},
	"sextortion":     {"đe doạ tung ảnh nhạy cảm", "sextortion"},
	"bullying":       {"bắt nạt", "bullying"},
	"self_harm":      {"tự làm hại bản thân", "self-harm"},
	"sexual_content": {"nội dung đồi truỵ", "sexual content"},
	"adult":          {"trang người lớn", "adult sites"},
	"bypass":         {"vượt bộ lọc (VPN, DNS lạ)", "filter bypass (VPN, other DNS)"},
	"phishing":       {"trang giả mạo", "phishing"},
	"malware":        {"mã độc", "malware"},
	"bedtime":        {"dùng mạng giờ ngủ", "going online at bedtime"},
}

// CategoryLabel names a risk, DNS or alert category in lang ("vi" unless
// "en"); an unknown category is returned as it is.
func CategoryLabel(cat, lang string) string {
	if t, ok := categoryLabels[cat]; ok {
		return t.in(lang)
	}
	return cat
}

var levelLabels = map[string]text{
	"none":     {"không thấy dấu hiệu nguy hiểm", "no sign of danger"},
	"low":      {"ít đáng lo", "low"},
	"medium":   {"đáng chú ý", "worth attention"},
	"high":     {"nguy hiểm", "dangerous"},
	"critical": {"rất nguy hiểm", "very dangerous"},
}

// LevelLabel names a risk level ("none" … "critical") in lang.
func LevelLabel(level, lang string) string {
	if t, ok := levelLabels[level]; ok {
		return t.in(lang)
	}
	return level
}

// generalAdvice is what anyone who received a worrying message should do,
// whatever its kind.
var generalAdvice = []text{
	{"Không chuyển tiền, không nạp thẻ, không gửi mã OTP hay mật khẩu.", "Do not transfer money, top up cards, or send OTP codes or passwords."},
	{"Gọi lại cho người đó theo số điện thoại bạn đã biết từ trước, không gọi số trong tin nhắn.", "Call the person back on a number you already know, not the one in the message."},
	{"Không gửi ảnh, không bật camera cho người lạ.", "Do not send photos or turn on the camera for someone you do not know."},
	{"Kể với bố mẹ hoặc thầy cô ngay.", "Tell a parent or teacher now."},
	{"Gọi 111 – Tổng đài bảo vệ trẻ em (miễn phí, 24/7).", "Call 111 – the child protection hotline (free, 24/7)."},
}

// GeneralAdvice returns the advice for any worrying message in lang.
func GeneralAdvice(lang string) []string {
	out := make([]string, len(generalAdvice))
	for i, t := range generalAdvice {
		out[i] = t.in(lang)
	}
	return out
}
