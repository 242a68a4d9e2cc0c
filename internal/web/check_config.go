package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"manglanh/internal/alert"
	"manglanh/internal/cases"
	"manglanh/internal/risk"
)

// MaxCheckText bounds the message a person may check, in bytes.
const MaxCheckText = 8 << 10

// CheckLimits bounds how fast one client network may check messages (the
// page and the API share the budget). Zero fields take the defaults.
type CheckLimits struct {
	Burst int           // checks in a burst; default 30
	Every time.Duration // one more check per; default 2 s
}

var checkMessagesOnce sync.Once

// setupCheck adds the check page's texts and its rate limiter.
func (s *Server) setupCheck() error {
	var err error
	checkMessagesOnce.Do(func() {
		if err = addMessages(checkMessages); err == nil {
			err = addMessages(alertMessages)
		}
		if err == nil {
			err = addMessages(shotMessages)
		}
	})
	if err != nil {
		return err
	}
	l := s.cfg.CheckLimits
	if l.Burst <= 0 {
		l.Burst = 30
	}
	if l.Every <= 0 {
		l.Every = 2 * time.Second
	}
	s.checkLimit = newRateLimiter(l.Burst, l.Every)
	s.shotLimit = newRateLimiter(6, 10*time.Second)
	return nil
}

// checkPage is what check.html gets. Text is what the person pasted,
// echoed back only in this answer: it is never logged or stored.
type checkPage struct {
	Text       string
	Error      string
	Checked    bool
	Level      string
	LevelLabel string
	Categories string // labels, most likely first
	Category   string // the report category the "report this" button proposes
	Segments   []segment
	Reasons    []string
	Links      []checkLink
	Advice     []string
	General    []string
	Damped     bool
	CanReport  bool
	// Thread is set when the text was read as a conversation: Messages
	// are its messages, Decisive names those that decided the verdict.
	Thread   bool
	Messages []checkMsg
	Decisive string
	// Shots is set when screenshots can be read here; FromShot when this
	// verdict is on a screenshot's text; ShotError says why one was not.
	Shots     bool
	FromShot  bool
	ShotError string
	Cut       bool // the text read was longer than a check takes
}

// checkMsg is one message of a checked conversation.
type checkMsg struct {
	Index      int
	Speaker    string
	Segments   []segment
	Level      string
	LevelLabel string
	Decisive   bool
}

// segment is a piece of the pasted text; Mark pieces are the phrases the
// engine found. The template escapes every piece.
type segment struct {
	Text string
	Mark bool
}

type checkLink struct {
	Host  string
	Kinds string
}

// newCheckPage turns a result into what the page shows in lang.
func (s *Server) newCheckPage(text string, res risk.Result, lang string) checkPage {
	p := checkPage{Text: text, Checked: true, Level: res.Level.String(), Damped: res.Damped,
		LevelLabel: alert.LevelLabel(res.Level.String(), lang), CanReport: s.cfg.Cases != nil}
	var cats []string
	for _, c := range res.Categories {
		if c.Level >= risk.LevelLow {
			cats = append(cats, alert.CategoryLabel(string(c.Category), lang))
		}
	}
	p.Categories = strings.Join(cats, ", ")
	p.Category = reportCategory(res)
	var spans [][2]int
	for _, r := range res.Reasons {
		if r.Phrase != "" && r.Signal != "model" {
			spans = append(spans, [2]int{r.Start, r.End})
		}
	}
	if res.Level >= risk.LevelLow {
		p.Reasons = plainReasons(res, lang)
	}
	for _, l := range res.Links {
		if len(l.Findings) == 0 {
			continue
		}
		var kinds []string
		for _, f := range l.Findings {
			kinds = append(kinds, T(lang, "check.link."+f.Kind))
		}
		p.Links = append(p.Links, checkLink{Host: l.Host, Kinds: strings.Join(kinds, ", ")})
		spans = append(spans, [2]int{l.Start, l.End})
	}
	p.Segments = highlight(text, spans)
	if res.Level >= risk.LevelMedium {
		p.Advice = res.Advice.Vi
		if lang == "en" {
			p.Advice = res.Advice.En
		}
	}
	// Advice is said once: the engine's advice for this message when it
	// has some, else the general advice, never both (they overlap).
	if p.Advice, p.General = adviceOnce(p.Advice, alert.GeneralAdvice(lang)); len(p.Advice) > 0 {
		p.General = nil
	}
	return p
}

