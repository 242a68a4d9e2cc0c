package cases

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"
)

// Config is what NewService needs. Store, Notifier and Audit are required.
type Config struct {
	Store    Store
	Clock    func() time.Time // time.Now when nil
	Calendar *Calendar        // NewCalendar(DefaultLocation(), DefaultHolidays()) when nil
	Notifier Notifier
	Audit    Auditor
	Logger   *slog.Logger // discards when nil
	Rand     io.Reader    // crypto/rand.Reader when nil; tests may fix it
	// Directory is the organisations referrals go to; when nil, the Store
	// is used if it implements Directory. Without one, every organisation
	// id is unknown and only Tổng đài 111 can be referred to.
	Directory Directory
	// People lists the staff accounts assignees are chosen from; when nil,
	// the Store is used if it implements People. Without one, every
	// assignee id is unknown.
	People People
}

// Service is the case workflow. It is safe for concurrent use; concurrent
// changes to one case are caught by the store's version check (ErrConflict).
type Service struct {
	store    Store
	clock    func() time.Time
	cal      *Calendar
	notifier Notifier
	audit    Auditor
	log      *slog.Logger
	rand     io.Reader
	dir      Directory
	people   People
}

// NewService validates cfg and returns a Service.
func NewService(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("cases: config has no Store")
	case cfg.Notifier == nil:
		return nil, errors.New("cases: config has no Notifier")
	case cfg.Audit == nil:
		return nil, errors.New("cases: config has no Auditor: every view of a case must be logged")
	}
	s := &Service{store: cfg.Store, clock: cfg.Clock, cal: cfg.Calendar, notifier: cfg.Notifier,
		audit: cfg.Audit, log: cfg.Logger, rand: cfg.Rand, dir: cfg.Directory, people: cfg.People}
	if d, ok := cfg.Store.(Directory); ok && s.dir == nil {
		s.dir = d
	}
	if p, ok := cfg.Store.(People); ok && s.people == nil {
		s.people = p
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.cal == nil {
		s.cal = NewCalendar(DefaultLocation(), DefaultHolidays())
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	return s, nil
}

// Calendar is the service's working-day calendar.
func (s *Service) Calendar() *Calendar { return s.cal }

// checkActor refuses unknown roles and staff without a user id.
func checkActor(a Actor) error {
	if !slices.Contains(Roles(), a.Role) || (a.Role != RolePublic && a.UserID <= 0) {
		return ErrForbidden
	}
	return nil
}

// load reads case id for a: ErrNotFound when it does not exist or a's
// scope does not cover it. A denied look-up of an existing case is audited.
func (s *Service) load(ctx context.Context, a Actor, id int64) (*Case, error) {
	if id <= 0 {
		return nil, ErrNotFound
	}
	c, err := s.store.GetCase(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("loading case %d: %w", id, err)
	}
	if !CanView(a, c) {
		if err := s.audit.Record(ctx, a, "case.denied", id, ""); err != nil {
			s.log.ErrorContext(ctx, "audit failed", "case", id, "err", err)
		}
		return nil, ErrNotFound
	}
	return c, nil
}

func (s *Service) notify(ctx context.Context, e Event) {
	if e.At.IsZero() {
		e.At = s.clock()
	}
	if err := s.notifier.CaseEvent(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "case event not delivered", "kind", e.Kind, "case", e.CaseID, "err", err)
	}
}

func eventFor(c *Case, k EventKind) Event {
	return Event{Kind: k, CaseID: c.ID, Code: c.Code, Category: c.Category,
		RiskLevel: c.EffectiveRiskLevel(), Urgent: c.Urgent, TenantID: tenantID(c.TenantID)}
}

// toAssignee addresses e to c's assignee, or to the ward admins if none.
func toAssignee(c *Case, e Event) Event {
	if c.AssigneeID != 0 {
		e.ToUserID = c.AssigneeID
	} else {
		e.ToRole = RoleWardAdmin
	}
	return e
}

func step(a Actor, now time.Time, act Action, from, to Status, note string) Step {
	return Step{At: now, ActorID: a.UserID, ActorName: a.Name, ActorRole: a.Role,
		Action: act, From: from, To: to, Note: note}
}

