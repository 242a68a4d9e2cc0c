package web

import (
	"net/http"
	"strings"
)

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	next := safeNext(r.PostFormValue("next"))
	l, err := s.cfg.Auth.Authenticate(r.Context(), email, r.PostFormValue("password"), clientIP(r).String())
	if err != nil {
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "signing in", "err", err)
		}
		retryAfter(w, err)
		s.renderLogin(w, r, authStatus(err), loginPage{Email: email, Next: next, Error: authErrorKey(err)})
		return
	}
	s.setSessionCookie(w, l.Token)
	http.Redirect(w, r, afterSignIn(l, next), http.StatusSeeOther)
}
