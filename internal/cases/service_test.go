package cases

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	admin       = Actor{UserID: 1, Role: RoleWardAdmin, Name: "Quản trị"}
	chairman    = Actor{UserID: 2, Role: RoleChairman, Name: "Chủ tịch"}
	officer     = Actor{UserID: 3, Role: RoleOfficer, Name: "Cán bộ"}
	police      = Actor{UserID: 4, Role: RolePolice, OrgID: 40, Name: "Công an"}
	school      = Actor{UserID: 5, Role: RoleSchool, OrgID: 50, Name: "Trường A"}
	otherSchool = Actor{UserID: 6, Role: RoleSchool, OrgID: 51, Name: "Trường B"}
	union       = Actor{UserID: 7, Role: RoleOrg, OrgID: 70, Name: "Hội LHPN"}
	viewer      = Actor{UserID: 8, Role: RoleViewer, Name: "Thống kê"}
	public      = Actor{Role: RolePublic}
)

type harness struct {
	svc   *Service
	store *memStore
	rec   *recorder
	clock *fakeClock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{store: newMemStore(), rec: &recorder{}, clock: &fakeClock{t: at(2026, 3, 6, 18, 0)}}
	svc, err := NewService(Config{Store: h.store, Clock: h.clock.Now, Calendar: NewCalendar(hcm, DefaultHolidays()),
		Notifier: h.rec, Audit: h.rec, Directory: newMemDirectory(testOrgs()...), People: testPeople()})
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	return h
}

func sampleIntake() Intake {
	return Intake{Category: CategoryGrooming, Channel: ChannelQR, SourceID: 9, Place: "Zalo", AgeBand: AgeBand11to14,
		Sensitive: Sensitive{ChildName: "Nguyễn Văn An", ChildAge: 12, ChildSchool: "THCS Phù Liễn", ChildClass: "7A",
			Description: "Một người lạ trên Zalo xin ảnh và hẹn gặp.", SuspectName: "anh Tuấn",
			SuspectProfileURL: "https://zalo.me/0900000000", EvidenceLinks: []string{"https://example.vn/a"},
			ReporterName: "Trần Thị Bình", ReporterPhone: "0912 345 678", ReporterRelation: "mẹ", ParentsInfo: "Bố: Nguyễn Văn C"}}
}

func (h *harness) newCase(t *testing.T) int64 {
	t.Helper()
	c, err := h.svc.Intake(context.Background(), public, sampleIntake())
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// setCase rewrites a stored case directly, to put it in a given state.
func (h *harness) setCase(t *testing.T, id int64, f func(c *Case)) {
	t.Helper()
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	f(h.store.cases[id])
}

func mustValidation(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a ValidationError on %s", err, field)
	}
	if ve.Field != field || ve.Vi == "" || ve.En == "" || ve.Vi == ve.En {
		t.Fatalf("validation error %+v, want field %s with Vi and En messages", ve, field)
	}
}

func TestNewServiceValidates(t *testing.T) {
	t.Parallel()
	r := &recorder{}
	for _, cfg := range []Config{{Notifier: r, Audit: r}, {Store: newMemStore(), Audit: r}, {Store: newMemStore(), Notifier: r}} {
		if _, err := NewService(cfg); err == nil {
			t.Errorf("NewService(%+v) accepted an incomplete config", cfg)
		}
	}
}

