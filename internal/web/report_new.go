package web

import (
	"net/http"
	"strconv"
)

// reportNew shows the public report form. ?nguon=<id> (from a QR poster)
// records where the report comes from.
func (s *Server) reportNew(w http.ResponseWriter, r *http.Request) {
	var f reportForm
	if id, err := strconv.ParseInt(r.URL.Query().Get("nguon"), 10, 64); err == nil && id > 0 {
		f.Source = id
	}
	s.renderReportForm(w, r, http.StatusOK, f, nil)
}

// renderReportForm shows the public form with f echoed back and errs
// explained.
func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, f reportForm, errs []fieldError) {
	p := s.newReportPage(f, r.URL.Path)
	p.withErrors(errs)
	if f.Source > 0 {
		if src, err := s.cfg.Sources.GetSource(r.Context(), f.Source); err == nil {
			p.SourceName = src.Name
		} else {
			p.Form.Source = 0 // an unknown source is not recorded
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "report_new", T(langOf(r), "report.title"), p)
}
