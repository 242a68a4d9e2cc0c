package cases

// Actor is who calls the service. A public resident is an Actor with Role
// RolePublic and no UserID.
type Actor struct {
	UserID int64
	Role   string
	OrgID  int64 // the actor's organisation (school, union, police unit)
	Name   string
	// TenantID is the actor's ward (0 is read as DefaultTenant). A case of
	// another ward is, for the actor, a case that does not exist.
	TenantID int64
}

// DefaultTenant is the ward of a single-ward deployment and of every case
// recorded before tenancy.
const DefaultTenant int64 = 1

// TenantOf is the ward an actor works in.
func TenantOf(a Actor) int64 { return tenantID(a.TenantID) }

func tenantID(t int64) int64 {
	if t <= 0 {
		return DefaultTenant
	}
	return t
}

// sameTenant reports whether case c is of a's ward.
func sameTenant(a Actor, c *Case) bool { return tenantID(c.TenantID) == TenantOf(a) }

// seesAllCases reports whether role's scope is every case of the ward.
func seesAllCases(role string) bool {
	return role == RoleWardAdmin || role == RoleChairman || role == RoleOfficer
}

// hasCaseScope reports whether role may ever see an individual case.
// Viewers see aggregates only; the public sees nothing but a status label.
func hasCaseScope(role string) bool {
	switch role {
	case RoleWardAdmin, RoleChairman, RoleOfficer, RolePolice, RoleSchool, RoleOrg:
		return true
	}
	return false
}

// orgAgencies are the agency kinds whose staff log in with RoleOrg.
var orgAgencies = []string{AgencyWomensUnion, AgencyYouthUnion, AgencyHealth, AgencyCitySocial, AgencyOther}

// referralFor returns the index of the newest live referral of c that
// gives a police, school or org actor access, or -1.
func referralFor(a Actor, c *Case) int {
	for i := len(c.Referrals) - 1; i >= 0; i-- {
		if r := c.Referrals[i]; r.Status.grantsAccess() && receiverOf(a, r) {
			return i
		}
	}
	return -1
}

// CanView reports whether a may see case c at all (before redaction).
func CanView(a Actor, c *Case) bool {
	switch {
	case !sameTenant(a, c):
		return false
	case seesAllCases(a.Role):
		return true
	case a.Role == RolePolice:
		return (a.UserID != 0 && c.AssigneeID == a.UserID) || referralFor(a, c) >= 0
	case a.Role == RoleSchool, a.Role == RoleOrg:
		return referralFor(a, c) >= 0
	}
	return false
}

// Redact returns a copy of c holding only what a's role may see; c itself
// is not changed. Ward admins and officers see everything. The chairman
// sees everything but the reporter's identity (Decree 56 Art. 24 keeps it
// confidential; the case meeting does not need it). The police see
// everything but the reporter's identity unless the reporter consented.
// Schools and unions see the child, the family and the narrative, never the
// reporter, the suspect or the evidence links, nor the officers' notes.
// Any other role gets a copy with every Sensitive field and note cleared.
// Redact does not decide access: call CanView first.
func Redact(a Actor, c *Case) *Case {
	d := c.clone()
	s := &d.Sensitive
	hideReporter := func() {
		if s.ReporterName != "" || s.ReporterPhone != "" || s.ReporterRelation != "" {
			d.Redacted = true
		}
		s.ReporterName, s.ReporterPhone, s.ReporterRelation = "", "", ""
	}
	switch a.Role {
	case RoleWardAdmin, RoleOfficer:
		return d
	case RoleChairman:
		hideReporter()
	case RolePolice:
		if !s.ReporterConsent {
			hideReporter()
		}
	case RoleSchool, RoleOrg:
		hideReporter()
		s.ReporterAnonymous, s.ReporterConsent = false, false
		s.SuspectName, s.SuspectPhone, s.SuspectProfileURL = "", "", ""
		s.EvidenceLinks = nil
		s.ReceivingOfficer = ""
		hideNotes(d)
		own := d.Referrals[:0]
		for _, r := range d.Referrals {
			if r.OrgID == a.OrgID {
				own = append(own, r)
			}
		}
		d.Referrals = own
		d.Redacted = true
	default:
		d.Sensitive = Sensitive{}
		hideNotes(d)
		d.Plan = nil
		d.Referrals = nil
		d.SuggestedReasons = ""
		d.Place = ""
		d.Redacted = true
	}
	return d
}

// hideNotes clears the officers' free-text notes, which may name people.
func hideNotes(d *Case) {
	if d.Assessment != nil {
		d.Assessment.Notes = ""
	}
	if d.Emergency != nil {
		d.Emergency.Action = ""
	}
	if d.NeedsAssessment != nil {
		d.NeedsAssessment.ChildViews, d.NeedsAssessment.Notes = "", ""
	}
	if d.Review != nil {
		d.Review.Notes = ""
	}
	d.ClosureNote = ""
	d.SuggestedReasons = ""
	for i := range d.Steps {
		d.Steps[i].Note = ""
	}
	for i := range d.Referrals {
		d.Referrals[i].OverrideReason = ""
		d.Referrals[i].Note = ""
	}
}
