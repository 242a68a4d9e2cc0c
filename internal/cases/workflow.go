package cases

import "slices"

// Action is something done to a case that may change its status.
type Action string

// The workflow actions. ActionIntake creates a case; the others act on one.
const (
	ActionIntake          Action = "intake"
	ActionAssess          Action = "assess"
	ActionEmergency       Action = "emergency_action"
	ActionNeedsAssessment Action = "needs_assessment"
	ActionSubmitPlan      Action = "submit_plan"
	ActionApprove         Action = "approve_plan"
	ActionRejectPlan      Action = "reject_plan"
	ActionStart           Action = "start_implementation"
	ActionReview          Action = "review"
	ActionClose           Action = "close"
)

// Roles. A role's scope over cases is decided in authz.go.
const (
	RoleWardAdmin = "ward_admin"
	RoleChairman  = "chairman"
	RoleOfficer   = "officer"
	RolePolice    = "police"
	RoleSchool    = "school"
	RoleOrg       = "org"
	RoleViewer    = "viewer"
	RolePublic    = "public"
	// RoleTeacher is a school's IT teacher: deliberately not in Roles, so
	// the service refuses every call of a teacher (ErrForbidden) and a
	// teacher can never open, list or act on a case.
	RoleTeacher = "teacher"
)

// Roles lists every role.
func Roles() []string {
	return []string{RoleWardAdmin, RoleChairman, RoleOfficer, RolePolice, RoleSchool,
		RoleOrg, RoleViewer, RolePublic}
}

// Transition is one row of the workflow table: Action moves a case from any
// of From to To, when done by one of Roles and when Guard (if any) accepts
// the case as it is before the action.
type Transition struct {
	Action Action
	From   []Status
	To     Status
	Roles  []string
	// Guard, when not nil, must return true for the transition to apply;
	// GuardText explains it for documentation and errors.
	Guard     func(*Case) bool
	GuardText string
}

var caseWorkers = []string{RoleOfficer, RoleWardAdmin}

// transitions is the workflow of Decree 56/2017 Arts. 24–32, as data.
var transitions = []Transition{
	{Action: ActionAssess, From: []Status{StatusReceived}, To: StatusAssessed, Roles: caseWorkers},
	{Action: ActionEmergency, From: []Status{StatusAssessed}, To: StatusEmergencyIntervention, Roles: caseWorkers,
		Guard: func(c *Case) bool { return c.Assessment != nil && c.Assessment.Emergency }, GuardText: "the assessment found an emergency"},
	{Action: ActionNeedsAssessment, From: []Status{StatusAssessed}, To: StatusNeedsAssessed, Roles: caseWorkers,
		Guard: func(c *Case) bool { return c.Assessment != nil && !c.Assessment.Emergency }, GuardText: "no emergency (else the emergency action comes first)"},
	{Action: ActionNeedsAssessment, From: []Status{StatusEmergencyIntervention}, To: StatusNeedsAssessed, Roles: caseWorkers},
	{Action: ActionSubmitPlan, From: []Status{StatusNeedsAssessed}, To: StatusPlanDrafted, Roles: caseWorkers},
	{Action: ActionSubmitPlan, From: []Status{StatusPlanDrafted}, To: StatusPlanDrafted, Roles: caseWorkers,
		Guard: func(c *Case) bool { return !c.Plan.AwaitingApproval() }, GuardText: "the previous submission was rejected"},
	{Action: ActionApprove, From: []Status{StatusPlanDrafted}, To: StatusPlanApproved, Roles: []string{RoleChairman},
		Guard: func(c *Case) bool { return c.Plan.AwaitingApproval() }, GuardText: "the plan awaits approval"},
	{Action: ActionRejectPlan, From: []Status{StatusPlanDrafted}, To: StatusPlanDrafted, Roles: []string{RoleChairman},
		Guard: func(c *Case) bool { return c.Plan.AwaitingApproval() }, GuardText: "the plan awaits approval"},
	{Action: ActionStart, From: []Status{StatusPlanApproved}, To: StatusInProgress, Roles: caseWorkers},
	{Action: ActionReview, From: []Status{StatusInProgress}, To: StatusReviewed, Roles: caseWorkers},
	{Action: ActionClose, From: []Status{StatusReviewed}, To: StatusClosed, Roles: caseWorkers},
	// A report the initial assessment finds without any risk may be closed
	// at once, with a note saying why.
	{Action: ActionClose, From: []Status{StatusAssessed}, To: StatusClosed, Roles: caseWorkers,
		Guard: func(c *Case) bool {
			return c.Assessment != nil && c.Assessment.RiskLevel == LevelNone && !c.Assessment.Emergency
		},
		GuardText: "the initial assessment found no risk"},
}

// Transitions returns a copy of the workflow table, for documentation and
// for pages that show which actions are possible.
func Transitions() []Transition {
	return append([]Transition(nil), transitions...)
}

// roleMayEver reports whether role appears on any transition for action.
func roleMayEver(role string, a Action) bool {
	for _, t := range transitions {
		if t.Action == a && slices.Contains(t.Roles, role) {
			return true
		}
	}
	return false
}

// next finds the transition for action from c's status by role. It returns
// ErrForbidden when the role may never do the action, and a
// *TransitionError when the case's status (or a guard) does not allow it.
func next(c *Case, a Action, role string) (Status, error) {
	if !roleMayEver(role, a) {
		return "", ErrForbidden
	}
	for _, t := range transitions {
		if t.Action != a || !slices.Contains(t.From, c.Status) || !slices.Contains(t.Roles, role) {
			continue
		}
		if t.Guard != nil && !t.Guard(c) {
			continue
		}
		return t.To, nil
	}
	return "", &TransitionError{Action: a, From: c.Status}
}

// Allowed lists the actions role may take on c now, in table order.
func Allowed(c *Case, role string) []Action {
	var out []Action
	for _, t := range transitions {
		if slices.Contains(out, t.Action) {
			continue
		}
		if _, err := next(c, t.Action, role); err == nil {
			out = append(out, t.Action)
		}
	}
	return out
}
