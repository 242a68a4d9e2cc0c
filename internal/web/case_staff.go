package web

import (
	"net/http"

	"manglanh/internal/cases"
)

// staffUser returns the signed-in staff member. Without one it answers:
// a GET is sent to the sign-in step that is due, anything else gets 404 (the page does
// not exist for the public), and it returns nil.
func (s *Server) staffUser(w http.ResponseWriter, r *http.Request) *SessionUser {
	u := userFrom(r.Context())
	if u != nil && u.ID > 0 {
		return u
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, s.signInStep(r, r.URL.Path), http.StatusSeeOther)
		return nil
	}
	s.renderError(w, r, http.StatusNotFound, "notfound")
	return nil
}

// actorOf is the cases actor for a signed-in user.
func actorOf(u *SessionUser) cases.Actor {
	return cases.Actor{UserID: u.ID, Role: u.Role, OrgID: u.OrgID, Name: u.Name, TenantID: u.TenantID}
}

// caseWorker reports whether role records reports and makes posters.
func caseWorker(role string) bool {
	return role == cases.RoleWardAdmin || role == cases.RoleOfficer
}
