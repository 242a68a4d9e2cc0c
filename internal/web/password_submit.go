package web

import (
	"errors"
	"net/http"

	"manglanh/internal/auth"
)

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	if passwordUser(r) == nil {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	next := r.PostFormValue("new")
	if next != r.PostFormValue("repeat") {
		s.renderPassword(w, r, http.StatusUnprocessableEntity, "auth.err.mismatch")
		return
	}
	l, err := s.cfg.Auth.ChangePassword(r.Context(), sessionToken(r), r.PostFormValue("current"), next, clientIP(r).String())
	switch {
	case errors.Is(err, auth.ErrNoSession):
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
		return
	case err != nil:
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "changing password", "err", err)
		}
		retryAfter(w, err)
		s.renderPassword(w, r, authStatus(err), authErrorKey(err))
		return
	}
	s.setSessionCookie(w, l.Token)
	http.Redirect(w, r, "/can-bo?ok=password", http.StatusSeeOther)
}
