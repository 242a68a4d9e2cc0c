package program

import (
	"testing"
	"time"

	"manglanh/internal/cases"
)

func hcmAt(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, hcm)
}

func quarter(y int, q int) Period {
	from := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, hcm)
	return Period{From: from, To: from.AddDate(0, 3, 0)}
}

func TestCountCases(t *testing.T) {
	t.Parallel()
	cal := cases.NewCalendar(hcm, cases.DefaultHolidays())
	q1, q2 := quarter(2026, 1), quarter(2026, 2)
	st := func(a cases.Action, at time.Time, from cases.Status) cases.Step {
		return cases.Step{Action: a, At: at, From: from}
	}
	// Received 31/03 23:59 (Q1), assessed 01/04 09:00, plan 03/04, approved
	// 06/04, closed 20/04: received in Q1, handled and supported in Q2's
	// figures only as closed.
	crossing := &cases.Case{ID: 1, Category: cases.CategoryScam, Channel: cases.ChannelWeb,
		ReceivedAt: hcmAt(2026, 3, 31, 23, 59), ClosedAt: hcmAt(2026, 4, 20, 10, 0), Status: cases.StatusClosed,
		Assessment: &cases.Assessment{RiskLevel: cases.LevelMedium},
		Steps: []cases.Step{st(cases.ActionAssess, hcmAt(2026, 4, 1, 9, 0), cases.StatusReceived),
			st(cases.ActionSubmitPlan, hcmAt(2026, 4, 3, 9, 0), cases.StatusNeedsAssessed),
			st(cases.ActionApprove, hcmAt(2026, 4, 6, 9, 0), cases.StatusPlanDrafted),
			st(cases.ActionClose, hcmAt(2026, 4, 20, 10, 0), cases.StatusReviewed)}}
	// Received 01/04 00:00 local (= 31/03 17:00 UTC): Q2, not Q1.
	midnight := &cases.Case{ID: 2, Category: cases.CategoryGambling, Channel: cases.ChannelQR, Urgent: true,
		ReceivedAt: hcmAt(2026, 4, 1, 0, 0).UTC(), Status: cases.StatusReceived}
	// Received and handled in Q1, closed at the assessment (no support needed).
	noSupport := &cases.Case{ID: 3, Category: cases.CategoryScam, Channel: cases.ChannelPhone,
		ReceivedAt: hcmAt(2026, 2, 2, 10, 0), ClosedAt: hcmAt(2026, 2, 3, 10, 0), Status: cases.StatusClosed,
		Assessment: &cases.Assessment{RiskLevel: cases.LevelLow},
		Steps: []cases.Step{st(cases.ActionAssess, hcmAt(2026, 2, 2, 11, 0), cases.StatusReceived),
			st(cases.ActionClose, hcmAt(2026, 2, 3, 10, 0), cases.StatusAssessed)},
		Referrals: []cases.Referral{{ReferredAt: hcmAt(2026, 2, 2, 12, 0)}}}
	// Closed before Q2: ignored by Q2 even if passed in.
	all := []*cases.Case{crossing, midnight, noSupport}

	f1 := CountCases(all, q1, cal, hcm)
	if f1.Received != 2 || f1.ByCategory[cases.CategoryScam] != 2 || f1.ByCategory[cases.CategoryGambling] != 0 {
		t.Errorf("Q1 received %d by category %v, want 2 scam", f1.Received, f1.ByCategory)
	}
	if f1.Handled != 1 || f1.NeedSupport != 0 || f1.Supported != 0 || f1.Referred != 1 {
		t.Errorf("Q1 handled %d need %d supported %d referred %d, want 1 0 0 1", f1.Handled, f1.NeedSupport, f1.Supported, f1.Referred)
	}
	if f1.Closed != 1 || f1.OpenAtEnd != 1 {
		t.Errorf("Q1 closed %d open at end %d, want 1 and 1", f1.Closed, f1.OpenAtEnd)
	}
	wantMonths := []MonthCount{{"2026-01", 0}, {"2026-02", 1}, {"2026-03", 1}}
	if len(f1.ByMonth) != 3 || f1.ByMonth[0] != wantMonths[0] || f1.ByMonth[1] != wantMonths[1] || f1.ByMonth[2] != wantMonths[2] {
		t.Errorf("Q1 by month %v, want %v", f1.ByMonth, wantMonths)
	}

	f2 := CountCases(all, q2, cal, hcm)
	if f2.Received != 1 || f2.Urgent != 1 || f2.ByChannel[cases.ChannelQR] != 1 {
		t.Errorf("Q2 received %d urgent %d channels %v, want the midnight case", f2.Received, f2.Urgent, f2.ByChannel)
	}
	if f2.Closed != 1 || f2.OpenAtEnd != 1 {
		t.Errorf("Q2 closed %d open %d, want 1 (the crossing case) and 1", f2.Closed, f2.OpenAtEnd)
	}
	if f2.Handled != 0 || f2.Supported != 0 {
		t.Errorf("Q2 handled %d supported %d: the crossing case was received in Q1", f2.Handled, f2.Supported)
	}
	// The midnight case: urgent, never acted on, emergency due 01/04 12:00: missed.
	// The crossing case: plan due 5 working days after 01/04, met 03/04;
	// approval met 06/04.
	if d := f2.Deadlines[string(cases.DeadlineEmergency)]; d != (DeadlineFigure{Missed: 1}) {
		t.Errorf("Q2 emergency %+v", d)
	}
	if d := f2.Deadlines[string(cases.DeadlinePlan)]; d != (DeadlineFigure{Met: 1}) {
		t.Errorf("Q2 plan %+v", d)
	}
	if d := f2.Deadlines[string(cases.DeadlineApproval)]; d != (DeadlineFigure{Met: 1}) {
		t.Errorf("Q2 approval %+v", d)
	}
	if f2.InTime != (Ratio{Num: 1, Den: 2}) {
		t.Errorf("Q2 in time %+v, want 1/2", f2.InTime)
	}
	// Q1 of the crossing case: nothing recorded yet at 01/04 00:00 except receipt.
	if d := f1.Deadlines[string(cases.DeadlinePlan)]; d != (DeadlineFigure{}) {
		t.Errorf("Q1 plan %+v: the assessment came after Q1", d)
	}

	// A year: supported counted, need support counted.
	year := Period{From: hcmAt(2026, 1, 1, 0, 0), To: hcmAt(2027, 1, 1, 0, 0)}
	fy := CountCases(all, year, cal, hcm)
	if fy.Received != 3 || fy.Handled != 2 || fy.NeedSupport != 1 || fy.Supported != 1 || fy.Closed != 2 || fy.OpenAtEnd != 1 {
		t.Errorf("year %+v", fy)
	}
	if len(fy.ByMonth) != 12 {
		t.Errorf("year has %d months", len(fy.ByMonth))
	}
	// A case received after the period and one closed before it are ignored.
	after := &cases.Case{ReceivedAt: hcmAt(2026, 7, 1, 0, 0)}
	if g := CountCases([]*cases.Case{after, noSupport}, q2, cal, hcm); g.Received != 0 || g.Closed != 0 || g.OpenAtEnd != 0 {
		t.Errorf("out of period cases counted: %+v", g)
	}
}
