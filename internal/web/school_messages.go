package web

import (
	"sync"

	"manglanh/internal/auth"
	"manglanh/internal/family"
)

// schoolMessages are the texts of the school pages (/can-bo/truong…), the
// ward's families-and-schools aggregates (/can-bo/gia-dinh-truong-hoc) and
// the teacher role.
var schoolMessages = map[string]msg{
	"auth.role.teacher": {"Giáo viên tin học (nhà trường)", "IT teacher (school)"},

	"school.title":                  {"Nhà trường: lọc web và thống kê", "School: filtering and statistics"},
	"school.intro":                  {"Trang này chỉ có số liệu tổng hợp của trường bạn: không có tên học sinh nào.", "This page holds your school's aggregate figures only: no pupil's name."},
	"school.week":                   {"Tuần", "Week"},
	"school.week.show":              {"Xem", "Show"},
	"school.week.bad":               {"Tuần đã chọn không hợp lệ (hoặc ở tương lai): đang hiện tuần này.", "The week chosen is not valid (or in the future): this week is shown."},
	"school.stats":                  {"Thống kê tuần %s", "Statistics, week %s"},
	"school.families":               {"Gia đình tham gia", "Families enrolled"},
	"school.families.h":             {"phụ huynh có hồ sơ con học ở trường", "parents with a child profile at the school"},
	"school.children":               {"Hồ sơ trẻ", "Child profiles"},
	"school.devices":                {"Thiết bị được bảo vệ", "Devices covered"},
	"school.devices.h":              {"thiết bị của các hồ sơ trẻ, có dùng bộ lọc trong tuần", "devices of the child profiles that used the filter this week"},
	"school.queries":                {"Truy vấn trên mạng của trường", "Queries on the school's networks"},
	"school.blocked":                {"Lần truy cập bị chặn", "Blocked attempts"},
	"school.bycat":                  {"Bị chặn theo loại", "Blocked by category"},
	"school.cat":                    {"Loại", "Category"},
	"school.cat.other":              {"Khác", "Other"},
	"school.bycat.none":             {"Tuần này chưa có truy cập nào bị chặn trên mạng của trường.", "Nothing was blocked on the school's networks this week."},
	"school.chart.blocked":          {"Lần truy cập bị chặn trên mạng của trường, 8 tuần", "Blocked attempts on the school's networks, 8 weeks"},
	"school.series":                 {"8 tuần gần nhất", "The last 8 weeks"},
	"school.alerts":                 {"Cảnh báo trên mạng của trường", "Alerts on the school's networks"},
	"school.alerts.none":            {"Tuần này không có cảnh báo nào trên mạng của trường.", "No alert on the school's networks this week."},
	"school.alert.when":             {"Lúc", "When"},
	"school.alert.what":             {"Cảnh báo", "Alert"},
	"school.alert.where":            {"Mạng", "Network"},
	"school.alert.site":             {"Trang", "Site"},
	"school.alert.count":            {"Số lần", "Attempts"},
	"school.rule.dns.repeat":        {"Nhiều lần vào trang độc hại", "Repeated harmful sites"},
	"school.rule.dns.bypass":        {"Cố vượt bộ lọc", "Trying to get past the filter"},
	"school.rule.dns.bedtime":       {"Truy cập bị chặn trong giờ cấm", "Blocked in a quiet window"},
	"school.rule.message":           {"Tin nhắn nguy cơ cao", "High-risk message"},
	"school.profiles":               {"Hồ sơ lọc của trường", "The school's filtering profiles"},
	"school.profiles.intro":         {"Hồ sơ của trường áp dụng cho các mạng (địa chỉ IP, dải CIDR) của trường. Lớp hay phòng máy có thể có hồ sơ riêng trên một dải mạng nhỏ hơn nằm trong mạng của trường.", "The school's profile applies to the school's networks (IP addresses, CIDR ranges). A class or computer room may have its own profile on a smaller range inside the school's network."},
	"school.none":                   {"Trường chưa có hồ sơ lọc.", "The school has no filtering profile yet."},
	"school.kind.school":            {"Toàn trường", "Whole school"},
	"school.kind.class":             {"Lớp / phòng", "Class / room"},
	"school.networks":               {"Mạng", "Networks"},
	"school.nonetworks":             {"chưa có mạng nào", "no network yet"},
	"school.open":                   {"Mở", "Open"},
	"school.new":                    {"Tạo hồ sơ của trường", "Make the school's profile"},
	"school.newclass":               {"Thêm hồ sơ lớp hay phòng máy", "Add a class or computer room"},
	"school.name":                   {"Tên", "Name"},
	"school.name.h":                 {"Ví dụ: THCS Phù Liễn; Lớp 7A; Phòng máy 2", "E.g. Phù Liễn Secondary; Class 7A; Computer room 2"},
	"school.networks.h":             {"Mỗi dòng một địa chỉ IP hay một dải CIDR, IPv4 hoặc IPv6, ví dụ 10.20.0.0/16 hay 2001:db8:20::/48. Dải của lớp phải nằm trong dải của trường. Không dải nào được trùng với trường khác.", "One IP address or CIDR range a line, IPv4 or IPv6, e.g. 10.20.0.0/16 or 2001:db8:20::/48. A class's range must lie inside the school's. No range may overlap another school's."},
	"school.create":                 {"Tạo hồ sơ", "Make the profile"},
	"school.back":                   {"Về trang nhà trường", "Back to the school page"},
	"school.dnsname":                {"Tên DNS mã hoá của hồ sơ", "The profile's encrypted-DNS name"},
	"school.rename":                 {"Đổi tên", "Rename"},
	"school.save":                   {"Lưu", "Save"},
	"school.mang.title":             {"Mạng của hồ sơ", "The profile's networks"},
	"school.chan.title":             {"Chặn loại nội dung và dịch vụ", "Block categories and services"},
	"school.chan.h":                 {"Áp dụng mọi lúc trên mạng này. Bỏ chọn hết nghĩa là không chặn gì.", "Applies at all times on these networks. Clearing every box blocks nothing."},
	"school.cats":                   {"Loại nội dung", "Categories"},
	"school.services":               {"Dịch vụ, ứng dụng", "Services and apps"},
	"school.safe":                   {"Tìm kiếm an toàn (Google, Bing, YouTube)", "Safe search (Google, Bing, YouTube)"},
	"school.safe.strict":            {"Nghiêm", "Strict"},
	"school.safe.moderate":          {"Vừa", "Moderate"},
	"school.safe.off":               {"Tắt", "Off"},
	"school.safe.default":           {"Mặc định", "Default"},
	"school.lich.title":             {"Giờ học", "School hours"},
	"school.lich.h":                 {"Trong các khung giờ này, thêm những điều bị chặn (ví dụ game và mạng xã hội), hoặc chỉ cho phép một số trang học tập.", "In these windows, block more (e.g. games and social networks), or allow only some learning sites."},
	"school.lich.none":              {"Chưa có khung giờ nào.", "No window yet."},
	"school.lich.preset":            {"Thêm giờ học mẫu: T2–T6, 7:00–11:30 và 13:30–17:00, chặn game, mạng xã hội, video", "Add the usual school hours: Mon–Fri, 7:00–11:30 and 13:30–17:00, blocking games, social networks, video"},
	"school.lich.add":               {"Thêm khung giờ", "Add a window"},
	"school.lich.remove":            {"Xoá khung giờ này", "Remove this window"},
	"school.sched.name":             {"Tên khung giờ", "Window name"},
	"school.sched.days":             {"Ngày", "Days"},
	"school.sched.days.h":           {"Không chọn ngày nào nghĩa là mọi ngày.", "No day ticked means every day."},
	"school.sched.from":             {"Từ (giờ:phút)", "From (HH:MM)"},
	"school.sched.to":               {"Đến (giờ:phút)", "To (HH:MM)"},
	"school.sched.mode":             {"Trong khung giờ", "During the window"},
	"school.sched.mode.block":       {"Chặn thêm các mục đã chọn dưới đây", "Block the items ticked below as well"},
	"school.sched.mode.allow":       {"Chỉ cho phép các trang và dịch vụ ghi dưới đây", "Allow only the sites and services written below"},
	"school.sched.allow":            {"Chỉ cho phép (tên trang hay dịch vụ, cách nhau bằng dấu phẩy)", "Allow only (sites or services, separated by commas)"},
	"school.sched.allow.h":          {"Ví dụ: olm.vn, hocmai.vn, vnedu.vn, youtube", "E.g. olm.vn, hocmai.vn, vnedu.vn, youtube"},
	"school.sched.blocks":           {"chặn thêm: %s", "also blocks: %s"},
	"school.sched.allowonly":        {"chỉ cho phép: %s", "allows only: %s"},
	"school.day.mon":                {"T2", "Mon"},
	"school.day.tue":                {"T3", "Tue"},
	"school.day.wed":                {"T4", "Wed"},
	"school.day.thu":                {"T5", "Thu"},
	"school.day.fri":                {"T6", "Fri"},
	"school.day.sat":                {"T7", "Sat"},
	"school.day.sun":                {"CN", "Sun"},
	"school.day.all":                {"mọi ngày", "every day"},
	"school.trang.title":            {"Cho phép hay chặn một trang", "Allow or block one site"},
	"school.site":                   {"Tên trang", "Site"},
	"school.site.h":                 {"Ví dụ: olm.vn (gồm cả các tên con như www.olm.vn)", "E.g. olm.vn (its subdomains too, like www.olm.vn)"},
	"school.site.allow":             {"Luôn cho phép", "Always allow"},
	"school.site.deny":              {"Luôn chặn", "Always block"},
	"school.site.add":               {"Lưu trang", "Save the site"},
	"school.allowed":                {"Luôn cho phép", "Always allowed"},
	"school.denied":                 {"Luôn chặn", "Always blocked"},
	"school.site.none":              {"chưa có", "none"},
	"school.site.remove":            {"Bỏ", "Remove"},
	"school.xoa.title":              {"Xoá hồ sơ", "Delete the profile"},
	"school.xoa.h":                  {"Các mạng của hồ sơ này sẽ dùng bộ lọc chung của phường.", "This profile's networks go back to the ward's default filter."},
	"school.xoa":                    {"Xoá hồ sơ này", "Delete this profile"},
	"school.err.site":               {"Không phải tên trang web hợp lệ (ví dụ olm.vn).", "Not a valid site name (e.g. olm.vn)."},
	"school.ok.created":             {"Đã tạo hồ sơ lọc. Bộ lọc DNS áp dụng trong vài giây, không cần khởi động lại.", "Profile made. The DNS filter applies it within seconds, with no restart."},
	"school.ok.renamed":             {"Đã đổi tên hồ sơ.", "Profile renamed."},
	"school.ok.networks":            {"Đã lưu các mạng của hồ sơ; bộ lọc DNS áp dụng trong vài giây.", "Networks saved; the DNS filter applies them within seconds."},
	"school.ok.blocked":             {"Đã lưu các loại nội dung và dịch vụ bị chặn.", "Blocked categories and services saved."},
	"school.ok.schedule":            {"Đã thêm khung giờ.", "Window added."},
	"school.ok.schoolhours":         {"Đã thêm giờ học mẫu: hai khung giờ T2–T6.", "The usual school hours added: two Mon–Fri windows."},
	"school.ok.schoolhours_already": {"Giờ học mẫu đã có sẵn: không có gì thay đổi.", "The usual school hours are already there: nothing changed."},
	"school.ok.unscheduled":         {"Đã xoá khung giờ.", "Window removed."},
	"school.ok.allowed":             {"Đã thêm trang vào danh sách luôn cho phép.", "Site added to always allowed."},
	"school.ok.denied":              {"Đã thêm trang vào danh sách luôn chặn.", "Site added to always blocked."},
	"school.ok.siteremoved":         {"Đã bỏ trang khỏi danh sách.", "Site removed from the list."},
	"school.ok.deleted":             {"Đã xoá hồ sơ; các mạng của nó dùng lại bộ lọc chung của phường.", "Profile deleted; its networks use the ward's default filter again."},
	"school.nav":                    {"Nhà trường: lọc web, thống kê", "School: filtering, statistics"},

	"ward.title":         {"Gia đình và nhà trường: số liệu của phường", "Families and schools: the ward's figures"},
	"ward.intro":         {"Số liệu tổng hợp theo tuần, không có tên trẻ hay phụ huynh. Gia đình tham gia: phụ huynh có hồ sơ con học ở trường đó (một gia đình có con ở hai trường được tính ở cả hai, và một lần trong tổng của phường). Thiết bị được bảo vệ: thiết bị của hồ sơ trẻ có dùng bộ lọc trong tuần. Bị chặn: trên mạng của trường; dòng tổng của phường đếm mọi hồ sơ.", "Weekly aggregates, with no child's or parent's name. Families enrolled: parents with a child profile at that school (a family with children at two schools counts at both, and once in the ward's total). Devices covered: devices of child profiles that used the filter in the week. Blocked: on the school's networks; the ward's total counts every profile."},
	"ward.school":        {"Trường", "School"},
	"ward.queries":       {"Truy vấn DNS", "DNS queries"},
	"ward.top":           {"Bị chặn nhiều nhất", "Blocked most"},
	"ward.noschool":      {"Trẻ không ghi trường", "Children with no school given"},
	"ward.total":         {"Toàn phường", "Whole ward"},
	"ward.chart.blocked": {"Lần truy cập bị chặn, toàn phường, 8 tuần", "Blocked attempts, whole ward, 8 weeks"},
	"ward.chart.devices": {"Thiết bị được bảo vệ, toàn phường, 8 tuần", "Devices covered, whole ward, 8 weeks"},
	"ward.bycat":         {"Toàn phường: bị chặn theo loại", "Whole ward: blocked by category"},
	"ward.noschools":     {"Danh bạ chưa có trường nào: quản trị viên thêm trường ở Danh bạ tổ chức.", "The directory has no school yet: a ward admin adds them in the directory."},
	"ward.nav":           {"Gia đình và nhà trường (số liệu)", "Families and schools (figures)"},
}

