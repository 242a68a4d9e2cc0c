package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/store"
)

// caseShowPage is what case_show.html gets. Times are formatted here, in
// the ward's time zone, as dd/mm/yyyy HH:MM; the summary line and the
// deadline list still use the shared "datetime" template function.
type caseShowPage struct {
	Case         *cases.Case
	Code         string
	Category     string
	Status       string
	Channel      string
	Deadlines    []deadlineView
	Intake       []fieldView // how and when it came in, who has it now
	Records      []recordView
	Referrals    []referralView
	Steps        []stepView
	ShowReporter bool // the role sees the reporter's identity (cases.Redact kept it)
	Allowed      map[string]bool
	CanRefer     bool
	CanAssign    bool
	CanEvidence  bool
	CanRespond   bool // a receiving organisation's user: accept, reject, done
	CanHandOff   bool // an officer or ward admin: hand the case to 111
	Evidence     []store.Evidence
	Levels       []string
	Agencies     []string
	Errors       []string
	Today        string
}

type deadlineView struct {
	Kind    string
	Due     time.Time
	Overdue bool
	DueSoon bool
}

type stepView struct {
	At     string
	Actor  string
	Action string
	To     string
	Note   string
}

// fieldView is one labelled value of a record; Class styles the value.
type fieldView struct {
	Label string
	Text  string
	Class string
}

// recordView is one record of the workflow (Mẫu 02–06): what was written,
// when and by whom. Items is set for the support plan only.
type recordView struct {
	Title  string
	When   string
	By     string
	Fields []fieldView
	Items  []planItemView
	Total  string
}

type planItemView struct {
	Task  string
	Owner string
	Due   string
	Cost  string
}

type referralView struct {
	cases.Referral
	Agency  string
	State   string
	When    string
	Details []fieldView
}

// evidenceRoles may see evidence images: the roles whose redaction keeps
// the evidence links.
var evidenceRoles = []string{cases.RoleWardAdmin, cases.RoleOfficer, cases.RoleChairman, cases.RolePolice}

// recordRoles may read the officers' records of a case: assessments, the
// plan, the approval, the review and the closure. cases.Redact already
// clears the notes of these records for schools and unions; the plan's
// tasks and costs, the approval note and the review outcome are withheld
// here too, since they describe the family and what the ward does for it.
var recordRoles = []string{cases.RoleWardAdmin, cases.RoleOfficer, cases.RoleChairman, cases.RolePolice}

