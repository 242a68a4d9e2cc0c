package web

import (
	"net/http"

	"manglanh/internal/auth"
)

// staffHomePage is the staff home's data.
type staffHomePage struct {
	Role    auth.Role
	OrgID   int64
	IsAdmin bool
	Cases   bool // the role sees case files
	Worker  bool // may record reports
	Notice  string
	Unread  int // unread in-portal notices
}

func (s *Server) staffHome(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	role := auth.Role(u.Role)
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "staff_home", T(langOf(r), "auth.staff.title"), staffHomePage{
		Role: role, OrgID: u.OrgID, IsAdmin: role == auth.RoleWardAdmin, Cases: role.NeedsTOTP(),
		Worker: role == auth.RoleWardAdmin || role == auth.RoleOfficer, Notice: okKey(r),
		Unread: s.unreadNotices(r)})
}

// okKey returns the confirmation message key named by ?ok= after a
// redirect, only if it is one of ours.
func okKey(r *http.Request) string {
	k := "auth.ok." + r.URL.Query().Get("ok")
	if _, ok := messages[k]; ok && r.URL.Query().Get("ok") != "" {
		return k
	}
	return ""
}