func TestFullWorkflowRecordsEverySteps(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	due := at(2026, 3, 20, 0, 0)
	steps := []struct {
		who Actor
		do  func() error
		to  Status
	}{
		{admin, func() error { return h.svc.Assign(ctx, admin, id, officer.UserID) }, StatusReceived},
		{officer, func() error {
			return h.svc.Assess(ctx, officer, id, Assessment{RiskLevel: LevelHigh, Emergency: true, Notes: "nguy cơ gặp mặt"})
		}, StatusAssessed},
		{officer, func() error {
			return h.svc.RecordEmergencyAction(ctx, officer, id, "Báo công an, gia đình đón trẻ")
		}, StatusEmergencyIntervention},
		{officer, func() error {
			return h.svc.RecordNeedsAssessment(ctx, officer, id, NeedsAssessment{ChildViews: "Em muốn được đi học bình thường"})
		}, StatusNeedsAssessed},
		{officer, func() error {
			return h.svc.SubmitPlan(ctx, officer, id, []PlanItem{{Task: "Tư vấn tâm lý", Owner: "Cán bộ", Due: due, CostVND: 500000}}, "")
		}, StatusPlanDrafted},
		{chairman, func() error { return h.svc.RejectPlan(ctx, chairman, id, "Thiếu phân công nhà trường") }, StatusPlanDrafted},
		{officer, func() error {
			return h.svc.SubmitPlan(ctx, officer, id, []PlanItem{{Task: "Tư vấn", Owner: "Cán bộ", Due: due}, {Task: "Theo dõi ở trường", Owner: "GVCN", Due: due}}, "")
		}, StatusPlanDrafted},
		{chairman, func() error { return h.svc.Approve(ctx, chairman, id, "Đồng ý") }, StatusPlanApproved},
		{officer, func() error { return h.svc.StartImplementation(ctx, officer, id, "") }, StatusInProgress},
		{officer, func() error { return h.svc.Review(ctx, officer, id, Review{Outcome: "Trẻ an toàn"}) }, StatusReviewed},
		{officer, func() error { return h.svc.Close(ctx, officer, id, "Hoàn thành") }, StatusClosed},
	}
	for i, s := range steps {
		h.clock.Add(time.Hour)
		if err := s.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		c, _ := h.store.GetCase(ctx, id)
		if c.Status != s.to {
			t.Fatalf("step %d: status %s, want %s", i, c.Status, s.to)
		}
		last := c.Steps[len(c.Steps)-1]
		if last.ActorID != s.who.UserID || last.ActorRole != s.who.Role || !last.At.Equal(h.clock.Now()) || last.To != s.to {
			t.Errorf("step %d recorded %+v", i, last)
		}
	}
	c, _ := h.store.GetCase(ctx, id)
	if len(c.Steps) != len(steps)+1 {
		t.Errorf("%d steps recorded, want %d", len(c.Steps), len(steps)+1)
	}
	if c.Plan.FirstSubmitted.Equal(c.Plan.SubmittedAt) || c.Plan.RejectionReason == "" || len(c.Plan.Items) != 2 {
		t.Errorf("plan history lost: %+v", c.Plan)
	}
	if c.ClosedAt.IsZero() || c.Approval == nil || c.Approval.ByID != chairman.UserID {
		t.Errorf("closure or approval not recorded: %+v %+v", c.ClosedAt, c.Approval)
	}
	if err := h.svc.Close(ctx, officer, id, "again"); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("closing twice: %v", err)
	}
}

func TestTransitionValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	mustValidation(t, h.svc.Assess(ctx, officer, id, Assessment{RiskLevel: "extreme"}), "RiskLevel")
	if err := h.svc.Assess(ctx, officer, id, Assessment{RiskLevel: LevelMedium}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.RecordEmergencyAction(ctx, officer, id, "x"); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("emergency action without emergency: %v", err)
	}
	mustValidation(t, h.svc.RecordNeedsAssessment(ctx, officer, id, NeedsAssessment{ChildViews: "  \n ", Notes: "họp"}), "ChildViews")
	if err := h.svc.RecordNeedsAssessment(ctx, officer, id, NeedsAssessment{ChildViews: "Em sợ"}); err != nil {
		t.Fatal(err)
	}
	mustValidation(t, h.svc.SubmitPlan(ctx, officer, id, nil, ""), "Items")
	mustValidation(t, h.svc.SubmitPlan(ctx, officer, id, []PlanItem{{Task: "x", Owner: "y", Due: h.clock.Now().AddDate(0, 0, 3), CostVND: -1}}, ""), "Items[0].CostVND")
	mustValidation(t, h.svc.SubmitPlan(ctx, officer, id, []PlanItem{{Task: "x", Owner: "", Due: h.clock.Now()}}, ""), "Items[0]")
	if err := h.svc.SubmitPlan(ctx, officer, id, []PlanItem{{Task: "x", Owner: "y", Due: h.clock.Now().AddDate(0, 0, 3)}}, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.SubmitPlan(ctx, officer, id, []PlanItem{{Task: "x", Owner: "y", Due: h.clock.Now().AddDate(0, 0, 3)}}, ""); !errors.Is(err, ErrInvalidTransition) {
		t.Errorf("resubmitting a plan awaiting approval: %v", err)
	}
	mustValidation(t, h.svc.RejectPlan(ctx, chairman, id, ""), "Reason")
	if err := h.svc.Approve(ctx, officer, id, ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("officer approving: %v", err)
	}
	c, _ := h.store.GetCase(ctx, id)
	if c.Status != StatusPlanDrafted || len(c.Steps) != 4 {
		t.Errorf("failed actions changed the case: %s, %d steps", c.Status, len(c.Steps))
	}
	// The chairman is notified of the plan awaiting approval, with its due date.
	found := false
	for _, e := range h.rec.events {
		if e.Kind == EventApprovalNeeded && e.ToRole == RoleChairman && e.Due.Equal(endOf(2026, 3, 10)) {
			found = true
		}
	}
	if !found {
		t.Errorf("no approval_needed event due 10/3: %+v", h.rec.events)
	}
}

