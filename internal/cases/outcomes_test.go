package cases

import (
	"testing"
	"time"
)

func outcomeOf(os []DeadlineOutcome, k DeadlineKind) (DeadlineOutcome, int) {
	n := 0
	var o DeadlineOutcome
	for _, x := range os {
		if x.Kind == k {
			if n == 0 {
				o = x
			}
			n++
		}
	}
	return o, n
}

func TestDeadlineOutcomes(t *testing.T) {
	t.Parallel()
	cal := NewCalendar(hcm, DefaultHolidays())
	recv := at(2026, 3, 10, 20, 0) // Tuesday
	step := func(a Action, when time.Time, from Status) Step { return Step{Action: a, At: when, From: from} }
	assign := Step{Action: ActionAssign, At: at(2026, 3, 10, 20, 30), AssigneeID: 7}
	late := at(2026, 4, 1, 0, 0)
	tests := []struct {
		name   string
		c      Case
		at     time.Time
		kind   DeadlineKind
		count  int
		due    time.Time
		met    time.Time
		classQ string // In(March 2026, up to at)
	}{
		{"urgent, emergency action in 2 h", Case{Urgent: true, ReceivedAt: recv,
			Assessment: &Assessment{Emergency: true, RiskLevel: LevelHigh}, Steps: []Step{
				step(ActionAssess, recv.Add(time.Hour), StatusReceived), step(ActionEmergency, recv.Add(2*time.Hour), StatusAssessed)}},
			late, DeadlineEmergency, 1, recv.Add(12 * time.Hour), recv.Add(2 * time.Hour), OutcomeMet},
		{"urgent, no action after 13 h", Case{Urgent: true, ReceivedAt: recv}, late, DeadlineEmergency, 1,
			recv.Add(12 * time.Hour), time.Time{}, OutcomeMissed},
		{"urgent, asked before due: open", Case{Urgent: true, ReceivedAt: recv}, recv.Add(time.Hour), DeadlineEmergency, 1,
			recv.Add(12 * time.Hour), time.Time{}, OutcomeOpen},
		{"urgent, assessed no emergency in 3 h", Case{Urgent: true, ReceivedAt: recv, Assessment: &Assessment{RiskLevel: LevelLow},
			Steps: []Step{step(ActionAssess, recv.Add(3*time.Hour), StatusReceived)}},
			late, DeadlineEmergency, 1, recv.Add(12 * time.Hour), recv.Add(3 * time.Hour), OutcomeMet},
		{"step after the time asked is ignored", Case{Urgent: true, ReceivedAt: recv,
			Assessment: &Assessment{Emergency: true}, Emergency: &EmergencyAction{}, Steps: []Step{
				step(ActionAssess, recv.Add(time.Hour), StatusReceived), step(ActionEmergency, recv.Add(2*time.Hour), StatusAssessed)}},
			recv.Add(90 * time.Minute), DeadlineEmergency, 1, recv.Add(12 * time.Hour), time.Time{}, OutcomeOpen},
		{"not urgent: no emergency deadline", Case{ReceivedAt: recv}, late, DeadlineEmergency, 0, time.Time{}, time.Time{}, ""},
		{"suggested high, assigned in 30 min", Case{SuggestedLevel: LevelHigh, ReceivedAt: recv, Steps: []Step{assign}},
			late, DeadlineAssignment, 1, recv.Add(time.Hour), assign.At, OutcomeMet},
		{"suggested high, never assigned", Case{SuggestedLevel: LevelCritical, ReceivedAt: recv}, late, DeadlineAssignment, 1,
			recv.Add(time.Hour), time.Time{}, OutcomeMissed},
		{"assessed high after an assignment: none", Case{ReceivedAt: recv, Assessment: &Assessment{RiskLevel: LevelHigh},
			Steps: []Step{assign, step(ActionAssess, recv.Add(2*time.Hour), StatusReceived)}}, late, DeadlineAssignment, 0,
			time.Time{}, time.Time{}, ""},
		{"plan submitted on the 5th working day", Case{ReceivedAt: recv, Assessment: &Assessment{RiskLevel: LevelMedium},
			Steps: []Step{step(ActionAssess, at(2026, 3, 11, 9, 0), StatusReceived), step(ActionSubmitPlan, at(2026, 3, 18, 8, 0), StatusNeedsAssessed)}},
			late, DeadlinePlan, 1, cal.AddWorkingDays(at(2026, 3, 11, 9, 0), PlanWorkingDays), at(2026, 3, 18, 8, 0), OutcomeMet},
		{"plan submitted late", Case{ReceivedAt: recv, Assessment: &Assessment{RiskLevel: LevelMedium},
			Steps: []Step{step(ActionAssess, at(2026, 3, 11, 9, 0), StatusReceived), step(ActionSubmitPlan, at(2026, 3, 25, 8, 0), StatusNeedsAssessed)}},
			late, DeadlinePlan, 1, cal.AddWorkingDays(at(2026, 3, 11, 9, 0), PlanWorkingDays), at(2026, 3, 25, 8, 0), OutcomeMissed},
		{"closed at the assessment: no plan expected", Case{ReceivedAt: recv, Assessment: &Assessment{RiskLevel: LevelLow},
			Steps: []Step{step(ActionAssess, recv.Add(time.Hour), StatusReceived), step(ActionClose, recv.Add(2*time.Hour), StatusAssessed)}},
			late, DeadlinePlan, 0, time.Time{}, time.Time{}, ""},
		{"two submissions, two approval deadlines", Case{ReceivedAt: recv, Assessment: &Assessment{RiskLevel: LevelMedium},
			Steps: []Step{step(ActionAssess, at(2026, 3, 11, 9, 0), StatusReceived),
				step(ActionSubmitPlan, at(2026, 3, 12, 9, 0), StatusNeedsAssessed),
				step(ActionRejectPlan, at(2026, 3, 13, 9, 0), StatusPlanDrafted),
				step(ActionSubmitPlan, at(2026, 3, 16, 9, 0), StatusPlanDrafted)}},
			late, DeadlineApproval, 2, cal.AddWorkingDays(at(2026, 3, 12, 9, 0), ApprovalWorkingDays), at(2026, 3, 13, 9, 0), OutcomeMet},
	}
	march := [2]time.Time{at(2026, 3, 1, 0, 0), at(2026, 4, 1, 0, 0)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os := tt.c.DeadlineOutcomes(cal, tt.at)
			o, n := outcomeOf(os, tt.kind)
			if n != tt.count {
				t.Fatalf("%d %s deadlines, want %d: %+v", n, tt.kind, tt.count, os)
			}
			if n == 0 {
				return
			}
			if !o.Due.Equal(tt.due) || !o.MetAt.Equal(tt.met) {
				t.Errorf("due %v met %v, want %v and %v", o.Due, o.MetAt, tt.due, tt.met)
			}
			end := march[1] // the period ends when the question is asked, at the latest
			if tt.at.Before(end) {
				end = tt.at
			}
			if got := o.In(march[0], end); got != tt.classQ {
				t.Errorf("In(March) = %q, want %q", got, tt.classQ)
			}
		})
	}
}

