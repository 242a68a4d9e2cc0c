package web

import (
	"errors"
	"net/http"
	"strings"

	"manglanh/internal/family"
)

// parentForgotPage is the "forgot password" page: the e-mail link form
// (#thu), the recovery code form (#ma) and the ward's way (#phuong).
type parentForgotPage struct {
	Mail     parentForm
	Code     parentForm
	HasMail  bool
	MailSent bool
}

func (s *Server) parentForgotShow(w http.ResponseWriter, r *http.Request) {
	s.renderParentForgot(w, r, http.StatusOK, parentForgotPage{Mail: newParentForm(), Code: newParentForm(),
		MailSent: r.URL.Query().Get("ok") == "sent"})
}

func (s *Server) renderParentForgot(w http.ResponseWriter, r *http.Request, status int, p parentForgotPage) {
	p.HasMail = s.cfg.Families.HasMailer()
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "parent_account_forgot", T(langOf(r), "parent.forgot.title"), p)
}

// parentForgotMail sends a reset link when the e-mail has an account; the
// answer is the same either way.
func (s *Server) parentForgotMail(w http.ResponseWriter, r *http.Request) {
	if !s.parentBody(w, r) {
		return
	}
	lang := langOf(r)
	email := strings.TrimSpace(r.PostFormValue("email"))
	p := parentForgotPage{Mail: newParentForm(), Code: newParentForm()}
	p.Mail.Values["email"] = clip(email, 254)
	if !strings.Contains(email, "@") {
		p.Mail.setErr("email", T(lang, "parent.forgot.notemail"))
		s.renderParentForgot(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	err := s.cfg.Families.RequestReset(r.Context(), email, clientIP(r).String())
	switch {
	case errors.Is(err, family.ErrThrottled):
		parentRetryAfter(w, err)
		p.Mail.setErr("email", T(lang, "parent.err.throttled", waitText(lang, err)))
		s.renderParentForgot(w, r, http.StatusTooManyRequests, p)
		return
	case err != nil:
		var ve *family.ValidationError
		if errors.As(err, &ve) {
			p.Mail.setErr("email", ve.Errors[0].Message(lang))
			s.renderParentForgot(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		s.log.ErrorContext(r.Context(), "parent reset request", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, parentForgotPath+"?ok=sent#thu", http.StatusSeeOther)
}

// parentForgotCode sets a new password with a recovery code.
func (s *Server) parentForgotCode(w http.ResponseWriter, r *http.Request) {
	if !s.parentBody(w, r) {
		return
	}
	lang := langOf(r)
	login := strings.TrimSpace(r.PostFormValue("login"))
	p := parentForgotPage{Mail: newParentForm(), Code: newParentForm()}
	p.Code.Values["login"] = clip(login, 254)
	err := s.cfg.Families.RecoverWithCode(r.Context(), login, r.PostFormValue("code"), r.PostFormValue("password"),
		clientIP(r).String())
	switch {
	case err == nil:
		http.Redirect(w, r, parentLoginPath+"?ok=reset", http.StatusSeeOther)
		return
	case errors.Is(err, family.ErrThrottled):
		parentRetryAfter(w, err)
		p.Code.setErr("code", T(lang, "parent.err.throttled", waitText(lang, err)))
		s.renderParentForgot(w, r, http.StatusTooManyRequests, p)
	case errors.Is(err, family.ErrBadLogin):
		p.Code.setErr("code", T(lang, "parent.forgot.badcode"))
		s.renderParentForgot(w, r, http.StatusUnauthorized, p)
	case p.Code.addValidation(lang, err):
		s.renderParentForgot(w, r, http.StatusUnprocessableEntity, p)
	default:
		s.log.ErrorContext(r.Context(), "parent recovery with code", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}

// parentResetPage is the page an e-mailed link opens.
type parentResetPage struct {
	Token string
	Bad   bool
	Form  parentForm
}

func (s *Server) parentResetShow(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	err := s.cfg.Families.CheckResetToken(r.Context(), token)
	switch {
	case errors.Is(err, family.ErrBadToken):
		s.renderParentReset(w, r, http.StatusGone, parentResetPage{Bad: true})
	case err != nil:
		s.log.ErrorContext(r.Context(), "checking parent reset link", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	default:
		s.renderParentReset(w, r, http.StatusOK, parentResetPage{Token: token, Form: newParentForm()})
	}
}

func (s *Server) renderParentReset(w http.ResponseWriter, r *http.Request, status int, p parentResetPage) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, status, "parent_account_reset", T(langOf(r), "parent.reset.title"), p)
}

func (s *Server) parentResetSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parentBody(w, r) {
		return
	}
	lang := langOf(r)
	token := r.PathValue("token")
	f := newParentForm()
	err := s.cfg.Families.ResetWithToken(r.Context(), token, r.PostFormValue("password"))
	switch {
	case err == nil:
		http.Redirect(w, r, parentLoginPath+"?ok=reset", http.StatusSeeOther)
	case errors.Is(err, family.ErrBadToken):
		s.renderParentReset(w, r, http.StatusGone, parentResetPage{Bad: true})
	case f.addValidation(lang, err):
		s.renderParentReset(w, r, http.StatusUnprocessableEntity, parentResetPage{Token: token, Form: f})
	default:
		s.log.ErrorContext(r.Context(), "parent reset with link", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}
