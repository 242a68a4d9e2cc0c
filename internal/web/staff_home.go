package web

import (
	"errors"
	"net/http"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
)

// staffHomePage is the staff home's data.
type staffHomePage struct {
	Role    auth.Role
	OrgID   int64
	IsAdmin bool
	// Parents links the parent accounts page (parent_account_approve.go).
	Parents bool
	Cases   bool // the role sees case files
	Worker  bool // may record reports
	Notice  string
	Unread  int // unread in-portal notices
	// Todo is what needs doing now, computed by the cases service; nil
	// when the role has no cases or the cases pages are off.
	Todo []todoSection
	// TodoFailed says the to-do lists could not be loaded (the page says
	// so rather than showing empty lists).
	TodoFailed bool
	// Recovery: the role signs in with a code and may make recovery codes.
	Recovery bool
	// School and WardFamilies link the school page and the ward's
	// families-and-schools figures (school_messages.go).
	School, WardFamilies bool
	// Program links the programme pages the role may open
	// (staff_program_links.go).
	Program []staffLink
}

// todoSection is one heading of the staff home's to-do lists.
type todoSection struct {
	ID    string // fragment anchor
	Title string // message key
	Empty string // message key shown when Count is 0
	Count int
	Rows  []todoRow
}

// todoRow is one case under a to-do heading: nothing from Sensitive.
type todoRow struct {
	caseRow
	Awaiting []string // agency names, localised
}

func (s *Server) staffHome(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	role := auth.Role(u.Role)
	p := staffHomePage{
		Role: role, OrgID: u.OrgID, IsAdmin: role == auth.RoleWardAdmin, Cases: role.SeesCases(), Recovery: role.NeedsTOTP(),
		Worker: role == auth.RoleWardAdmin || role == auth.RoleOfficer, Notice: okKey(r),
		Unread: s.unreadNotices(r)}
	p.Parents = s.parentsLinked(role)
	p.School, p.WardFamilies = s.schoolLinks(u)
	p.Program = s.programLinks(u.Role)
	if s.cfg.Cases != nil && p.Cases {
		todo, err := s.cfg.Cases.Todo(r.Context(), actorOf(u), time.Now())
		switch {
		case err == nil:
			p.Todo = todoSections(langOf(r), u.Role, todo)
		case errors.Is(err, cases.ErrForbidden):
		default:
			s.log.ErrorContext(r.Context(), "staff to-do lists", "err", err)
			p.TodoFailed = true
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "staff_home", T(langOf(r), "auth.staff.title"), p)
}

// todoSections orders the headings the role acts on.
func todoSections(lang, role string, t cases.Todo) []todoSection {
	type head struct {
		id string
		l  cases.TodoList
	}
	var heads []head
	switch role {
	case cases.RoleWardAdmin, cases.RoleOfficer:
		heads = []head{{"qua-han", t.Overdue}, {"den-han-hom-nay", t.DueToday}, {"khan", t.Urgent},
			{"moi", t.New}, {"chua-tiep-nhan", t.Unreceived}}
	case cases.RoleChairman:
		heads = []head{{"cho-phe-duyet", t.Approval}, {"qua-han", t.Overdue}, {"den-han-hom-nay", t.DueToday}}
	default:
		heads = []head{{"cho-tra-loi", t.Unreceived}, {"khan", t.Urgent}}
	}
	out := make([]todoSection, 0, len(heads))
	for _, h := range heads {
		sec := todoSection{ID: h.id, Title: "todo." + h.id, Empty: "todo." + h.id + ".none", Count: h.l.Count}
		for _, c := range h.l.Cases {
			row := todoRow{caseRow: caseRow{ID: c.ID, Code: formatCode(c.Code), ReceivedAt: c.ReceivedAt,
				Category: T(lang, "report.cat."+c.Category), Status: cases.StaffStatusLabel(c.Status, lang),
				RiskLevel: c.RiskLevel, Urgent: c.Urgent, Channel: T(lang, "case.channel."+c.Channel), NextDue: c.NextDue}}
			for _, d := range c.Deadlines {
				row.Overdue = row.Overdue || d.Overdue
				row.DueSoon = row.DueSoon || d.DueSoon
			}
			for _, k := range c.Awaiting {
				row.Awaiting = append(row.Awaiting, T(lang, "case.agency."+k))
			}
			sec.Rows = append(sec.Rows, row)
		}
		out = append(out, sec)
	}
	return out
}

// okKey returns the confirmation message key named by ?ok= after a
// redirect, only if it is one of ours.
func okKey(r *http.Request) string {
	k := "auth.ok." + r.URL.Query().Get("ok")
	if _, ok := messages[k]; ok && r.URL.Query().Get("ok") != "" {
		return k
	}
	return ""
}
