package web

import "manglanh/internal/program"

// programActor is the programme's view of a staff user. The tenant is the
// user's ward (tenancy: program_tenant.go sets SessionUser.TenantID).
func programActor(u *SessionUser) program.Actor {
	t := u.TenantID
	if t == 0 {
		t = program.DefaultTenant
	}
	return program.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, OrgID: u.OrgID, TenantID: t}
}