// Intake validates and records a new report with its evidence images, in
// one step: the report is kept whole or not at all. Every role but viewer
// may report; the public only by web, QR or the API. Images are refused for
// the sexual-abuse categories. The returned case is redacted for a: the
// public gets back the code and status only.
func (s *Service) Intake(ctx context.Context, a Actor, in Intake) (*Case, error) {
	c, _, err := s.IntakeOnce(ctx, a, in)
	return c, err
}

// IntakeOnce is Intake that records a report at most once per
// in.SubmissionKey: when a case was already recorded with that key and the
// same content, it returns that case (redacted for a) and replayed true,
// and records, audits and notifies nothing. The same key with other content
// is refused with ErrSubmissionReused. Two concurrent calls with one key
// make one case: the store's unique key decides.
func (s *Service) IntakeOnce(ctx context.Context, a Actor, in Intake) (c *Case, replayed bool, err error) {
	if err := checkActor(a); err != nil {
		return nil, false, err
	}
	if a.Role == RoleViewer {
		return nil, false, ErrForbidden
	}
	now := s.clock()
	if err := in.validate(a, now); err != nil {
		return nil, false, err
	}
	c, err = s.intake(ctx, a, in, now)
	var dup *DuplicateSubmissionError
	if errors.As(err, &dup) {
		if !dup.SameContent {
			return nil, false, ErrSubmissionReused
		}
		prev, err := s.store.GetCase(ctx, dup.CaseID)
		if err != nil {
			return nil, false, fmt.Errorf("loading the case of a repeated submission: %w", err)
		}
		return Redact(a, prev), true, nil
	}
	return c, false, err
}

func (s *Service) intake(ctx context.Context, a Actor, in Intake, now time.Time) (*Case, error) {
	c := &Case{Status: StatusReceived, Urgent: in.Urgent, Category: in.Category, Channel: in.Channel,
		SourceID: in.SourceID, ReceivedAt: now, UpdatedAt: now, SchoolID: in.SchoolID,
		SuggestedCategory: in.SuggestedCategory, SuggestedLevel: in.SuggestedLevel,
		SuggestedReasons: in.SuggestedReasons, Place: in.Place, OccurredAt: in.OccurredAt,
		AgeBand: in.AgeBand, Sensitive: in.Sensitive, TenantID: s.intakeTenant(ctx, a, in)}
	if in.SubmissionKey != "" {
		c.Submission = newSubmission(in)
	}
	c.Steps = []Step{step(a, now, ActionIntake, "", StatusReceived, "")}
	var err error
	for range 5 {
		if c.Code, err = newCode(s.rand); err != nil {
			return nil, err
		}
		if err = s.store.CreateCase(ctx, c, in.Evidence); !errors.Is(err, ErrCodeTaken) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("storing new case: %w", err)
	}
	detail := c.Channel
	if n := len(in.Evidence); n > 0 {
		detail = fmt.Sprintf("%s, %d images", c.Channel, n)
	}
	if err := s.audit.Record(ctx, a, string(ActionIntake), c.ID, detail); err != nil {
		s.log.ErrorContext(ctx, "audit failed", "case", c.ID, "err", err)
	}
	s.notify(ctx, Event{Kind: EventNew, CaseID: c.ID, Code: c.Code, Category: c.Category,
		RiskLevel: c.EffectiveRiskLevel(), Urgent: c.Urgent, ToRole: RoleOfficer, At: now, TenantID: tenantID(c.TenantID)})
	if lvl := c.EffectiveRiskLevel(); c.Urgent || lvl == LevelHigh || lvl == LevelCritical {
		e := eventFor(c, EventUrgent)
		e.ToRole, e.At = RoleWardAdmin, now
		s.notify(ctx, e)
	}
	return Redact(a, c), nil
}

// SourceTenants tells the ward of a report source (a QR poster); the
// store implements it. A public report is the ward's of its source.
type SourceTenants interface {
	SourceTenant(ctx context.Context, sourceID int64) (int64, error)
}

// intakeTenant is the ward a new case belongs to: the staff member's, or
// for a public report its QR source's ward, else the default ward.
func (s *Service) intakeTenant(ctx context.Context, a Actor, in Intake) int64 {
	if a.Role != RolePublic {
		return TenantOf(a)
	}
	if st, ok := s.store.(SourceTenants); ok && in.SourceID > 0 {
		t, err := st.SourceTenant(ctx, in.SourceID)
		if err == nil && t > 0 {
			return t
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			s.log.ErrorContext(ctx, "reading the ward of a report source", "source", in.SourceID, "err", err)
		}
	}
	if a.TenantID > 0 {
		return a.TenantID
	}
	return DefaultTenant
}

