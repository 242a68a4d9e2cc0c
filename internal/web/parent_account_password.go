package web

import (
	"net/http"

	"manglanh/internal/family"
)

// parentPasswordPage is the parent's account page: the change-password
// form (#mat-khau) and the account deletion form (#xoa).
type parentPasswordPage struct {
	Forced bool
	Form   parentForm
	Delete parentForm
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
		parentPasswordPage{Forced: p.MustChangePassword, Form: f, Delete: newParentForm()})
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

// parentAccountDelete deletes the parent's account and their children's
// profiles after the password and an explicit confirmation.
func (s *Server) parentAccountDelete(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	if !s.parentBody(w, r) {
		return
	}
	lang := langOf(r)
	d := newParentForm()
	if r.PostFormValue("confirm") != "yes" {
		d.setErr("confirm", T(lang, "parent.delete.confirm.needed"))
	}
	if len(d.Errs) == 0 {
		err := s.cfg.Families.DeleteAccount(r.Context(), parentActor(r, p), r.PostFormValue("delete_password"))
		if err == nil {
			s.clearParentCookie(w)
			http.Redirect(w, r, parentLoginPath+"?ok=deleted", http.StatusSeeOther)
			return
		}
		if !d.addValidation(lang, err) {
			s.log.ErrorContext(r.Context(), "deleting a parent account", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusUnprocessableEntity, "parent_account_password", T(lang, "parent.pw.title"),
		parentPasswordPage{Forced: p.MustChangePassword, Form: newParentForm(), Delete: d})
}