func TestCloseWithoutRisk(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	if err := h.svc.Assess(ctx, officer, id, Assessment{RiskLevel: LevelNone}); err != nil {
		t.Fatal(err)
	}
	mustValidation(t, h.svc.Close(ctx, officer, id, ""), "Note")
	if err := h.svc.Close(ctx, officer, id, "Tin báo không có cơ sở"); err != nil {
		t.Fatal(err)
	}
}

func TestConflict(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	c, _ := h.store.GetCase(ctx, id)
	h.setCase(t, id, func(c *Case) { c.Version++ }) // someone else saved meanwhile
	c.Status = StatusAssessed
	if err := h.store.UpdateCase(ctx, c); !errors.Is(err, ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
}

func TestIntake(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	c, err := h.svc.Intake(ctx, public, sampleIntake())
	if err != nil {
		t.Fatal(err)
	}
	if c.Sensitive.ChildName != "" || c.Sensitive.ReporterPhone != "" || !c.Redacted {
		t.Errorf("public got content back: %+v", c.Sensitive)
	}
	if _, err := NormalizeCode(c.Code); err != nil || len(c.Code) != CodeLength {
		t.Errorf("bad code %q", c.Code)
	}
	stored, _ := h.store.GetCase(ctx, c.ID)
	if stored.Sensitive.ChildName != "Nguyễn Văn An" || stored.Status != StatusReceived || stored.Steps[0].Action != ActionIntake {
		t.Errorf("stored %+v", stored)
	}
	if h.rec.countAudit(string(ActionIntake), c.ID) != 1 {
		t.Error("intake not audited")
	}
	if len(h.rec.events) != 1 || h.rec.events[0].Kind != EventNew {
		t.Errorf("events %+v", h.rec.events)
	}
	for _, e := range h.rec.events {
		if strings.Contains(e.Code+e.Category, "An") {
			t.Error("event carries content")
		}
	}

	urgent := sampleIntake()
	urgent.Urgent = true
	if _, err := h.svc.Intake(ctx, public, urgent); err != nil {
		t.Fatal(err)
	}
	if last := h.rec.events[len(h.rec.events)-1]; last.Kind != EventUrgent || last.ToRole != RoleWardAdmin {
		t.Errorf("urgent report not escalated: %+v", last)
	}

	anon := sampleIntake()
	anon.Sensitive.ReporterAnonymous = true
	anon.Sensitive.ReporterConsent = true
	c, err = h.svc.Intake(ctx, officer, anon)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sensitive.ReporterName != "" || c.Sensitive.ReporterPhone != "" || c.Sensitive.ReporterConsent {
		t.Errorf("anonymous reporter kept: %+v", c.Sensitive)
	}

	bad := []struct {
		name  string
		actor Actor
		edit  func(*Intake)
		field string
	}{
		{"category", public, func(in *Intake) { in.Category = "spam" }, "Category"},
		{"public by phone", public, func(in *Intake) { in.Channel = ChannelPhone }, "Channel"},
		{"channel", officer, func(in *Intake) { in.Channel = "fax" }, "Channel"},
		{"age band", public, func(in *Intake) { in.AgeBand = "99" }, "AgeBand"},
		{"no description", public, func(in *Intake) { in.Sensitive.Description = " \t " }, "Sensitive.Description"},
		{"invalid utf-8", public, func(in *Intake) { in.Sensitive.ChildName = "An\xff" }, "Sensitive.ChildName"},
		{"control char", public, func(in *Intake) { in.Place = "Zalo\x00" }, "Place"},
		{"newline in a name", public, func(in *Intake) { in.Sensitive.ChildName = "An\nB" }, "Sensitive.ChildName"},
		{"bidi override", public, func(in *Intake) { in.Sensitive.SuspectName = "abc\u202Edef" }, "Sensitive.SuspectName"},
		{"javascript link", public, func(in *Intake) { in.Sensitive.EvidenceLinks = []string{"javascript:alert(1)"} }, "Sensitive.EvidenceLinks[0]"},
		{"data link", public, func(in *Intake) { in.Sensitive.SuspectProfileURL = "data:text/html,x" }, "Sensitive.SuspectProfileURL"},
		{"link without host", public, func(in *Intake) { in.Sensitive.EvidenceLinks = []string{"https://"} }, "Sensitive.EvidenceLinks[0]"},
		{"too many links", public, func(in *Intake) { in.Sensitive.EvidenceLinks = make([]string, maxLinks+1) }, "Sensitive.EvidenceLinks"},
		{"long narrative", public, func(in *Intake) { in.Sensitive.Description = strings.Repeat("ă", maxNarrative+1) }, "Sensitive.Description"},
		{"phone letters", public, func(in *Intake) { in.Sensitive.ReporterPhone = "09x1234567" }, "Sensitive.ReporterPhone"},
		{"age", public, func(in *Intake) { in.Sensitive.ChildAge = 18 }, "Sensitive.ChildAge"},
		{"sex", public, func(in *Intake) { in.Sensitive.ChildSex = "x" }, "Sensitive.ChildSex"},
		{"future", public, func(in *Intake) { in.OccurredAt = at(2027, 1, 1, 0, 0) }, "OccurredAt"},
		{"suggested level", public, func(in *Intake) { in.SuggestedLevel = "max" }, "SuggestedLevel"},
		{"public by alert", public, func(in *Intake) { in.Channel = ChannelAlert }, "Channel"},
		{"too many images", public, func(in *Intake) { in.Evidence = slices.Repeat([]EvidenceItem{png1x1()}, MaxEvidence+1) }, "Evidence"},
		{"image too big", public, func(in *Intake) {
			e := png1x1()
			e.Data = make([]byte, MaxEvidenceBytes+1)
			in.Evidence = []EvidenceItem{png1x1(), e}
		}, "Evidence[1]"},
		{"image type", public, func(in *Intake) {
			e := png1x1()
			e.ContentType = "image/svg+xml"
			in.Evidence = []EvidenceItem{e}
		}, "Evidence[0]"},
		{"empty image", public, func(in *Intake) { in.Evidence = []EvidenceItem{{ContentType: EvidencePNG, Width: 1, Height: 1}} }, "Evidence[0]"},
		{"image of sextortion", public, func(in *Intake) {
			in.Category = CategorySextortion
			in.Evidence = []EvidenceItem{png1x1()}
		}, "Evidence"},
		{"image of sexual content, by staff", officer, func(in *Intake) {
			in.Category = CategorySexualContent
			in.Channel = ChannelPhone
			in.Evidence = []EvidenceItem{png1x1()}
		}, "Evidence"},
	}
	before := len(h.store.cases)
	for _, b := range bad {
		in := sampleIntake()
		b.edit(&in)
		_, err := h.svc.Intake(ctx, b.actor, in)
		t.Run(b.name, func(t *testing.T) { mustValidation(t, err, b.field) })
	}
	if len(h.store.cases) != before {
		t.Error("a rejected intake was stored")
	}
	if _, err := h.svc.Intake(ctx, viewer, sampleIntake()); !errors.Is(err, ErrForbidden) {
		t.Errorf("viewer intake: %v", err)
	}
	// Windows line endings and surrounding blanks are cleaned, not rejected.
	in := sampleIntake()
	in.Sensitive.Description = "  dòng 1\r\ndòng 2  "
	c, err = h.svc.Intake(ctx, officer, in)
	if err != nil || c.Sensitive.Description != "dòng 1\ndòng 2" {
		t.Errorf("cleaning: %q, %v", c.Sensitive.Description, err)
	}
}

func png1x1() EvidenceItem {
	return EvidenceItem{ContentType: EvidencePNG, Data: []byte("\x89PNG pretend"), Width: 1, Height: 1}
}

func TestIntakeKeepsImagesWithTheReport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	in := sampleIntake()
	in.Channel = ChannelAPI
	in.Evidence = slices.Repeat([]EvidenceItem{png1x1()}, MaxEvidence)
	c, err := h.svc.Intake(ctx, public, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(h.store.evidence[c.ID]); got != MaxEvidence {
		t.Errorf("%d images stored with the case, want %d", got, MaxEvidence)
	}
	if stored, _ := h.store.GetCase(ctx, c.ID); stored.Channel != ChannelAPI {
		t.Errorf("channel %q, want api", stored.Channel)
	}
	alert := sampleIntake()
	alert.Channel = ChannelAlert
	if _, err := h.svc.Intake(ctx, officer, alert); err != nil {
		t.Errorf("staff intake from an alert: %v", err)
	}

	// A store that cannot keep the images keeps nothing, and says so.
	h.store.failEvidence = errors.New("disk full")
	before, events := len(h.store.cases), len(h.rec.events)
	in.Sensitive.Description = "lần hai"
	if _, err := h.svc.Intake(ctx, public, in); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("intake with failing images: %v", err)
	}
	if len(h.store.cases) != before || len(h.rec.events) != events {
		t.Errorf("a failed intake left %d cases (had %d) and %d events (had %d)",
			len(h.store.cases), before, len(h.rec.events), events)
	}
}

