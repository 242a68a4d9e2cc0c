package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/family"
)

// parentCodesCookie carries a set of recovery codes just made, from the
// POST that made them to the page that shows them once (scoped to that
// page, 10 minutes, cleared when shown), like staff's recovery codes.
const parentCodesCookie = "mlpcodes"

// parentSignupPage is the sign-up form's data.
type parentSignupPage struct {
	Form     parentForm
	Schools  []family.School
	Approval string
}

func (s *Server) parentSignupShow(w http.ResponseWriter, r *http.Request) {
	if s.signedInParentGoesHome(w, r) {
		return
	}
	s.renderParentSignup(w, r, http.StatusOK, newParentForm())
}

func (s *Server) renderParentSignup(w http.ResponseWriter, r *http.Request, status int, f parentForm) {
	schools, err := s.cfg.Families.Schools(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing schools for sign-up", "err", err)
		schools = nil // the form still works without the list
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "parent_account_signup", T(langOf(r), "parent.signup.title"),
		parentSignupPage{Form: f, Schools: schools, Approval: s.cfg.Families.Approval()})
}

// parentSignupSubmit makes the account, signs the parent in, makes their
// recovery codes and shows them once.
func (s *Server) parentSignupSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.parentBody(w, r) {
		return
	}
	lang := langOf(r)
	f := newParentForm()
	login, name := strings.TrimSpace(r.PostFormValue("login")), strings.TrimSpace(r.PostFormValue("name"))
	schoolText := r.PostFormValue("school")
	f.Values["login"], f.Values["name"], f.Values["school"] = clip(login, 254), clip(name, 200), clip(schoolText, 20)
	school, err := strconv.ParseInt(schoolText, 10, 64)
	if schoolText != "" && (err != nil || school <= 0) {
		school = -1 // no school has it: SignUp reports it beside the field
	}
	password := r.PostFormValue("password")
	p, err := s.cfg.Families.SignUp(r.Context(), family.SignUp{Login: login, Password: password, Name: name,
		SchoolOrgID: school, Lang: lang})
	switch {
	case errors.Is(err, family.ErrLoginTaken):
		f.setErr("login", T(lang, "parent.err.taken"))
		s.renderParentSignup(w, r, http.StatusConflict, f)
		return
	case f.addValidation(lang, err):
		s.renderParentSignup(w, r, http.StatusUnprocessableEntity, f)
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "parent sign-up", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	token, p, err := s.cfg.Families.Login(r.Context(), login, password, clientIP(r).String())
	if err != nil {
		s.log.ErrorContext(r.Context(), "signing in after sign-up", "parent", p, "err", err)
		http.Redirect(w, r, parentLoginPath, http.StatusSeeOther)
		return
	}
	s.setParentCookie(w, token)
	codes, err := s.cfg.Families.IssueRecoveryCodes(r.Context(), parentActor(r, p), password)
	if err != nil {
		s.log.ErrorContext(r.Context(), "issuing recovery codes at sign-up", "parent", p.ID, "err", err)
		http.Redirect(w, r, parentCodesPath+"?ok=signup#ma", http.StatusSeeOther)
		return
	}
	s.setParentCodesCookie(w, codes)
	http.Redirect(w, r, parentCodesPath+"?ok=signup#ma", http.StatusSeeOther)
}

func (s *Server) setParentCodesCookie(w http.ResponseWriter, codes []string) {
	http.SetCookie(w, &http.Cookie{Name: parentCodesCookie, Value: strings.Join(codes, "."), Path: parentCodesPath,
		MaxAge: 600, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
}
