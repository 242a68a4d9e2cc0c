package auth

// Role is what a staff account may do. The names match the cases package's
// role strings.
type Role string

// The roles.
const (
	RoleWardAdmin Role = "ward_admin" // manages accounts; sees every case
	RoleChairman  Role = "chairman"   // chairs case meetings, approves plans
	RoleOfficer   Role = "officer"    // the ward child-protection officer
	RolePolice    Role = "police"     // ward police: cases assigned or referred
	RoleSchool    Role = "school"     // one school (OrgID): referred cases only
	RoleOrg       Role = "org"        // women's or youth union (OrgID): referred cases only
	RoleViewer    Role = "viewer"     // aggregates and statistics only
)

// Roles lists every role, in the order forms show them.
var Roles = []Role{RoleWardAdmin, RoleChairman, RoleOfficer, RolePolice, RoleSchool, RoleOrg, RoleViewer}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// NeedsTOTP reports whether the role can see case details and therefore
// must sign in with a second factor: every role but viewer.
func (r Role) NeedsTOTP() bool { return r != RoleViewer }

// NeedsOrg reports whether the role is scoped to an organisation (OrgID).
func (r Role) NeedsOrg() bool { return r == RoleSchool || r == RoleOrg }
