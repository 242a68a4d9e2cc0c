package web

import (
	"sync"

	"manglanh/internal/auth"
)

// caseworkMessages are the texts of the officer's case path: confirmations,
// delivery of referrals, the Mẫu 01 completion form, the history, and the
// organisation directory.
var caseworkMessages = map[string]msg{
	"case.required":            {"bắt buộc", "required"},
	"case.show.notassessed":    {"Chưa đánh giá", "Not yet assessed"},
	"case.show.school":         {"Trường liên quan", "School concerned"},
	"case.show.reporter.state": {"Tình trạng", "Status"},
	"case.choose":              {"— Chọn —", "— Choose —"},
	"case.triage.urgent":       {"Khẩn – chưa đánh giá", "Urgent – not yet assessed"},
	"case.triage.suggested":    {"gợi ý của hệ thống: %s", "system suggestion: %s"},
	"case.assess.fromurgent":   {"Báo cáo được đánh dấu khẩn: biểu mẫu bắt đầu từ mức Cao và can thiệp khẩn cấp. Hạn can thiệp khẩn cấp: %s (12 giờ từ lúc tiếp nhận).", "The report is marked urgent: the form starts at High with emergency intervention. Emergency deadline: %s (12 hours from receipt)."},
	"case.assess.fromsuggest":  {"Mức ban đầu lấy từ gợi ý của hệ thống; hãy xác minh trước khi ghi.", "The starting level is the system's suggestion; check it before saving."},
	"case.assess.nosuggest":    {"Không có gợi ý: hãy chọn mức độ nguy cơ.", "No suggestion: choose the risk level."},
	"case.plan.row":            {"Nhiệm vụ %d", "Task %d"},

	"case.ok.assess":               {"Đã ghi đánh giá ban đầu (Mẫu 02).", "Initial assessment (Form 02) recorded."},
	"case.ok.emergency_action":     {"Đã ghi biện pháp can thiệp khẩn cấp.", "Emergency action recorded."},
	"case.ok.needs_assessment":     {"Đã ghi đánh giá nhu cầu và ý kiến của trẻ (Mẫu 03).", "Needs assessment and the child's views (Form 03) recorded."},
	"case.ok.submit_plan":          {"Đã trình kế hoạch hỗ trợ (Mẫu 04); Chủ tịch được báo để phê duyệt.", "Support plan (Form 04) submitted; the chairman is told to approve it."},
	"case.ok.approve_plan":         {"Đã phê duyệt kế hoạch (Mẫu 05).", "Plan approved (Form 05)."},
	"case.ok.reject_plan":          {"Đã trả lại kế hoạch để xây dựng lại; người phụ trách được báo.", "Plan sent back for redrafting; the assignee is told."},
	"case.ok.start_implementation": {"Đã bắt đầu thực hiện kế hoạch.", "Implementation started."},
	"case.ok.review":               {"Đã ghi kết quả rà soát (Mẫu 06).", "Review (Form 06) recorded."},
	"case.ok.close":                {"Đã đóng hồ sơ.", "Case closed."},
	"case.ok.assign":               {"Đã phân công %s phụ trách hồ sơ; người đó được báo.", "%s is now responsible for the case and has been told."},
	"case.ok.referral_update":      {"Đã cập nhật chuyển gửi: %s – %s.", "Referral updated: %s – %s."},
	"case.ok.details":              {"Đã cập nhật Mẫu 01: %s.", "Form 01 updated: %s."},
	"case.ok.details_none":         {"Không có gì thay đổi trong Mẫu 01.", "Nothing changed in Form 01."},
	"case.ok.refer.delivered":      {"Đã chuyển gửi tới %s: thông báo đã tới %d tài khoản trên cổng.", "Referred to %s: the notice reached %d portal account(s)."},
	"case.ok.refer.email":          {"Đã chuyển gửi tới %s: chưa có tài khoản nào trên cổng, đã xếp hàng gửi %d e-mail. Hãy gọi để chắc chắn họ đã nhận.", "Referred to %s: no portal account, %d e-mail(s) queued. Call to make sure they received it."},
	"case.ok.refer.nobody":         {"Đã ghi chuyển gửi tới %s, NHƯNG CHƯA AI NHẬN ĐƯỢC: tổ chức này không có tài khoản đang hoạt động và không có e-mail. Hãy gọi điện cho họ và in phiếu chuyển gửi.", "Referral to %s recorded, BUT NOBODY RECEIVED IT: the organisation has no active account and no e-mail. Call them and print the hand-off."},
	"case.ok.refer.failed":         {"Đã ghi chuyển gửi tới %s, nhưng gửi thông báo bị lỗi: hãy gọi điện cho họ.", "Referral to %s recorded, but the notice failed: call them."},
	"case.ok.refer.manual":         {"Đã ghi chuyển gửi tới Tổng đài 111. 111 không có tài khoản: hãy gọi 111 và tải phiếu chuyển 111 (Mẫu 01).", "Referral to Hotline 111 recorded. 111 has no account: call 111 and download the 111 hand-off (Form 01)."},
	"case.ok.refer.unknown":        {"Đã ghi chuyển gửi tới %s; hệ thống không biết thông báo đã tới ai: hãy gọi điện để chắc chắn.", "Referral to %s recorded; the system does not know who the notice reached: call to make sure."},

	"case.delivery.delivered":    {"Đã tới %d tài khoản", "Reached %d account(s)"},
	"case.delivery.email":        {"Đã xếp hàng %d e-mail", "%d e-mail(s) queued"},
	"case.delivery.nobody":       {"Chưa ai nhận được", "Nobody received it"},
	"case.delivery.failed":       {"Gửi thông báo bị lỗi", "The notice failed"},
	"case.delivery.manual":       {"Gọi 111, chuyển phiếu Mẫu 01", "Call 111, hand off Form 01"},
	"case.delivery.unknown":      {"Không rõ đã tới ai", "Not known who received it"},
	"case.delivery.todo":         {"Việc cần làm: gọi %s và in phiếu chuyển gửi.", "What to do: call %s and print the hand-off."},
	"case.delivery.todo.nophone": {"Việc cần làm: tìm số điện thoại của tổ chức (danh bạ chưa có), gọi cho họ và in phiếu chuyển gửi.", "What to do: find the organisation's phone (not in the directory), call them and print the hand-off."},
	"case.delivery.call":         {"Gọi %s", "Call %s"},
	"case.delivery.print":        {"In phiếu chuyển gửi", "Print the hand-off"},
	"case.delivery.state":        {"Thông báo", "Notice"},

	"case.refstate.pending":  {"Chờ nhận", "Pending"},
	"case.refstate.accepted": {"Đã nhận", "Accepted"},
	"case.refstate.rejected": {"Đã từ chối", "Rejected"},
	"case.refstate.done":     {"Đã xong", "Done"},
	"case.refstate.revoked":  {"Đã thu hồi", "Revoked"},

	"case.hist.assignee":       {"Người phụ trách: %s", "Assignee: %s"},
	"case.hist.refer":          {"Chuyển gửi tới %s", "Referred to %s"},
	"case.hist.consent":        {"đã có sự đồng ý", "consent recorded"},
	"case.hist.noconsent":      {"chưa có sự đồng ý", "no consent"},
	"case.hist.referral":       {"%s: %s → %s", "%s: %s → %s"},
	"case.hist.parts":          {"Phần đã chuyển: %s", "Parts shared: %s"},
	"case.hist.fields":         {"Đã cập nhật: %s", "Updated: %s"},
	"case.action.handoff_111":  {"Chuyển Tổng đài 111 (tải phiếu)", "Handed to 111 (download)"},
	"case.action.edit_details": {"Bổ sung Mẫu 01", "Form 01 completed"},
	"case.actor.role":          {"%s (%s)", "%s (%s)"},

	"case.details.title":          {"Bổ sung Mẫu 01", "Complete Form 01"},
	"case.details.intro":          {"Báo cáo qua mạng thường thiếu các phần này. Cán bộ bổ sung sau khi xác minh; nội dung được mã hoá, lịch sử chỉ ghi tên phần đã sửa.", "A web report usually lacks these parts. Complete them after checking; the content is encrypted and the history names only the parts changed."},
	"case.details.save":           {"Lưu Mẫu 01", "Save Form 01"},
	"case.field.child_condition":  {"Tình trạng hiện tại của trẻ", "The child's current condition"},
	"case.field.likely_harm":      {"Nguy cơ nếu không can thiệp", "Likely harm if nobody intervenes"},
	"case.field.parents_info":     {"Cha, mẹ (họ tên, tuổi, nghề nghiệp)", "Parents (names, ages, occupations)"},
	"case.field.caregiver":        {"Người đang chăm sóc trẻ", "Who cares for the child now"},
	"case.field.family_situation": {"Hoàn cảnh gia đình", "The family's situation"},
	"case.field.prior_help":       {"Hỗ trợ đã có trước khi báo cáo", "Help given before the report"},

	"case.refer.none":      {"Danh bạ chưa có tổ chức nào: quản trị viên thêm tổ chức ở trang Danh bạ tổ chức.", "The directory has no organisation yet: a ward admin adds them on the directory page."},
	"case.refer.noaccount": {"chưa có tài khoản", "no account"},
	"case.refer.111":       {"Tổng đài 111 (gọi và chuyển phiếu)", "Hotline 111 (call and hand off)"},
	"case.assign.none":     {"Chưa có cán bộ nào có thể phụ trách hồ sơ.", "No staff member can be responsible for cases yet."},
	"case.assign.current":  {"Hiện tại: %s", "Now: %s"},

	"org.title":                     {"Danh bạ tổ chức", "Organisation directory"},
	"org.intro":                     {"Các cơ quan, tổ chức nhận chuyển gửi hồ sơ. Tài khoản nhà trường, tổ chức và công an thuộc một tổ chức trong danh bạ. Tổ chức chưa có tài khoản vẫn nhận được chuyển gửi, nhưng cán bộ phải gọi điện.", "The agencies cases are referred to. School, organisation and police accounts belong to one. An organisation without an account can still be referred to, but the officer must call."},
	"org.name":                      {"Tên tổ chức", "Name"},
	"org.kind":                      {"Loại", "Kind"},
	"org.phone":                     {"Điện thoại", "Phone"},
	"org.email":                     {"E-mail", "E-mail"},
	"org.address":                   {"Địa chỉ", "Address"},
	"org.contact":                   {"Người liên hệ", "Contact person"},
	"org.accounts":                  {"Tài khoản", "Accounts"},
	"org.noaccount":                 {"Chưa có tài khoản: chuyển gửi sẽ không tới ai", "No account: referrals reach nobody"},
	"org.status":                    {"Trạng thái", "Status"},
	"org.active":                    {"Đang hoạt động", "Active"},
	"org.inactive":                  {"Ngừng hoạt động", "Inactive"},
	"org.add":                       {"Thêm tổ chức", "Add an organisation"},
	"org.edit":                      {"Sửa", "Edit"},
	"org.save":                      {"Lưu", "Save"},
	"org.deactivate":                {"Ngừng hoạt động", "Deactivate"},
	"org.activate":                  {"Hoạt động lại", "Reactivate"},
	"org.empty":                     {"Danh bạ chưa có tổ chức nào.", "The directory is empty."},
	"org.ok.created":                {"Đã thêm %s vào danh bạ.", "%s added to the directory."},
	"org.ok.updated":                {"Đã lưu thông tin của %s.", "%s saved."},
	"org.ok.deactivated":            {"%s đã ngừng hoạt động: không nhận chuyển gửi mới.", "%s is inactive: it receives no new referral."},
	"org.ok.activated":              {"%s hoạt động lại.", "%s is active again."},
	"org.kind.school":               {"Trường học", "School"},
	"org.kind.police":               {"Công an", "Police"},
	"org.kind.womens_union":         {"Hội Liên hiệp Phụ nữ", "Women's Union"},
	"org.kind.youth_union":          {"Đoàn Thanh niên", "Youth Union"},
	"org.kind.health":               {"Trạm y tế", "Health station"},
	"org.kind.city_social_services": {"Cơ quan xã hội của thành phố", "City social services"},
	"org.kind.other":                {"Khác", "Other"},
	"nav.orgs":                      {"Danh bạ tổ chức", "Directory"},

	"auth.users.org":        {"Tổ chức (với tài khoản nhà trường, tổ chức, công an)", "Organisation (for school, organisation and police accounts)"},
	"auth.users.org.none":   {"— Không thuộc tổ chức nào —", "— No organisation —"},
	"auth.users.org.manage": {"Chưa thấy tổ chức? Thêm ở Danh bạ tổ chức.", "Organisation missing? Add it in the directory."},
}

var caseworkOnce sync.Once

// caseworkRoutes registers the organisation directory pages and adds the
// case path's texts (casework_messages.go, org_*.go).
func (s *Server) caseworkRoutes() {
	caseworkOnce.Do(func() {
		if err := addMessages(caseworkMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	if s.cfg.Cases == nil || s.cfg.Auth == nil {
		return
	}
	admin := s.requireRole(auth.RoleWardAdmin)
	s.handle("GET /can-bo/to-chuc", admin(s.orgList))
	s.handle("POST /can-bo/to-chuc", admin(s.orgSave))
	s.handle("POST /can-bo/to-chuc/{id}/trang-thai", admin(s.orgActive))
}
