package cases

import "time"

// DeadlineOutcome is one deadline a case had, read from its recorded
// steps: when it started to run, when it fell due and when it was met
// (zero while unmet). Deadlines says what is open now; DeadlineOutcomes
// says, for statistics, what happened to every deadline up to a time.
type DeadlineOutcome struct {
	Kind  DeadlineKind
	Start time.Time // when the deadline began to run
	Due   time.Time
	MetAt time.Time // zero: not met before the time asked
}

// Outcome classes of a deadline in a period.
const (
	OutcomeMet    = "met"
	OutcomeMissed = "missed"
	OutcomeOpen   = "open"
)

// In classifies the outcome in the half-open period [from, to): "met"
// when it was met in time during the period, "missed" when it fell due in
// the period unmet, or began after its due time in the period (met late or not at all: a late deadline counts as
// missed in the period it fell due, never again), "open" when it was
// running at the end of the period and not yet due, "" when the period
// has nothing to say about it (met in time in an earlier period, or not
// yet started).
func (o DeadlineOutcome) In(from, to time.Time) string {
	metInTime := !o.MetAt.IsZero() && !o.MetAt.After(o.Due)
	// A deadline that began after its due time (a case assessed high two
	// hours after receipt, still unassigned) falls due when it begins.
	fell := o.Due
	if o.Start.After(fell) {
		fell = o.Start
	}
	switch {
	case metInTime && !o.MetAt.Before(from) && o.MetAt.Before(to):
		return OutcomeMet
	case !fell.Before(from) && fell.Before(to) && !metInTime:
		return OutcomeMissed
	case o.Start.Before(to) && !o.Due.Before(to) && (o.MetAt.IsZero() || !o.MetAt.Before(to)):
		return OutcomeOpen
	}
	return ""
}

// DeadlineOutcomes returns every deadline of c that began before at, as
// its steps recorded them (steps at or after at are ignored, so the
// answer is what was known at that time). The rules are those of
// Deadlines: emergency 12 h after receipt for an urgent report (until an
// assessment finds no emergency or the action is recorded) or an assessed
// emergency; assignment 1 h after receipt for a high or critical case
// until someone is assigned or the assessment lowers the level; plan 5
// working days after the assessment, met by the first submission, not
// expected when the case was closed at the assessment; approval 2 working
// days after each submission, met by the chairman's decision. cal must
// not be nil.
func (c *Case) DeadlineOutcomes(cal *Calendar, at time.Time) []DeadlineOutcome {
	var assessAt, emergencyAt, assignAt, submitAt, closeAt time.Time
	closedAtAssessment := false
	var submissions []time.Time
	var decisions []time.Time
	first := func(t *time.Time, v time.Time) {
		if t.IsZero() {
			*t = v
		}
	}
	for _, st := range c.Steps {
		if !st.At.Before(at) {
			continue
		}
		switch st.Action {
		case ActionAssess:
			first(&assessAt, st.At)
		case ActionEmergency:
			first(&emergencyAt, st.At)
		case ActionAssign:
			if st.AssigneeID != 0 {
				first(&assignAt, st.At)
			}
		case ActionSubmitPlan:
			first(&submitAt, st.At)
			submissions = append(submissions, st.At)
		case ActionApprove, ActionRejectPlan:
			decisions = append(decisions, st.At)
		case ActionClose:
			first(&closeAt, st.At)
			if st.From == StatusAssessed {
				closedAtAssessment = true
			}
		}
	}
	// A case written without steps (imported, or a test) still has its
	// records' own times.
	if assessAt.IsZero() && c.Assessment != nil && !c.Assessment.At.IsZero() && c.Assessment.At.Before(at) && len(c.Steps) == 0 {
		assessAt = c.Assessment.At
	}
	if emergencyAt.IsZero() && c.Emergency != nil && !c.Emergency.At.IsZero() && c.Emergency.At.Before(at) && len(c.Steps) == 0 {
		emergencyAt = c.Emergency.At
	}
	assessed := !assessAt.IsZero() && c.Assessment != nil

	var out []DeadlineOutcome
	add := func(k DeadlineKind, start, due, met time.Time) {
		out = append(out, DeadlineOutcome{Kind: k, Start: start, Due: due, MetAt: met})
	}
	earliest := func(ts ...time.Time) time.Time {
		var m time.Time
		for _, t := range ts {
			if !t.IsZero() && (m.IsZero() || t.Before(m)) {
				m = t
			}
		}
		return m
	}

	high := func(l string) bool { return l == LevelHigh || l == LevelCritical }
	// Assignment: the level is the suggestion until the assessment, then
	// the assessment's.
	switch {
	case high(c.SuggestedLevel):
		var lowered time.Time
		if assessed && !high(c.Assessment.RiskLevel) {
			lowered = assessAt
		}
		add(DeadlineAssignment, c.ReceivedAt, c.ReceivedAt.Add(AssignmentWithin), earliest(assignAt, lowered))
	case assessed && high(c.Assessment.RiskLevel) && (assignAt.IsZero() || !assignAt.Before(assessAt)):
		add(DeadlineAssignment, assessAt, c.ReceivedAt.Add(AssignmentWithin), assignAt)
	}

	// Emergency.
	due := c.ReceivedAt.Add(EmergencyWithin)
	switch {
	case c.Urgent && assessed && !c.Assessment.Emergency:
		add(DeadlineEmergency, c.ReceivedAt, due, earliest(emergencyAt, assessAt))
	case c.Urgent:
		add(DeadlineEmergency, c.ReceivedAt, due, emergencyAt)
	case assessed && c.Assessment.Emergency:
		add(DeadlineEmergency, assessAt, due, emergencyAt)
	}

	// Plan.
	if assessed && !(closedAtAssessment && (submitAt.IsZero() || closeAt.Before(submitAt))) {
		add(DeadlinePlan, assessAt, cal.AddWorkingDays(assessAt, PlanWorkingDays), submitAt)
	}

	// Approval: one deadline per submission, met by the first decision
	// after it.
	for _, s := range submissions {
		var met time.Time
		for _, d := range decisions {
			if !d.Before(s) {
				met = d
				break
			}
		}
		add(DeadlineApproval, s, cal.AddWorkingDays(s, ApprovalWorkingDays), met)
	}
	return out
}
