package web

import (
	"net/http"

	"manglanh/internal/auth"
)

// passwordPage is the change-password form's data.
type passwordPage struct {
	Forced bool
	Error  string
}

// passwordUser is the user allowed on the password page: a full session,
// including one whose password must be changed before anything else.
func passwordUser(r *http.Request) *SessionUser {
	if u := userFrom(r.Context()); u != nil {
		return u
	}
	if p := pendingFrom(r.Context()); p != nil && p.mustChange && p.stage == auth.StageFull {
		return p.user
	}
	return nil
}

func (s *Server) passwordShow(w http.ResponseWriter, r *http.Request) {
	if passwordUser(r) == nil {
		http.Redirect(w, r, s.signInStep(r, r.URL.Path), http.StatusSeeOther)
		return
	}
	s.renderPassword(w, r, http.StatusOK, "")
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, status int, errKey string) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "staff_password", T(langOf(r), "auth.pw.title"),
		passwordPage{Forced: userFrom(r.Context()) == nil, Error: errKey})
}
