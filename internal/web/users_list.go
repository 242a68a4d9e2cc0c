package web

import (
	"net/http"

	"manglanh/internal/auth"
)

// usersPage is the account list's data.
type usersPage struct {
	Users  []auth.User
	Roles  []auth.Role
	Self   int64
	Form   newUserForm
	Notice string // message key
	Error  string // message key
	// RecoveryLeft is each two-step user's count of unused recovery codes
	// (user_recovery.go).
	RecoveryLeft map[int64]int
}

// newUserForm keeps what was typed when creating an account fails (never
// the password).
type newUserForm struct {
	Email string
	Name  string
	Role  string
	OrgID string
}

func (s *Server) usersList(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, usersPage{Notice: okKey(r)})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, p usersPage) {
	us, err := s.cfg.Auth.ListUsers(r.Context(), actorFrom(r))
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing users", "err", err)
		s.renderError(w, r, authStatus(err), "internal")
		return
	}
	p.Users, p.Roles, p.Self = us, auth.Roles, userFrom(r.Context()).ID
	p.RecoveryLeft = s.recoveryLeft(r, us)
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "staff_users", T(langOf(r), "auth.users.title"), p)
}