// reportCategory is the report form's category for a result: the top
// category when the engine is at least mildly worried, else "other".
func reportCategory(res risk.Result) string {
	if top := string(res.Top()); res.Level >= risk.LevelLow && slices.Contains(cases.Categories(), top) {
		return top
	}
	return cases.CategoryOther
}

// highlight cuts text into plain and marked segments. Spans are byte
// ranges; overlapping ones merge, and ones that are out of range or do not
// fall on character boundaries are ignored.
func highlight(text string, spans [][2]int) []segment {
	var ok [][2]int
	for _, sp := range spans {
		a, b := sp[0], sp[1]
		if a < 0 || b > len(text) || a >= b {
			continue
		}
		if !utf8.RuneStart(text[a]) || (b < len(text) && !utf8.RuneStart(text[b])) {
			continue
		}
		ok = append(ok, sp)
	}
	slices.SortFunc(ok, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
	var merged [][2]int
	for _, sp := range ok {
		if n := len(merged); n > 0 && sp[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], sp[1])
			continue
		}
		merged = append(merged, sp)
	}
	var out []segment
	at := 0
	for _, sp := range merged {
		if sp[0] > at {
			out = append(out, segment{Text: text[at:sp[0]]})
		}
		out = append(out, segment{Text: text[sp[0]:sp[1]], Mark: true})
		at = sp[1]
	}
	if at < len(text) {
		out = append(out, segment{Text: text[at:]})
	}
	return out
}

// checkText cleans a pasted text: valid UTF-8, every line end "\n",
// trimmed.
func checkText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n") // a lone CR (old Mac, or "\r\r\n") is a line end too
	return strings.TrimSpace(s)
}

// setRetryAfter sets Retry-After in whole seconds, at least 1.
func setRetryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
}

// noteCheck tells the alert service that a message was checked at level
// high or critical: its category and level only, never the text; and only
// when the ward opted in (alerts.public_checks), since the check page
// promises that nothing is stored.
func (s *Server) noteCheck(r *http.Request, res risk.Result) {
	if s.cfg.Alerts == nil || !s.cfg.CheckAlerts || res.Level < risk.LevelHigh {
		return
	}
	var reasons []alert.Reason
	for _, x := range res.Reasons {
		reasons = append(reasons, alert.Reason{Vi: x.Vi, En: x.En})
	}
	s.cfg.Alerts.Message(r.Context(), alert.Message{Source: alert.SourceCheck, Category: string(res.Top()),
		Level: res.Level.String(), Reasons: reasons, Time: time.Now()})
}

