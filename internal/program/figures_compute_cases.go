package program

import (
	"time"

	"manglanh/internal/cases"
)

// CountCases counts the cases of period p (see CaseFigures): cs are the
// cases that matter to it (received before p.To and not closed before
// p.From; others are ignored), with their steps and referrals. What a
// case's steps recorded at or after p.To is not seen, so the figures of
// a past period do not change when its cases move on. Months are read in
// loc; ByMonth has every month of the period, zeros included.
func CountCases(cs []*cases.Case, p Period, cal *cases.Calendar, loc *time.Location) CaseFigures {
	if loc == nil {
		loc = time.UTC
	}
	f := CaseFigures{ByCategory: map[string]int{}, ByChannel: map[string]int{}, ByLevel: map[string]int{},
		Deadlines: map[string]DeadlineFigure{}}
	months := monthKeys(p, loc)
	byMonth := make(map[string]int64, len(months))
	for _, c := range cs {
		if c == nil || !c.ReceivedAt.Before(p.To) {
			continue
		}
		closed := !c.ClosedAt.IsZero() && c.ClosedAt.Before(p.To)
		if !c.ClosedAt.IsZero() && c.ClosedAt.Before(p.From) {
			continue
		}
		if p.Contains(c.ClosedAt) {
			f.Closed++
		}
		if !closed {
			f.OpenAtEnd++
		}
		if p.Contains(c.ReceivedAt) {
			countReceived(&f, c, p)
			byMonth[c.ReceivedAt.In(loc).Format("2006-01")]++
		}
		countDeadlines(&f, c, p, cal)
	}
	for _, m := range months {
		f.ByMonth = append(f.ByMonth, MonthCount{Month: m, Count: byMonth[m]})
	}
	return f
}

// stepBefore is the time of c's first step with action a before t, or zero.
func stepBefore(c *cases.Case, a cases.Action, t time.Time) time.Time {
	for _, st := range c.Steps {
		if st.Action == a && st.At.Before(t) {
			return st.At
		}
	}
	return time.Time{}
}

func countReceived(f *CaseFigures, c *cases.Case, p Period) {
	f.Received++
	if c.Urgent {
		f.Urgent++
	}
	f.ByCategory[c.Category]++
	f.ByChannel[c.Channel]++
	f.ByLevel[c.EffectiveRiskLevel()]++
	assessed := !stepBefore(c, cases.ActionAssess, p.To).IsZero()
	if len(c.Steps) == 0 && c.Assessment != nil && c.Assessment.At.Before(p.To) {
		assessed = true
	}
	closedAtAssessment := false
	for _, st := range c.Steps {
		if st.Action == cases.ActionClose && st.From == cases.StatusAssessed && st.At.Before(p.To) {
			closedAtAssessment = true
		}
	}
	closedByEnd := !c.ClosedAt.IsZero() && c.ClosedAt.Before(p.To)
	if assessed || closedByEnd {
		f.Handled++
	}
	if assessed && !closedAtAssessment {
		f.NeedSupport++
		if !stepBefore(c, cases.ActionApprove, p.To).IsZero() || !stepBefore(c, cases.ActionEmergency, p.To).IsZero() {
			f.Supported++
		}
	}
	for _, r := range c.Referrals {
		if r.ReferredAt.Before(p.To) {
			f.Referred++
			break
		}
	}
}

// countDeadlines adds c's deadlines to f: per kind, a case counts once,
// by its worst outcome in the period (missed, then open, then met).
func countDeadlines(f *CaseFigures, c *cases.Case, p Period, cal *cases.Calendar) {
	rank := map[string]int{cases.OutcomeMet: 1, cases.OutcomeOpen: 2, cases.OutcomeMissed: 3}
	worst := map[cases.DeadlineKind]string{}
	for _, o := range c.DeadlineOutcomes(cal, p.To) {
		cl := o.In(p.From, p.To)
		if cl != "" && rank[cl] > rank[worst[o.Kind]] {
			worst[o.Kind] = cl
		}
	}
	resolved, missed := false, false
	for k, cl := range worst {
		d := f.Deadlines[string(k)]
		switch cl {
		case cases.OutcomeMet:
			d.Met++
			resolved = true
		case cases.OutcomeMissed:
			d.Missed++
			resolved, missed = true, true
		case cases.OutcomeOpen:
			d.Open++
		}
		f.Deadlines[string(k)] = d
	}
	if resolved {
		f.InTime.Den++
		if !missed {
			f.InTime.Num++
		}
	}
}

// monthKeys are the months ("2006-01", in loc) that p touches, in order.
func monthKeys(p Period, loc *time.Location) []string {
	if loc == nil {
		loc = time.UTC
	}
	var out []string
	from, to := p.From.In(loc), p.To.In(loc)
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc)
	for m.Before(to) && len(out) < 12*11 {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
	}
	return out
}
