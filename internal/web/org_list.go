package web

import (
	"html/template"
	"net/http"
	"strconv"

	"manglanh/internal/cases"
)

// orgPage is what org_list.html gets.
type orgPage struct {
	Orgs     []orgView
	Kinds    []string
	Form     cases.Organisation // the add form, or the failed edit
	FormID   int64              // the organisation the failed form edits; 0 for the add form
	Error    string
	ErrField string // input name the error is about
	Flash    string
	FlashID  int64
	AddForm  orgFormView
}

type orgView struct {
	cases.Organisation
	Accounts int
	Tel      template.URL
	Form     orgFormView
}

// orgFormView is one add or edit form: the values shown and, when this
// form failed, the error beside its field.
type orgFormView struct {
	Lang     string
	Org      cases.Organisation
	Kinds    []string
	Mine     bool // the failed form is this one
	Error    string
	ErrField string
}

// orgList shows the directory of organisations to a ward admin.
func (s *Server) orgList(w http.ResponseWriter, r *http.Request) {
	p := orgPage{}
	q := r.URL.Query()
	if id, _ := strconv.ParseInt(q.Get("id"), 10, 64); id > 0 {
		if o, err := s.cfg.Cases.Organisation(r.Context(), actorFrom2(r), id); err == nil {
			switch k := q.Get("ok"); k {
			case "created", "updated", "deactivated", "activated":
				p.Flash, p.FlashID = T(langOf(r), "org.ok."+k, o.Name), id
			}
		}
	}
	s.renderOrgs(w, r, http.StatusOK, p)
}

func (s *Server) renderOrgs(w http.ResponseWriter, r *http.Request, status int, p orgPage) {
	ctx, a := r.Context(), actorFrom2(r)
	orgs, err := s.cfg.Cases.Organisations(ctx, a)
	if err != nil {
		s.caseError(w, r, err)
		return
	}
	accounts := s.orgAccounts(ctx, a)
	lang := langOf(r)
	form := func(o cases.Organisation) orgFormView {
		f := orgFormView{Lang: lang, Org: o, Kinds: cases.OrgKinds()}
		if p.Error != "" && p.FormID == o.ID {
			f.Org, f.Mine, f.Error, f.ErrField = p.Form, true, p.Error, p.ErrField
		}
		return f
	}
	for _, o := range orgs {
		v := orgView{Organisation: o, Accounts: accounts[o.ID], Form: form(o)}
		if o.Phone != "" {
			v.Tel = telHref(o.Phone)
		}
		p.Orgs = append(p.Orgs, v)
	}
	p.Kinds = cases.OrgKinds()
	p.AddForm = form(cases.Organisation{Kind: cases.AgencySchool})
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "org_list", T(langOf(r), "org.title"), p)
}

// actorFrom2 is the cases actor of the signed-in user (requireRole has
// checked there is one).
func actorFrom2(r *http.Request) cases.Actor { return actorOf(userFrom(r.Context())) }
