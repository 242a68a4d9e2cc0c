package web

import (
	"fmt"
	"html/template"
	"net/url"
	"time"
)

// msg is one text in both languages.
type msg struct{ vi, en string }

// messages is the catalogue of page texts. Handlers' files may add their own
// catalogues with addMessages in New; keys are dotted by page.
var messages = map[string]msg{
	"app.name":             {"Mạng Lành", "Mạng Lành"},
	"app.tagline":          {"Bảo vệ trẻ em trên môi trường mạng", "Keeping children safe online"},
	"nav.home":             {"Trang chủ", "Home"},
	"nav.report":           {"Báo cáo sự việc", "Report"},
	"nav.check":            {"Kiểm tra tin nhắn", "Check a message"},
	"nav.setup":            {"Cài bộ lọc", "Set up the filter"},
	"nav.login":            {"Cán bộ đăng nhập", "Staff sign-in"},
	"nav.logout":           {"Đăng xuất", "Sign out"},
	"lang.switch":          {"English", "Tiếng Việt"},
	"call.hotline":         {"Gọi %s – Tổng đài bảo vệ trẻ em (miễn phí, 24/7)", "Call %s – child protection hotline (free, 24/7)"},
	"call.police":          {"Gọi %s – Công an", "Call %s – Police"},
	"home.title":           {"Mạng Lành – bảo vệ trẻ em trên mạng", "Mạng Lành – keeping children safe online"},
	"home.report":          {"Báo cáo trẻ em bị lừa đảo, dụ dỗ, đe doạ hay bắt nạt trên mạng. Mất 2 phút, có thể giấu tên.", "Report a child being scammed, lured, threatened or bullied online. Two minutes; anonymous if you wish."},
	"home.check":           {"Dán một tin nhắn hay đường link lạ để biết nó có nguy hiểm không.", "Paste a strange message or link to see whether it looks dangerous."},
	"home.setup":           {"Lọc web độc hại cho điện thoại của con, không cần cài ứng dụng, miễn phí.", "Filter harmful sites on your child's phone: no app, free."},
	"home.danger":          {"Trẻ đang gặp nguy hiểm ngay lúc này?", "Is a child in danger right now?"},
	"error.title":          {"Có lỗi", "Something went wrong"},
	"error.csrf":           {"Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và gửi lại.", "Your session expired or the form is invalid. Reload the page and send again."},
	"error.notfound":       {"Không tìm thấy trang.", "Page not found."},
	"error.forbidden":      {"Bạn không có quyền xem trang này.", "You may not see this page."},
	"error.toolarge":       {"Dữ liệu gửi lên quá lớn.", "What you sent is too large."},
	"error.ratelimit":      {"Bạn gửi quá nhanh. Hãy chờ một chút rồi thử lại.", "Too many requests. Wait a moment and try again."},
	"error.badrequest":     {"Yêu cầu không hợp lệ.", "Invalid request."},
	"error.malformed":      {"Không đọc được biểu mẫu gửi lên (dữ liệu bị hỏng hoặc không đúng định dạng). Hãy tải lại trang và gửi lại.", "The form that was sent cannot be read (broken or in the wrong format). Reload the page and send again."},
	"error.lengthrequired": {"Trình duyệt không cho biết dung lượng tệp gửi lên. Hãy gửi lại từ biểu mẫu trên trang.", "The browser did not say how large the upload is. Send it again from the form on the page."},
	"error.busy":           {"Máy chủ đang nhận nhiều tệp cùng lúc. Hãy chờ một chút rồi gửi lại; nếu khẩn cấp, gọi 111.", "The server is receiving many files at once. Wait a moment and send again; if it is urgent, call 111."},
	"error.internal":       {"Lỗi hệ thống. Hãy thử lại sau; nếu khẩn cấp, gọi 111.", "System error. Try again later; if it is urgent, call 111."},
	"footer.privacy":       {"Thông tin bạn gửi được giữ bí mật theo Nghị định 56/2017/NĐ-CP.", "What you send is kept confidential under Decree 56/2017/ND-CP."},
}

// addMessages merges a page's catalogue into the shared one; a duplicate key
// is a programming error reported at start-up.
func addMessages(m map[string]msg) error {
	for k, v := range m {
		if _, dup := messages[k]; dup {
			return fmt.Errorf("duplicate message key %q", k)
		}
		messages[k] = v
	}
	return nil
}

// T returns the text for key in lang, formatted with args; an unknown key
// shows itself so a missing translation is visible, not silent.
func T(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m.vi
	if lang == "en" && m.en != "" {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"T":      T,
		"static": func(name string) string { return s.hashed[name] },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.cfg.Location).Format("02/01/2006")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.cfg.Location).Format("15:04 02/01/2006")
		},
		"vnd":  formatVND,
		"urlq": url.QueryEscape,
		"otherLang": func(l string) string {
			if l == "en" {
				return "vi"
			}
			return "en"
		},
	}
}

// formatVND writes an amount the Vietnamese way: 1.500.000 ₫.
func formatVND(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out) + " ₫"
	}
	return string(out) + " ₫"
}
