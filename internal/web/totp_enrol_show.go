package web

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"manglanh/internal/auth"
)

// enrolPage is the TOTP enrolment page's data.
type enrolPage struct {
	// Groups is the base32 key in groups of four, each shown unbroken
	// (a line may break between groups, never inside one).
	Groups []string
	// URI is the otpauth:// address. It is a template.URL because
	// html/template would otherwise replace a non-http scheme in an href
	// by "#ZgotmplZ" (the broken "Cách 2" link); it is built by the auth
	// service from the issuer, the account and the key, never from input.
	URI template.URL
	// QR is the URI as an inline SVG QR code, for the app's camera.
	QR    template.HTML
	Next  string
	Error string
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
	if !strings.HasPrefix(en.URI, "otpauth://totp/") {
		s.log.ErrorContext(r.Context(), "TOTP enrolment URI is not otpauth://totp/")
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	code, err := qrSVG(en.URI, T(langOf(r), "totp.qr.alt"))
	if err != nil {
		s.log.ErrorContext(r.Context(), "drawing TOTP QR code", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "login_enrol", T(langOf(r), "auth.enrol.title"),
		enrolPage{Groups: groupBy4(en.Secret), URI: template.URL(en.URI), QR: code, Next: next, Error: errKey})
}

// groupBy4 cuts s into groups of four characters (the last may be shorter).
func groupBy4(s string) []string {
	var out []string
	for len(s) > 4 {
		out = append(out, s[:4])
		s = s[4:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
