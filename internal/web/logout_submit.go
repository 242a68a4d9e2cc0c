package web

import "net/http"

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Auth.Logout(r.Context(), sessionToken(r), clientIP(r).String()); err != nil {
		s.log.ErrorContext(r.Context(), "signing out", "err", err)
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
