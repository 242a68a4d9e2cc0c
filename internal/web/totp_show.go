package web

import (
	"net/http"

	"manglanh/internal/auth"
)

// totpPage is the code step's data.
type totpPage struct {
	Next  string
	Error string
	// RecoveryError is the message key for a refused recovery code,
	// shown beside the recovery field (login_recovery.go).
	RecoveryError string
}

func (s *Server) totpShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if p := pendingFrom(r.Context()); p == nil || p.stage != auth.StagePassword {
		http.Redirect(w, r, s.signInStep(r, next), http.StatusSeeOther)
		return
	}
	s.renderTOTP(w, r, http.StatusOK, totpPage{Next: next})
}

func (s *Server) renderTOTP(w http.ResponseWriter, r *http.Request, status int, p totpPage) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "login_totp", T(langOf(r), "auth.totp.title"), p)
}