var checkMessages = map[string]msg{
	"check.title":            {"Kiểm tra tin nhắn", "Check a message"},
	"check.intro":            {"Nhận được tin nhắn hay đường link lạ? Dán vào đây để xem nó có dấu hiệu lừa đảo, dụ dỗ, đe doạ hay cờ bạc không.", "Got a strange message or link? Paste it here to see whether it shows signs of a scam, grooming, threats or gambling."},
	"check.private":          {"Nội dung bạn dán không được lưu lại và không ai khác đọc được.", "What you paste is not kept and nobody else reads it."},
	"check.label":            {"Tin nhắn hoặc đường link", "Message or link"},
	"check.hint":             {"Tối đa 8.000 ký tự.", "At most 8,000 characters."},
	"check.submit":           {"Kiểm tra", "Check"},
	"check.result":           {"Kết quả", "Result"},
	"check.level":            {"Đánh giá: %s", "Assessment: %s"},
	"check.kinds":            {"Dấu hiệu: %s", "Signs of: %s"},
	"check.damped":           {"Mức độ đã được hạ vì tin nhắn có vẻ là lời cảnh báo, tin tức hoặc câu đùa.", "Lowered: the message looks like a warning, news or a joke."},
	"check.text":             {"Những chữ đáng ngờ được tô đậm:", "Suspect words are highlighted:"},
	"check.why":              {"Vì sao?", "Why?"},
	"check.links":            {"Đường link đáng ngờ", "Suspect links"},
	"check.todo":             {"Nên làm gì?", "What to do?"},
	"check.always":           {"Luôn nhớ", "Always remember"},
	"check.none":             {"Chúng tôi không thấy dấu hiệu nguy hiểm rõ ràng. Nhưng máy có thể sai: nếu tin nhắn đòi tiền, đòi ảnh, rủ đi gặp hay bắt giữ bí mật, đừng làm theo và hỏi bố mẹ hoặc thầy cô.", "We found no clear sign of danger. But a machine can be wrong: if a message asks for money or photos, to meet, or to keep a secret, do not do it and ask a parent or teacher."},
	"check.report":           {"Báo cáo sự việc này", "Report this"},
	"check.report.hint":      {"Mở biểu mẫu báo cáo, đã điền sẵn tin nhắn. Chưa có gì được gửi cho đến khi bạn bấm gửi trên biểu mẫu.", "Opens the report form with the message filled in. Nothing is sent until you submit that form."},
	"check.error.empty":      {"Hãy dán một tin nhắn hoặc đường link.", "Please paste a message or a link."},
	"check.error.toolong":    {"Tin nhắn quá dài (tối đa 8.000 ký tự). Hãy dán đoạn đáng ngờ nhất.", "The message is too long (at most 8,000 characters). Paste the most suspect part."},
	"check.link.listed":      {"có trong danh sách chặn", "on a block list"},
	"check.link.lookalike":   {"giả tên một thương hiệu", "imitates a brand"},
	"check.link.brand_words": {"dùng tên thương hiệu trên trang lạ", "brand name on an unrelated site"},
	"check.link.gov_fake":    {"giả trang cơ quan nhà nước", "imitates a government site"},
	"check.link.punycode":    {"dùng chữ giả dạng", "disguised letters"},
	"check.link.apk":         {"tải ứng dụng lạ (.apk)", "downloads an app (.apk)"},
	"check.link.shortener":   {"link rút gọn che địa chỉ thật", "a shortener hides the real address"},
	"check.link.cheap_tld":   {"tên miền hay bị dùng cho trang lừa", "a domain ending often used by scam sites"},
	"check.link.ip_address":  {"địa chỉ số thay cho tên trang", "a bare number address"},
	"check.link.obfuscated":  {"viết lách để qua mặt bộ lọc", "written to slip past filters"},
	"check.link.any":         {"đường link", "a link"},
	"check.thread":           {"Đây là cả một cuộc trò chuyện (nhiều tin nhắn, có hoặc không có tên người gửi)", "This is a whole conversation (several messages, with or without the senders' names)"},
	"check.thread.hint":      {"Sao chép cả đoạn chat từ Zalo, Messenger hay game rồi dán vào: mỗi tin nhắn một dòng, hoặc “Tên: tin nhắn”.", "Copy the whole chat from Zalo, Messenger or a game and paste it: one message a line, or “Name: message”."},
	"check.thread.count":     {"Đã đọc %d tin nhắn.", "%d messages read."},
	"check.thread.decisive":  {"Những tin nhắn quyết định kết quả: %s", "The messages that decided it: %s"},
	"check.thread.msgs":      {"Từng tin nhắn (tin quyết định được đánh dấu):", "Each message (the decisive ones are marked):"},
	"check.thread.mark":      {"Quyết định", "Decisive"},
	"check.thread.n":         {"Tin nhắn %d", "Message %d"},
	"check.inmsg":            {"tin nhắn %d", "message %d"},
	"check.error.thread":     {"Không đọc được cuộc trò chuyện: %s", "Cannot read the conversation: %s"},
	"check.error.threadmany": {"Cuộc trò chuyện có quá %d tin nhắn. Hãy dán đoạn đáng ngờ nhất.", "The conversation has more than %d messages. Paste the most suspect part."},
}

// newThreadPage turns a conversation's verdict into what the page shows.
func (s *Server) newThreadPage(text string, tr risk.ThreadResult, lang string) checkPage {
	p := s.newCheckPage("", tr.Result, lang)
	p.Text, p.Thread, p.Segments = text, true, nil
	spans := map[int][][2]int{}
	for _, r := range tr.Reasons {
		if r.Phrase != "" && r.Signal != "model" && r.Message > 0 {
			spans[r.Message] = append(spans[r.Message], [2]int{r.Start, r.End})
		}
	}
	var dec []string
	for _, m := range tr.Messages {
		p.Messages = append(p.Messages, checkMsg{Index: m.Index, Speaker: m.Speaker, Segments: highlight(m.Text, spans[m.Index]),
			Level: m.Level.String(), LevelLabel: alert.LevelLabel(m.Level.String(), lang), Decisive: m.Decisive})
		if m.Decisive {
			dec = append(dec, strconv.Itoa(m.Index))
		}
	}
	p.Decisive = strings.Join(dec, ", ")
	return p
}
