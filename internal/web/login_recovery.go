package web

import "net/http"

// totpRecoverySubmit finishes the code step with a recovery code instead
// of a TOTP code (a lost phone). A refused code is shown beside the
// recovery field, with the focus on it.
func (s *Server) totpRecoverySubmit(w http.ResponseWriter, r *http.Request) {
	s.codeStep(w, r, "verifying recovery code", s.cfg.Auth.VerifyRecoveryCode, func(status int, next, errKey string) {
		if errKey == "auth.err.code" {
			errKey = "recovery.err.code"
		}
		s.renderTOTP(w, r, status, totpPage{Next: next, RecoveryError: errKey})
	})
}
