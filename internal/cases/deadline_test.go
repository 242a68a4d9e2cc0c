package cases

import (
	"testing"
	"time"
)

func deadlineOf(ds []Deadline, k DeadlineKind) (Deadline, bool) {
	for _, d := range ds {
		if d.Kind == k {
			return d, true
		}
	}
	return Deadline{}, false
}

func TestDeadlines(t *testing.T) {
	t.Parallel()
	cal := NewCalendar(hcm, DefaultHolidays())
	recv := at(2026, 3, 10, 20, 0) // Tuesday 20:00: the 12 h window crosses midnight
	assessedFri := &Assessment{RiskLevel: LevelMedium, At: at(2026, 3, 6, 19, 0)}
	submitted := &Plan{FirstSubmitted: at(2026, 3, 11, 9, 0), SubmittedAt: at(2026, 3, 11, 9, 0)}
	tests := []struct {
		name    string
		c       Case
		now     time.Time
		kind    DeadlineKind
		present bool
		due     time.Time
		overdue bool
		dueSoon bool
	}{
		{"urgent, 12 h across midnight, early", Case{Status: StatusReceived, Urgent: true, ReceivedAt: recv}, at(2026, 3, 11, 4, 59),
			DeadlineEmergency, true, at(2026, 3, 11, 8, 0), false, false},
		{"urgent, due soon 3 h before", Case{Status: StatusReceived, Urgent: true, ReceivedAt: recv}, at(2026, 3, 11, 5, 0),
			DeadlineEmergency, true, at(2026, 3, 11, 8, 0), false, true},
		{"urgent, overdue after 08:00", Case{Status: StatusReceived, Urgent: true, ReceivedAt: recv}, at(2026, 3, 11, 8, 1),
			DeadlineEmergency, true, at(2026, 3, 11, 8, 0), true, false},
		{"not urgent: no emergency deadline", Case{Status: StatusReceived, ReceivedAt: recv}, at(2026, 3, 11, 9, 0),
			DeadlineEmergency, false, time.Time{}, false, false},
		{"urgent but assessed as no emergency", Case{Status: StatusAssessed, Urgent: true, ReceivedAt: recv,
			Assessment: &Assessment{RiskLevel: LevelLow, At: recv}}, at(2026, 3, 11, 9, 0), DeadlineEmergency, false, time.Time{}, false, false},
		{"emergency assessed, action pending", Case{Status: StatusAssessed, ReceivedAt: recv,
			Assessment: &Assessment{RiskLevel: LevelHigh, Emergency: true, At: recv}, AssigneeID: 3}, at(2026, 3, 11, 9, 0),
			DeadlineEmergency, true, at(2026, 3, 11, 8, 0), true, false},
		{"emergency action recorded", Case{Status: StatusEmergencyIntervention, ReceivedAt: recv,
			Assessment: &Assessment{RiskLevel: LevelHigh, Emergency: true, At: recv}, Emergency: &EmergencyAction{At: recv}, AssigneeID: 3},
			at(2026, 3, 11, 9, 0), DeadlineEmergency, false, time.Time{}, false, false},
		{"unassigned high: 1 h", Case{Status: StatusReceived, SuggestedLevel: LevelHigh, ReceivedAt: at(2026, 3, 10, 10, 0)},
			at(2026, 3, 10, 10, 29), DeadlineAssignment, true, at(2026, 3, 10, 11, 0), false, false},
		{"unassigned critical, due soon", Case{Status: StatusReceived, SuggestedLevel: LevelCritical, ReceivedAt: at(2026, 3, 10, 10, 0)},
			at(2026, 3, 10, 10, 30), DeadlineAssignment, true, at(2026, 3, 10, 11, 0), false, true},
		{"unassigned high, overdue", Case{Status: StatusReceived, SuggestedLevel: LevelHigh, ReceivedAt: at(2026, 3, 10, 10, 0)},
			at(2026, 3, 10, 11, 0).Add(time.Second), DeadlineAssignment, true, at(2026, 3, 10, 11, 0), true, false},
		{"assessed level wins over suggestion", Case{Status: StatusAssessed, SuggestedLevel: LevelHigh, RiskLevel: LevelLow,
			Assessment: &Assessment{RiskLevel: LevelLow, At: recv}, ReceivedAt: recv}, at(2026, 3, 11, 10, 0), DeadlineAssignment, false, time.Time{}, false, false},
		{"assigned high: none", Case{Status: StatusReceived, SuggestedLevel: LevelHigh, AssigneeID: 3, ReceivedAt: recv},
			at(2026, 3, 12, 10, 0), DeadlineAssignment, false, time.Time{}, false, false},
		{"unassigned medium: none", Case{Status: StatusReceived, SuggestedLevel: LevelMedium, ReceivedAt: recv},
			at(2026, 3, 12, 10, 0), DeadlineAssignment, false, time.Time{}, false, false},
		{"friday evening assessment: plan due next friday", Case{Status: StatusAssessed, Assessment: assessedFri, ReceivedAt: at(2026, 3, 6, 18, 0)},
			at(2026, 3, 12, 12, 0), DeadlinePlan, true, endOf(2026, 3, 13), false, false},
		{"plan due soon the day before", Case{Status: StatusNeedsAssessed, Assessment: assessedFri, ReceivedAt: at(2026, 3, 6, 18, 0)},
			at(2026, 3, 13, 0, 0), DeadlinePlan, true, endOf(2026, 3, 13), false, true},
		{"plan overdue saturday", Case{Status: StatusNeedsAssessed, Assessment: assessedFri, ReceivedAt: at(2026, 3, 6, 18, 0)},
			at(2026, 3, 14, 0, 0), DeadlinePlan, true, endOf(2026, 3, 13), true, false},
		{"plan across Tết 2026", Case{Status: StatusNeedsAssessed, Assessment: &Assessment{RiskLevel: LevelMedium, At: at(2026, 2, 12, 10, 0)},
			ReceivedAt: at(2026, 2, 12, 9, 0)}, at(2026, 2, 20, 0, 0), DeadlinePlan, true, endOf(2026, 2, 26), false, false},
		{"plan submitted: met", Case{Status: StatusPlanDrafted, Assessment: assessedFri, Plan: submitted, ReceivedAt: recv},
			at(2026, 3, 20, 0, 0), DeadlinePlan, false, time.Time{}, false, false},
		{"approval 2 working days after submission", Case{Status: StatusPlanDrafted, Assessment: assessedFri, Plan: submitted, ReceivedAt: recv},
			at(2026, 3, 12, 12, 0), DeadlineApproval, true, endOf(2026, 3, 13), false, false},
		{"approval overdue", Case{Status: StatusPlanDrafted, Assessment: assessedFri, Plan: submitted, ReceivedAt: recv},
			at(2026, 3, 14, 0, 0), DeadlineApproval, true, endOf(2026, 3, 13), true, false},
		{"rejected plan: no approval deadline", Case{Status: StatusPlanDrafted, Assessment: assessedFri, ReceivedAt: recv,
			Plan: &Plan{FirstSubmitted: submitted.SubmittedAt, SubmittedAt: submitted.SubmittedAt, RejectedAt: at(2026, 3, 12, 9, 0)}},
			at(2026, 3, 14, 0, 0), DeadlineApproval, false, time.Time{}, false, false},
		{"closed: nothing", Case{Status: StatusClosed, Urgent: true, SuggestedLevel: LevelCritical, ReceivedAt: recv},
			at(2026, 3, 20, 0, 0), DeadlineAssignment, false, time.Time{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := deadlineOf(tt.c.Deadlines(cal, tt.now), tt.kind)
			if ok != tt.present {
				t.Fatalf("deadline %s present = %v, want %v", tt.kind, ok, tt.present)
			}
			if !ok {
				return
			}
			if !d.Due.Equal(tt.due) || d.Overdue != tt.overdue || d.DueSoon != tt.dueSoon {
				t.Errorf("got due %s overdue %v soon %v; want %s %v %v", d.Due, d.Overdue, d.DueSoon, tt.due, tt.overdue, tt.dueSoon)
			}
		})
	}
	closed := Case{Status: StatusClosed, Urgent: true, ReceivedAt: recv}
	if ds := closed.Deadlines(cal, recv.Add(48*time.Hour)); len(ds) != 0 {
		t.Errorf("closed case has deadlines %+v", ds)
	}
}