// caseID parses the {id} path value.
func caseID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// caseShow shows one case; the cases service records the view and redacts
// for the user's role.
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	s.renderCase(w, r, u, http.StatusOK, nil)
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, u *SessionUser, status int, errs []string) {
	lang := langOf(r)
	c, err := s.cfg.Cases.Get(r.Context(), actorOf(u), caseID(r))
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	now := time.Now()
	worker := caseWorker(u.Role)
	p := caseShowPage{Case: c, Code: formatCode(c.Code), Category: T(lang, "report.cat."+c.Category),
		Status: cases.StaffStatusLabel(c.Status, lang), Channel: T(lang, "case.channel."+c.Channel),
		Allowed: map[string]bool{}, Levels: cases.Levels(), Agencies: cases.AgencyKinds(), Errors: errs,
		ShowReporter: worker || (u.Role == cases.RolePolice && c.Sensitive.ReporterConsent),
		CanRefer:     worker && c.Status != cases.StatusClosed,
		CanAssign:    u.Role == cases.RoleWardAdmin && c.Status != cases.StatusClosed,
		CanEvidence:  slices.Contains(evidenceRoles, u.Role),
		CanRespond:   (u.Role == cases.RolePolice || u.Role == cases.RoleSchool || u.Role == cases.RoleOrg) && len(c.Referrals) > 0,
		CanHandOff:   worker,
		Today:        now.In(s.cfg.Location).Format("2006-01-02")}
	for _, a := range cases.Allowed(c, u.Role) {
		p.Allowed[string(a)] = true
	}
	for _, d := range c.Deadlines(s.cfg.Cases.Calendar(), now) {
		p.Deadlines = append(p.Deadlines, deadlineView{Kind: T(lang, "case.deadline."+string(d.Kind)), Due: d.Due,
			Overdue: d.Overdue, DueSoon: d.DueSoon})
	}
	v := caseViewer{lang: lang, loc: s.cfg.Location, names: map[int64]string{}}
	for _, st := range c.Steps {
		if st.ActorID != 0 && st.ActorName != "" {
			v.names[st.ActorID] = st.ActorName
		}
	}
	for _, st := range c.Steps {
		p.Steps = append(p.Steps, stepView{At: v.stamp(st.At), Actor: v.actor(st),
			Action: T(lang, "case.action."+string(st.Action)), To: cases.StaffStatusLabel(st.To, lang), Note: v.stepNote(st)})
	}
	p.Intake = v.intake(c)
	if slices.Contains(recordRoles, u.Role) {
		p.Records = v.records(c)
	}
	p.Referrals = v.referrals(c)
	if p.CanEvidence {
		if p.Evidence, err = s.cfg.Evidence.ListEvidence(r.Context(), c.ID); err != nil {
			s.log.ErrorContext(r.Context(), "listing evidence", "case", c.ID, "err", err)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "case_show", T(lang, "case.show.title")+" "+p.Code, p)
}

// caseViewer turns a redacted case into what the case page shows, in one
// language and the ward's time zone.
type caseViewer struct {
	lang  string
	loc   *time.Location
	names map[int64]string // user id → name, from the case's history
}

// stamp formats t as dd/mm/yyyy HH:MM in the ward's time zone; zero is "".
func (v caseViewer) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.loc).Format("02/01/2006 15:04")
}

// who names user id from the history, else shows the id.
func (v caseViewer) who(id int64) string {
	if id == 0 {
		return ""
	}
	if n := v.names[id]; n != "" {
		return n
	}
	return "#" + strconv.FormatInt(id, 10)
}

// when is "dd/mm/yyyy HH:MM · name" for something user id did at t.
func (v caseViewer) when(t time.Time, id int64) string {
	s := v.stamp(t)
	if by := v.who(id); by != "" {
		s += " · " + by
	}
	return s
}

// actor names who took a step. A public report has no account behind it:
// the step says so instead of leaving a blank.
func (v caseViewer) actor(st cases.Step) string {
	switch {
	case st.ActorName != "":
		return st.ActorName
	case st.ActorRole == cases.RolePublic:
		return T(v.lang, "case.actor.public")
	case st.ActorID != 0:
		return v.who(st.ActorID)
	}
	return T(v.lang, "case.actor.unknown")
}

// stepNote is what the history shows of a step's note. The cases service
// writes the notes of assignments and referrals as fixed English phrases
// (referral.go); they are read back here and said in the page's language.
// A note that does not parse is shown as written.
func (v caseViewer) stepNote(st cases.Step) string {
	var (
		id, org  int64
		kind, to string
		consent  bool
	)
	switch st.Action {
	case cases.ActionAssign:
		if _, err := fmt.Sscanf(st.Note, "assignee %d", &id); err == nil {
			return T(v.lang, "case.show.assignee") + ": " + v.who(id)
		}
	case cases.ActionRefer:
		if _, err := fmt.Sscanf(st.Note, "referred to %s %d (consent %t)", &kind, &org, &consent); err == nil {
			s := T(v.lang, "case.agency."+kind)
			if org != 0 {
				s += fmt.Sprintf(" (%d)", org)
			}
			if consent {
				s += " · " + T(v.lang, "case.show.ref.consent")
			}
			return s
		}
	case cases.ActionReferralUpdate:
		if _, err := fmt.Sscanf(st.Note, "referral %d %s -> %s", &id, &kind, &to); err == nil {
			return fmt.Sprintf("#%d → %s", id, T(v.lang, "case.referral."+to))
		}
	}
	return st.Note
}

// addField appends a field when text is not empty.
func addField(fs []fieldView, label, text, class string) []fieldView {
	if text == "" {
		return fs
	}
	return append(fs, fieldView{Label: label, Text: text, Class: class})
}

