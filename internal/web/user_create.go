package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
)

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	f := newUserForm{Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Role: r.PostFormValue("role"), OrgID: strings.TrimSpace(r.PostFormValue("org_id")), TenantID: r.PostFormValue("tenant_id")}
	var org int64
	if f.OrgID != "" {
		var err error
		if org, err = strconv.ParseInt(f.OrgID, 10, 64); err != nil {
			s.renderUsers(w, r, http.StatusUnprocessableEntity, usersPage{Form: f, Error: "auth.err.input"})
			return
		}
	}
	// The organisation is chosen from the directory; an id not in it (or
	// of the wrong kind for the role) is refused before the account exists.
	if s.cfg.Cases != nil {
		if err := s.cfg.Cases.CheckOrganisation(r.Context(), f.Role, org); err != nil {
			var ve *cases.ValidationError
			if !errors.As(err, &ve) {
				s.log.ErrorContext(r.Context(), "checking organisation", "err", err)
				s.renderError(w, r, http.StatusInternalServerError, "internal")
				return
			}
			s.renderUsers(w, r, http.StatusUnprocessableEntity, usersPage{Form: f, OrgError: ve.Message(langOf(r))})
			return
		}
	}
	tenant := formTenant(r)
	if !s.tenantChosen(r, tenant) {
		s.renderUsers(w, r, http.StatusUnprocessableEntity, usersPage{Form: f, Error: "tenant.err"})
		return
	}
	_, err := s.cfg.Auth.AddUser(r.Context(), actorFrom(r), auth.NewUser{Email: f.Email, Name: f.Name,
		Role: auth.Role(f.Role), OrgID: org, TenantID: tenant, Password: r.PostFormValue("password"), MustChangePassword: true})
	if err != nil {
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "adding user", "err", err)
		}
		s.renderUsers(w, r, authStatus(err), usersPage{Form: f, Error: authErrorKey(err)})
		return
	}
	http.Redirect(w, r, "/can-bo/nguoi-dung?ok=created", http.StatusSeeOther)
}
