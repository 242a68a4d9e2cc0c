package web

import (
	"net/http"
	"regexp"
	"strings"

	"manglanh/internal/family"
)

// parentCodesRe is what a codes cookie may hold: codes joined by ".".
var parentCodesRe = regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}(\.[A-Z2-7]{4}(-[A-Z2-7]{4}){3}){0,19}$`)

// parentCodesPage shows a set just made (once) or how many are left.
type parentCodesPage struct {
	Codes  []string
	Left   int
	Signup bool
	Form   parentForm
}

func (s *Server) parentCodesShow(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	page := parentCodesPage{Signup: r.URL.Query().Get("ok") == "signup", Form: newParentForm()}
	if c, err := r.Cookie(parentCodesCookie); err == nil {
		if parentCodesRe.MatchString(c.Value) {
			page.Codes = strings.Split(c.Value, ".")
		}
		http.SetCookie(w, &http.Cookie{Name: parentCodesCookie, Value: "", Path: parentCodesPath, MaxAge: -1,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	}
	s.renderParentCodes(w, r, http.StatusOK, p, page)
}

func (s *Server) renderParentCodes(w http.ResponseWriter, r *http.Request, status int, p *family.Parent, page parentCodesPage) {
	if len(page.Codes) == 0 {
		n, err := s.cfg.Families.RecoveryCodesLeft(r.Context(), parentActor(r, p))
		if err != nil {
			s.log.ErrorContext(r.Context(), "counting parent recovery codes", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
		page.Left = n
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "parent_account_codes", T(langOf(r), "parent.codes.title"), page)
}

// parentCodesIssue makes a new set after checking the password.
func (s *Server) parentCodesIssue(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	if !s.parentBody(w, r) {
		return
	}
	codes, err := s.cfg.Families.IssueRecoveryCodes(r.Context(), parentActor(r, p), r.PostFormValue("password"))
	if err != nil {
		f := newParentForm()
		if f.addValidation(langOf(r), err) {
			s.renderParentCodes(w, r, http.StatusUnprocessableEntity, p, parentCodesPage{Form: f})
			return
		}
		s.log.ErrorContext(r.Context(), "issuing parent recovery codes", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.setParentCodesCookie(w, codes)
	http.Redirect(w, r, parentCodesPath+"#ma", http.StatusSeeOther)
}
