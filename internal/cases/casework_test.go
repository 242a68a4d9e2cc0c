package cases

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReferUnknownOrInactiveOrgIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	for _, tc := range []struct {
		name  string
		r     Referral
		field string
	}{
		{"unknown id #99", Referral{OrgID: 99, ConsentRecorded: true}, "OrgID"},
		{"inactive", Referral{OrgID: 90, ConsentRecorded: true}, "OrgID"},
		{"kind does not match", Referral{AgencyKind: AgencyPolice, OrgID: 50, ConsentRecorded: true}, "AgencyKind"},
		{"no org", Referral{AgencyKind: AgencySchool, ConsentRecorded: true}, "OrgID"},
		{"111 with an org", Referral{AgencyKind: AgencyHotline111, OrgID: 50, ConsentRecorded: true}, "OrgID"},
	} {
		_, err := h.svc.Refer(ctx, officer, id, tc.r)
		mustValidation(t, err, tc.field)
	}
	c, _ := h.store.GetCase(ctx, id)
	if len(c.Referrals) != 0 || len(c.Steps) != 1 {
		t.Errorf("a refused referral left %d referrals, %d steps", len(c.Referrals), len(c.Steps))
	}
	var ve *ValidationError
	_, err := h.svc.Refer(ctx, officer, id, Referral{OrgID: 99, ConsentRecorded: true})
	if errors.As(err, &ve); ve == nil || !strings.Contains(ve.Vi, "#99") || !strings.Contains(ve.En, "#99") {
		t.Errorf("the refusal does not name #99: %v", err)
	}
}

func TestReferTakesKindFromDirectoryAndReportsDelivery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		r        Referral
		kind     string
		state    DeliveryState
		accounts int
		emails   int
	}{
		{"school with an account", Referral{OrgID: 50, ConsentRecorded: true}, AgencySchool, DeliveryDelivered, 1, 0},
		{"school without account", Referral{OrgID: 80, ConsentRecorded: true}, AgencySchool, DeliveryNobody, 0, 0},
		{"school with only an e-mail", Referral{OrgID: 81, ConsentRecorded: true}, AgencySchool, DeliveryEmailOnly, 0, 1},
		{"police", Referral{OrgID: 40, ConsentRecorded: true}, AgencyPolice, DeliveryDelivered, 1, 0},
		{"111", Referral{AgencyKind: AgencyHotline111, OverrideReason: "khẩn cấp"}, AgencyHotline111, DeliveryManual, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := h.newCase(t)
			got, err := h.svc.Refer(ctx, officer, id, tc.r)
			if err != nil {
				t.Fatal(err)
			}
			if got.AgencyKind != tc.kind || got.Delivery != tc.state || got.DeliveredAccounts != tc.accounts || got.DeliveredEmails != tc.emails {
				t.Errorf("referral %+v, want kind %s, %s, %d accounts, %d e-mails", got, tc.kind, tc.state, tc.accounts, tc.emails)
			}
			c, _ := h.store.GetCase(ctx, id)
			stored := c.Referrals[len(c.Referrals)-1]
			if stored.Delivery != tc.state || stored.DeliveredAccounts != tc.accounts || stored.ID != got.ID {
				t.Errorf("stored referral %+v, want state %s", stored, tc.state)
			}
			st := c.Steps[len(c.Steps)-1]
			if st.Action != ActionRefer || st.OrgID != tc.r.OrgID || st.AgencyKind != tc.kind || st.ReferralTo != ReferralPending ||
				st.Consent != tc.r.ConsentRecorded || st.Note != "" {
				t.Errorf("refer step %+v is not typed", st)
			}
		})
	}
}

func TestReferWithoutDeliveryReporterIsUnknown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	svc, err := NewService(Config{Store: h.store, Clock: h.clock.Now, Notifier: plainNotifier{}, Audit: h.rec,
		Directory: newMemDirectory(testOrgs()...)})
	if err != nil {
		t.Fatal(err)
	}
	id := h.newCase(t)
	got, err := svc.Refer(context.Background(), officer, id, Referral{OrgID: 80, ConsentRecorded: true})
	if err != nil || got.Delivery != DeliveryUnknown || got.Delivery.Received() {
		t.Errorf("referral through a plain notifier: %+v, %v; want DeliveryUnknown, never shown as received", got, err)
	}
}

type plainNotifier struct{}

func (plainNotifier) CaseEvent(context.Context, Event) error { return nil }

