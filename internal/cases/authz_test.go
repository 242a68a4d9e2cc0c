package cases

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
)

// world holds six cases with different referrals and assignments.
type world struct {
	*harness
	school50, police40, union70, none, assignedPolice, revoked int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{harness: newHarness(t)}
	ref := func(kind string, org int64, st ReferralStatus) func(*Case) {
		return func(c *Case) {
			c.Referrals = append(c.Referrals, Referral{ID: 1000 + c.ID, AgencyKind: kind, OrgID: org, Status: st})
		}
	}
	mk := func(f func(*Case)) int64 {
		id := w.newCase(t)
		if f != nil {
			w.setCase(t, id, f)
		}
		return id
	}
	w.school50 = mk(ref(AgencySchool, 50, ReferralPending))
	w.police40 = mk(ref(AgencyPolice, 40, ReferralAccepted))
	w.union70 = mk(ref(AgencyWomensUnion, 70, ReferralAccepted))
	w.none = mk(nil)
	w.assignedPolice = mk(func(c *Case) { c.AssigneeID = police.UserID })
	w.revoked = mk(ref(AgencySchool, 50, ReferralRevoked))
	return w
}

func errClass(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrForbidden):
		return "forbidden"
	case errors.Is(err, ErrNotFound):
		return "notfound"
	case errors.Is(err, ErrInvalidTransition):
		return "transition"
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return "invalid"
	}
	return "error: " + err.Error()
}

var everyone = []Actor{admin, chairman, officer, police, school, otherSchool, union, viewer, public}

func TestGetScopeByRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := []int64{w.school50, w.police40, w.union70, w.none, w.assignedPolice, w.revoked, 999}
	// Columns follow ids. "-" is notfound, "F" forbidden, "+" ok.
	want := map[string]string{
		"ward_admin": "++++++-",
		"chairman":   "++++++-",
		"officer":    "++++++-",
		"police":     "-+--+--",
		"school":     "+------",
		"school51":   "-------",
		"org":        "--+----",
		"viewer":     "FFFFFFF",
		"public":     "FFFFFFF",
	}
	for _, a := range everyone {
		key := a.Role
		if a.OrgID == 51 {
			key = "school51"
		}
		for i, id := range ids {
			c, err := w.svc.Get(context.Background(), a, id)
			got := map[string]byte{"ok": '+', "notfound": '-', "forbidden": 'F'}[errClass(err)]
			if got != want[key][i] {
				t.Errorf("%s Get(case #%d): %v, want %c", key, i, err, want[key][i])
			}
			if err == nil && c.ID != id {
				t.Errorf("%s got case %d for %d", key, c.ID, id)
			}
		}
	}
}

func TestListScopeByRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	all := []int64{w.school50, w.police40, w.union70, w.none, w.assignedPolice, w.revoked}
	want := map[string][]int64{
		"ward_admin": all, "chairman": all, "officer": all,
		"police": {w.police40, w.assignedPolice}, "school": {w.school50}, "school51": nil, "org": {w.union70},
	}
	for _, a := range everyone {
		key := a.Role
		if a.OrgID == 51 {
			key = "school51"
		}
		got, err := w.svc.List(context.Background(), a, Filter{})
		if a.Role == RoleViewer || a.Role == RolePublic {
			if !errors.Is(err, ErrForbidden) {
				t.Errorf("%s List: %v, want ErrForbidden", key, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s List: %v", key, err)
		}
		var gotIDs []int64
		for _, s := range got {
			gotIDs = append(gotIDs, s.ID)
		}
		slices.Sort(gotIDs)
		exp := slices.Clone(want[key])
		slices.Sort(exp)
		if !slices.Equal(gotIDs, exp) {
			t.Errorf("%s List = %v, want %v", key, gotIDs, exp)
		}
	}
	// Filters narrow, never widen, a scope.
	got, err := w.svc.List(context.Background(), school, Filter{AssigneeID: police.UserID})
	if err != nil || len(got) != 0 {
		t.Errorf("school filtering on the police's cases: %v, %v", got, err)
	}
}

// TestMethodMatrix runs every method for every role on a case referred to
// school 50, set up in the state the method needs.
func TestMethodMatrix(t *testing.T) {
	t.Parallel()
	due := at(2026, 3, 20, 0, 0)
	plain := func(c *Case) {
		c.Status, c.Assessment = StatusAssessed, &Assessment{RiskLevel: LevelMedium, At: c.ReceivedAt}
	}
	emerg := func(c *Case) {
		c.Status, c.Assessment = StatusAssessed, &Assessment{RiskLevel: LevelHigh, Emergency: true, At: c.ReceivedAt}
	}
	inStatus := func(s Status) func(*Case) {
		return func(c *Case) {
			plain(c)
			c.Status = s
			c.Plan = &Plan{Items: []PlanItem{{Task: "t", Owner: "o", Due: due}}, FirstSubmitted: c.ReceivedAt, SubmittedAt: c.ReceivedAt}
		}
	}
	ctx := context.Background()
	methods := []struct {
		name  string
		setup func(*Case)
		call  func(w *world, a Actor) error
		want  map[string]string // role key → class; missing means "forbidden"
	}{
		{"Intake", nil, func(w *world, a Actor) error {
			in := sampleIntake()
			in.Channel = ChannelWeb
			_, err := w.svc.Intake(ctx, a, in)
			return err
		}, map[string]string{"ward_admin": "ok", "chairman": "ok", "officer": "ok", "police": "ok", "school": "ok", "school51": "ok", "org": "ok", "public": "ok"}},
		{"Get", nil, func(w *world, a Actor) error { _, err := w.svc.Get(ctx, a, w.school50); return err },
			map[string]string{"ward_admin": "ok", "chairman": "ok", "officer": "ok", "police": "notfound", "school": "ok", "school51": "notfound", "org": "notfound"}},
		{"List", nil, func(w *world, a Actor) error { _, err := w.svc.List(ctx, a, Filter{}); return err },
			map[string]string{"ward_admin": "ok", "chairman": "ok", "officer": "ok", "police": "ok", "school": "ok", "school51": "ok", "org": "ok"}},
		{"Dashboard", nil, func(w *world, a Actor) error { _, err := w.svc.Dashboard(ctx, a, w.clock.Now()); return err },
			map[string]string{"ward_admin": "ok", "chairman": "ok", "officer": "ok", "police": "ok", "school": "ok", "school51": "ok", "org": "ok", "viewer": "ok"}},
		{"Assess", nil, func(w *world, a Actor) error {
			return w.svc.Assess(ctx, a, w.school50, Assessment{RiskLevel: LevelLow})
		}, caseworkers()},
		{"RecordEmergencyAction", emerg, func(w *world, a Actor) error {
			return w.svc.RecordEmergencyAction(ctx, a, w.school50, "tách trẻ tạm thời")
		}, caseworkers()},
		{"RecordNeedsAssessment", plain, func(w *world, a Actor) error {
			return w.svc.RecordNeedsAssessment(ctx, a, w.school50, NeedsAssessment{ChildViews: "em đồng ý"})
		}, caseworkers()},
		{"SubmitPlan", func(c *Case) { plain(c); c.Status = StatusNeedsAssessed }, func(w *world, a Actor) error {
			return w.svc.SubmitPlan(ctx, a, w.school50, []PlanItem{{Task: "t", Owner: "o", Due: due}}, "")
		}, caseworkers()},
		{"Approve", inStatus(StatusPlanDrafted), func(w *world, a Actor) error { return w.svc.Approve(ctx, a, w.school50, "") },
			map[string]string{"chairman": "ok"}},
		{"RejectPlan", inStatus(StatusPlanDrafted), func(w *world, a Actor) error { return w.svc.RejectPlan(ctx, a, w.school50, "thiếu") },
			map[string]string{"chairman": "ok"}},
		{"StartImplementation", inStatus(StatusPlanApproved), func(w *world, a Actor) error {
			return w.svc.StartImplementation(ctx, a, w.school50, "")
		}, caseworkers()},
		{"Review", inStatus(StatusInProgress), func(w *world, a Actor) error {
			return w.svc.Review(ctx, a, w.school50, Review{Outcome: "ổn"})
		}, caseworkers()},
		{"Close", inStatus(StatusReviewed), func(w *world, a Actor) error { return w.svc.Close(ctx, a, w.school50, "xong") }, caseworkers()},
		{"Assign", nil, func(w *world, a Actor) error { return w.svc.Assign(ctx, a, w.school50, officer.UserID) },
			map[string]string{"ward_admin": "ok"}},
		{"Refer", nil, func(w *world, a Actor) error {
			_, err := w.svc.Refer(ctx, a, w.school50, Referral{AgencyKind: AgencyPolice, OrgID: 40, ConsentRecorded: true})
			return err
		}, caseworkers()},
		{"RespondReferral accept", nil, func(w *world, a Actor) error {
			return w.svc.RespondReferral(ctx, a, w.school50, 1000+w.school50, ReferralAccepted, "")
		}, map[string]string{"police": "notfound", "school": "ok", "school51": "notfound", "org": "notfound"}},
		{"RespondReferral revoke", nil, func(w *world, a Actor) error {
			return w.svc.RespondReferral(ctx, a, w.school50, 1000+w.school50, ReferralRevoked, "")
		}, caseworkers()},
		{"Get direct by ID, not referred to me", nil, func(w *world, a Actor) error { _, err := w.svc.Get(ctx, a, w.none); return err },
			map[string]string{"ward_admin": "ok", "chairman": "ok", "officer": "ok", "police": "notfound", "school": "notfound", "school51": "notfound", "org": "notfound"}},
	}
	for _, m := range methods {
		for _, a := range everyone {
			key := a.Role
			if a.OrgID == 51 {
				key = "school51"
			}
			t.Run(fmt.Sprintf("%s/%s", m.name, key), func(t *testing.T) {
				w := newWorld(t)
				if m.setup != nil {
					w.setCase(t, w.school50, m.setup)
				}
				before, _ := w.store.GetCase(ctx, w.school50)
				err := m.call(w, a)
				want := m.want[key]
				if want == "" {
					want = "forbidden"
				}
				if got := errClass(err); got != want {
					t.Errorf("got %s (%v), want %s", got, err, want)
				}
				after, _ := w.store.GetCase(ctx, w.school50)
				if err != nil && after.Version != before.Version {
					t.Error("a refused call changed the case")
				}
			})
		}
	}
}

func caseworkers() map[string]string { return map[string]string{"ward_admin": "ok", "officer": "ok"} }

func TestRedact(t *testing.T) {
	t.Parallel()
	c := &Case{ID: 1, Sensitive: sampleIntake().Sensitive, Assessment: &Assessment{Notes: "ghi chú"},
		Steps:     []Step{{Note: "bước"}},
		Referrals: []Referral{{AgencyKind: AgencySchool, OrgID: 50, Status: ReferralPending, OverrideReason: "lý do"}, {AgencyKind: AgencyPolice, OrgID: 40, Status: ReferralAccepted}}}
	for _, tt := range []struct {
		a                                  Actor
		reporter, child, suspect, evidence bool
		notes                              bool
		referrals                          int
	}{
		{admin, true, true, true, true, true, 2},
		{officer, true, true, true, true, true, 2},
		{chairman, false, true, true, true, true, 2},
		{police, false, true, true, true, true, 2},
		{school, false, true, false, false, false, 1},
		{union, false, true, false, false, false, 0},
		{viewer, false, false, false, false, false, 0},
		{public, false, false, false, false, false, 0},
	} {
		r := Redact(tt.a, c)
		s := r.Sensitive
		check := func(what string, got, want bool) {
			if got != want {
				t.Errorf("%s sees %s = %v, want %v", tt.a.Role, what, got, want)
			}
		}
		check("reporter", s.ReporterName != "" || s.ReporterPhone != "", tt.reporter)
		check("child", s.ChildName != "" && s.Description != "", tt.child)
		check("suspect", s.SuspectName != "" || s.SuspectPhone != "" || s.SuspectProfileURL != "", tt.suspect)
		check("evidence", len(s.EvidenceLinks) > 0, tt.evidence)
		check("notes", r.Assessment != nil && r.Assessment.Notes != "" && r.Steps[0].Note != "", tt.notes)
		if len(r.Referrals) != tt.referrals {
			t.Errorf("%s sees %d referrals, want %d", tt.a.Role, len(r.Referrals), tt.referrals)
		}
		check("redacted flag", r.Redacted, tt.a.Role != RoleWardAdmin && tt.a.Role != RoleOfficer)
	}
	if c.Sensitive.ReporterName == "" || c.Assessment.Notes == "" || len(c.Referrals) != 2 {
		t.Error("Redact changed the original")
	}
	consenting := *c
	consenting.Sensitive.ReporterConsent = true
	if Redact(police, &consenting).Sensitive.ReporterName == "" {
		t.Error("police should see a reporter who consented")
	}
	if Redact(school, &consenting).Sensitive.ReporterName != "" {
		t.Error("consent to the police does not extend to schools")
	}
}

func TestReferralConsentGate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	id := w.none
	_, err := w.svc.Refer(ctx, officer, id, Referral{AgencyKind: AgencySchool, OrgID: 50})
	mustValidation(t, err, "OverrideReason")
	_, err = w.svc.Refer(ctx, officer, id, Referral{AgencyKind: AgencySchool, OrgID: 50, OverrideReason: " \n "})
	mustValidation(t, err, "OverrideReason")
	_, err = w.svc.Refer(ctx, officer, id, Referral{AgencyKind: "army", OrgID: 50, ConsentRecorded: true})
	mustValidation(t, err, "AgencyKind")
	_, err = w.svc.Refer(ctx, officer, id, Referral{AgencyKind: AgencySchool, ConsentRecorded: true})
	mustValidation(t, err, "OrgID")
	if _, err := w.svc.Get(ctx, school, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("school sees an unreferred case: %v", err)
	}

	got, err := w.svc.Refer(ctx, officer, id, Referral{AgencyKind: AgencySchool, OrgID: 50, OverrideReason: "Vì lợi ích tốt nhất của trẻ"})
	refID := got.ID
	if err != nil || refID == 0 {
		t.Fatalf("refer with override: %d, %v", refID, err)
	}
	_, err = w.svc.Refer(ctx, officer, id, Referral{AgencyKind: AgencySchool, OrgID: 50, ConsentRecorded: true})
	mustValidation(t, err, "OrgID") // already referred
	c, err := w.svc.Get(ctx, school, id)
	if err != nil {
		t.Fatalf("school cannot see the referred case: %v", err)
	}
	if c.Referrals[0].OverrideReason != "" || c.Sensitive.ReporterName != "" {
		t.Error("school sees the override reason or the reporter")
	}
	last := w.rec.events[len(w.rec.events)-1]
	if last.Kind != EventReferred || last.ToOrgID != 50 || last.ToRole != RoleSchool {
		t.Errorf("referral event %+v", last)
	}

	if err := w.svc.RespondReferral(ctx, school, id, refID, ReferralDone, ""); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("done before accepted: %v", err)
	}
	if err := w.svc.RespondReferral(ctx, school, id, refID, ReferralRevoked, ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("school revoking: %v", err)
	}
	if err := w.svc.RespondReferral(ctx, otherSchool, id, refID, ReferralAccepted, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("another school accepting: %v", err)
	}
	if err := w.svc.RespondReferral(ctx, school, id, refID, "maybe", ""); errClass(err) != "invalid" {
		t.Errorf("bogus status: %v", err)
	}
	if err := w.svc.RespondReferral(ctx, school, id, refID, ReferralAccepted, "Nhà trường tiếp nhận"); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.RespondReferral(ctx, school, id, refID, ReferralAccepted, ""); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("accepting twice: %v", err)
	}
	if err := w.svc.RespondReferral(ctx, school, id, refID, ReferralDone, "Đã hoàn thành"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Get(ctx, school, id); err != nil {
		t.Errorf("a done referral keeps access: %v", err)
	}

	// A revoked referral removes access at once.
	r2, err := w.svc.Refer(ctx, officer, id, Referral{AgencyKind: AgencyWomensUnion, OrgID: 70, ConsentRecorded: true})
	ref2 := r2.ID
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Get(ctx, union, id); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.RespondReferral(ctx, officer, id, ref2, ReferralRevoked, "chuyển nhầm"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Get(ctx, union, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("union still sees the case after revocation: %v", err)
	}
	// A rejected referral, too.
	r3, _ := w.svc.Refer(ctx, officer, id, Referral{AgencyKind: AgencyPolice, OrgID: 40, ConsentRecorded: true})
	ref3 := r3.ID
	if err := w.svc.RespondReferral(ctx, police, id, ref3, ReferralRejected, "không thuộc thẩm quyền"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Get(ctx, police, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("police still see the case after rejecting: %v", err)
	}
	st, _ := w.store.GetCase(ctx, id)
	n := 0
	for _, s := range st.Steps {
		if s.Action == ActionRefer || s.Action == ActionReferralUpdate {
			n++
		}
	}
	if n != 7 {
		t.Errorf("%d referral steps recorded, want 7", n)
	}
}
