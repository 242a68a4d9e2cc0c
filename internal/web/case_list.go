package web

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"manglanh/internal/cases"
)

// caseRow is one line of the case list: nothing from Sensitive.
type caseRow struct {
	ID         int64
	Code       string
	ReceivedAt time.Time
	Category   string
	Status     string
	RiskLevel  string
	Urgent     bool
	Channel    string
	Overdue    bool
	DueSoon    bool
	NextDue    time.Time
}

// RiskClass is the CSS class of the row's risk level. An urgent case is
// never shown in the green of a low level: it takes the urgent colour.
func (r caseRow) RiskClass() string {
	if r.Urgent && (r.RiskLevel == cases.LevelNone || r.RiskLevel == cases.LevelLow || r.RiskLevel == "") {
		return "level-urgent"
	}
	return "level-" + r.RiskLevel
}

type caseListPage struct {
	Rows   []caseRow
	Filter string // open, closed, all
	Worker bool
	// CanExport offers the CSV and XLSX exports of the same filter
	// (case_export.go applies the list's scope and leaves the child's
	// details to case workers).
	CanExport bool
	// Query is the category and received-date filter (case_list_filter.go);
	// QS is it as a query string for the links and exports.
	Query      caseListQuery
	QS         template.URL
	QSOpen     template.URL
	QSClosed   template.URL
	QSAll      template.URL
	Active     string // the filter in words, or ""
	Categories []string
	Capped     int // the list stopped at this many rows
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// caseList lists the cases the signed-in user's scope covers; the cases
// service applies the scope.
func (s *Server) caseList(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	lang := langOf(r)
	cq := readCaseListQuery(r.URL.Query(), s.cfg.Location)
	p := caseListPage{Filter: cq.Loc, Worker: caseWorker(u.Role), Query: cq, QS: cq.encode(""), QSOpen: cq.encode("open"),
		QSClosed: cq.encode("closed"), QSAll: cq.encode("all"), Active: cq.describe(lang), Categories: cases.Categories()}
	var list []cases.Summary
	var err error
	if !cq.Bad() {
		list, err = s.cfg.Cases.List(r.Context(), actorOf(u), cq.Filter)
	}
	if err != nil {
		if errors.Is(err, cases.ErrForbidden) {
			s.renderError(w, r, http.StatusForbidden, "forbidden")
			return
		}
		s.log.ErrorContext(r.Context(), "listing cases", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	// The exports apply the same scope as List: whoever may list may export.
	p.CanExport = true
	for _, c := range list {
		row := caseRow{ID: c.ID, Code: formatCode(c.Code), ReceivedAt: c.ReceivedAt,
			Category: T(lang, "report.cat."+c.Category), Status: cases.StaffStatusLabel(c.Status, lang),
			RiskLevel: c.RiskLevel, Urgent: c.Urgent, Channel: T(lang, "case.channel."+c.Channel)}
		for _, d := range c.Deadlines {
			row.Overdue = row.Overdue || d.Overdue
			row.DueSoon = row.DueSoon || d.DueSoon
			if row.NextDue.IsZero() || d.Due.Before(row.NextDue) {
				row.NextDue = d.Due
			}
		}
		p.Rows = append(p.Rows, row)
	}
	if len(list) >= cases.MaxList {
		p.Capped = cases.MaxList
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "case_list", T(lang, "case.list.title"), p)
}
