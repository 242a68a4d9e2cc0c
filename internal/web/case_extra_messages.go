package web

import (
	"errors"
	"sync"
)

// caseExtraMessages are the texts of the notices, deadlines dashboard,
// export and 111 hand-off pages.
var caseExtraMessages = map[string]msg{
	"notice.title":             {"Thông báo", "Notices"},
	"notice.nav":               {"Thông báo", "Notices"},
	"notice.unread":            {"%d thông báo chưa đọc", "%d unread notices"},
	"notice.empty":             {"Chưa có thông báo nào.", "No notices yet."},
	"notice.markread":          {"Đánh dấu đã đọc", "Mark read"},
	"notice.markall":           {"Đánh dấu tất cả đã đọc", "Mark all read"},
	"notice.open":              {"Mở hồ sơ", "Open the case"},
	"notice.new":               {"Mới", "New"},
	"dashboard.title":          {"Hạn xử lý", "Deadlines"},
	"dashboard.intro":          {"Hồ sơ đang xử lý đã quá hạn hoặc sắp đến hạn theo Nghị định 56/2017, theo mức độ nguy cơ.", "Open cases past or close to a Decree 56/2017 deadline, by risk level."},
	"dashboard.overdue":        {"Quá hạn", "Overdue"},
	"dashboard.duesoon":        {"Sắp đến hạn", "Due soon"},
	"dashboard.total":          {"Tổng", "Total"},
	"dashboard.aggregate":      {"Vai trò của bạn chỉ xem số liệu tổng hợp.", "Your role sees totals only."},
	"dashboard.none":           {"Không có hồ sơ nào quá hạn hay sắp đến hạn.", "No case is overdue or due soon."},
	"export.title":             {"Xuất danh sách", "Export the list"},
	"export.csv":               {"Tải CSV", "Download CSV"},
	"export.xlsx":              {"Tải Excel (XLSX)", "Download Excel (XLSX)"},
	"export.col.code":          {"Mã hồ sơ", "Case code"},
	"export.col.received":      {"Thời gian tiếp nhận", "Received"},
	"export.col.channel":       {"Kênh", "Channel"},
	"export.col.category":      {"Loại việc", "Category"},
	"export.col.status":        {"Trạng thái", "Status"},
	"export.col.risk":          {"Mức nguy cơ", "Risk level"},
	"export.col.urgent":        {"Khẩn", "Urgent"},
	"export.col.ageband":       {"Nhóm tuổi", "Age band"},
	"export.col.due":           {"Hạn gần nhất", "Next deadline"},
	"export.col.overdue":       {"Quá hạn", "Overdue"},
	"export.col.childname":     {"Họ tên trẻ", "Child's name"},
	"export.col.age":           {"Tuổi", "Age"},
	"export.col.sex":           {"Giới tính", "Sex"},
	"export.col.school":        {"Trường", "School"},
	"export.col.class":         {"Lớp", "Class"},
	"export.col.place":         {"Nơi xảy ra", "Place"},
	"export.col.description":   {"Mô tả sự việc", "What happened"},
	"export.yes":               {"Có", "Yes"},
	"export.age.unknown":       {"Không rõ", "Unknown"},
	"export.age.0_5":           {"Dưới 6 tuổi", "Under 6"},
	"export.age.6_10":          {"6–10 tuổi", "6–10"},
	"export.age.11_14":         {"11–14 tuổi", "11–14"},
	"export.age.15_17":         {"15–17 tuổi", "15–17"},
	"export.age.":              {"Không rõ", "Unknown"},
	"handoff.title":            {"Chuyển Tổng đài 111", "Hand off to hotline 111"},
	"handoff.link":             {"Chuyển Tổng đài 111 (Mẫu 01)", "Hand off to 111 (Form 01)"},
	"handoff.intro":            {"Chọn những phần thông tin cần chuyển cho Tổng đài 111. Chỉ các phần được chọn có trong tệp; mỗi lần chuyển được ghi vào nhật ký.", "Tick the parts to share with hotline 111. Only the ticked parts go into the file; every hand-off is logged."},
	"handoff.format":           {"Định dạng", "Format"},
	"handoff.pdf":              {"PDF một trang (để gửi, in)", "One-page PDF (to send or print)"},
	"handoff.json":             {"JSON (dữ liệu có cấu trúc)", "JSON (structured data)"},
	"handoff.submit":           {"Tạo bản chuyển", "Make the hand-off"},
	"handoff.noconsent":        {"người báo cáo chưa đồng ý hoặc giấu tên", "the reporter did not consent or is anonymous"},
	"handoff.part.source":      {"Nguồn: kênh, giờ và ngày tiếp nhận", "Source: channel, hour and date received"},
	"handoff.part.child":       {"Thông tin về trẻ: họ tên, tuổi, giới tính, trường, lớp", "The child: name, age, sex, school, class"},
	"handoff.part.place":       {"Nơi và thời điểm xảy ra", "Where and when it happened"},
	"handoff.part.description": {"Sự việc và đường link", "What happened, and links"},
	"handoff.part.condition":   {"Tình trạng hiện tại của trẻ", "The child's current condition"},
	"handoff.part.harm":        {"Nguy cơ nếu không can thiệp", "Likely harm if nobody intervenes"},
	"handoff.part.family":      {"Gia đình: cha mẹ, người chăm sóc, hoàn cảnh, hỗ trợ đã có", "Family: parents, caregiver, situation, help given"},
	"handoff.part.reporter":    {"Người báo cáo (chỉ khi đã đồng ý)", "The reporter (only with consent)"},
}

var caseExtraOnce sync.Once

// caseExtraRoutes registers the notices, deadlines dashboard, export and
// hand-off pages (notice_list.go, case_dashboard.go, case_export.go,
// case_handoff.go) and adds their texts.
func (s *Server) caseExtraRoutes() {
	caseExtraOnce.Do(func() {
		if err := errors.Join(addMessages(caseExtraMessages), addMessages(caseListFilterMessages)); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	if s.cfg.Notices != nil {
		s.handle("GET /can-bo/thong-bao", s.noticeList)
		s.handle("POST /can-bo/thong-bao", s.noticeRead)
	}
	if s.cfg.Cases != nil {
		s.handle("GET /can-bo/han-xu-ly", s.caseDashboard)
		s.handle("GET /can-bo/ho-so/xuat.csv", s.caseExport("csv"))
		s.handle("GET /can-bo/ho-so/xuat.xlsx", s.caseExport("xlsx"))
		s.handle("GET /can-bo/ho-so/{id}/chuyen-111", s.handoffForm)
		s.handle("POST /can-bo/ho-so/{id}/chuyen-111", s.handoffCreate)
	}
}
