package web

import "sync"

// staffMessages are the texts of the staff home's to-do lists, the
// recovery codes and the alert and poster labels added with them.
var staffMessages = map[string]msg{
	"todo.title":                {"Việc cần làm ngay", "What needs doing now"},
	"todo.failed":               {"Không tải được danh sách việc cần làm. Hãy tải lại trang; nếu vẫn lỗi, mở danh sách hồ sơ.", "The to-do lists could not be loaded. Reload the page; if it still fails, open the case list."},
	"todo.qua-han":              {"Quá hạn", "Overdue"},
	"todo.qua-han.none":         {"Không có hồ sơ quá hạn.", "No case is overdue."},
	"todo.den-han-hom-nay":      {"Đến hạn hôm nay", "Due today"},
	"todo.den-han-hom-nay.none": {"Không có hạn nào trong hôm nay.", "Nothing is due today."},
	"todo.khan":                 {"Khẩn cấp, nguy cơ cao", "Urgent or high risk"},
	"todo.khan.none":            {"Không có hồ sơ khẩn cấp.", "No urgent case."},
	"todo.moi":                  {"Mới tiếp nhận, chưa đánh giá", "New, not yet assessed"},
	"todo.moi.none":             {"Không có hồ sơ mới.", "No new case."},
	"todo.chua-tiep-nhan":       {"Chuyển gửi chưa được tiếp nhận", "Referrals not yet accepted"},
	"todo.chua-tiep-nhan.none":  {"Mọi chuyển gửi đã được trả lời.", "Every referral has been answered."},
	"todo.cho-tra-loi":          {"Được chuyển gửi, chờ đơn vị bạn trả lời", "Referred to you, awaiting your answer"},
	"todo.cho-tra-loi.none":     {"Không có chuyển gửi nào chờ bạn trả lời.", "No referral awaits your answer."},
	"todo.cho-phe-duyet":        {"Kế hoạch chờ phê duyệt", "Plans awaiting approval"},
	"todo.cho-phe-duyet.none":   {"Không có kế hoạch nào chờ phê duyệt.", "No plan awaits approval."},
	"todo.awaiting":             {"Chờ tiếp nhận", "Awaiting"},
	"todo.nodeadline":           {"Chưa có hạn", "No deadline"},
	"poster.ok.created":         {"Đã thêm nguồn mới. Tải áp phích ở dòng được tô màu.", "Source added. Download its poster from the highlighted row."},
	"poster.baseurl.title":      {"Chưa in được áp phích QR", "QR posters cannot be printed yet"},
	"poster.blocked":            {"Chưa in được – xem lý do", "Cannot print yet – see why"},
	"poster.error.fix":          {"Chưa thêm được nguồn: hãy sửa các ô được đánh dấu bên dưới.", "The source was not added: correct the fields marked below."},
	"alert.category":            {"Loại", "Category"},
	"alert.status":              {"Tình trạng", "Status"},
	"alert.status.open":         {"Chưa mở hồ sơ", "No case yet"},
	"alert.status.case":         {"Đã mở hồ sơ", "Case opened"},
	"totp.way.qr":               {"Cách 1 – quét mã QR bằng ứng dụng xác thực", "Way 1 – scan the QR code with the authenticator app"},
	"totp.qr.alt":               {"Mã QR để thêm tài khoản Mạng Lành vào ứng dụng xác thực", "QR code that adds the Mạng Lành account to an authenticator app"},
	"totp.way.link":             {"Cách 2 – trên chính điện thoại có ứng dụng, bấm:", "Way 2 – on the phone that has the app, tap:"},
	"totp.link":                 {"Thêm vào ứng dụng xác thực", "Add to the authenticator app"},
	"totp.way.key":              {"Cách 3 – nhập khoá bằng tay (loại: theo thời gian)", "Way 3 – type the key in by hand (type: time-based)"},
	"todo.more":                 {"Hiện %d trong %d hồ sơ.", "Showing %d of %d cases."},
}

var staffMessagesOnce sync.Once

// staffRoutes adds the staff home's texts and registers the recovery-code
// pages (user_recovery.go, login_recovery.go).
func (s *Server) staffRoutes() {
	staffMessagesOnce.Do(func() {
		if err := addMessages(staffMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	if s.cfg.Posters != nil {
		// The sources service checks the role (ward admins and officers).
		s.handle("GET /can-bo/nguon", s.posterList)
		s.handle("POST /can-bo/nguon", s.posterCreate)
		s.handle("GET /can-bo/nguon/{id}/poster.pdf", s.posterPDF)
	}
}
