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
	// RoleTeacher is a school's IT teacher (OrgID): the school's filtering
	// profiles and aggregate statistics only, never a case.
	RoleTeacher Role = "teacher"
	RoleOrg     Role = "org"    // women's or youth union (OrgID): referred cases only
	RoleViewer  Role = "viewer" // aggregates and statistics only
	// RoleCity is the city's (or provincial police's) staff in a city
	// deployment: the wards' rolled-up figures on /thanh-pho, never a case
	// or a ward's rows.
	RoleCity Role = "city"
)

// Roles lists every role, in the order forms show them.
var Roles = []Role{RoleWardAdmin, RoleChairman, RoleOfficer, RolePolice, RoleSchool, RoleTeacher, RoleOrg, RoleViewer, RoleCity}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// NeedsTOTP reports whether the role must sign in with a second factor:
// every role but viewer. A teacher sees no case but changes the filtering
// of a whole school's network, so it needs one too.
func (r Role) NeedsTOTP() bool { return r != RoleViewer }

// SeesCases reports whether the role may ever open a case file: every role
// but viewer and teacher (the cases package refuses both as well).
func (r Role) SeesCases() bool { return r != RoleViewer && r != RoleTeacher && r != RoleCity }

// DefaultTenant is the deployment's own ward: every account created before
// tenancy belongs to it.
const DefaultTenant int64 = 1

// TenantOf is the ward of an account (0 is read as DefaultTenant).
func TenantOf(u *User) int64 { return tenantID(u.TenantID) }

func tenantID(t int64) int64 {
	if t <= 0 {
		return DefaultTenant
	}
	return t
}

// NeedsOrg reports whether the role is scoped to an organisation (OrgID).
func (r Role) NeedsOrg() bool { return r == RoleSchool || r == RoleTeacher || r == RoleOrg }
