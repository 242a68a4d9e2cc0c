package cases

// Permission is something a role may do on a case page beyond seeing it.
// The web layer asks Can instead of repeating role lists, so that the
// decision lives here with Redact and the workflow table.
type Permission string

// Permissions.
const (
	// PermViewEvidence: open the evidence images (the roles whose
	// redaction keeps the evidence links).
	PermViewEvidence Permission = "view_evidence"
	// PermViewRecords: read the officers' records (assessments, the plan,
	// the approval, the review, the closure). Redact clears their notes for
	// schools and unions; the records are withheld from them altogether.
	PermViewRecords Permission = "view_records"
	// PermViewReporter: see the reporter's identity (Redact kept it).
	PermViewReporter Permission = "view_reporter"
	// PermRefer: refer an open case, and revoke its referrals.
	PermRefer Permission = "refer"
	// PermAssign: choose who is responsible for an open case.
	PermAssign Permission = "assign"
	// PermRespond: accept, reject or finish a referral to one's own
	// organisation.
	PermRespond Permission = "respond"
	// PermHandOff: hand the case to Tổng đài 111.
	PermHandOff Permission = "handoff_111"
	// PermEditDetails: complete the Mẫu 01 parts a web report lacks.
	PermEditDetails Permission = "edit_details"
)

// IsCaseWorker reports whether role records reports and works cases: the
// ward child-protection officer and the ward admin.
func IsCaseWorker(role string) bool { return role == RoleOfficer || role == RoleWardAdmin }

// Can reports whether a may do p on case c, which a may see (CanView). A
// nil c asks about the role alone.
func Can(a Actor, c *Case, p Permission) bool {
	open := c == nil || c.Status != StatusClosed
	switch p {
	case PermViewEvidence, PermViewRecords:
		return IsCaseWorker(a.Role) || a.Role == RoleChairman || a.Role == RolePolice
	case PermViewReporter:
		return IsCaseWorker(a.Role) || (a.Role == RolePolice && c != nil && c.Sensitive.ReporterConsent)
	case PermRefer:
		return IsCaseWorker(a.Role) && open
	case PermAssign:
		return a.Role == RoleWardAdmin && open
	case PermRespond:
		if a.Role != RolePolice && a.Role != RoleSchool && a.Role != RoleOrg {
			return false
		}
		if c == nil {
			return true
		}
		for _, r := range c.Referrals {
			if receiverOf(a, r) {
				return true
			}
		}
		return false
	case PermHandOff:
		return IsCaseWorker(a.Role)
	case PermEditDetails:
		return IsCaseWorker(a.Role) && open
	}
	return false
}
