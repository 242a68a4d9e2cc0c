package web

import (
	"net/http"
)

// caseNew shows the staff entry form for a report received by phone, in
// person, or forwarded by 111, the police or a school.
func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if !caseWorker(u.Role) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	s.renderCaseNew(w, r, http.StatusOK, reportForm{Channel: "phone", ReceivingOfficer: u.Name}, nil)
}

func (s *Server) renderCaseNew(w http.ResponseWriter, r *http.Request, status int, f reportForm, errs []string) {
	p := s.newReportPage(f, "/can-bo/bao-cao-moi")
	p.Staff, p.Channels, p.Errors = true, staffChannels, errs
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "report_new", T(langOf(r), "case.new.title"), p)
}

// caseCreate records the staff entry and opens the new case.
func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if !caseWorker(u.Role) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	lang := langOf(r)
	if tooLarge, err := parseBody(w, r); err != nil {
		s.refuseBody(w, r, tooLarge, err)
		return
	}
	f, in, err := s.parseReportForm(r, true)
	if err != nil {
		s.renderCaseNew(w, r, http.StatusBadRequest, f, []string{validationMessage(err, lang)})
		return
	}
	in.SourceID = 0
	c, _, ok := s.intakeWithImages(w, r, actorOf(u), f, in)
	if !ok {
		return
	}
	http.Redirect(w, r, "/can-bo/ho-so/"+itoa64(c.ID), http.StatusSeeOther)
}
