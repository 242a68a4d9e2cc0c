package web

import (
	"context"
	"errors"
	"net/http"

	"manglanh/internal/auth"
)

func (s *Server) totpSubmit(w http.ResponseWriter, r *http.Request) {
	s.codeStep(w, r, "verifying code", s.cfg.Auth.VerifyTOTP, func(status int, next, errKey string) {
		s.renderTOTP(w, r, status, totpPage{Next: next, Error: errKey})
	})
}

func (s *Server) totpEnrolSubmit(w http.ResponseWriter, r *http.Request) {
	s.codeStep(w, r, "enrolling TOTP", s.cfg.Auth.EnrolTOTP, func(status int, next, errKey string) {
		s.renderEnrol(w, r, status, next, errKey)
	})
}

// codeStep runs the second sign-in step (verify or enrol a TOTP code): on
// success it sets the full session and goes on; on failure it shows the
// step's page again with the error.
func (s *Server) codeStep(w http.ResponseWriter, r *http.Request, what string,
	step func(ctx context.Context, token, code, ip string) (*auth.Login, error),
	again func(status int, next, errKey string)) {
	next := safeNext(r.PostFormValue("next"))
	l, err := step(r.Context(), sessionToken(r), r.PostFormValue("code"), clientIP(r).String())
	switch {
	case errors.Is(err, auth.ErrNoSession):
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
		return
	case err != nil:
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), what, "err", err)
		}
		retryAfter(w, err)
		again(authStatus(err), next, authErrorKey(err))
		return
	}
	s.setSessionCookie(w, l.Token)
	http.Redirect(w, r, afterSignIn(l, next), http.StatusSeeOther)
}
