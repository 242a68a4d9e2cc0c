package cases

import (
	"context"
	"slices"
	"time"
)

// TodoListMax bounds the cases listed under each heading of a Todo; the
// counts are always complete.
const TodoListMax = 5

// TodoCase is one line of the staff home: the case's summary, its nearest
// open deadline, and, under Unreceived, the agencies whose answer is
// awaited.
type TodoCase struct {
	Summary
	NextDue  time.Time // earliest open deadline; zero when none
	Awaiting []string  // agency kinds of its pending referrals (Unreceived only)
}

// TodoList is one heading of the staff home: how many cases, and the most
// pressing TodoListMax of them (nearest deadline first, then oldest).
type TodoList struct {
	Count int
	Cases []TodoCase
}

// Todo is what needs doing now by one actor, computed by Service.Todo. A
// case may appear under several headings (an urgent case can be new and
// overdue). Headings a role has nothing to do with stay empty:
//   - ward admin and officer: the ward's New, Urgent, Overdue, DueToday,
//     and Unreceived (referrals the ward sent that the receiving
//     organisation has not yet accepted or rejected);
//   - chairman: Approval (plans awaiting the chairman's decision), with
//     Overdue and DueToday counting the approval deadline only;
//   - police, school, org: Unreceived (referrals waiting for their own
//     answer) and Urgent among the cases referred or assigned to them.
type Todo struct {
	New        TodoList // received, not yet assessed
	Urgent     TodoList // open, flagged urgent or at level high or critical
	Overdue    TodoList // an open deadline has passed
	DueToday   TodoList // not overdue; a deadline falls before the end of today (ward time)
	Unreceived TodoList // a referral still pending (not accepted by its receiver)
	Approval   TodoList // a submitted plan awaits the chairman
}

// Todo computes a's to-do lists at now, within a's scope. Viewers and the
// public get ErrForbidden: they have no cases to act on.
func (s *Service) Todo(ctx context.Context, a Actor, now time.Time) (Todo, error) {
	if err := checkActor(a); err != nil {
		return Todo{}, err
	}
	if !hasCaseScope(a.Role) {
		return Todo{}, ErrForbidden
	}
	cs, err := s.scopedAll(ctx, a, Filter{OpenOnly: true})
	if err != nil {
		return Todo{}, err
	}
	endOfDay := s.cal.EndOfDay(now)
	ward := a.Role == RoleWardAdmin || a.Role == RoleOfficer
	var t Todo
	for _, c := range cs {
		if c.Status == StatusClosed {
			continue
		}
		sum := c.Summary(s.cal, now)
		deadlines := sum.Deadlines
		if a.Role == RoleChairman {
			deadlines = slices.DeleteFunc(slices.Clone(deadlines), func(d Deadline) bool { return d.Kind != DeadlineApproval })
		}
		tc := TodoCase{Summary: sum}
		overdue, today := false, false
		for _, d := range deadlines {
			if tc.NextDue.IsZero() || d.Due.Before(tc.NextDue) {
				tc.NextDue = d.Due
			}
			overdue = overdue || d.Overdue
			today = today || (!d.Overdue && !d.Due.After(endOfDay))
		}
		for _, r := range c.Referrals {
			if r.Status != ReferralPending {
				continue
			}
			if ward || receiverOf(a, r) {
				if !slices.Contains(tc.Awaiting, r.AgencyKind) {
					tc.Awaiting = append(tc.Awaiting, r.AgencyKind)
				}
			}
		}
		lvl := sum.RiskLevel
		urgent := c.Urgent || lvl == LevelHigh || lvl == LevelCritical
		switch a.Role {
		case RoleWardAdmin, RoleOfficer:
			t.New.add(tc, c.Status == StatusReceived)
			t.Urgent.add(tc, urgent)
			t.Overdue.add(tc, overdue)
			t.DueToday.add(tc, today && !overdue)
			t.Unreceived.add(tc, len(tc.Awaiting) > 0)
		case RoleChairman:
			awaiting := c.Status == StatusPlanDrafted && c.Plan.AwaitingApproval()
			t.Approval.add(tc, awaiting)
			t.Overdue.add(tc, awaiting && overdue)
			t.DueToday.add(tc, awaiting && today && !overdue)
		default: // police, school, org: their scope is what is referred or assigned to them
			t.Urgent.add(tc, urgent)
			t.Unreceived.add(tc, len(tc.Awaiting) > 0)
		}
	}
	for _, l := range []*TodoList{&t.New, &t.Urgent, &t.Overdue, &t.DueToday, &t.Unreceived, &t.Approval} {
		l.finish()
	}
	return t, nil
}

func (l *TodoList) add(c TodoCase, ok bool) {
	if !ok {
		return
	}
	l.Count++
	if c.Awaiting != nil {
		c.Awaiting = slices.Clone(c.Awaiting)
	}
	l.Cases = append(l.Cases, c)
}

// finish sorts the list, nearest deadline first (cases without one last,
// oldest first), and keeps the first TodoListMax.
func (l *TodoList) finish() {
	slices.SortStableFunc(l.Cases, func(x, y TodoCase) int {
		switch {
		case x.NextDue.IsZero() != y.NextDue.IsZero():
			if x.NextDue.IsZero() {
				return 1
			}
			return -1
		case !x.NextDue.Equal(y.NextDue):
			return x.NextDue.Compare(y.NextDue)
		}
		return x.ReceivedAt.Compare(y.ReceivedAt)
	})
	if len(l.Cases) > TodoListMax {
		l.Cases = l.Cases[:TodoListMax]
	}
}
