package web

import (
	"sync"

	"manglanh/internal/auth"
)

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
	"recovery.title":            {"Mã dự phòng đăng nhập", "Sign-in recovery codes"},
	"recovery.issue":            {"Cấp mã dự phòng mới", "Issue new recovery codes"},
	"recovery.col":              {"Mã dự phòng", "Recovery codes"},
	"recovery.left":             {"còn %d mã", "%d left"},
	"recovery.none":             {"không còn mã nào", "none left"},
	"recovery.confirm":          {"Cấp bộ mã mới sẽ làm mọi mã cũ của người này hết hiệu lực.", "A new set voids every earlier code of this user."},
	"recovery.ok.issued":        {"Đã cấp %d mã dự phòng mới; mọi mã cũ không còn dùng được.", "%d new recovery codes issued; every earlier code no longer works."},
	"recovery.show.intro":       {"Trao các mã này tận tay người dùng (in ra hoặc chép tay), không gửi qua tin nhắn hay thư điện tử. Mỗi mã dùng được một lần thay cho mã 6 chữ số khi đăng nhập.", "Hand these codes to the user in person (printed or copied by hand), never by message or e-mail. Each works once in place of the 6-digit code at sign-in."},
	"recovery.show.once":        {"Trang này chỉ hiện mã một lần: tải lại hay quay lại sẽ không thấy nữa. Máy chủ chỉ giữ bản băm của mã.", "This page shows the codes once: reloading or coming back will not show them again. The server keeps only their hashes."},
	"recovery.show.gone":        {"Các mã đã được hiện một lần và không thể xem lại. Nếu chưa kịp chép, hãy cấp bộ mã mới (bộ cũ sẽ hết hiệu lực).", "The codes were shown once and cannot be seen again. If they were not copied, issue a new set (the old one stops working)."},
	"recovery.back":             {"Về danh sách tài khoản", "Back to the accounts"},
	"recovery.err.role":         {"Tài khoản này đăng nhập không cần bước thứ hai nên không cần mã dự phòng.", "This account signs in without a second step, so it needs no recovery codes."},
	"recovery.err.code":         {"Mã dự phòng không đúng hoặc đã dùng rồi. Mỗi mã chỉ dùng được một lần.", "The recovery code is wrong or was already used. Each code works only once."},
	"recovery.signin.title":     {"Mất điện thoại?", "Lost your phone?"},
	"recovery.signin.intro":     {"Nhập một mã dự phòng quản trị viên phường đã trao cho bạn (dạng ABCD-EFGH-2345-JKLM).", "Enter one of the recovery codes the ward administrator gave you (like ABCD-EFGH-2345-JKLM)."},
	"recovery.signin.field":     {"Mã dự phòng", "Recovery code"},
	"recovery.signin.submit":    {"Đăng nhập bằng mã dự phòng", "Sign in with a recovery code"},
	"recovery.own.intro":        {"Mã dự phòng giúp bạn đăng nhập khi mất điện thoại: mỗi mã dùng một lần thay cho mã 6 chữ số. Hãy in hoặc chép tay và cất ở nơi an toàn.", "Recovery codes let you sign in if you lose your phone: each works once in place of the 6-digit code. Print or copy them by hand and keep them somewhere safe."},
	"recovery.own.keep":         {"Chép hoặc in các mã này ngay và cất ở nơi an toàn, không chụp ảnh gửi qua mạng.", "Copy or print these codes now and keep them safe; do not photograph or send them."},
	"recovery.own.password":     {"Nhập lại mật khẩu hiện tại để cấp bộ mã mới", "Enter your current password again to issue a new set"},
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
	if s.cfg.Auth != nil {
		admin := s.requireRole(auth.RoleWardAdmin)
		s.handle("POST /dang-nhap/ma-du-phong", s.totpRecoverySubmit)
		s.handle("POST /can-bo/nguoi-dung/{id}/ma-du-phong", admin(s.userRecoveryIssue))
		s.handle("GET /can-bo/nguoi-dung/{id}/ma-du-phong", admin(s.userRecoveryShow))
		staff := s.requireRole()
		s.handle("GET "+ownRecoveryPath, staff(s.ownRecoveryShow))
		s.handle("POST "+ownRecoveryPath, staff(s.ownRecoveryIssue))
	}
}