// collidingReader yields the same bytes for the first two codes.
type collidingReader struct{ n int }

func (r *collidingReader) Read(p []byte) (int, error) {
	r.n++
	for i := range p {
		if r.n <= 2 {
			p[i] = 7
		} else {
			p[i] = byte(r.n*31 + i)
		}
	}
	return len(p), nil
}

func TestIntakeRetriesCodeCollision(t *testing.T) {
	t.Parallel()
	st, rec := newMemStore(), &recorder{}
	svc, err := NewService(Config{Store: st, Notifier: rec, Audit: rec, Rand: &collidingReader{}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Intake(context.Background(), public, sampleIntake())
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.Intake(context.Background(), public, sampleIntake())
	if err != nil {
		t.Fatal(err)
	}
	if a.Code == b.Code {
		t.Errorf("duplicate code %s", a.Code)
	}
}

func TestStatusByCode(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	c, _ := h.svc.Intake(ctx, public, sampleIntake())
	messy := strings.ToLower(c.Code[:4]) + "-" + c.Code[4:]
	ps, err := h.svc.StatusByCode(ctx, messy)
	if err != nil {
		t.Fatal(err)
	}
	if ps.Code != c.Code || ps.Label("vi") != "Đã tiếp nhận" || ps.Label("en") != "Received" || ps.Closed {
		t.Errorf("status %+v", ps)
	}
	for _, code := range []string{"", "ABC", "ABCDEFGHJ", "0OIL0OIL", "ẢBCDEFGH", strings.Repeat("A", 100)} {
		if _, err := h.svc.StatusByCode(ctx, code); !errors.Is(err, ErrNotFound) {
			t.Errorf("StatusByCode(%q): %v", code, err)
		}
	}
	if _, err := h.svc.StatusByCode(ctx, "23456789"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown code: %v", err)
	}
}

func TestGetAuditsEveryView(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	id := h.newCase(t)
	for range 3 {
		if _, err := h.svc.Get(ctx, officer, id); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.rec.countAudit("case.view", id); n != 3 {
		t.Errorf("%d views logged, want 3", n)
	}
	if _, err := h.svc.Get(ctx, school, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("school: %v", err)
	}
	if n := h.rec.countAudit("case.denied", id); n != 1 {
		t.Errorf("%d denied look-ups logged, want 1", n)
	}
	h.rec.failAudit = errors.New("disk full")
	if c, err := h.svc.Get(ctx, officer, id); err == nil || c != nil {
		t.Error("a view that cannot be logged was served")
	}
}
