package cases

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func todoIDs(l TodoList) []int64 {
	var ids []int64
	for _, c := range l.Cases {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestTodo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	now := h.clock.Now() // Friday 06/3/2026 18:00, Asia/Ho_Chi_Minh
	mk := func(f func(c *Case)) int64 {
		id := h.newCase(t)
		h.setCase(t, id, f)
		return id
	}
	// New and urgent: the 12 h emergency deadline falls tomorrow 06:00.
	urgentNew := mk(func(c *Case) { c.Urgent = true })
	// Critical and unassigned for 2 h: overdue (Primero's 1 h rule).
	critical := mk(func(c *Case) { c.SuggestedLevel = LevelCritical; c.ReceivedAt = now.Add(-2 * time.Hour) })
	// Assessed on Friday 27/2: the plan is due at the end of today.
	planDue := mk(func(c *Case) {
		c.Status, c.RiskLevel, c.AssigneeID = StatusAssessed, LevelMedium, officer.UserID
		c.Assessment = &Assessment{RiskLevel: LevelMedium, At: at(2026, 2, 27, 10, 0)}
	})
	// A plan submitted on Monday 2/3: approval was due on Wednesday 4/3.
	approval := mk(func(c *Case) {
		c.Status, c.RiskLevel, c.AssigneeID = StatusPlanDrafted, LevelLow, officer.UserID
		c.Assessment = &Assessment{RiskLevel: LevelLow, At: at(2026, 2, 25, 10, 0)}
		c.Plan = &Plan{Items: []PlanItem{{Task: "Tư vấn", Owner: "Cán bộ"}}, FirstSubmitted: at(2026, 3, 2, 10, 0), SubmittedAt: at(2026, 3, 2, 10, 0)}
	})
	// Referred to school 50 (pending) and to the police (accepted).
	referred := mk(func(c *Case) {
		c.Status, c.RiskLevel, c.AssigneeID = StatusInProgress, LevelLow, officer.UserID
		c.Referrals = []Referral{
			{ID: 901, AgencyKind: AgencySchool, OrgID: school.OrgID, Status: ReferralPending, ReferredAt: now},
			{ID: 902, AgencyKind: AgencyPolice, Status: ReferralAccepted, ReferredAt: now},
		}
	})
	// Closed: nothing to do, however urgent it was.
	mk(func(c *Case) { c.Status, c.Urgent, c.ClosedAt = StatusClosed, true, now })

	d, err := h.svc.Todo(ctx, officer, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		l    TodoList
		want []int64
	}{
		{"new", d.New, []int64{critical, urgentNew}},
		{"urgent", d.Urgent, []int64{critical, urgentNew}},
		{"overdue", d.Overdue, []int64{approval, critical}},
		{"due today", d.DueToday, []int64{planDue}},
		{"unreceived", d.Unreceived, []int64{referred}},
		{"approval (chairman's)", d.Approval, nil},
	} {
		if got := todoIDs(tc.l); tc.l.Count != len(tc.want) || !slices.Equal(got, tc.want) {
			t.Errorf("officer %s: count %d, cases %v; want %v", tc.name, tc.l.Count, got, tc.want)
		}
	}
	if got := d.Unreceived.Cases[0].Awaiting; !slices.Equal(got, []string{AgencySchool}) {
		t.Errorf("awaiting %v, want only the school (the police accepted)", got)
	}
	if got := d.DueToday.Cases[0].NextDue; !got.Equal(endOf(2026, 3, 6)) {
		t.Errorf("plan due %v, want the end of 06/3", got)
	}

	c, err := h.svc.Todo(ctx, chairman, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Approval.Count != 1 || c.Approval.Cases[0].ID != approval || c.Overdue.Count != 1 ||
		c.New.Count+c.Urgent.Count+c.DueToday.Count+c.Unreceived.Count != 0 {
		t.Errorf("chairman: %+v", c)
	}

	s, err := h.svc.Todo(ctx, school, now)
	if err != nil {
		t.Fatal(err)
	}
	if s.Unreceived.Count != 1 || s.Unreceived.Cases[0].ID != referred || s.New.Count+s.Overdue.Count != 0 {
		t.Errorf("school 50: %+v", s)
	}
	for _, a := range []Actor{otherSchool, police, union} {
		o, err := h.svc.Todo(ctx, a, now)
		if err != nil {
			t.Fatal(err)
		}
		if o.Unreceived.Count != 0 || o.New.Count != 0 || o.Urgent.Count != 0 {
			t.Errorf("%s %d sees %+v", a.Role, a.OrgID, o)
		}
	}
	for _, a := range []Actor{viewer, public} {
		if _, err := h.svc.Todo(ctx, a, now); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: err %v, want ErrForbidden", a.Role, err)
		}
	}
}

func TestTodoListsAreShortCountsAreNot(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	var ids []int64
	for i := range TodoListMax + 3 {
		id := h.newCase(t)
		h.setCase(t, id, func(c *Case) { c.ReceivedAt = h.clock.Now().Add(-time.Duration(i) * time.Minute) })
		ids = append(ids, id)
	}
	d, err := h.svc.Todo(ctx, admin, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d.New.Count != len(ids) || len(d.New.Cases) != TodoListMax {
		t.Fatalf("new: count %d, %d listed; want %d and %d", d.New.Count, len(d.New.Cases), len(ids), TodoListMax)
	}
	// No deadlines: oldest first.
	if d.New.Cases[0].ID != ids[len(ids)-1] {
		t.Errorf("first listed %d, want the oldest %d", d.New.Cases[0].ID, ids[len(ids)-1])
	}
}
