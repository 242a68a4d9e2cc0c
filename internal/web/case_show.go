package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/store"
)

// caseShowPage is what case_show.html gets. Times are formatted here, in
// the ward's time zone, as dd/mm/yyyy HH:MM; the summary line and the
// deadline list still use the shared "datetime" template function.
type caseShowPage struct {
	Case      *cases.Case
	Code      string
	Category  string
	Status    string
	Channel   string
	Level     string // the level's label, or the urgent-unassessed label
	LevelNote string // the suggestion, when Level says urgent
	LevelCSS  string
	Deadlines []deadlineView
	Intake    []fieldView // how and when it came in, who has it now
	Records   []recordView
	Referrals []referralView
	Steps     []stepView
	Allowed   map[string]bool
	// Permissions, from cases.Can.
	ShowReporter bool
	CanRefer     bool
	CanAssign    bool
	CanEvidence  bool
	CanRespond   bool
	CanHandOff   bool
	CanDetails   bool
	Evidence     []store.Evidence
	Levels       []string
	// The assessment form's start: never "no risk" by default.
	AssessLevel     string
	AssessEmergency bool
	AssessHint      string
	PlanRows        []planRow
	Details         cases.Details
	DetailFields    []detailField
	Assignees       []option
	Assignee        string
	OrgGroups       []optionGroup
	// Flash is what the last action changed, shown in FlashSection; Warn
	// makes it an alert (a referral nobody received).
	Flash        string
	FlashWarn    bool
	FlashSection string
	// Errors are shown at the top of ErrorSection; FieldErrors beside
	// their field (by input id), which gets the focus.
	Errors       []string
	ErrorSection string
	FieldErrors  map[string]string
	ErrorForm    string
	posted       map[string]string
	Today        string
}

// Err is the error to show beside input id, or "".
func (p caseShowPage) Err(id string) string { return p.FieldErrors[id] }

// Val is what was typed in field name of form when that form failed, so
// an error does not lose the officer's text.
func (p caseShowPage) Val(form, name string) string {
	if form != p.ErrorForm {
		return ""
	}
	return p.posted[name]
}

type planRow struct {
	Index  int // 0-based, in field names
	Number int // 1-based, shown
}

type detailField struct {
	Name  string // form field and cases.DetailFields name
	ID    string
	Label string
	Value string
	Multi bool
}

type option struct {
	Value    string
	Label    string
	Selected bool
}

type optionGroup struct {
	Label   string
	Options []option
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
	Number int
	Task   string
	Owner  string
	Due    string
	Cost   string
}

type referralView struct {
	cases.Referral
	Org          string // the organisation's name
	Agency       string
	State        string
	When         string
	DeliveryText string // who received the notice
	Nobody       bool   // nobody did: the page says what to do
	Todo         string
	Phone        string // the organisation's phone, for a tel: link
	Tel          template.URL
	Details      []fieldView
}

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

// caseProblem is a failed action, for renderCase: the message, the form
// and page section it came from, and the input it concerns (when known).
type caseProblem struct {
	Message string
	Form    string // the action
	Section string
	Input   string // input id, "" when the message is for the whole form
}

