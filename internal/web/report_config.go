package web

import (
	"context"
	"strings"
	"sync"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/risk"
	"manglanh/internal/store"
)

// EvidenceStore reads the images kept with a case; *store.CaseStore
// satisfies it. Images are written with the report itself, by
// cases.Service.Intake.
type EvidenceStore interface {
	ListEvidence(ctx context.Context, caseID int64) ([]store.Evidence, error)
	OpenEvidence(ctx context.Context, caseID, id int64) (store.Evidence, []byte, error)
}

// SourceStore keeps report sources (QR posters); *store.Store satisfies it.
type SourceStore interface {
	CreateSource(ctx context.Context, src *store.Source) error
	GetSource(ctx context.Context, id int64) (store.Source, error)
	ListSources(ctx context.Context) ([]store.Source, error)
}

// RiskScorer scores a text and triages a report narrative; *risk.Engine
// satisfies it.
type RiskScorer interface {
	Score(text string) risk.Result
	ScoreThread(msgs []risk.Message) risk.ThreadResult
	Triage(in risk.NarrativeInput) risk.Triage
}

// suggest fills in's risk-engine suggestion: the narrative triaged as a
// reporter's account (with its quoted messages, the reporter's category and
// urgency), the links and profile read along with it. The public form, the
// API and the staff entry all come through here. It never decides
// anything: the initial assessment does.
func (s *Server) suggest(in *cases.Intake) {
	if s.cfg.Risk == nil {
		return
	}
	text := in.Sensitive.Description + "\n" + strings.Join(in.Sensitive.EvidenceLinks, "\n") + "\n" + in.Sensitive.SuspectProfileURL
	tr := s.cfg.Risk.Triage(risk.NarrativeInput{Text: strings.ToValidUTF8(text, ""), Category: risk.Category(in.Category), Urgent: in.Urgent})
	in.SuggestedCategory = ""
	if tr.Category.Valid() {
		in.SuggestedCategory = string(tr.Category)
	}
	in.SuggestedLevel = tr.Level.String()
	in.SuggestedReasons = tr.ReasonsVi(3000)
}

// ReportLimits bounds how fast one client network may send reports and
// look up tracking codes. Zero fields take the defaults.
type ReportLimits struct {
	SubmitBurst int           // reports in a burst; default 20
	SubmitEvery time.Duration // one more report per; default 30 s
	LookupBurst int           // status look-ups in a burst; default 20
	LookupEvery time.Duration // one more look-up per; default 3 s
}

// reports holds the report pages' state.
type reports struct {
	submit *rateLimiter
	lookup *rateLimiter
	decode chan struct{} // bounds concurrent image decoding (memory)
}

var reportMessagesOnce sync.Once

func (s *Server) setupReports() error {
	var err error
	reportMessagesOnce.Do(func() {
		if err = addMessages(reportMessages); err == nil {
			err = addMessages(caseMessages)
		}
		if err == nil {
			err = addMessages(posterMessages)
		}
	})
	if err != nil {
		return err
	}
	l := s.cfg.ReportLimits
	if l.SubmitBurst <= 0 {
		l.SubmitBurst = 20
	}
	if l.SubmitEvery <= 0 {
		l.SubmitEvery = 30 * time.Second
	}
	if l.LookupBurst <= 0 {
		l.LookupBurst = 20
	}
	if l.LookupEvery <= 0 {
		l.LookupEvery = 3 * time.Second
	}
	s.reports = &reports{submit: newRateLimiter(l.SubmitBurst, l.SubmitEvery),
		lookup: newRateLimiter(l.LookupBurst, l.LookupEvery), decode: make(chan struct{}, 2)}
	return nil
}

// categoryChoice is one category as the public form offers it.
type categoryChoice struct {
	Value    string
	Sexual   bool // no image upload: the law forbids keeping such material
	Selected bool
}

// sexualCategory reports whether images must never be accepted for c.
func sexualCategory(c string) bool { return !cases.MayKeepImages(c) }

