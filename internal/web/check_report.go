package web

import (
	"net/http"
	"slices"

	"manglanh/internal/cases"
)

// checkReport opens the public report form filled in from a checked
// message: the category and the message as the description. It arrives by
// POST so the message never enters a URL, and it stores nothing: the
// report exists only if the person submits the form it shows.
func (s *Server) checkReport(w http.ResponseWriter, r *http.Request) {
	if tooLarge, err := parseBody(w, r); err != nil {
		s.refuseBody(w, r, tooLarge, err)
		return
	}
	f := reportForm{Category: r.PostFormValue("category"), Description: checkText(r.PostFormValue("text"))}
	if !slices.Contains(cases.Categories(), f.Category) {
		f.Category = ""
	}
	if len(f.Description) > MaxCheckText {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "toolarge")
		return
	}
	p := s.newReportPage(f, "/bao-cao")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "report_new", T(langOf(r), "report.title"), p)
}
