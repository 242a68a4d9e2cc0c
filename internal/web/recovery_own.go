package web

import (
	"errors"
	"net/http"
	"strings"

	"manglanh/internal/auth"
)

// ownRecoveryPath is where a signed-in user makes and sees their own
// recovery codes; the codes' one-time cookie is scoped to it.
const ownRecoveryPath = "/can-bo/ma-du-phong"

type ownRecoveryPage struct {
	Codes      []string // the set just made, shown once
	Left       int      // unused codes, when Codes is empty
	Error      string   // message key, beside the password field
	NeedsCodes bool     // the role signs in with two steps
}

// ownRecoveryShow shows the set just made (once, clearing its cookie), or
// how many codes are left and the form to make a new set.
func (s *Server) ownRecoveryShow(w http.ResponseWriter, r *http.Request) {
	p := ownRecoveryPage{NeedsCodes: auth.Role(userFrom(r.Context()).Role).NeedsTOTP()}
	if c, err := r.Cookie(recoveryCookie); err == nil {
		if recoveryCodesRe.MatchString(c.Value) {
			p.Codes = strings.Split(c.Value, ".")
		}
		http.SetCookie(w, &http.Cookie{Name: recoveryCookie, Value: "", Path: ownRecoveryPath, MaxAge: -1,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	}
	s.renderOwnRecovery(w, r, http.StatusOK, p)
}

func (s *Server) renderOwnRecovery(w http.ResponseWriter, r *http.Request, status int, p ownRecoveryPage) {
	if p.NeedsCodes && len(p.Codes) == 0 {
		n, err := s.cfg.Auth.OwnRecoveryCodesLeft(r.Context(), sessionToken(r))
		if err != nil {
			s.log.ErrorContext(r.Context(), "counting own recovery codes", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
		p.Left = n
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "recovery_own", T(langOf(r), "recovery.title"), p)
}

// ownRecoveryIssue makes a new set for the signed-in user after checking
// their password, and redirects to the page that shows it once.
func (s *Server) ownRecoveryIssue(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	codes, err := s.cfg.Auth.IssueOwnRecoveryCodes(r.Context(), sessionToken(r), r.PostFormValue("password"), clientIP(r).String())
	if err != nil {
		if errors.Is(err, auth.ErrNoSession) {
			http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
			return
		}
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "issuing own recovery codes", "err", err)
		}
		key := authErrorKey(err)
		if errors.Is(err, auth.ErrInvalidInput) {
			key = "recovery.err.role"
		}
		retryAfter(w, err)
		s.renderOwnRecovery(w, r, authStatus(err), ownRecoveryPage{Error: key,
			NeedsCodes: auth.Role(userFrom(r.Context()).Role).NeedsTOTP()})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: recoveryCookie, Value: strings.Join(codes, "."), Path: ownRecoveryPath,
		MaxAge: 600, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, ownRecoveryPath+"#ma", http.StatusSeeOther)
}
