package web

import (
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/auth"
)

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	f := newUserForm{Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Role: r.PostFormValue("role"), OrgID: strings.TrimSpace(r.PostFormValue("org_id"))}
	var org int64
	if f.OrgID != "" {
		var err error
		if org, err = strconv.ParseInt(f.OrgID, 10, 64); err != nil {
			s.renderUsers(w, r, http.StatusUnprocessableEntity, usersPage{Form: f, Error: "auth.err.input"})
			return
		}
	}
	_, err := s.cfg.Auth.AddUser(r.Context(), actorFrom(r), auth.NewUser{Email: f.Email, Name: f.Name,
		Role: auth.Role(f.Role), OrgID: org, Password: r.PostFormValue("password"), MustChangePassword: true})
	if err != nil {
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "adding user", "err", err)
		}
		s.renderUsers(w, r, authStatus(err), usersPage{Form: f, Error: authErrorKey(err)})
		return
	}
	http.Redirect(w, r, "/can-bo/nguoi-dung?ok=created", http.StatusSeeOther)
}
