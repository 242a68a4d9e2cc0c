package cases

import "time"

// DeadlineKind names a legal or operational deadline.
type DeadlineKind string

// Deadline kinds.
const (
	// DeadlineEmergency: emergency intervention within 12 clock hours of
	// receipt (Decree 56 Art. 26), for urgent reports until the assessment
	// says there is no emergency, and for emergencies until the action is
	// recorded.
	DeadlineEmergency DeadlineKind = "emergency"
	// DeadlinePlan: support plan within 5 working days of the initial
	// assessment, met by its first submission.
	DeadlinePlan DeadlineKind = "plan"
	// DeadlineApproval: the chairman's decision within 2 working days of
	// the plan's latest submission.
	DeadlineApproval DeadlineKind = "approval"
	// DeadlineAssignment: Primero's rule, an unassigned high or critical
	// case is overdue 1 hour after receipt.
	DeadlineAssignment DeadlineKind = "assignment"
)

// Deadline durations and the windows before them in which a deadline is
// "due soon".
const (
	EmergencyWithin     = 12 * time.Hour
	AssignmentWithin    = time.Hour
	PlanWorkingDays     = 5
	ApprovalWorkingDays = 2

	emergencySoon  = 3 * time.Hour
	assignmentSoon = 30 * time.Minute
	workingDaySoon = 24 * time.Hour
)

// Deadline is one open deadline of a case at a given time.
type Deadline struct {
	Kind    DeadlineKind
	Due     time.Time
	Overdue bool // now is after Due
	DueSoon bool // not overdue, and Due is within the kind's warning window
}

// Deadlines returns c's open deadlines at now: those not yet met. A closed
// case has none. cal must not be nil.
func (c *Case) Deadlines(cal *Calendar, now time.Time) []Deadline {
	if c.Status == StatusClosed {
		return nil
	}
	var out []Deadline
	add := func(k DeadlineKind, due time.Time, soon time.Duration) {
		out = append(out, Deadline{Kind: k, Due: due, Overdue: now.After(due),
			DueSoon: !now.After(due) && !now.Before(due.Add(-soon))})
	}
	lvl := c.EffectiveRiskLevel()
	if c.AssigneeID == 0 && (lvl == LevelHigh || lvl == LevelCritical) {
		add(DeadlineAssignment, c.ReceivedAt.Add(AssignmentWithin), assignmentSoon)
	}
	emergencyOpen := c.Emergency == nil &&
		((c.Assessment == nil && c.Urgent) || (c.Assessment != nil && c.Assessment.Emergency))
	if emergencyOpen {
		add(DeadlineEmergency, c.ReceivedAt.Add(EmergencyWithin), emergencySoon)
	}
	if c.Assessment != nil && (c.Plan == nil || c.Plan.FirstSubmitted.IsZero()) && planStage(c.Status) {
		add(DeadlinePlan, cal.AddWorkingDays(c.Assessment.At, PlanWorkingDays), workingDaySoon)
	}
	if c.Status == StatusPlanDrafted && c.Plan.AwaitingApproval() {
		add(DeadlineApproval, cal.AddWorkingDays(c.Plan.SubmittedAt, ApprovalWorkingDays), workingDaySoon)
	}
	return out
}

// planStage reports whether a plan is still expected in status s.
func planStage(s Status) bool {
	return s == StatusAssessed || s == StatusEmergencyIntervention || s == StatusNeedsAssessed || s == StatusPlanDrafted
}
