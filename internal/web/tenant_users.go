package web

import (
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/auth"
	"manglanh/internal/program"
)

// tenantChoice is one ward of the account form's ward chooser.
type tenantChoice struct {
	ID       int64
	Name     string
	Selected bool
}

// tenantChoices are the wards an admin may create accounts in, when there
// is a choice: the CLI's and the deployment's own admin's, with more than
// one tenant. A ward's admin creates accounts in their own ward (nil).
func (s *Server) tenantChoices(r *http.Request, selected string) []tenantChoice {
	if s.cfg.Program == nil || !actorFrom(r).ChoosesTenant() {
		return nil
	}
	ts, err := s.cfg.Program.Tenants(r.Context(), programActor(userFrom(r.Context())))
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing tenants for the account form", "err", err)
		return nil
	}
	if len(ts) < 2 {
		return nil
	}
	out := make([]tenantChoice, 0, len(ts))
	for _, t := range ts {
		id := strconv.FormatInt(t.ID, 10)
		name := t.Name
		if name == "" {
			name = t.Code
		}
		out = append(out, tenantChoice{ID: t.ID, Name: name, Selected: id == selected ||
			selected == "" && t.ID == program.DefaultTenant})
	}
	return out
}

// formRoles are the roles the account form offers: the city role only to
// an admin who chooses the ward.
func formRoles(a auth.Actor) []auth.Role {
	out := make([]auth.Role, 0, len(auth.Roles))
	for _, role := range auth.Roles {
		if role != auth.RoleCity || a.ChoosesTenant() {
			out = append(out, role)
		}
	}
	return out
}

// formTenant reads the ward chooser: 0 (the actor's own) when absent; -1
// when it is not a number, which AddUser refuses.
func formTenant(r *http.Request) int64 {
	v := strings.TrimSpace(r.PostFormValue("tenant_id"))
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return -1
	}
	return id
}

// tenantChosen reports whether ward id (0: the actor's own) is one the
// form offered.
func (s *Server) tenantChosen(r *http.Request, id int64) bool {
	if id == 0 {
		return true
	}
	for _, c := range s.tenantChoices(r, "") {
		if c.ID == id {
			return true
		}
	}
	return false
}

// tenantNames names the wards of the chooser by id (nil without one).
func tenantNames(cs []tenantChoice) map[int64]string {
	if len(cs) == 0 {
		return nil
	}
	m := make(map[int64]string, len(cs))
	for _, c := range cs {
		m[c.ID] = c.Name
	}
	return m
}