// Get returns case id redacted for a, and records the view. It fails
// (returning no case) if the view cannot be recorded.
func (s *Service) Get(ctx context.Context, a Actor, id int64) (*Case, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !hasCaseScope(a.Role) {
		return nil, ErrForbidden
	}
	c, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := s.audit.Record(ctx, a, "case.view", id, ""); err != nil {
		return nil, fmt.Errorf("recording view of case %d: %w", id, err)
	}
	return Redact(a, c), nil
}

// List returns summaries (no Sensitive content) of the cases f selects
// within a's scope. Viewers and the public get ErrForbidden.
func (s *Service) List(ctx context.Context, a Actor, f Filter) ([]Summary, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !hasCaseScope(a.Role) {
		return nil, ErrForbidden
	}
	if f.Limit <= 0 || f.Limit > MaxList {
		f.Limit = MaxList
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	cs, err := s.scoped(ctx, a, f)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	out := make([]Summary, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Summary(s.cal, now))
	}
	return out, nil
}

// scoped lists the cases f selects that a may see. The scope is applied
// twice: as store filters, and again on each result.
func (s *Service) scoped(ctx context.Context, a Actor, f Filter) ([]*Case, error) {
	var queries []Filter
	switch a.Role {
	case RoleWardAdmin, RoleChairman, RoleOfficer:
		queries = []Filter{f}
	case RolePolice:
		byRef := f
		byRef.ReferredKind, byRef.ReferredOrgID = AgencyPolice, 0
		queries = []Filter{byRef}
		if f.AssigneeID == 0 || f.AssigneeID == a.UserID {
			mine := f
			mine.AssigneeID = a.UserID
			queries = append(queries, mine)
		}
	case RoleSchool:
		q := f
		q.ReferredKind, q.ReferredOrgID = AgencySchool, a.OrgID
		queries = []Filter{q}
	case RoleOrg:
		for _, k := range orgAgencies {
			q := f
			q.ReferredKind, q.ReferredOrgID = k, a.OrgID
			queries = append(queries, q)
		}
	default:
		return nil, ErrForbidden
	}
	seen := map[int64]bool{}
	var out []*Case
	for _, q := range queries {
		q.TenantID = TenantOf(a)
		cs, err := s.store.ListCases(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("listing cases: %w", err)
		}
		for _, c := range cs {
			if !seen[c.ID] && CanView(a, c) {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
	}
	if len(queries) > 1 {
		sortNewestFirst(out)
		if len(out) > f.Limit && f.Limit > 0 {
			out = out[:f.Limit]
		}
	}
	return out, nil
}

func sortNewestFirst(cs []*Case) {
	slices.SortFunc(cs, func(a, b *Case) int {
		if c := b.ReceivedAt.Compare(a.ReceivedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
}

// transition applies action to case id for a: authorises, checks the
// workflow table, lets apply fill in the action's record and return the
// note of the history step (apply may return a *ValidationError), appends
// the step, stores, and audits. The step carries the record's main text so
// the history reads on its own; Redact clears step notes with the others.
func (s *Service) transition(ctx context.Context, a Actor, id int64, act Action,
	apply func(c *Case, now time.Time) (note string, err error)) (*Case, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !roleMayEver(a.Role, act) {
		return nil, ErrForbidden
	}
	c, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	to, err := next(c, act, a.Role)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	note, err := apply(c, now)
	if err != nil {
		return nil, err
	}
	from := c.Status
	c.Status, c.UpdatedAt = to, now
	c.Steps = append(c.Steps, step(a, now, act, from, to, note))
	if err := s.store.UpdateCase(ctx, c); err != nil {
		return nil, fmt.Errorf("storing case %d after %s: %w", id, act, err)
	}
	if err := s.audit.Record(ctx, a, string(act), id, fmt.Sprintf("%s -> %s", from, to)); err != nil {
		s.log.ErrorContext(ctx, "audit failed", "case", id, "err", err)
	}
	return c, nil
}

// Assess records the initial assessment (Mẫu 02): risk level and whether
// it is an emergency. The history step carries the notes.
func (s *Service) Assess(ctx context.Context, a Actor, id int64, as Assessment) error {
	_, err := s.transition(ctx, a, id, ActionAssess, func(c *Case, now time.Time) (string, error) {
		if err := oneOf("RiskLevel", as.RiskLevel, Levels()); err != nil {
			return "", err
		}
		notes, err := cleanText("Notes", as.Notes, maxText, true)
		if err != nil {
			return "", err
		}
		c.Assessment = &Assessment{RiskLevel: as.RiskLevel, Emergency: as.Emergency, Notes: notes, At: now, ByID: a.UserID}
		c.RiskLevel = as.RiskLevel
		return notes, nil
	})
	return err
}

// RecordEmergencyAction records the emergency intervention or temporary
// separation decided after an assessment that found an emergency. The
// history step carries the action.
func (s *Service) RecordEmergencyAction(ctx context.Context, a Actor, id int64, action string) error {
	_, err := s.transition(ctx, a, id, ActionEmergency, func(c *Case, now time.Time) (string, error) {
		v, err := cleanText("Action", action, maxText, true)
		if err != nil {
			return "", err
		}
		if v == "" {
			return "", invalid("Action", "Vui lòng ghi biện pháp can thiệp khẩn cấp đã thực hiện.",
				"Please record the emergency action taken.")
		}
		c.Emergency = &EmergencyAction{Action: v, At: now, ByID: a.UserID}
		return v, nil
	})
	return err
}

// RecordNeedsAssessment records the needs assessment (Mẫu 03); the child's
// views are required. The history step carries the child's views, then
// the notes.
func (s *Service) RecordNeedsAssessment(ctx context.Context, a Actor, id int64, n NeedsAssessment) error {
	_, err := s.transition(ctx, a, id, ActionNeedsAssessment, func(c *Case, now time.Time) (string, error) {
		views, err := cleanText("ChildViews", n.ChildViews, maxText, true)
		if err != nil {
			return "", err
		}
		if views == "" {
			return "", invalid("ChildViews", "Phải ghi nhận ý kiến của trẻ.", "The child's views must be recorded.")
		}
		notes, err := cleanText("Notes", n.Notes, maxText, true)
		if err != nil {
			return "", err
		}
		c.NeedsAssessment = &NeedsAssessment{ChildViews: views, Notes: notes, At: now, ByID: a.UserID}
		return joinNotes(views, notes), nil
	})
	return err
}

// joinNotes puts a record's texts into one step note, one paragraph each,
// skipping empty ones.
func joinNotes(texts ...string) string {
	var out string
	for _, t := range texts {
		switch {
		case t == "":
		case out == "":
			out = t
		default:
			out += "\n\n" + t
		}
	}
	return out
}

// SubmitPlan submits the support plan (Mẫu 04) for the chairman's
// approval; after a rejection it resubmits. The history step carries the
// plan's notes (the tasks are in the plan itself).
func (s *Service) SubmitPlan(ctx context.Context, a Actor, id int64, items []PlanItem, notes string) error {
	c, err := s.transition(ctx, a, id, ActionSubmitPlan, func(c *Case, now time.Time) (string, error) {
		clean, err := cleanPlanItems(items, now)
		if err != nil {
			return "", err
		}
		n, err := cleanText("Notes", notes, maxText, true)
		if err != nil {
			return "", err
		}
		p := &Plan{Items: clean, Notes: n, SubmittedAt: now, SubmittedByID: a.UserID}
		if c.Plan != nil {
			p.FirstSubmitted = c.Plan.FirstSubmitted
			p.RejectedAt, p.RejectedByID, p.RejectionReason = c.Plan.RejectedAt, c.Plan.RejectedByID, c.Plan.RejectionReason
		}
		if p.FirstSubmitted.IsZero() {
			p.FirstSubmitted = now
		}
		c.Plan = p
		return n, nil
	})
	if err == nil {
		e := eventFor(c, EventApprovalNeeded)
		e.ToRole = RoleChairman
		e.Deadline, e.Due = DeadlineApproval, s.cal.AddWorkingDays(c.Plan.SubmittedAt, ApprovalWorkingDays)
		s.notify(ctx, e)
	}
	return err
}

func cleanPlanItems(items []PlanItem, now time.Time) ([]PlanItem, error) {
	if len(items) == 0 {
		return nil, invalid("Items", "Kế hoạch phải có ít nhất một nhiệm vụ.", "The plan needs at least one task.")
	}
	if len(items) > maxPlanItems {
		return nil, invalid("Items", fmt.Sprintf("Tối đa %d nhiệm vụ.", maxPlanItems), fmt.Sprintf("At most %d tasks.", maxPlanItems))
	}
	out := make([]PlanItem, len(items))
	for i, it := range items {
		f := fmt.Sprintf("Items[%d]", i)
		if err := cleanAll([]textField{{f + ".Task", &it.Task, maxText, true}, {f + ".Owner", &it.Owner, maxShort, false}}); err != nil {
			return nil, err
		}
		if it.Task == "" || it.Owner == "" {
			return nil, invalid(f, "Mỗi nhiệm vụ cần nội dung và người thực hiện.", "Each task needs a description and an owner.")
		}
		if it.Due.IsZero() || it.Due.Before(now.AddDate(0, 0, -1)) || it.Due.After(now.AddDate(5, 0, 0)) {
			return nil, invalid(f+".Due", "Thời hạn của nhiệm vụ không hợp lệ.", "Invalid task due date.")
		}
		if it.CostVND < 0 || it.CostVND > 1e12 {
			return nil, invalid(f+".CostVND", "Kinh phí không hợp lệ.", "Invalid cost.")
		}
		out[i] = it
	}
	return out, nil
}

// Approve records the chairman's approval of the submitted plan (Mẫu 05).
// The history step carries the approval note.
func (s *Service) Approve(ctx context.Context, a Actor, id int64, note string) error {
	_, err := s.transition(ctx, a, id, ActionApprove, func(c *Case, now time.Time) (string, error) {
		n, err := cleanText("Note", note, maxText, true)
		if err != nil {
			return "", err
		}
		c.Approval = &Approval{ByID: a.UserID, ByName: a.Name, At: now, Note: n}
		return n, nil
	})
	return err
}

// RejectPlan sends the submitted plan back for redrafting; the reason is
// required and the history step carries it.
func (s *Service) RejectPlan(ctx context.Context, a Actor, id int64, reason string) error {
	c, err := s.transition(ctx, a, id, ActionRejectPlan, func(c *Case, now time.Time) (string, error) {
		r, err := cleanText("Reason", reason, maxText, true)
		if err != nil {
			return "", err
		}
		if r == "" {
			return "", invalid("Reason", "Vui lòng nêu lý do không phê duyệt.", "Please give the reason for rejecting the plan.")
		}
		c.Plan.RejectedAt, c.Plan.RejectedByID, c.Plan.RejectionReason = now, a.UserID, r
		return r, nil
	})
	if err == nil {
		s.notify(ctx, toAssignee(c, eventFor(c, EventPlanRejected)))
	}
	return err
}

// StartImplementation starts carrying out the approved plan; the note is
// kept only in the history step.
func (s *Service) StartImplementation(ctx context.Context, a Actor, id int64, note string) error {
	_, err := s.transition(ctx, a, id, ActionStart, func(*Case, time.Time) (string, error) {
		return cleanText("Note", note, maxText, true)
	})
	return err
}

// Review records the review of what was done (Mẫu 06). The history step
// carries the outcome, then the notes.
func (s *Service) Review(ctx context.Context, a Actor, id int64, r Review) error {
	_, err := s.transition(ctx, a, id, ActionReview, func(c *Case, now time.Time) (string, error) {
		if err := cleanAll([]textField{{"Outcome", &r.Outcome, maxText, true}, {"Notes", &r.Notes, maxText, true}}); err != nil {
			return "", err
		}
		if r.Outcome == "" {
			return "", invalid("Outcome", "Vui lòng ghi kết quả hỗ trợ, can thiệp.", "Please record the outcome.")
		}
		c.Review = &Review{Outcome: r.Outcome, Notes: r.Notes, At: now, ByID: a.UserID}
		return joinNotes(r.Outcome, r.Notes), nil
	})
	return err
}

// Close closes a reviewed case, or an assessed one found without risk;
// the note is required and the history step carries it.
func (s *Service) Close(ctx context.Context, a Actor, id int64, note string) error {
	_, err := s.transition(ctx, a, id, ActionClose, func(c *Case, now time.Time) (string, error) {
		n, err := cleanText("Note", note, maxText, true)
		if err != nil {
			return "", err
		}
		if n == "" {
			return "", invalid("Note", "Vui lòng ghi lý do đóng hồ sơ.", "Please give the reason for closing.")
		}
		c.ClosureNote, c.ClosedAt = n, now
		return n, nil
	})
	return err
}
