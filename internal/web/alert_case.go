package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"manglanh/internal/alert"
	"manglanh/internal/cases"
)

// alertCase opens a case from a critical alert in one click: the intake
// carries the alert's category, level, reasons and snippet, with the
// channel "alert" (staff only). An alert that already has a case leads to
// it.
func (s *Server) alertCase(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if !caseWorker(u.Role) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	a, err := s.cfg.Alerts.Get(r.Context(), id)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if a.CaseID > 0 {
		http.Redirect(w, r, fmt.Sprintf("/can-bo/ho-so/%d", a.CaseID), http.StatusSeeOther)
		return
	}
	if !a.Critical() {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	c, err := s.cfg.Cases.Intake(alert.OpeningCase(r.Context()), actorOf(u), alertIntake(a, s))
	if err != nil {
		if errors.Is(err, cases.ErrForbidden) {
			s.renderError(w, r, http.StatusForbidden, "forbidden")
			return
		}
		s.log.ErrorContext(r.Context(), "opening a case from an alert", "alert", a.ID, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	if err := s.cfg.Alerts.MarkCase(r.Context(), a.ID, c.ID); err != nil {
		s.log.ErrorContext(r.Context(), "linking alert to case", "alert", a.ID, "case", c.ID, "err", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/ho-so/%d", c.ID), http.StatusSeeOther)
}

// alertIntake is the case intake for an alert.
func alertIntake(a alert.Alert, s *Server) cases.Intake {
	cat := a.Category
	if !slices.Contains(cases.Categories(), cat) {
		cat = cases.CategoryOther
	}
	at := a.Time.In(s.cfg.Location).Format("15:04 02/01/2006")
	var vi []string
	for _, x := range a.Reasons {
		vi = append(vi, x.Vi)
	}
	desc := []string{T("vi", "alert.case.from", a.ID, a.Title("vi"), at)}
	if a.Snippet != "" {
		desc = append(desc, T("vi", "alert.snippet")+": "+a.Snippet)
	}
	desc = append(desc, vi...)
	in := cases.Intake{Category: cat, Channel: cases.ChannelAlert, Urgent: true, SuggestedLevel: a.Level,
		SuggestedReasons: joinLines(vi), Sensitive: cases.Sensitive{Description: strings.Join(desc, "\n")}}
	if a.Category == cat {
		in.SuggestedCategory = cat
	}
	return in
}
