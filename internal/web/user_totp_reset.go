package web

import "net/http"

// userTOTPReset removes the second factor of the user in the path (a lost
// phone); they set it up again at their next sign-in.
func (s *Server) userTOTPReset(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, "totpreset", func(id int64) error {
		return s.cfg.Auth.ResetTOTP(r.Context(), actorFrom(r), id)
	})
}