var reportMessages = map[string]msg{
	"report.title":              {"Báo cáo sự việc", "Report an incident"},
	"report.intro":              {"Bạn thấy trẻ em bị lừa đảo, dụ dỗ, đe doạ hay bắt nạt trên mạng? Hãy báo cho Uỷ ban nhân dân phường. Bạn có thể giấu tên.", "Did you see a child being scammed, lured, threatened or bullied online? Tell the ward People's Committee. You may stay anonymous."},
	"report.danger.first":       {"Nếu trẻ đang gặp nguy hiểm ngay lúc này, hãy gọi ngay trước khi điền biểu mẫu:", "If a child is in danger right now, call first, before filling in this form:"},
	"report.what":               {"Chuyện gì đã xảy ra?", "What happened?"},
	"report.cat.scam":           {"Lừa đảo (giả danh, lừa chuyển tiền, nạp thẻ, trúng thưởng)", "Scam (impersonation, money transfers, top-up cards, fake prizes)"},
	"report.cat.gambling":       {"Cờ bạc (tài xỉu, nổ hũ, cá độ, game đổi thưởng)", "Gambling (dice, slot games, betting, games paying real money)"},
	"report.cat.grooming":       {"Dụ dỗ, làm quen xấu (người lạ làm quen, tặng quà, đòi ảnh, rủ gặp)", "Grooming (a stranger befriending the child, gifts, asking for photos or to meet)"},
	"report.cat.sextortion":     {"Đe doạ tung ảnh nhạy cảm (ảnh thật hoặc ảnh ghép)", "Threats to share intimate images (real or faked)"},
	"report.cat.bullying":       {"Bắt nạt, chửi bới, bêu riếu trên mạng", "Bullying, insults, humiliation online"},
	"report.cat.self_harm":      {"Tự làm hại bản thân, thử thách nguy hiểm", "Self-harm, dangerous challenges"},
	"report.cat.sexual_content": {"Nội dung đồi truỵ liên quan đến trẻ em", "Sexual content involving a child"},
	"report.cat.other":          {"Việc khác", "Something else"},
	"report.urgent":             {"Có trẻ em đang gặp nguy hiểm ngay lúc này không?", "Is a child in danger right now?"},
	"report.urgent.yes":         {"Có, đang nguy hiểm", "Yes, in danger now"},
	"report.urgent.no":          {"Không / không rõ", "No / not sure"},
	"report.urgent.hint":        {"Nếu chọn \"Có\", báo cáo được đánh dấu khẩn cấp; hãy gọi 113 hoặc 111 ngay.", "If you choose \"Yes\" the report is marked urgent; call 113 or 111 now as well."},
	"report.description":        {"Mô tả sự việc", "Describe what happened"},
	"report.description.hint":   {"Ai, làm gì, trên ứng dụng nào (Zalo, Facebook, TikTok, game…). Không cần viết dài.", "Who did what, on which app (Zalo, Facebook, TikTok, a game…). It need not be long."},
	"report.when":               {"Xảy ra ngày nào?", "When did it happen?"},
	"report.where":              {"Ở đâu? (ứng dụng, trang web, hoặc nơi chốn)", "Where? (app, website, or place)"},
	"report.child":              {"Về trẻ em (không bắt buộc)", "About the child (optional)"},
	"report.child.name":         {"Họ tên hoặc tên gọi", "Name or nickname"},
	"report.child.age":          {"Tuổi", "Age"},
	"report.child.school":       {"Trường", "School"},
	"report.child.class":        {"Lớp", "Class"},
	"report.suspect":            {"Người hoặc tài khoản bị nghi ngờ (nếu biết)", "The suspected person or account (if known)"},
	"report.suspect.name":       {"Tên hoặc tên tài khoản", "Name or account name"},
	"report.suspect.url":        {"Đường link trang cá nhân", "Profile link"},
	"report.suspect.phone":      {"Số điện thoại", "Phone number"},
	"report.evidence":           {"Bằng chứng", "Evidence"},
	"report.links":              {"Đường link (mỗi dòng một link)", "Links (one per line)"},
	"report.images":             {"Ảnh chụp màn hình (tối đa 5 ảnh, mỗi ảnh tối đa 5 MB, JPEG hoặc PNG)", "Screenshots (up to 5 images, 5 MB each, JPEG or PNG)"},
	"report.images.privacy":     {"Chúng tôi xoá thông tin ẩn trong ảnh (vị trí, máy chụp) trước khi lưu; chỉ cán bộ có thẩm quyền được xem.", "We remove hidden information from images (location, camera) before keeping them; only authorised staff may see them."},
	"report.images.forbidden":   {"Với việc đe doạ tung ảnh nhạy cảm hoặc nội dung đồi truỵ liên quan đến trẻ em: KHÔNG tải ảnh lên, không chụp lại, không chia sẻ. Pháp luật cấm lưu giữ những hình ảnh này. Chỉ cần ghi đường link và mô tả; chúng tôi ghi nhận và chuyển cơ quan công an xử lý.", "For threats to share intimate images or sexual content involving a child: do NOT upload images, do not capture or share them. The law forbids keeping such material. Give only the link and a description; we record it and refer it to the police."},
	"report.images.dropped":     {"Ảnh bạn gửi kèm không được lưu: với loại việc này pháp luật cấm lưu giữ hình ảnh. Đường link và mô tả của bạn đã được ghi nhận.", "The images you attached were not kept: for this kind of incident the law forbids keeping images. Your links and description were recorded."},
	"report.reporter":           {"Về bạn (người báo cáo)", "About you (the reporter)"},
	"report.anonymous":          {"Tôi muốn giấu tên", "I want to stay anonymous"},
	"report.anonymous.hint":     {"Nếu giấu tên, chúng tôi không lưu tên và số điện thoại của bạn, nhưng sẽ không liên hệ lại được.", "If you stay anonymous we keep neither your name nor your phone, but we cannot contact you back."},
	"report.reporter.name":      {"Họ tên", "Name"},
	"report.reporter.phone":     {"Số điện thoại", "Phone number"},
	"report.reporter.relation":  {"Bạn là gì của trẻ? (bố, mẹ, thầy cô, hàng xóm, chính em…)", "Your relation to the child (parent, teacher, neighbour, the child themself…)"},
	"report.confidential":       {"Bí mật: Theo Điều 24 Nghị định 56/2017/NĐ-CP, nội dung báo cáo và danh tính của bạn được giữ bí mật. Chỉ cán bộ bảo vệ trẻ em của phường được xem.", "Confidential: under Article 24 of Decree 56/2017/ND-CP, your report and your identity are kept confidential. Only the ward's child-protection staff see them."},
	"report.consent":            {"Tôi đồng ý để cán bộ cho cơ quan công an biết tên và số điện thoại của tôi nếu cần để xử lý vụ việc.", "I agree that staff may give my name and phone number to the police if that is needed to handle the case."},
	"report.consent.hint":       {"Không bắt buộc. Nếu không đánh dấu, danh tính của bạn chỉ cán bộ phường biết.", "Optional. If you leave it unticked, only the ward staff know who you are."},
	"report.send":               {"Gửi báo cáo", "Send the report"},
	"report.source":             {"Bạn đến từ mã QR tại: %s", "You came from the QR code at: %s"},
	"report.error.fix":          {"Vui lòng sửa lỗi sau rồi gửi lại:", "Please correct the following and send again:"},
	"report.error.image":        {"Ảnh không hợp lệ", "Invalid image"},
	"report.error.save": {"Chưa lưu được báo cáo do lỗi hệ thống: chưa có gì được ghi nhận. Vui lòng gửi lại (chọn lại ảnh nếu có). Nếu khẩn cấp, hãy gọi ngay 111.",
		"The report could not be saved because of a system error: nothing was recorded. Please send it again (choose the images again, if any). If it is urgent, call 111 now."},
	"report.error.age":      {"Tuổi phải là số từ 0 đến 17.", "The age must be a number from 0 to 17."},
	"report.error.when":     {"Ngày xảy ra không hợp lệ.", "Invalid date."},
	"report.error.category": {"Vui lòng chọn chuyện gì đã xảy ra.", "Please choose what happened."},
	"receipt.title":         {"Đã nhận báo cáo", "Report received"},
	"receipt.thanks":        {"Cảm ơn bạn. Uỷ ban nhân dân phường đã nhận báo cáo và sẽ xử lý theo quy định.", "Thank you. The ward People's Committee has received your report and will handle it as the law requires."},
	"receipt.code":          {"Mã tra cứu của bạn", "Your tracking code"},
	"receipt.code.hint":     {"Hãy ghi lại mã này. Dùng mã để xem tình trạng xử lý (chỉ tình trạng, không có nội dung). Đừng đưa mã cho người bị nghi ngờ.", "Write this code down. Use it to see how the report is being handled (the status only, never the content). Do not give it to the suspected person."},
	"receipt.urgent":        {"Bạn cho biết trẻ đang gặp nguy hiểm. Hãy gọi ngay:", "You said a child is in danger. Call now:"},
	"receipt.track":         {"Tra cứu tình trạng", "Check the status"},
	"receipt.images":        {"Đã lưu %d ảnh.", "%d images kept."},
	"track.title":           {"Tra cứu báo cáo", "Check a report"},
	"track.code":            {"Mã tra cứu (8 ký tự)", "Tracking code (8 characters)"},
	"track.submit":          {"Tra cứu", "Check"},
	"track.status":          {"Tình trạng: %s", "Status: %s"},
	"track.unknown":         {"Không tìm thấy báo cáo với mã này. Hãy kiểm tra lại mã (8 ký tự, không có chữ O, I, L, U hay số 0, 1).", "No report with this code. Check the code (8 characters, no letters O, I, L, U nor digits 0, 1)."},
	"track.only":            {"Trang này chỉ cho biết tình trạng xử lý, không hiển thị nội dung báo cáo.", "This page shows only the status, never the content of the report."},
}