func TestAssignChoosesFromStaff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	for _, tc := range []struct {
		name string
		to   int64
		ok   bool
	}{
		{"unknown #99", 99, false},
		{"disabled officer", 30, false},
		{"school account", school.UserID, false},
		{"viewer", viewer.UserID, false},
		{"zero", 0, false},
		{"officer", officer.UserID, true},
		{"police", police.UserID, true},
	} {
		err := h.svc.Assign(ctx, admin, id, tc.to)
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		mustValidation(t, err, "AssigneeID")
	}
	c, _ := h.store.GetCase(ctx, id)
	if c.AssigneeID != police.UserID {
		t.Errorf("assignee %d, want %d", c.AssigneeID, police.UserID)
	}
	var typed []int64
	for _, st := range c.Steps {
		if st.Action == ActionAssign {
			typed = append(typed, st.AssigneeID)
		}
	}
	if !slices.Equal(typed, []int64{officer.UserID, police.UserID}) {
		t.Errorf("assign steps carry %v", typed)
	}
	list, err := h.svc.Assignees(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, m := range list {
		ids = append(ids, m.ID)
	}
	if !slices.Equal(ids, []int64{admin.UserID, chairman.UserID, officer.UserID, police.UserID}) {
		t.Errorf("assignees %v: want the active admin, chairman, officer and police only", ids)
	}
}

func TestDirectoryChangesAreAuditedAndChecked(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.svc.SaveOrganisation(ctx, officer, Organisation{Name: "X", Kind: AgencySchool}); !errors.Is(err, ErrForbidden) {
		t.Errorf("an officer changed the directory: %v", err)
	}
	for _, tc := range []struct {
		o     Organisation
		field string
	}{
		{Organisation{Kind: AgencySchool}, "Name"},
		{Organisation{Name: "Trường E", Kind: "army"}, "Kind"},
		{Organisation{Name: "Trường E", Kind: AgencySchool, Phone: "gọi tôi"}, "Phone"},
		{Organisation{Name: "Trường E", Kind: AgencySchool, Email: "không phải"}, "Email"},
		{Organisation{ID: 99, Name: "Trường E", Kind: AgencySchool}, "ID"},
	} {
		_, err := h.svc.SaveOrganisation(ctx, admin, tc.o)
		mustValidation(t, err, tc.field)
	}
	o, err := h.svc.SaveOrganisation(ctx, admin, Organisation{Name: " Trường THCS Phù Liễn ", Kind: AgencySchool,
		Phone: "0225 3 876 543", Email: "thcs@phulien.edu.vn", Active: true})
	if err != nil || o.ID == 0 || o.Name != "Trường THCS Phù Liễn" {
		t.Fatalf("adding: %+v, %v", o, err)
	}
	if _, err := h.svc.SetOrganisationActive(ctx, admin, o.ID, false); err != nil {
		t.Fatal(err)
	}
	id := h.newCase(t)
	_, err = h.svc.Refer(ctx, officer, id, Referral{OrgID: o.ID, ConsentRecorded: true})
	mustValidation(t, err, "OrgID")
	var actions []string
	for _, a := range h.rec.audits {
		if a.CaseID == 0 {
			actions = append(actions, a.Action)
		}
	}
	if !slices.Equal(actions, []string{"org.create", "org.deactivate"}) {
		t.Errorf("audited %v", actions)
	}
	for _, tc := range []struct {
		role string
		org  int64
		ok   bool
	}{
		{RoleSchool, 50, true}, {RoleSchool, 0, false}, {RoleSchool, 99, false}, {RoleSchool, 40, false},
		{RoleSchool, o.ID, false}, {RolePolice, 40, true}, {RolePolice, 0, true}, {RoleOrg, 70, true},
		{RoleOfficer, 50, false}, {RoleOfficer, 0, true},
	} {
		err := h.svc.CheckOrganisation(ctx, tc.role, tc.org)
		if (err == nil) != tc.ok {
			t.Errorf("CheckOrganisation(%s, %d) = %v", tc.role, tc.org, err)
		}
	}
}

func TestHandOffIsAStep(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	if _, err := h.svc.HandOff111(ctx, officer, id, []HandOffPart{PartFamily, PartChild}); err != nil {
		t.Fatal(err)
	}
	c, _ := h.store.GetCase(ctx, id)
	st := c.Steps[len(c.Steps)-1]
	if st.Action != ActionHandOff111 || st.ActorID != officer.UserID || st.At.IsZero() ||
		!slices.Equal(st.Parts, []HandOffPart{PartChild, PartFamily}) {
		t.Errorf("hand-off step %+v", st)
	}
	if Redact(school, c).Steps[len(c.Steps)-1].Parts == nil {
		t.Error("the parts are typed facts, not a note: redaction keeps them")
	}
}