// intake lists how the case came in and where it stands, beyond the
// summary line.
func (v caseViewer) intake(c *cases.Case) []fieldView {
	L := func(k string) string { return T(v.lang, k) }
	var fs []fieldView
	fs = addField(fs, L("case.show.received"), v.stamp(c.ReceivedAt), "")
	fs = addField(fs, L("case.new.officer"), c.Sensitive.ReceivingOfficer, "")
	if c.SourceID != 0 {
		fs = addField(fs, L("case.show.source"), "#"+strconv.FormatInt(c.SourceID, 10), "")
	}
	if c.SchoolID != 0 {
		fs = addField(fs, L("case.show.schoolid"), "#"+strconv.FormatInt(c.SchoolID, 10), "")
	}
	assignee := L("case.show.unassigned")
	if c.AssigneeID != 0 {
		assignee = v.who(c.AssigneeID)
	}
	fs = addField(fs, L("case.show.assignee"), assignee, "")
	if c.SuggestedCategory != "" || c.SuggestedLevel != "" {
		sug := ""
		if c.SuggestedCategory != "" {
			sug = L("report.cat." + c.SuggestedCategory)
		}
		if c.SuggestedLevel != "" {
			if sug != "" {
				sug += ", "
			}
			sug += L("case.level." + c.SuggestedLevel)
		}
		if c.SuggestedReasons != "" {
			sug += "\n" + c.SuggestedReasons
		}
		fs = addField(fs, L("case.show.suggested"), sug, "")
	}
	fs = addField(fs, L("case.show.updated"), v.stamp(c.UpdatedAt), "")
	fs = addField(fs, L("case.show.closed"), v.stamp(c.ClosedAt), "")
	return fs
}

// records lists the workflow's records in order: initial assessment,
// emergency action, needs assessment, plan, approval, review, closure.
// Call it only for recordRoles.
func (v caseViewer) records(c *cases.Case) []recordView {
	L := func(k string) string { return T(v.lang, k) }
	var out []recordView
	if a := c.Assessment; a != nil {
		fs := []fieldView{{Label: L("case.field.risk"), Text: L("case.level." + a.RiskLevel), Class: "level-" + a.RiskLevel}}
		if a.Emergency {
			fs = addField(fs, L("case.show.emergency"), L("case.field.emergency"), "level-critical")
		}
		fs = addField(fs, L("case.field.notes"), a.Notes, "")
		out = append(out, recordView{Title: L("case.show.assessment"), When: v.stamp(a.At), By: v.who(a.ByID), Fields: fs})
	}
	if e := c.Emergency; e != nil {
		out = append(out, recordView{Title: L("case.show.emergency"), When: v.stamp(e.At), By: v.who(e.ByID),
			Fields: addField(nil, L("case.field.action"), e.Action, "")})
	}
	if n := c.NeedsAssessment; n != nil {
		fs := addField(nil, L("case.show.views"), n.ChildViews, "")
		fs = addField(fs, L("case.field.notes"), n.Notes, "")
		out = append(out, recordView{Title: L("case.show.needs"), When: v.stamp(n.At), By: v.who(n.ByID), Fields: fs})
	}
	if pl := c.Plan; pl != nil {
		rv := recordView{Title: L("case.show.plan"), When: v.stamp(pl.SubmittedAt), By: v.who(pl.SubmittedByID),
			Total: formatVND(pl.TotalCostVND())}
		for _, it := range pl.Items {
			due := ""
			if !it.Due.IsZero() {
				due = it.Due.In(v.loc).Format("02/01/2006")
			}
			rv.Items = append(rv.Items, planItemView{Task: it.Task, Owner: it.Owner, Due: due, Cost: formatVND(it.CostVND)})
		}
		rv.Fields = addField(rv.Fields, L("case.field.notes"), pl.Notes, "")
		if !pl.FirstSubmitted.Equal(pl.SubmittedAt) {
			rv.Fields = addField(rv.Fields, L("case.show.plan.first"), v.stamp(pl.FirstSubmitted), "")
		}
		if pl.AwaitingApproval() && c.Status == cases.StatusPlanDrafted {
			rv.Fields = addField(rv.Fields, L("case.col.status"), L("case.show.plan.awaiting"), "")
		}
		if pl.RejectionReason != "" {
			rv.Fields = addField(rv.Fields, L("case.show.plan.rejected"), v.when(pl.RejectedAt, pl.RejectedByID), "")
			rv.Fields = addField(rv.Fields, L("case.show.plan.reason"), pl.RejectionReason, "warn")
		}
		out = append(out, rv)
	}
	if a := c.Approval; a != nil {
		by := a.ByName
		if by == "" {
			by = v.who(a.ByID)
		}
		out = append(out, recordView{Title: L("case.show.approval"), When: v.stamp(a.At), By: by,
			Fields: addField(nil, L("case.field.note"), a.Note, "")})
	}
	if rw := c.Review; rw != nil {
		fs := addField(nil, L("case.field.outcome"), rw.Outcome, "")
		fs = addField(fs, L("case.field.notes"), rw.Notes, "")
		out = append(out, recordView{Title: L("case.show.review"), When: v.stamp(rw.At), By: v.who(rw.ByID), Fields: fs})
	}
	if c.ClosureNote != "" || !c.ClosedAt.IsZero() {
		rv := recordView{Title: L("case.show.closure"), When: v.stamp(c.ClosedAt),
			Fields: addField(nil, L("case.show.closenote"), c.ClosureNote, "")}
		for i := len(c.Steps) - 1; i >= 0; i-- {
			if c.Steps[i].Action == cases.ActionClose {
				rv.By = v.actor(c.Steps[i])
				break
			}
		}
		out = append(out, rv)
	}
	return out
}

