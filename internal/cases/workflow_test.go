package cases

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// workflowFixtures are cases in every status, with the variants the guards
// look at.
func workflowFixtures() map[string]*Case {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, hcm)
	emergency := &Assessment{RiskLevel: LevelHigh, Emergency: true, At: t0}
	plain := &Assessment{RiskLevel: LevelMedium, At: t0}
	awaiting := &Plan{FirstSubmitted: t0, SubmittedAt: t0}
	rejected := &Plan{FirstSubmitted: t0, SubmittedAt: t0, RejectedAt: t0.Add(time.Hour)}
	return map[string]*Case{
		"received":           {Status: StatusReceived},
		"assessed_emergency": {Status: StatusAssessed, Assessment: emergency},
		"assessed_plain":     {Status: StatusAssessed, Assessment: plain},
		"assessed_norisk":    {Status: StatusAssessed, Assessment: &Assessment{RiskLevel: LevelNone, At: t0}},
		"emergency":          {Status: StatusEmergencyIntervention, Assessment: emergency},
		"needs_assessed":     {Status: StatusNeedsAssessed, Assessment: plain},
		"plan_awaiting":      {Status: StatusPlanDrafted, Assessment: plain, Plan: awaiting},
		"plan_rejected":      {Status: StatusPlanDrafted, Assessment: plain, Plan: rejected},
		"plan_approved":      {Status: StatusPlanApproved, Assessment: plain, Plan: awaiting},
		"in_progress":        {Status: StatusInProgress, Assessment: plain, Plan: awaiting},
		"reviewed":           {Status: StatusReviewed, Assessment: plain, Plan: awaiting},
		"closed":             {Status: StatusClosed, Assessment: plain},
	}
}

// TestWorkflowExhaustive checks every fixture × action × role against a
// table written out by hand, independently of the transitions table.
func TestWorkflowExhaustive(t *testing.T) {
	t.Parallel()
	allowed := map[string]map[Action]Status{
		"received":           {ActionAssess: StatusAssessed},
		"assessed_emergency": {ActionEmergency: StatusEmergencyIntervention},
		"assessed_plain":     {ActionNeedsAssessment: StatusNeedsAssessed},
		"assessed_norisk":    {ActionNeedsAssessment: StatusNeedsAssessed, ActionClose: StatusClosed},
		"emergency":          {ActionNeedsAssessment: StatusNeedsAssessed},
		"needs_assessed":     {ActionSubmitPlan: StatusPlanDrafted},
		"plan_awaiting":      {ActionApprove: StatusPlanApproved, ActionRejectPlan: StatusPlanDrafted},
		"plan_rejected":      {ActionSubmitPlan: StatusPlanDrafted},
		"plan_approved":      {ActionStart: StatusInProgress},
		"in_progress":        {ActionReview: StatusReviewed},
		"reviewed":           {ActionClose: StatusClosed},
		"closed":             {},
	}
	whoMay := map[Action][]string{
		ActionAssess: {RoleOfficer, RoleWardAdmin}, ActionEmergency: {RoleOfficer, RoleWardAdmin},
		ActionNeedsAssessment: {RoleOfficer, RoleWardAdmin}, ActionSubmitPlan: {RoleOfficer, RoleWardAdmin},
		ActionApprove: {RoleChairman}, ActionRejectPlan: {RoleChairman},
		ActionStart: {RoleOfficer, RoleWardAdmin}, ActionReview: {RoleOfficer, RoleWardAdmin},
		ActionClose: {RoleOfficer, RoleWardAdmin},
	}
	fixtures := workflowFixtures()
	if len(fixtures) != len(allowed) {
		t.Fatal("fixtures and expectations differ")
	}
	checked := 0
	for name, c := range fixtures {
		for act, roles := range whoMay {
			for _, role := range append(Roles(), "", "superuser") {
				got, err := next(c, act, role)
				want, ok := allowed[name][act]
				switch {
				case !slices.Contains(roles, role):
					if !errors.Is(err, ErrForbidden) {
						t.Errorf("%s/%s by %q: err %v, want ErrForbidden", name, act, role, err)
					}
				case ok:
					if err != nil || got != want {
						t.Errorf("%s/%s by %s: got %q, %v; want %q", name, act, role, got, err, want)
					}
				default:
					var te *TransitionError
					if !errors.Is(err, ErrInvalidTransition) || !errors.As(err, &te) || te.From != c.Status || te.Action != act {
						t.Errorf("%s/%s by %s: err %v, want a TransitionError", name, act, role, err)
					}
				}
				checked++
			}
		}
	}
	if checked != 12*9*10 {
		t.Errorf("checked %d combinations", checked)
	}
}

func TestAllowedAndTable(t *testing.T) {
	t.Parallel()
	f := workflowFixtures()
	if got := Allowed(f["plan_awaiting"], RoleChairman); !slices.Equal(got, []Action{ActionApprove, ActionRejectPlan}) {
		t.Errorf("chairman on awaiting plan: %v", got)
	}
	if got := Allowed(f["plan_awaiting"], RoleOfficer); len(got) != 0 {
		t.Errorf("officer on awaiting plan: %v", got)
	}
	if got := Allowed(f["assessed_norisk"], RoleOfficer); !slices.Equal(got, []Action{ActionNeedsAssessment, ActionClose}) {
		t.Errorf("officer on no-risk case: %v", got)
	}
	for _, tr := range Transitions() {
		if !tr.To.Valid() || len(tr.From) == 0 || len(tr.Roles) == 0 {
			t.Errorf("bad row %+v", tr)
		}
		if (tr.Guard == nil) != (tr.GuardText == "") {
			t.Errorf("row %s: guard and its text disagree", tr.Action)
		}
	}
	// Every status but closed has a way forward.
	for _, s := range AllStatuses() {
		found := false
		for _, tr := range Transitions() {
			found = found || (slices.Contains(tr.From, s) && tr.To != s)
		}
		if found == (s == StatusClosed) {
			t.Errorf("status %s: way forward = %v", s, found)
		}
	}
}

func TestLabels(t *testing.T) {
	t.Parallel()
	for _, s := range AllStatuses() {
		for _, lang := range []string{"vi", "en"} {
			if StatusLabel(s, lang) == "" || StaffStatusLabel(s, lang) == string(s) {
				t.Errorf("status %s has no %s label", s, lang)
			}
		}
		if StatusLabel(s, "vi") == StatusLabel(s, "en") {
			t.Errorf("status %s: Vietnamese and English labels are equal", s)
		}
	}
	if StatusLabel(StatusEmergencyIntervention, "vi") != StatusLabel(StatusAssessed, "vi") {
		t.Error("the public label must not reveal an emergency intervention")
	}
	if StatusLabel("bogus", "en") != "Unknown" {
		t.Error("unknown status label")
	}
	e := &TransitionError{Action: ActionApprove, From: StatusReceived}
	if e.Message("vi") == e.Message("en") || e.Message("en") == "" {
		t.Error("transition error messages")
	}
}
