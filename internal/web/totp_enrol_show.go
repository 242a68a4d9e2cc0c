package web

import (
	"errors"
	"net/http"
	"strings"

	"manglanh/internal/auth"
)

// enrolPage is the TOTP enrolment page's data.
type enrolPage struct {
	Secret string // base32, grouped by four for reading aloud or typing
	URI    string
	Next   string
	Error  string
}

func (s *Server) totpEnrolShow(w http.ResponseWriter, r *http.Request) {
	s.renderEnrol(w, r, http.StatusOK, safeNext(r.URL.Query().Get("next")), "")
}

// renderEnrol shows the secret of the enrolment in progress, or sends a
// browser that is not at that step where it belongs.
func (s *Server) renderEnrol(w http.ResponseWriter, r *http.Request, status int, next, errKey string) {
	if p := pendingFrom(r.Context()); p == nil || p.stage != auth.StageEnrol {
		http.Redirect(w, r, s.signInStep(r, next), http.StatusSeeOther)
		return
	}
	en, err := s.cfg.Auth.StartEnrolment(r.Context(), sessionToken(r))
	if errors.Is(err, auth.ErrNoSession) {
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "starting TOTP enrolment", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "login_enrol", T(langOf(r), "auth.enrol.title"),
		enrolPage{Secret: groupBy4(en.Secret), URI: en.URI, Next: next, Error: errKey})
}

func groupBy4(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