// referrals describes each referral the redacted case still holds.
func (v caseViewer) referrals(c *cases.Case) []referralView {
	L := func(k string) string { return T(v.lang, k) }
	var out []referralView
	for _, r := range c.Referrals {
		rv := referralView{Referral: r, Agency: L("case.agency." + r.AgencyKind),
			State: L("case.referral." + string(r.Status)), When: v.stamp(r.ReferredAt)}
		rv.Details = addField(rv.Details, L("case.show.by"), v.who(r.ReferredByID), "")
		if r.ConsentRecorded {
			rv.Details = addField(rv.Details, L("case.show.ref.consent"), L("export.yes"), "")
		}
		rv.Details = addField(rv.Details, L("case.show.ref.override"), r.OverrideReason, "warn")
		rv.Details = addField(rv.Details, L("case.field.note"), r.Note, "")
		if !r.RespondedAt.IsZero() {
			rv.Details = addField(rv.Details, L("case.show.ref.response"), v.when(r.RespondedAt, r.RespondedByID), "")
		}
		rv.Details = addField(rv.Details, L("case.show.ref.responsenote"), r.ResponseNote, "")
		if !r.RevokedAt.IsZero() {
			rv.Details = addField(rv.Details, L("case.show.ref.revoked"), v.when(r.RevokedAt, r.RevokedByID), "")
		}
		out = append(out, rv)
	}
	return out
}

// caseError answers a cases service error: not found (or out of scope) is
// 404, a refused role 403, a concurrent change 409, anything else 500.
func (s *Server) caseError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, cases.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
	case errors.Is(err, cases.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
	default:
		s.log.ErrorContext(r.Context(), "case page", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}

// caseEvidenceShow serves one evidence image to a role that may see
// evidence, after the cases service has authorised and logged the view.
func (s *Server) caseEvidenceShow(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if !slices.Contains(evidenceRoles, u.Role) {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	c, err := s.cfg.Cases.Get(r.Context(), actorOf(u), caseID(r))
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	eid, _ := strconv.ParseInt(r.PathValue("eid"), 10, 64)
	e, data, err := s.cfg.Evidence.OpenEvidence(r.Context(), c.ID, eid)
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", "inline")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Write(data)
}
