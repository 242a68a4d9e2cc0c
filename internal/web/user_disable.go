package web

import "net/http"

// userDisable disables (disabled=1) or re-enables (disabled=0) the user in
// the path.
func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) {
	disable := r.PostFormValue("disabled") == "1"
	ok := "enabled"
	if disable {
		ok = "disabled"
	}
	s.userAction(w, r, ok, func(id int64) error {
		return s.cfg.Auth.DisableUser(r.Context(), actorFrom(r), id, disable)
	})
}