// Page sections the actions return to (the #fragment of the redirect).
const (
	secActions   = "thao-tac"
	secReferrals = "chuyen-gui"
	secAssign    = "phan-cong"
	secDetails   = "mau-01"
)

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, u *SessionUser, status int, prob *caseProblem) {
	lang := langOf(r)
	a, ctx := actorOf(u), r.Context()
	c, err := s.cfg.Cases.Get(ctx, a, caseID(r))
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	now := time.Now()
	p := caseShowPage{Case: c, Code: formatCode(c.Code), Category: T(lang, "report.cat."+c.Category),
		Status: cases.StaffStatusLabel(c.Status, lang), Channel: T(lang, "case.channel."+c.Channel),
		Allowed: map[string]bool{}, Levels: cases.Levels(),
		ShowReporter: cases.Can(a, c, cases.PermViewReporter),
		CanRefer:     cases.Can(a, c, cases.PermRefer),
		CanAssign:    cases.Can(a, c, cases.PermAssign),
		CanEvidence:  cases.Can(a, c, cases.PermViewEvidence),
		CanRespond:   cases.Can(a, c, cases.PermRespond),
		CanHandOff:   cases.Can(a, c, cases.PermHandOff),
		CanDetails:   cases.Can(a, c, cases.PermEditDetails),
		FieldErrors:  map[string]string{},
		Today:        now.In(s.cfg.Location).Format("2006-01-02")}
	if prob != nil {
		p.ErrorForm, p.ErrorSection = prob.Form, prob.Section
		if prob.Input != "" {
			p.FieldErrors[prob.Input] = prob.Message
		} else {
			p.Errors = []string{prob.Message}
		}
		p.posted = map[string]string{}
		for k, v := range r.PostForm {
			if k != "csrf" && len(v) > 0 {
				p.posted[k] = v[0]
			}
		}
	}
	for _, act := range cases.Allowed(c, u.Role) {
		p.Allowed[string(act)] = true
	}
	for _, d := range c.Deadlines(s.cfg.Cases.Calendar(), now) {
		p.Deadlines = append(p.Deadlines, deadlineView{Kind: T(lang, "case.deadline."+string(d.Kind)), Due: d.Due,
			Overdue: d.Overdue, DueSoon: d.DueSoon})
	}
	v := caseViewer{lang: lang, loc: s.cfg.Location, names: map[int64]string{}, orgs: map[int64]cases.Organisation{}}
	if names, err := s.cfg.Cases.StaffNames(ctx, a); err != nil {
		s.log.ErrorContext(ctx, "listing staff names", "err", err)
	} else {
		v.names = names
	}
	for _, st := range c.Steps {
		if st.ActorID != 0 && st.ActorName != "" && v.names[st.ActorID] == "" {
			v.names[st.ActorID] = st.ActorName
		}
	}
	orgs, err := s.cfg.Cases.Organisations(ctx, a)
	if err != nil {
		s.log.ErrorContext(ctx, "reading the directory", "err", err)
	}
	for _, o := range orgs {
		v.orgs[o.ID] = o
	}
	p.triage(c, lang)
	p.assessStart(c, lang, s.cfg.Location)
	for _, st := range c.Steps {
		p.Steps = append(p.Steps, stepView{At: v.stamp(st.At), Actor: v.actor(st),
			Action: T(lang, "case.action."+string(st.Action)), To: cases.StaffStatusLabel(st.To, lang), Note: v.stepNote(st)})
	}
	p.Intake = v.intake(c)
	if cases.Can(a, c, cases.PermViewRecords) {
		p.Records = v.records(c)
	}
	p.Referrals = v.referrals(c)
	for i := range 3 {
		p.PlanRows = append(p.PlanRows, planRow{Index: i, Number: i + 1})
	}
	if p.CanDetails {
		p.Details = cases.DetailsOf(c)
		vals := []string{p.Details.ChildCondition, p.Details.LikelyHarm, p.Details.ParentsInfo, p.Details.Caregiver,
			p.Details.FamilySituation, p.Details.PriorHelp}
		for i, name := range cases.DetailFields() {
			val := vals[i]
			if p.ErrorForm == string(cases.ActionEditDetails) {
				val = p.posted[name]
			}
			p.DetailFields = append(p.DetailFields, detailField{Name: name, ID: "d_" + name,
				Label: T(lang, "case.field."+name), Value: val, Multi: name != "caregiver"})
		}
	}
	if p.CanAssign {
		p.assigneeOptions(ctx, s, a, c, v)
	}
	if c.AssigneeID != 0 {
		p.Assignee = v.who(c.AssigneeID)
	}
	if p.CanRefer {
		p.orgOptions(orgs, lang, s.orgAccounts(ctx, a))
	}
	p.flash(r, c, v)
	if p.CanEvidence {
		if p.Evidence, err = s.cfg.Evidence.ListEvidence(ctx, c.ID); err != nil {
			s.log.ErrorContext(ctx, "listing evidence", "case", c.ID, "err", err)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "case_show", T(lang, "case.show.title")+" "+p.Code, p)
}

// triage decides how the level is shown: a report marked urgent that
// nobody has assessed never shows a low level in green.
func (p *caseShowPage) triage(c *cases.Case, lang string) {
	lvl := c.EffectiveRiskLevel()
	if c.UrgentUnassessed() {
		p.Level, p.LevelCSS = T(lang, "case.triage.urgent"), "level-urgent"
		if c.SuggestedLevel != "" {
			p.LevelNote = T(lang, "case.triage.suggested", T(lang, "case.level."+c.SuggestedLevel))
		}
		return
	}
	p.Level, p.LevelCSS = T(lang, "case.level."+lvl), "level-"+lvl
	if !c.Assessed() && c.SuggestedLevel != "" {
		p.LevelNote = T(lang, "case.triage.suggested", T(lang, "case.level."+c.SuggestedLevel))
		p.Level, p.LevelCSS = T(lang, "case.show.notassessed"), "level-unassessed"
	}
}

// assessStart fills the assessment form's defaults from the suggestion and
// the urgency (cases.AssessmentDefaults), or from what was typed.
func (p *caseShowPage) assessStart(c *cases.Case, lang string, loc *time.Location) {
	p.AssessLevel, p.AssessEmergency = c.AssessmentDefaults()
	switch {
	case c.Urgent:
		p.AssessHint = T(lang, "case.assess.fromurgent", c.EmergencyDue().In(loc).Format("15:04 02/01/2006"))
	case p.AssessLevel != "":
		p.AssessHint = T(lang, "case.assess.fromsuggest")
	default:
		p.AssessHint = T(lang, "case.assess.nosuggest")
	}
	if p.ErrorForm == string(cases.ActionAssess) {
		p.AssessLevel, p.AssessEmergency = p.posted["risk_level"], p.posted["emergency"] == "yes"
	}
}

// assigneeOptions lists the active staff who may be responsible for the
// case, by name and role.
func (p *caseShowPage) assigneeOptions(ctx context.Context, s *Server, a cases.Actor, c *cases.Case, v caseViewer) {
	ms, err := s.cfg.Cases.Assignees(ctx, a)
	if err != nil {
		s.log.ErrorContext(ctx, "listing assignees", "err", err)
		return
	}
	for _, m := range ms {
		p.Assignees = append(p.Assignees, option{Value: strconv.FormatInt(m.ID, 10),
			Label: T(v.lang, "case.actor.role", m.Name, T(v.lang, "auth.role."+m.Role)), Selected: m.ID == c.AssigneeID})
	}
}

// orgAccounts counts the active accounts of each organisation, so that the
// referral list can say which organisations nobody would hear from.
func (s *Server) orgAccounts(ctx context.Context, a cases.Actor) map[int64]int {
	out := map[int64]int{}
	ms, err := s.cfg.Cases.StaffDirectory(ctx, a)
	if err != nil {
		s.log.ErrorContext(ctx, "listing staff", "err", err)
		return out
	}
	for _, m := range ms {
		if m.Active && m.OrgID != 0 {
			out[m.OrgID]++
		}
	}
	return out
}

// orgOptions groups the active organisations of the directory by kind,
// with 111 last; an organisation without an account says so.
func (p *caseShowPage) orgOptions(orgs []cases.Organisation, lang string, accounts map[int64]int) {
	chosen := p.Val(string(cases.ActionRefer), "org_id")
	for _, kind := range cases.OrgKinds() {
		g := optionGroup{Label: T(lang, "org.kind."+kind)}
		for _, o := range orgs {
			if o.Kind != kind || !o.Active {
				continue
			}
			label := o.Name
			if accounts[o.ID] == 0 {
				label += " (" + T(lang, "case.refer.noaccount") + ")"
			}
			id := strconv.FormatInt(o.ID, 10)
			g.Options = append(g.Options, option{Value: id, Label: label, Selected: id == chosen})
		}
		if len(g.Options) > 0 {
			p.OrgGroups = append(p.OrgGroups, g)
		}
	}
	p.OrgGroups = append(p.OrgGroups, optionGroup{Label: T(lang, "case.agency.hotline_111"),
		Options: []option{{Value: "111", Label: T(lang, "case.refer.111"), Selected: chosen == "111"}}})
}

// flash reads ?ok= (and ?r= for a referral) after an action's redirect and
// says what changed, from the stored case, never from the query alone.
func (p *caseShowPage) flash(r *http.Request, c *cases.Case, v caseViewer) {
	q := r.URL.Query()
	key := q.Get("ok")
	if key == "" || p.ErrorForm != "" {
		return
	}
	L := func(k string, args ...any) string { return T(v.lang, k, args...) }
	switch key {
	case "assign":
		if c.AssigneeID != 0 {
			p.Flash, p.FlashSection = L("case.ok.assign", v.who(c.AssigneeID)), secAssign
		}
	case "refer":
		id, _ := strconv.ParseInt(q.Get("r"), 10, 64)
		for _, ref := range p.Referrals {
			if ref.ID != id {
				continue
			}
			p.FlashSection = secReferrals
			switch ref.Referral.Delivery {
			case cases.DeliveryDelivered:
				p.Flash = L("case.ok.refer.delivered", ref.Org, ref.DeliveredAccounts)
			case cases.DeliveryEmailOnly:
				p.Flash, p.FlashWarn = L("case.ok.refer.email", ref.Org, ref.DeliveredEmails), true
			case cases.DeliveryNobody:
				p.Flash, p.FlashWarn = L("case.ok.refer.nobody", ref.Org), true
			case cases.DeliveryFailed:
				p.Flash, p.FlashWarn = L("case.ok.refer.failed", ref.Org), true
			case cases.DeliveryManual:
				p.Flash, p.FlashWarn = L("case.ok.refer.manual"), true
			default:
				p.Flash, p.FlashWarn = L("case.ok.refer.unknown", ref.Org), true
			}
		}
	case "referral_update":
		id, _ := strconv.ParseInt(q.Get("r"), 10, 64)
		for _, ref := range p.Referrals {
			if ref.ID == id {
				p.Flash, p.FlashSection = L("case.ok.referral_update", ref.Org, ref.State), secReferrals
			}
		}
	case "details":
		var labels []string
		for _, f := range strings.Split(q.Get("f"), ",") {
			if slices.Contains(cases.DetailFields(), f) {
				labels = append(labels, L("case.field."+f))
			}
		}
		p.FlashSection = secDetails
		if len(labels) == 0 {
			p.Flash = L("case.ok.details_none")
		} else {
			p.Flash = L("case.ok.details", strings.Join(labels, "; "))
		}
	default:
		if k := "case.ok." + key; slices.Contains(workflowActions, key) {
			p.Flash, p.FlashSection = L(k), secActions
		}
	}
}

// workflowActions are the actions whose confirmation is a fixed text.
var workflowActions = []string{string(cases.ActionAssess), string(cases.ActionEmergency), string(cases.ActionNeedsAssessment),
	string(cases.ActionSubmitPlan), string(cases.ActionApprove), string(cases.ActionRejectPlan), string(cases.ActionStart),
	string(cases.ActionReview), string(cases.ActionClose)}

// caseViewer turns a redacted case into what the case page shows, in one
// language and the ward's time zone.
type caseViewer struct {
	lang  string
	loc   *time.Location
	names map[int64]string // user id → name
	orgs  map[int64]cases.Organisation
}

// stamp formats t as dd/mm/yyyy HH:MM in the ward's time zone; zero is "".
func (v caseViewer) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.loc).Format("02/01/2006 15:04")
}

