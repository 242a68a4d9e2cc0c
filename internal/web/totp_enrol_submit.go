package web

import (
	"errors"
	"net/http"

	"manglanh/internal/auth"
)

func (s *Server) totpEnrolSubmit(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	l, err := s.cfg.Auth.EnrolTOTP(r.Context(), sessionToken(r), r.PostFormValue("code"), clientIP(r).String())
	switch {
	case errors.Is(err, auth.ErrNoSession):
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
		return
	case err != nil:
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "enrolling TOTP", "err", err)
		}
		retryAfter(w, err)
		s.renderEnrol(w, r, authStatus(err), next, authErrorKey(err))
		return
	}
	s.setSessionCookie(w, l.Token)
	http.Redirect(w, r, afterSignIn(l, next), http.StatusSeeOther)
}
