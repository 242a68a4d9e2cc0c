package web

var parentAlertMessages = map[string]msg{
	"palert.title":            {"Cảnh báo về con", "Alerts about your children"},
	"palert.intro":            {"Mạng Lành báo khi máy của con cố vào trang nguy hiểm nhiều lần, thử vượt bộ lọc, hay dùng mạng trong giờ ngủ. Mỗi loại cảnh báo gửi thư tối đa một lần mỗi giờ.", "Mạng Lành tells you when your child's device tries dangerous sites again and again, tries to get past the filter, or goes online at bedtime. Each kind of alert is e-mailed at most once an hour."},
	"palert.none":             {"Chưa có cảnh báo nào.", "No alerts yet."},
	"palert.domain":           {"Trang", "Site"},
	"palert.todo":             {"Bố mẹ nên làm", "What you can do"},
	"palert.critical":         {"Khẩn cấp", "Critical"},
	"palert.mail.sent":        {"Đã gửi thư lúc %s.", "E-mailed at %s."},
	"palert.mail.failed":      {"Chưa gửi được thư: %s", "The e-mail was not sent: %s"},
	"palert.mail.throttled":   {"Không gửi thư (đã gửi một thư loại này trong giờ qua).", "Not e-mailed (one of this kind was sent within the hour)."},
	"palert.mail.pending":     {"Đang gửi thư…", "Sending the e-mail…"},
	"palert.mail.noaddr":      {"Không gửi thư (tài khoản không có e-mail).", "Not e-mailed (the account has no e-mail)."},
	"palert.mail.off":         {"Không gửi thư (phường chưa bật gửi thư).", "Not e-mailed (the ward has not set up e-mail)."},
	"palert.share":            {"Chuyển cho cán bộ phường", "Pass to the ward's officers"},
	"palert.consent":          {"Tôi đồng ý chuyển cho cán bộ phường: loại cảnh báo, thời gian, mức độ và biệt danh của con. Cán bộ có thể liên hệ với tôi qua tài khoản này. Không có tin nhắn nào của con được gửi đi.", "I agree to pass to the ward's officers: the kind of alert, its time, its level and my child's nickname. Officers may contact me through this account. None of my child's messages are sent."},
	"palert.consent.text":     {"Phụ huynh đồng ý chuyển cho cán bộ phường: loại cảnh báo, thời gian, mức độ và biệt danh của con; cán bộ có thể liên hệ qua tài khoản phụ huynh. Không có tin nhắn nào của trẻ được gửi.", "The parent agreed to pass to the ward: the kind of alert, its time, its level and the child's nickname; officers may contact them through the parent account. No message of the child is sent."},
	"palert.consent.required": {"Hãy đánh dấu ô đồng ý nếu muốn chuyển cho cán bộ phường.", "Tick the box to agree if you want to pass it to the ward."},
	"palert.shared":           {"Đã chuyển cho cán bộ phường.", "Passed to the ward."},
	"palert.ok.shared":        {"Đã chuyển cảnh báo cho cán bộ phường. Nếu nguy hiểm ngay lúc này, hãy gọi 111 hoặc 113.", "The alert was passed to the ward. If there is danger right now, call 111 or 113."},
	"palert.case.from":        {"Phụ huynh chuyển cảnh báo #%d (%s) lúc %s.", "A parent passed alert #%d (%s) at %s."},
}
