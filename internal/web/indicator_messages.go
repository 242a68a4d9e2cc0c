package web

// indicatorMessages are the texts of the targets page (/can-bo/chi-tieu,
// indicator_*.go) and the translations of program.ValidateIndicator's keys.
var indicatorMessages = map[string]msg{
	"indicator.title":               {"Chỉ tiêu của chương trình", "Programme targets"},
	"indicator.intro":               {"Các chỉ tiêu theo Quyết định 830/QĐ-TTg và kế hoạch của phường. Kết quả của mỗi chỉ tiêu được tính từ dữ liệu theo cách đo ghi bên dưới; ở đây chỉ sửa mục tiêu và tên gọi.", "The targets of Decision 830/QĐ-TTg and the ward's plan. Each target's result is computed from the data by the measure shown; here you change only the target value and the names."},
	"indicator.readonly":            {"Tài khoản của bạn chỉ được xem các chỉ tiêu.", "Your account may only read the targets."},
	"indicator.measure":             {"Cách đo", "Measure"},
	"indicator.target":              {"Mục tiêu", "Target"},
	"indicator.unit.percent":        {"%", "%"},
	"indicator.unit.count":          {"(số lượng)", "(count)"},
	"indicator.edit":                {"Sửa chỉ tiêu %s", "Edit target %s"},
	"indicator.target.label":        {"Mục tiêu %s", "Target %s"},
	"indicator.target.hint.percent": {"Phần trăm, từ 0 đến 100; có thể có phần thập phân (ví dụ 92,5).", "A percentage from 0 to 100; decimals allowed (e.g. 92.5)."},
	"indicator.target.hint.count":   {"Số nguyên không âm.", "A whole number, not negative."},
	"indicator.name_vi":             {"Tên chỉ tiêu (tiếng Việt)", "Name (Vietnamese)"},
	"indicator.name_en":             {"Tên chỉ tiêu (tiếng Anh)", "Name (English)"},
	"indicator.save":                {"Lưu chỉ tiêu", "Save the target"},
	"indicator.ok.saved":            {"Đã lưu chỉ tiêu %s: mục tiêu %s.", "Target %s was saved: %s."},
	"indicator.err.number":          {"Mục tiêu phải là một số, ví dụ 100 hoặc 92,5.", "The target must be a number, e.g. 100 or 92.5."},
	"indicator.err.conflict":        {"Người khác vừa sửa chỉ tiêu này; chưa lưu gì. Giá trị mới nhất đang hiển thị: hãy sửa lại nếu cần.", "Someone else has just changed this target; nothing was saved. The latest values are shown: change them again if needed."},
	"indicator.errors":              {"Chưa lưu: hãy sửa mục được đánh dấu.", "Not saved: correct the marked field."},
	"indicator.none":                {"Chưa có chỉ tiêu nào.", "No targets yet."},

	// program.ValidateIndicator's keys.
	"program.err.required":        {"Mục này bắt buộc.", "This field is required."},
	"program.err.too_long":        {"Quá dài (tối đa 300 ký tự).", "Too long (at most 300 characters)."},
	"program.err.measure_unknown": {"Cách đo không có trong danh mục.", "The measure is not in the catalogue."},
	"program.err.target_range":    {"Mục tiêu không được âm.", "The target cannot be negative."},
	"program.err.target_percent":  {"Mục tiêu phần trăm không quá 100.", "A percentage target is at most 100."},
	"program.err.target_count":    {"Mục tiêu số lượng phải là số nguyên từ 0 đến 1.000.000.000.", "A count target is a whole number from 0 to 1,000,000,000."},
}
