package notify

import (
	"fmt"
	"strings"

	"manglanh/internal/cases"
)

// The texts below are built only from an Event's non-personal fields: code,
// category, risk level, urgency, deadline kind and time. Nothing from a
// case's Sensitive part ever reaches them (an Event cannot carry it).

var kindTexts = map[cases.EventKind][2]string{
	cases.EventNew:             {"Có báo cáo mới cần tiếp nhận", "A new report needs attention"},
	cases.EventUrgent:          {"Báo cáo KHẨN hoặc nguy cơ cao", "URGENT or high-risk report"},
	cases.EventDueSoon:         {"Sắp đến hạn xử lý", "Deadline approaching"},
	cases.EventOverdue:         {"Đã quá hạn xử lý", "Deadline passed"},
	cases.EventEscalation:      {"Hồ sơ quá hạn, cần lãnh đạo đôn đốc", "Overdue case escalated to the ward"},
	cases.EventApprovalNeeded:  {"Kế hoạch hỗ trợ chờ phê duyệt", "A support plan awaits approval"},
	cases.EventPlanRejected:    {"Kế hoạch hỗ trợ không được phê duyệt", "The support plan was not approved"},
	cases.EventReferred:        {"Có hồ sơ được chuyển gửi đến đơn vị", "A case was referred to your organisation"},
	cases.EventReferralUpdated: {"Đơn vị nhận đã cập nhật chuyển gửi", "A referral was updated"},
	cases.EventAssigned:        {"Bạn được phân công phụ trách hồ sơ", "You were assigned a case"},
}

var categoryTexts = map[string][2]string{
	cases.CategoryScam:          {"Lừa đảo", "Scam"},
	cases.CategoryGambling:      {"Cờ bạc", "Gambling"},
	cases.CategoryGrooming:      {"Dụ dỗ, làm quen xấu", "Grooming"},
	cases.CategorySextortion:    {"Đe doạ tung ảnh nhạy cảm", "Sextortion"},
	cases.CategoryBullying:      {"Bắt nạt trên mạng", "Bullying"},
	cases.CategorySelfHarm:      {"Tự làm hại bản thân", "Self-harm"},
	cases.CategorySexualContent: {"Nội dung đồi truỵ liên quan trẻ em", "Sexual content involving a child"},
	cases.CategoryOther:         {"Việc khác", "Other"},
}

var levelTexts = map[string][2]string{
	cases.LevelNone:     {"Không có nguy cơ", "None"},
	cases.LevelLow:      {"Thấp", "Low"},
	cases.LevelMedium:   {"Trung bình", "Medium"},
	cases.LevelHigh:     {"Cao", "High"},
	cases.LevelCritical: {"Rất nghiêm trọng", "Critical"},
}

var deadlineTexts = map[cases.DeadlineKind][2]string{
	cases.DeadlineEmergency:  {"can thiệp khẩn cấp (12 giờ)", "emergency intervention (12 hours)"},
	cases.DeadlinePlan:       {"xây dựng kế hoạch hỗ trợ (5 ngày làm việc)", "support plan (5 working days)"},
	cases.DeadlineApproval:   {"phê duyệt kế hoạch (2 ngày làm việc)", "plan approval (2 working days)"},
	cases.DeadlineAssignment: {"phân công người phụ trách (1 giờ)", "assigning someone (1 hour)"},
}

// label picks the language's text from table, or the raw key when unknown
// (a new kind shows up rather than vanishing).
func label[K ~string](table map[K][2]string, k K, en bool) string {
	p, ok := table[k]
	if !ok {
		return string(k)
	}
	if en {
		return p[1]
	}
	return p[0]
}

// composed is one event's texts: the one-line notice, the e-mail subject
// and body (Vietnamese first, English below).
type composed struct {
	lineVi, lineEn string
	subject        string
	body           string
}

// DisplayCode writes a tracking code as XXXX-XXXX.
func DisplayCode(code string) string {
	if len(code) == cases.CodeLength {
		return code[:4] + "-" + code[4:]
	}
	return code
}

func (n *Notifier) compose(e cases.Event) composed {
	code := DisplayCode(e.Code)
	due := ""
	if !e.Due.IsZero() {
		due = e.Due.In(n.loc).Format("15:04 02/01/2006")
	}
	line := func(en bool) string {
		var b strings.Builder
		b.WriteString(label(kindTexts, e.Kind, en))
		if en {
			fmt.Fprintf(&b, ": case %s (%s, risk %s)", code, label(categoryTexts, e.Category, en), label(levelTexts, e.RiskLevel, en))
		} else {
			fmt.Fprintf(&b, ": hồ sơ %s (%s, mức nguy cơ %s)", code, label(categoryTexts, e.Category, en), label(levelTexts, e.RiskLevel, en))
		}
		if e.Deadline != "" && due != "" {
			if en {
				fmt.Fprintf(&b, "; deadline for %s: %s", label(deadlineTexts, e.Deadline, en), due)
			} else {
				fmt.Fprintf(&b, "; hạn %s: %s", label(deadlineTexts, e.Deadline, en), due)
			}
		}
		if e.Urgent {
			if en {
				b.WriteString(" [URGENT]")
			} else {
				b.WriteString(" [KHẨN]")
			}
		}
		return b.String()
	}
	c := composed{lineVi: line(false), lineEn: line(true)}
	c.subject = fmt.Sprintf("[Mạng Lành] %s %s – %s", code, label(kindTexts, e.Kind, false), label(kindTexts, e.Kind, true))
	link := n.CaseLink(e.CaseID)
	var b strings.Builder
	ward := n.ward
	if ward == "" {
		ward = "Mạng Lành"
	}
	fmt.Fprintf(&b, "%s.\n\n", c.lineVi)
	fmt.Fprintf(&b, "Mã hồ sơ: %s\nLoại việc: %s\nMức nguy cơ: %s\n", code, label(categoryTexts, e.Category, false), label(levelTexts, e.RiskLevel, false))
	if due != "" {
		fmt.Fprintf(&b, "Thời hạn (%s): %s\n", label(deadlineTexts, e.Deadline, false), due)
	}
	fmt.Fprintf(&b, "Xem hồ sơ (cần đăng nhập): %s\n\n", link)
	b.WriteString("Thư này không chứa thông tin cá nhân của trẻ em theo Nghị định 56/2017/NĐ-CP; " +
		"vui lòng không chuyển tiếp. Nếu trẻ đang gặp nguy hiểm, gọi 111.\n\n")
	b.WriteString("-- English --\n\n")
	fmt.Fprintf(&b, "%s.\n\n", c.lineEn)
	fmt.Fprintf(&b, "Case code: %s\nCategory: %s\nRisk level: %s\n", code, label(categoryTexts, e.Category, true), label(levelTexts, e.RiskLevel, true))
	if due != "" {
		fmt.Fprintf(&b, "Deadline (%s): %s\n", label(deadlineTexts, e.Deadline, true), due)
	}
	fmt.Fprintf(&b, "Open the case (sign-in required): %s\n\n", link)
	b.WriteString("This message holds no personal information about the child (Decree 56/2017); " +
		"please do not forward it. If a child is in danger now, call 111.\n\n")
	fmt.Fprintf(&b, "%s\n", ward)
	c.body = b.String()
	return c
}
