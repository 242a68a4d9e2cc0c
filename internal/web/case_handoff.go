package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"manglanh/internal/cases"
)

type handoffPart struct {
	Value    string
	Label    string
	Disabled bool // the reporter without consent
}

type handoffPage struct {
	ID     int64
	Code   string
	Parts  []handoffPart
	Errors []string
}

// handoffForm shows the parts of Mẫu 01 an officer may tick to hand the
// case to Tổng đài 111.
func (s *Server) handoffForm(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	s.renderHandoff(w, r, u, http.StatusOK, nil)
}

func (s *Server) renderHandoff(w http.ResponseWriter, r *http.Request, u *SessionUser, status int, errs []string) {
	if !caseWorker(u.Role) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	lang := langOf(r)
	c, err := s.cfg.Cases.Get(r.Context(), actorOf(u), caseID(r))
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	p := handoffPage{ID: c.ID, Code: formatCode(c.Code), Errors: errs}
	for _, part := range cases.HandOffParts() {
		p.Parts = append(p.Parts, handoffPart{Value: string(part), Label: T(lang, "handoff.part."+string(part)),
			Disabled: part == cases.PartReporter && !cases.ReporterShareable(c)})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "case_handoff", T(lang, "handoff.title"), p)
}

// handoffCreate records the hand-off through the cases service and answers
// the summary of exactly the ticked parts, as a one-page PDF or as JSON.
func (s *Server) handoffCreate(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	var parts []cases.HandOffPart
	for _, v := range r.PostForm["part"] {
		parts = append(parts, cases.HandOffPart(v))
	}
	h, err := s.cfg.Cases.HandOff111(r.Context(), actorOf(u), caseID(r), parts)
	var ve *cases.ValidationError
	if errors.As(err, &ve) {
		s.renderHandoff(w, r, u, http.StatusBadRequest, []string{ve.Message(langOf(r))})
		return
	}
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	name := "chuyen-111-" + h.CaseCode
	w.Header().Set("Cache-Control", "no-store")
	if r.PostFormValue("format") == "json" {
		body, err := json.MarshalIndent(h, "", "  ")
		if err != nil {
			s.caseError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		w.Write(append(body, '\n'))
		return
	}
	pdf, err := s.handoffPDF(h)
	if err != nil {
		s.caseError(w, r, fmt.Errorf("making hand-off PDF: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
	w.Write(pdf)
}

// handoffMaxRunes bounds one free-text field on the page; the JSON carries
// it whole.
const handoffMaxRunes = 700

// handoffPDF draws the summary on one A4 page in Vietnamese, the language
// of Mẫu 01 and of 111. Text that would not fit is cut with a pointer to
// the JSON, so the page count stays one.
func (s *Server) handoffPDF(h *cases.HandOff) ([]byte, error) {
	const vi = "vi"
	loc := s.cfg.Location
	p := fpdf.New("P", "mm", "A4", "")
	p.SetTitle("Mẫu 01 – "+formatCode(h.CaseCode), true)
	p.SetProducer("Mạng Lành", true)
	p.AddUTF8FontFromBytes("dejavu", "", fontRegular)
	p.AddUTF8FontFromBytes("dejavu", "B", fontBold)
	p.SetMargins(20, 15, 15)
	p.SetAutoPageBreak(false, 0)
	p.AddPage()
	const width, bottom = 175.0, 280.0
	full := false
	line := func(style string, size, ht float64, text string) {
		if full {
			return
		}
		p.SetFont("dejavu", style, size)
		lines := p.SplitText(text, width)
		if p.GetY()+float64(len(lines))*ht > bottom-6 {
			p.SetFont("dejavu", "", 8)
			p.MultiCell(width, 4, "… Phần còn lại có trong tệp JSON kèm theo. (Continued in the JSON file.)", "", "L", false)
			full = true
			return
		}
		p.MultiCell(width, ht, text, "", "L", false)
	}
	field := func(label, value string) {
		if value == "" {
			value = "—"
		}
		if r := []rune(value); len(r) > handoffMaxRunes {
			value = string(r[:handoffMaxRunes]) + "… (xem JSON)"
		}
		line("", 10, 5, label+": "+value)
	}
	section := func(title string) {
		if !full {
			p.Ln(2)
		}
		line("B", 11, 6, title)
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("15:04 ngày 02/01/2006")
	}
	ward := s.cfg.Ward
	line("B", 10, 5, strings.ToUpper("Uỷ ban nhân dân "+ward.Name))
	line("", 8, 4, "MẬT – Thông tin được giữ bí mật theo Điều 24, Nghị định 56/2017/NĐ-CP. CONFIDENTIAL.")
	p.Ln(3)
	line("B", 13, 7, "BÁO CÁO TIẾP NHẬN THÔNG TIN TRẺ EM (Mẫu 01) – chuyển Tổng đài "+ward.Hotline)
	urgent := ""
	if h.Urgent {
		urgent = " · KHẨN"
	}
	line("", 10, 5, fmt.Sprintf("Mã hồ sơ: %s · Loại việc: %s%s", formatCode(h.CaseCode), T(vi, "report.cat."+h.Category), urgent))
	line("", 10, 5, "Lập lúc "+when(h.GeneratedAt)+" bởi "+h.By)
	shared := make([]string, len(h.Parts))
	for i, part := range h.Parts {
		shared[i] = T(vi, "handoff.part."+string(part))
	}
	line("", 8, 4, "Các phần được chia sẻ: "+strings.Join(shared, "; "))
	if src := h.Source; src != nil {
		section("1. Nguồn thông tin")
		field("Kênh tiếp nhận", T(vi, "case.channel."+src.Channel))
		field("Thời gian tiếp nhận", when(src.ReceivedAt))
		field("Cán bộ tiếp nhận", src.ReceivingOfficer)
	}
	if c := h.Child; c != nil {
		section("2. Thông tin về trẻ em")
		field("Họ và tên", c.Name)
		field("Tên thường gọi", c.Nickname)
		age := ""
		if c.Age > 0 {
			age = strconv.Itoa(c.Age) + " tuổi"
		} else if c.AgeBand != "" {
			age = T(vi, "export.age."+c.AgeBand)
		}
		field("Tuổi", age)
		sex := ""
		if c.Sex != "" {
			sex = T(vi, "case.sex."+c.Sex)
		}
		field("Giới tính", sex)
		field("Trường, lớp", strings.Trim(c.School+", "+c.Class, ", "))
	}
	if pl := h.Place; pl != nil {
		section("Nơi và thời điểm xảy ra")
		field("Nơi xảy ra", pl.Place)
		field("Thời điểm", when(pl.OccurredAt))
	}
	if d := h.Description; d != nil {
		section("Sự việc")
		field("Mô tả", d.Text)
		if len(d.Links) > 0 {
			field("Đường link", strings.Join(d.Links, " "))
		}
	}
	if h.Condition != nil {
		section("Tình trạng hiện tại của trẻ")
		field("Tình trạng", *h.Condition)
	}
	if h.Harm != nil {
		section("Nguy cơ nếu không can thiệp")
		field("Nguy cơ", *h.Harm)
	}
	if f := h.Family; f != nil {
		section("Gia đình")
		field("Cha, mẹ (họ tên, tuổi, nghề nghiệp)", f.Parents)
		field("Người đang chăm sóc trẻ", f.Caregiver)
		field("Hoàn cảnh gia đình", f.Situation)
		field("Hỗ trợ đã có", f.PriorHelp)
	}
	if rp := h.Reporter; rp != nil {
		section("3. Người báo cáo (đã đồng ý cung cấp)")
		field("Họ tên", rp.Name)
		field("Điện thoại", rp.Phone)
		field("Quan hệ với trẻ", rp.Relation)
	}
	full = false
	p.SetY(bottom - 4)
	p.SetFont("dejavu", "", 8)
	p.MultiCell(width, 4, "Mạng Lành · "+ward.Name+" · Chỉ chuyển cho Tổng đài "+ward.Hotline+"; không sao chép, không chuyển tiếp.", "", "C", false)
	if p.PageCount() != 1 {
		return nil, fmt.Errorf("hand-off summary ran to %d pages", p.PageCount())
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
