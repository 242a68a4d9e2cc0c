package web

import (
	"errors"
	"net/http"
	"strconv"

	"manglanh/internal/auth"
)

// userReset sets a temporary password for the user in the path.
func (s *Server) userReset(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, "reset", func(id int64) error {
		return s.cfg.Auth.ResetPassword(r.Context(), actorFrom(r), id, r.PostFormValue("password"))
	})
}

// userAction runs an account change on the user id in the path and
// redirects back to the list with ok, or shows the list with the error.
func (s *Server) userAction(w http.ResponseWriter, r *http.Request, ok string, do func(id int64) error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if err := do(id); err != nil {
		if errors.Is(err, auth.ErrNotFound) {
			s.renderError(w, r, http.StatusNotFound, "notfound")
			return
		}
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "changing user", "user", id, "err", err)
		}
		s.renderUsers(w, r, authStatus(err), usersPage{Error: authErrorKey(err)})
		return
	}
	http.Redirect(w, r, "/can-bo/nguoi-dung?ok="+ok, http.StatusSeeOther)
}
