package web

import (
	"errors"
	"net/http"
	"strings"

	"manglanh/internal/family"
)

// parentLoginPage is the parent sign-in form's data.
type parentLoginPage struct {
	Form parentForm
	Next string
}

func (s *Server) parentLoginShow(w http.ResponseWriter, r *http.Request) {
	if s.signedInParentGoesHome(w, r) {
		return
	}
	f := newParentForm()
	switch r.URL.Query().Get("ok") {
	case "signedout":
		f.Flash = T(langOf(r), "parent.ok.signedout")
	case "reset":
		f.Flash = T(langOf(r), "parent.ok.reset")
	case "deleted":
		f.Flash = T(langOf(r), "parent.ok.deleted")
	}
	s.renderParentLogin(w, r, http.StatusOK, parentLoginPage{Form: f, Next: parentNext(r.URL.Query().Get("next"))})
}

func (s *Server) renderParentLogin(w http.ResponseWriter, r *http.Request, status int, p parentLoginPage) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "parent_account_login", T(langOf(r), "parent.signin.title"), p)
}

// parentLoginSubmit signs a parent in: to the page they came from, or to
// the password page when staff reset their password.
func (s *Server) parentLoginSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parentBody(w, r) {
		return
	}
	lang := langOf(r)
	login := strings.TrimSpace(r.PostFormValue("login"))
	next := parentNext(r.PostFormValue("next"))
	f := newParentForm()
	f.Values["login"] = clip(login, 254)
	password := r.PostFormValue("password")
	if login == "" || password == "" {
		f.setErr(map[bool]string{true: "login", false: "password"}[login == ""], T(lang, "parent.err.empty"))
		s.renderParentLogin(w, r, http.StatusUnprocessableEntity, parentLoginPage{Form: f, Next: next})
		return
	}
	token, p, err := s.cfg.Families.Login(r.Context(), login, password, clientIP(r).String())
	switch {
	case errors.Is(err, family.ErrThrottled):
		parentRetryAfter(w, err)
		f.setErr("login", T(lang, "parent.err.throttled", waitText(lang, err)))
		s.renderParentLogin(w, r, http.StatusTooManyRequests, parentLoginPage{Form: f, Next: next})
		return
	case errors.Is(err, family.ErrBadLogin):
		f.setErr("password", T(lang, "parent.err.badlogin"))
		s.renderParentLogin(w, r, http.StatusUnauthorized, parentLoginPage{Form: f, Next: next})
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "parent sign-in", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.setParentCookie(w, token)
	switch {
	case p.MustChangePassword:
		http.Redirect(w, r, parentPasswordPath, http.StatusSeeOther)
	case next != "":
		http.Redirect(w, r, next, http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/gia-dinh", http.StatusSeeOther)
	}
}

// parentLogoutSubmit ends the parent's session.
func (s *Server) parentLogoutSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Families.Logout(r.Context(), parentToken(r)); err != nil {
		s.log.ErrorContext(r.Context(), "parent sign-out", "err", err)
	}
	s.clearParentCookie(w)
	http.Redirect(w, r, parentLoginPath+"?ok=signedout", http.StatusSeeOther)
}

// signedInParentGoesHome sends a parent who is already signed in from the
// sign-in or sign-up page to their home, and reports whether it did.
func (s *Server) signedInParentGoesHome(w http.ResponseWriter, r *http.Request) bool {
	p, err := s.currentParent(w, r)
	if err != nil || p == nil {
		return false
	}
	http.Redirect(w, r, "/gia-dinh", http.StatusSeeOther)
	return true
}
