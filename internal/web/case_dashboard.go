package web

import (
	"net/http"
	"time"

	"manglanh/internal/cases"
)

type dashboardLevel struct {
	Level   string
	Overdue int
	DueSoon int
}

type dashboardPage struct {
	Levels        []dashboardLevel
	Overdue       int
	DueSoon       int
	Rows          []caseRow
	AggregateOnly bool // viewers: counts, no cases
}

// caseDashboard shows open cases with an overdue or due-soon deadline by
// risk level, most urgent first; viewers get the counts only.
func (s *Server) caseDashboard(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	lang := langOf(r)
	d, err := s.cfg.Cases.Dashboard(r.Context(), actorOf(u), time.Now())
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	p := dashboardPage{AggregateOnly: u.Role == cases.RoleViewer}
	levels := cases.Levels()
	for i := len(levels) - 1; i >= 0; i-- {
		l := levels[i]
		p.Levels = append(p.Levels, dashboardLevel{Level: l, Overdue: d.Overdue[l], DueSoon: d.DueSoon[l]})
		p.Overdue += d.Overdue[l]
		p.DueSoon += d.DueSoon[l]
	}
	for _, c := range d.Cases {
		row := caseRow{ID: c.ID, Code: formatCode(c.Code), ReceivedAt: c.ReceivedAt,
			Category: T(lang, "report.cat."+c.Category), Status: cases.StaffStatusLabel(c.Status, lang),
			RiskLevel: c.RiskLevel, Urgent: c.Urgent, Channel: T(lang, "case.channel."+c.Channel)}
		for _, dl := range c.Deadlines {
			row.Overdue = row.Overdue || dl.Overdue
			row.DueSoon = row.DueSoon || dl.DueSoon
			if row.NextDue.IsZero() || dl.Due.Before(row.NextDue) {
				row.NextDue = dl.Due
			}
		}
		p.Rows = append(p.Rows, row)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "case_dashboard", T(lang, "dashboard.title"), p)
}