func TestUpdateDetailsRecordsFieldNamesOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	d := Details{ChildCondition: "Cháu sợ hãi, không muốn đi học", LikelyHarm: "Bị dụ gặp mặt", ParentsInfo: "Bố: Nguyễn Văn C"}
	if _, err := h.svc.UpdateDetails(ctx, school, id, d); !errors.Is(err, ErrForbidden) {
		t.Errorf("a school edited Mẫu 01: %v", err)
	}
	changed, err := h.svc.UpdateDetails(ctx, officer, id, d)
	if err != nil {
		t.Fatal(err)
	}
	// ParentsInfo was already that: only two fields changed.
	if !slices.Equal(changed, []string{"child_condition", "likely_harm"}) {
		t.Errorf("changed %v", changed)
	}
	c, _ := h.store.GetCase(ctx, id)
	if c.Sensitive.ChildCondition != d.ChildCondition || c.Sensitive.LikelyHarm != d.LikelyHarm {
		t.Errorf("not stored: %+v", c.Sensitive)
	}
	st := c.Steps[len(c.Steps)-1]
	if st.Action != ActionEditDetails || !slices.Equal(st.Fields, changed) || st.Note != "" {
		t.Errorf("step %+v", st)
	}
	for _, a := range h.rec.audits {
		if strings.Contains(a.Detail, "sợ hãi") {
			t.Errorf("the audit log holds a value: %q", a.Detail)
		}
	}
	n := len(c.Steps)
	if changed, err := h.svc.UpdateDetails(ctx, officer, id, d); err != nil || changed != nil {
		t.Errorf("saving again: %v, %v", changed, err)
	}
	if c, _ := h.store.GetCase(ctx, id); len(c.Steps) != n {
		t.Error("saving unchanged details recorded a step")
	}
	_, err = h.svc.UpdateDetails(ctx, officer, id, Details{Caregiver: "a\x00b"})
	if errClass(err) != "invalid" {
		t.Errorf("a control character: %v", err)
	}
}

func TestAssessmentDefaultsNeverStartAtNoRisk(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		urgent    bool
		suggested string
		level     string
		emergency bool
	}{
		{false, "", "", false},
		{false, LevelNone, "", false},
		{false, LevelMedium, LevelMedium, false},
		{true, LevelLow, LevelHigh, true},
		{true, "", LevelHigh, true},
		{true, LevelCritical, LevelCritical, true},
	} {
		c := &Case{Urgent: tc.urgent, SuggestedLevel: tc.suggested}
		level, em := c.AssessmentDefaults()
		if level != tc.level || em != tc.emergency {
			t.Errorf("urgent %t, suggested %q: %q, %t; want %q, %t", tc.urgent, tc.suggested, level, em, tc.level, tc.emergency)
		}
		if c.UrgentUnassessed() != tc.urgent {
			t.Errorf("UrgentUnassessed = %t", c.UrgentUnassessed())
		}
	}
}

func TestCanMatchesRedaction(t *testing.T) {
	t.Parallel()
	c := &Case{Status: StatusReceived, Referrals: []Referral{{AgencyKind: AgencySchool, OrgID: 50, Status: ReferralPending}}}
	for _, tc := range []struct {
		a    Actor
		p    Permission
		want bool
	}{
		{officer, PermViewEvidence, true}, {chairman, PermViewEvidence, true}, {police, PermViewEvidence, true},
		{school, PermViewEvidence, false}, {union, PermViewRecords, false}, {viewer, PermViewRecords, false},
		{officer, PermRefer, true}, {chairman, PermRefer, false}, {admin, PermAssign, true}, {officer, PermAssign, false},
		{school, PermRespond, true}, {otherSchool, PermRespond, false}, {officer, PermRespond, false},
		{police, PermViewReporter, false}, {officer, PermViewReporter, true}, {officer, PermHandOff, true},
		{police, PermHandOff, false}, {officer, PermEditDetails, true},
	} {
		if got := Can(tc.a, c, tc.p); got != tc.want {
			t.Errorf("Can(%s, %s) = %t", tc.a.Role, tc.p, got)
		}
	}
	// Evidence is shown exactly to the roles whose redaction keeps links.
	full := &Case{Sensitive: Sensitive{EvidenceLinks: []string{"https://x.vn"}}}
	for _, a := range everyone {
		if keeps := len(Redact(a, full).Sensitive.EvidenceLinks) > 0; keeps != Can(a, full, PermViewEvidence) && a.Role != RoleViewer && a.Role != RolePublic {
			t.Errorf("%s: redaction keeps links %t, Can view evidence %t", a.Role, keeps, !keeps)
		}
	}
	closed := &Case{Status: StatusClosed}
	if Can(officer, closed, PermRefer) || Can(admin, closed, PermAssign) || Can(officer, closed, PermEditDetails) {
		t.Error("a closed case can still be referred, assigned or edited")
	}
}
