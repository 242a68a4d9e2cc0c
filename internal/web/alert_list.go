package web

import (
	"context"
	"net/http"
	"strings"

	"manglanh/internal/alert"
)

// AlertBoard raises and lists early-warning alerts; *alert.Service
// satisfies it.
type AlertBoard interface {
	// Message tells the rules about a checked or reported message.
	Message(ctx context.Context, m alert.Message)
	Recent(ctx context.Context, limit int) ([]alert.Alert, error)
	Get(ctx context.Context, id int64) (alert.Alert, error)
	// MarkCase records the case opened from an alert.
	MarkCase(ctx context.Context, id, caseID int64) error
}

// alertRow is one alert as the staff list shows it.
type alertRow struct {
	alert.Alert
	Title string
	// LevelLabel, CategoryLabel and StatusLabel are the level, category
	// and case status in the page's language, never the raw values.
	LevelLabel    string
	CategoryLabel string
	StatusLabel   string
	Actions       []string
	Reasons       []string
	CanOpen       bool // a critical alert without a case, for a case worker
}

type alertListPage struct {
	Rows   []alertRow
	Notice string
}

// alertList shows the newest alerts to ward staff.
func (s *Server) alertList(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	lang := langOf(r)
	list, err := s.cfg.Alerts.Recent(r.Context(), 200)
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing alerts", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	p := alertListPage{}
	if r.URL.Query().Get("ok") == "case" {
		p.Notice = T(lang, "alert.ok.case")
	}
	for _, a := range list {
		row := alertRow{Alert: a, Title: a.Title(lang), Actions: a.Actions(lang),
			LevelLabel: alert.LevelLabel(a.Level, lang), CategoryLabel: alert.CategoryLabel(a.Category, lang),
			StatusLabel: T(lang, "alert.status.open"),
			CanOpen:     a.Critical() && a.CaseID == 0 && s.cfg.Cases != nil && caseWorker(u.Role)}
		if a.CaseID != 0 {
			row.StatusLabel = T(lang, "alert.status.case")
		}
		for _, x := range a.Reasons {
			if lang == "en" {
				row.Reasons = append(row.Reasons, x.En)
			} else {
				row.Reasons = append(row.Reasons, x.Vi)
			}
		}
		p.Rows = append(p.Rows, row)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "alert_list", T(lang, "alert.title"), p)
}

// joinLines joins non-empty lines.
func joinLines(lines []string) string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var alertMessages = map[string]msg{
	"alert.title":         {"Cảnh báo sớm", "Early-warning alerts"},
	"alert.intro":         {"Cảnh báo từ bộ lọc DNS, từ tin nhắn được kiểm tra và từ báo cáo. Các tín hiệu lặp lại được gộp lại thay vì gửi từng cái.", "Alerts from the DNS filter, from checked messages and from reports. Repeated signals are folded together instead of being sent one by one."},
	"alert.none":          {"Chưa có cảnh báo nào.", "No alerts yet."},
	"alert.time":          {"Thời gian", "Time"},
	"alert.level":         {"Mức", "Level"},
	"alert.what":          {"Nội dung", "What"},
	"alert.source.dns":    {"Bộ lọc DNS", "DNS filter"},
	"alert.source.check":  {"Kiểm tra tin nhắn", "Message check"},
	"alert.source.report": {"Báo cáo", "Report"},
	"alert.snippet":       {"Trích", "Excerpt"},
	"alert.reasons":       {"Dấu hiệu", "Signs"},
	"alert.actions":       {"Nên làm", "Recommended actions"},
	"alert.open":          {"Mở hồ sơ", "Open a case"},
	"alert.case":          {"Xem hồ sơ", "See the case"},
	"alert.critical":      {"Khẩn cấp", "Critical"},
	"alert.ok.case":       {"Đã mở hồ sơ từ cảnh báo.", "A case was opened from the alert."},
	"alert.case.from":     {"Hồ sơ mở từ cảnh báo sớm #%d (%s) lúc %s.", "Case opened from early-warning alert #%d (%s) at %s."},
}