// who names user id, else shows the id.
func (v caseViewer) who(id int64) string {
	if id == 0 {
		return ""
	}
	if n := v.names[id]; n != "" {
		return n
	}
	return "#" + strconv.FormatInt(id, 10)
}

// org names organisation id of kind: its directory name, else the kind
// and the number.
func (v caseViewer) org(kind string, id int64) string {
	if o, ok := v.orgs[id]; ok && id != 0 {
		return o.Name
	}
	s := T(v.lang, "case.agency."+kind)
	if id != 0 {
		s += " #" + strconv.FormatInt(id, 10)
	}
	return s
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

// stepNote is what the history says of a step, from its typed fields in
// the page's language; steps with free text show their note.
func (v caseViewer) stepNote(st cases.Step) string {
	L := func(k string, args ...any) string { return T(v.lang, k, args...) }
	switch st.Action {
	case cases.ActionAssign:
		if st.AssigneeID != 0 {
			return L("case.hist.assignee", v.who(st.AssigneeID))
		}
	case cases.ActionRefer:
		if st.AgencyKind != "" {
			consent := L("case.hist.noconsent")
			if st.Consent {
				consent = L("case.hist.consent")
			}
			return L("case.hist.refer", v.org(st.AgencyKind, st.OrgID)) + " · " + consent
		}
	case cases.ActionReferralUpdate:
		if st.ReferralTo != "" {
			return L("case.hist.referral", v.org(st.AgencyKind, st.OrgID), L("case.refstate."+string(st.ReferralFrom)),
				L("case.refstate."+string(st.ReferralTo)))
		}
	case cases.ActionHandOff111:
		names := make([]string, len(st.Parts))
		for i, p := range st.Parts {
			names[i] = L("handoff.part." + string(p))
		}
		return L("case.hist.parts", strings.Join(names, "; "))
	case cases.ActionEditDetails:
		names := make([]string, len(st.Fields))
		for i, f := range st.Fields {
			names[i] = L("case.field." + f)
		}
		return L("case.hist.fields", strings.Join(names, "; "))
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
		fs = addField(fs, L("case.show.school"), v.org(cases.AgencySchool, c.SchoolID), "")
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
// Call it only for roles that cases.Can(PermViewRecords).
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
		for i, it := range pl.Items {
			due := ""
			if !it.Due.IsZero() {
				due = it.Due.In(v.loc).Format("02/01/2006")
			}
			rv.Items = append(rv.Items, planItemView{Number: i + 1, Task: it.Task, Owner: it.Owner, Due: due, Cost: formatVND(it.CostVND)})
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

// referrals describes each referral the redacted case still holds, with
// who received its notice and, when nobody did, what to do.
func (v caseViewer) referrals(c *cases.Case) []referralView {
	L := func(k string, args ...any) string { return T(v.lang, k, args...) }
	var out []referralView
	for _, r := range c.Referrals {
		rv := referralView{Referral: r, Org: v.org(r.AgencyKind, r.OrgID), Agency: L("case.agency." + r.AgencyKind),
			State: L("case.refstate." + string(r.Status)), When: v.stamp(r.ReferredAt)}
		if r.AgencyKind == cases.AgencyHotline111 {
			rv.Org = L("case.agency.hotline_111")
		}
		switch r.Delivery {
		case cases.DeliveryDelivered:
			rv.DeliveryText = L("case.delivery.delivered", r.DeliveredAccounts)
			if r.DeliveredEmails > 0 {
				rv.DeliveryText += " · " + L("case.delivery.email", r.DeliveredEmails)
			}
		case cases.DeliveryEmailOnly:
			rv.DeliveryText = L("case.delivery.email", r.DeliveredEmails)
		case cases.DeliveryNobody:
			rv.DeliveryText, rv.Nobody = L("case.delivery.nobody"), true
		case cases.DeliveryFailed:
			rv.DeliveryText, rv.Nobody = L("case.delivery.failed"), true
		case cases.DeliveryManual:
			rv.DeliveryText = L("case.delivery.manual")
		default:
			rv.DeliveryText = L("case.delivery.unknown")
		}
		if o, ok := v.orgs[r.OrgID]; ok && o.Phone != "" {
			rv.Phone, rv.Tel = o.Phone, telHref(o.Phone)
		}
		if rv.Nobody {
			if rv.Phone != "" {
				rv.Todo = L("case.delivery.todo", rv.Phone)
			} else {
				rv.Todo = L("case.delivery.todo.nophone")
			}
		}
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

// telHref is a tel: link for a phone number as people write it: only
// digits (and a leading +) pass, so the URL is safe to mark as such.
func telHref(phone string) template.URL {
	var b strings.Builder
	for i, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
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
	if !cases.Can(actorOf(u), nil, cases.PermViewEvidence) {
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
