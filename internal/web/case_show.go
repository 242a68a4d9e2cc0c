package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/store"
)

// caseShowPage is what case_show.html gets.
type caseShowPage struct {
	Case        *cases.Case
	Code        string
	Category    string
	Status      string
	Channel     string
	Deadlines   []deadlineView
	Steps       []stepView
	Allowed     map[string]bool
	CanRefer    bool
	CanAssign   bool
	CanEvidence bool
	CanRespond  bool // a receiving organisation's user: accept, reject, done
	Evidence    []store.Evidence
	Levels      []string
	Agencies    []string
	Errors      []string
	Today       string
}

type deadlineView struct {
	Kind    string
	Due     time.Time
	Overdue bool
	DueSoon bool
}

type stepView struct {
	At     time.Time
	Actor  string
	Action string
	To     string
	Note   string
}

// evidenceRoles may see evidence images: the roles whose redaction keeps
// the evidence links.
var evidenceRoles = []string{cases.RoleWardAdmin, cases.RoleOfficer, cases.RoleChairman, cases.RolePolice}

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
	p := caseShowPage{Case: c, Code: formatCode(c.Code), Category: T(lang, "report.cat."+c.Category),
		Status: cases.StaffStatusLabel(c.Status, lang), Channel: T(lang, "case.channel."+c.Channel),
		Allowed: map[string]bool{}, Levels: cases.Levels(), Agencies: cases.AgencyKinds(), Errors: errs,
		CanRefer:    caseWorker(u.Role) && c.Status != cases.StatusClosed,
		CanAssign:   u.Role == cases.RoleWardAdmin && c.Status != cases.StatusClosed,
		CanEvidence: slices.Contains(evidenceRoles, u.Role),
		CanRespond:  (u.Role == cases.RolePolice || u.Role == cases.RoleSchool || u.Role == cases.RoleOrg) && len(c.Referrals) > 0,
		Today:       now.In(s.cfg.Location).Format("2006-01-02")}
	for _, a := range cases.Allowed(c, u.Role) {
		p.Allowed[string(a)] = true
	}
	for _, d := range c.Deadlines(s.cfg.Cases.Calendar(), now) {
		p.Deadlines = append(p.Deadlines, deadlineView{Kind: T(lang, "case.deadline."+string(d.Kind)), Due: d.Due,
			Overdue: d.Overdue, DueSoon: d.DueSoon})
	}
	for _, st := range c.Steps {
		p.Steps = append(p.Steps, stepView{At: st.At, Actor: st.ActorName, Action: T(lang, "case.action."+string(st.Action)),
			To: cases.StaffStatusLabel(st.To, lang), Note: st.Note})
	}
	if p.CanEvidence {
		if p.Evidence, err = s.cfg.Evidence.ListEvidence(r.Context(), c.ID); err != nil {
			s.log.ErrorContext(r.Context(), "listing evidence", "case", c.ID, "err", err)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "case_show", T(lang, "case.show.title")+" "+p.Code, p)
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
