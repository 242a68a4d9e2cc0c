package web

import (
	"net/http"

	"manglanh/internal/family"
)

// parentPasswordPage is the change-password form of a parent.
type parentPasswordPage struct {
	Forced bool
	Form   parentForm
}

func (s *Server) parentPasswordShow(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	f := newParentForm()
	if r.URL.Query().Get("ok") == "1" {
		f.Flash = T(langOf(r), "parent.pw.ok")
	}
	s.renderParentPassword(w, r, http.StatusOK, p, f)
}

func (s *Server) renderParentPassword(w http.ResponseWriter, r *http.Request, status int, p *family.Parent, f parentForm) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "parent_account_password", T(langOf(r), "parent.pw.title"),
		parentPasswordPage{Forced: p.MustChangePassword, Form: f})
}

// parentPasswordSubmit changes the password; other sessions end.
func (s *Server) parentPasswordSubmit(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	if !s.parentBody(w, r) {
		return
	}
	err := s.cfg.Families.ChangePassword(r.Context(), parentActor(r, p), parentToken(r),
		r.PostFormValue("current"), r.PostFormValue("password"))
	if err != nil {
		f := newParentForm()
		if f.addValidation(langOf(r), err) {
			s.renderParentPassword(w, r, http.StatusUnprocessableEntity, p, f)
			return
		}
		s.log.ErrorContext(r.Context(), "changing parent password", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, parentPasswordPath+"?ok=1#mat-khau", http.StatusSeeOther)
}