// schoolLinks says whether the staff home links the school page and the
// ward's families-and-schools figures for u.
func (s *Server) schoolLinks(u *SessionUser) (school, ward bool) {
	if s.cfg.Families == nil || u == nil {
		return false, false
	}
	role := auth.Role(u.Role)
	return role == auth.RoleSchool || role == auth.RoleTeacher,
		family.Actor{StaffID: u.ID, StaffRole: u.Role}.SeesWardStats()
}

var schoolMessagesOnce sync.Once

// schoolRoutes registers the school pages and the ward aggregates
// (school_*.go, ward_families_*.go) and adds their texts.
func (s *Server) schoolRoutes() {
	schoolMessagesOnce.Do(func() {
		if err := addMessages(schoolMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	if s.cfg.Families == nil || s.cfg.Auth == nil {
		return
	}
	school := s.requireRole(auth.RoleSchool, auth.RoleTeacher)
	s.handle("GET /can-bo/truong", school(s.schoolShow))
	s.handle("POST /can-bo/truong/tao", school(s.schoolCreate("school")))
	s.handle("POST /can-bo/truong/lop", school(s.schoolCreate("class")))
	s.handle("GET /can-bo/truong/ho-so/{id}", school(s.schoolProfileShow))
	s.handle("POST /can-bo/truong/ho-so/{id}/{part}", school(s.schoolProfileSave))
	ward := s.requireRole(auth.RoleWardAdmin, auth.RoleChairman, auth.RoleOfficer, auth.RoleViewer)
	s.handle("GET /can-bo/gia-dinh-truong-hoc", ward(s.wardFamiliesShow))
}
