package web

import (
	"html/template"
	"net/http"

	"manglanh/internal/program"
)

// preportListPage is what preport_list.html gets.
type preportListPage struct {
	Period   preportPeriod
	Query    template.URL
	Versions []program.ReportVersion
	CanWrite bool
}

// preportList shows the period chooser and the saved versions of the
// period, with the downloads of each and of the current figures.
func (s *Server) preportList(w http.ResponseWriter, r *http.Request) {
	a := programActor(userFrom(r.Context()))
	p := preportListPage{Period: s.preportPeriod(r), CanWrite: canWriteReport(a.Role)}
	status := http.StatusOK
	if p.Period.Error != "" {
		status = http.StatusBadRequest
	} else {
		p.Query = p.Period.query()
		vs, err := s.cfg.Program.Reports(r.Context(), a, p.Period.Period)
		if err != nil {
			s.programError(w, r, err)
			return
		}
		p.Versions = vs
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "preport_list", T(langOf(r), "preport.title"), p)
}