func TestDeadlineOutcomeAcrossPeriods(t *testing.T) {
	t.Parallel()
	// Due 31/03 20:00, met 02/04: missed in March, nothing in April; a
	// deadline running on 31/03 24:00 and met in April in time is open in
	// March and met in April.
	due := at(2026, 3, 31, 20, 0)
	mar := [2]time.Time{at(2026, 3, 1, 0, 0), at(2026, 4, 1, 0, 0)}
	apr := [2]time.Time{at(2026, 4, 1, 0, 0), at(2026, 5, 1, 0, 0)}
	lateMet := DeadlineOutcome{Start: due.Add(-12 * time.Hour), Due: due, MetAt: at(2026, 4, 2, 9, 0)}
	if g := lateMet.In(mar[0], mar[1]); g != OutcomeMissed {
		t.Errorf("late, March: %q", g)
	}
	if g := lateMet.In(apr[0], apr[1]); g != "" {
		t.Errorf("late, April: %q", g)
	}
	running := DeadlineOutcome{Start: at(2026, 3, 31, 22, 0), Due: at(2026, 4, 1, 10, 0), MetAt: at(2026, 4, 1, 0, 30)}
	if g := running.In(mar[0], mar[1]); g != OutcomeOpen {
		t.Errorf("running, March: %q", g)
	}
	if g := running.In(apr[0], apr[1]); g != OutcomeMet {
		t.Errorf("running, April: %q", g)
	}
	// Began after its due time: missed when it began.
	startedLate := DeadlineOutcome{Start: at(2026, 4, 1, 3, 0), Due: at(2026, 3, 31, 23, 0)}
	if g := startedLate.In(mar[0], mar[1]); g != "" {
		t.Errorf("started late, March: %q", g)
	}
	if g := startedLate.In(apr[0], apr[1]); g != OutcomeMissed {
		t.Errorf("started late, April: %q", g)
	}
}
