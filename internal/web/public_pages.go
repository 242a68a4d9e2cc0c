package web

import (
	"net/http"
	"sync"
)

var publicMessagesOnce sync.Once

// setupPublic adds the public pages' texts and the receipt sealer.
func (s *Server) setupPublic() error {
	var err error
	publicMessagesOnce.Do(func() { err = addMessages(publicMessages) })
	if err != nil {
		return err
	}
	s.receipts, err = receiptSealer(s.cfg)
	return err
}

// publicRoutes registers the favicon and, with cases, the receipt page.
func (s *Server) publicRoutes() {
	s.handle("GET /favicon.ico", s.faviconShow)
	s.handle("GET /favicon.svg", s.faviconShow)
	if s.cfg.Cases != nil {
		s.handle("GET "+receiptPath, s.reportReceipt)
	}
}

// faviconShow serves the embedded SVG icon; browsers that ask for
// /favicon.ico accept SVG content too. It may be cached for a day (the
// name has no hash).
func (s *Server) faviconShow(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static[s.hashedName("favicon.svg")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(f.body)
}

// hashedName is the content-hashed file name of a static file.
func (s *Server) hashedName(name string) string {
	u := s.hashed[name]
	if len(u) > len("/static/") {
		return u[len("/static/"):]
	}
	return ""
}

// pageMeta gives a page its meta description and, for the public forms,
// the id of the form the language switch belongs to. The staff entry form
// shares report_new.html but not the switch: its handler records a case.
func pageMeta(name, lang string, data any) (langForm, description string) {
	switch name {
	case "report_new":
		if p, ok := data.(reportPage); ok && !p.Staff {
			langForm = "report-form"
		}
	case "check":
		langForm = "check-form"
	case "preport_form":
		langForm = "soan" // the report editor keeps its text across the switch
	}
	key := "meta." + name
	if _, ok := messages[key]; !ok {
		key = "meta.default"
	}
	return langForm, T(lang, key)
}

var publicMessages = map[string]msg{
	"meta.default":             {"Mạng Lành: bảo vệ trẻ em trên mạng – báo cáo sự việc, kiểm tra tin nhắn lạ, lọc web độc hại.", "Mạng Lành: keeping children safe online – report an incident, check a strange message, filter harmful sites."},
	"meta.home":                {"Bảo vệ trẻ em trên mạng: báo cáo trẻ bị lừa đảo, dụ dỗ, bắt nạt; kiểm tra tin nhắn lạ; lọc web độc hại miễn phí.", "Keeping children safe online: report a child scammed, lured or bullied; check a strange message; filter harmful sites for free."},
	"meta.report_new":          {"Báo cáo cho Uỷ ban nhân dân phường khi trẻ em bị lừa đảo, dụ dỗ, đe doạ hay bắt nạt trên mạng. Có thể giấu tên.", "Report to the ward People's Committee a child scammed, lured, threatened or bullied online. You may stay anonymous."},
	"meta.report_receipt":      {"Biên nhận báo cáo gửi Uỷ ban nhân dân phường, với mã tra cứu tình trạng xử lý.", "Receipt of a report to the ward People's Committee, with the code to check how it is handled."},
	"meta.report_track":        {"Tra cứu tình trạng xử lý báo cáo bằng mã 8 ký tự.", "Check how a report is being handled with its 8-character code."},
	"meta.check":               {"Dán tin nhắn hay đường link lạ để xem có dấu hiệu lừa đảo, dụ dỗ, đe doạ hay cờ bạc không. Không lưu lại.", "Paste a strange message or link to see signs of a scam, grooming, threats or gambling. Nothing is kept."},
	"meta.setup":               {"Cài bộ lọc web độc hại của phường cho điện thoại, máy tính và bộ phát Wi-Fi: miễn phí, không cần ứng dụng.", "Set up the ward's filter of harmful sites on phones, computers and Wi-Fi routers: free, no app."},
	"lang.switch.keep":         {"Chuyển sang tiếng Việt, giữ nguyên những gì đã điền", "Switch to English, keeping what you typed"},
	"report.error.reused":      {"Biểu mẫu này đã được gửi trước đó với nội dung khác. Nếu bạn muốn báo thêm một việc mới, hãy kiểm tra lại rồi bấm gửi lần nữa: nó sẽ thành một báo cáo mới.", "This form was sent before with other content. If you want to report another incident, check it and send it again: it will be a new report."},
	"report.error.description": {"Vui lòng mô tả sự việc.", "Please describe what happened."},
	"report.error.summary":     {"Biểu mẫu chưa gửi được. Vui lòng sửa:", "The form was not sent. Please correct:"},
	"report.step":              {"Bước %d/4", "Step %d of 4"},
	"report.step1":             {"Chuyện gì đang xảy ra", "What is happening"},
	"report.step2":             {"Về trẻ em", "About the child"},
	"report.step3":             {"Người bị nghi ngờ và bằng chứng", "The suspect and the evidence"},
	"report.step4":             {"Về bạn", "About you"},
	"report.optional":          {"không bắt buộc", "optional"},
	"report.open":              {"Bấm để điền", "Tap to fill in"},
	"report.only1":             {"Chỉ cần điền bước 1 là gửi được. Các bước sau giúp phường xử lý nhanh hơn.", "Step 1 is enough to send. The other steps help the ward act faster."},
	"report.send.now":          {"Gửi ngay", "Send now"},
	"report.files.again":       {"Ảnh đã chọn không được giữ khi đổi ngôn ngữ: hãy chọn lại ảnh.", "Chosen images are not kept when the language changes: choose them again."},
	"receipt.gone":             {"Biên nhận chỉ hiện trên trình duyệt đã gửi báo cáo, trong 30 phút. Nếu bạn đã ghi lại mã, hãy dùng trang Tra cứu.", "The receipt is shown only in the browser that sent the report, for 30 minutes. If you wrote the code down, use the Check the status page."},
	"receipt.gone.title":       {"Không còn hiển thị biên nhận", "The receipt is no longer shown"},
	"receipt.new":              {"Báo cáo một việc khác", "Report another incident"},
	"hotline.region":           {"Đường dây nóng", "Hotline"},
}
