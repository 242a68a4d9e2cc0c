package web

import (
	"net/http"
	"strconv"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
)

// usersPage is the account list's data.
type usersPage struct {
	Users  []auth.User
	Roles  []auth.Role
	Self   int64
	Form   newUserForm
	Notice string // message key
	Error  string // message key
	// RecoveryLeft is each two-step user's count of unused recovery codes
	// (user_recovery.go).
	RecoveryLeft map[int64]int
	// Orgs is the directory, grouped by kind, for the organisation field;
	// OrgNames names each account's organisation; OrgError is beside it.
	Orgs     []optionGroup
	OrgNames map[int64]string
	OrgError string
	// Tenants is the ward chooser (tenant_users.go); nil without a choice.
	// TenantNames then names each account's ward in the list.
	Tenants     []tenantChoice
	TenantNames map[int64]string
}

// newUserForm keeps what was typed when creating an account fails (never
// the password).
type newUserForm struct {
	Email string
	Name  string
	Role  string
	OrgID string
	// TenantID is the chosen ward, as sent.
	TenantID string
}

func (s *Server) usersList(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, usersPage{Notice: okKey(r)})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, p usersPage) {
	us, err := s.cfg.Auth.ListUsers(r.Context(), actorFrom(r))
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing users", "err", err)
		s.renderError(w, r, authStatus(err), "internal")
		return
	}
	p.Users, p.Roles, p.Self = us, formRoles(actorFrom(r)), userFrom(r.Context()).ID
	p.Tenants = s.tenantChoices(r, p.Form.TenantID)
	p.TenantNames = tenantNames(p.Tenants)
	p.RecoveryLeft = s.recoveryLeft(r, us)
	p.OrgNames = map[int64]string{}
	if s.cfg.Cases != nil {
		lang := langOf(r)
		orgs, err := s.cfg.Cases.Organisations(r.Context(), actorOf(userFrom(r.Context())))
		if err != nil {
			s.log.ErrorContext(r.Context(), "reading the directory", "err", err)
		}
		for _, kind := range cases.OrgKinds() {
			g := optionGroup{Label: T(lang, "org.kind."+kind)}
			for _, o := range orgs {
				if o.Kind == kind && o.Active {
					id := strconv.FormatInt(o.ID, 10)
					g.Options = append(g.Options, option{Value: id, Label: o.Name, Selected: id == p.Form.OrgID})
				}
			}
			if len(g.Options) > 0 {
				p.Orgs = append(p.Orgs, g)
			}
		}
		for _, o := range orgs {
			p.OrgNames[o.ID] = o.Name
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "staff_users", T(langOf(r), "auth.users.title"), p)
}
