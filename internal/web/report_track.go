package web

import (
	"errors"
	"net/http"
	"strings"

	"manglanh/internal/cases"
)

// trackPage is what report_track.html gets. Only a status label, never
// content.
type trackPage struct {
	Code    string
	Asked   bool
	Found   bool
	Label   string
	Unknown bool
}

// reportTrack answers /tra-cuu?code=…: the public status label of that
// report. Unknown and malformed codes get one and the same answer; look-ups
// are rate-limited per client network so codes cannot be guessed.
func (s *Server) reportTrack(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	code := strings.ToValidUTF8(r.URL.Query().Get("code"), "")
	if len(code) > 64 {
		code = code[:64]
	}
	p := trackPage{Code: code}
	w.Header().Set("Cache-Control", "no-store")
	if strings.TrimSpace(code) != "" {
		if ok, wait := s.reports.lookup.allow(clientIP(r)); !ok {
			s.tooMany(w, r, wait)
			return
		}
		p.Asked = true
		st, err := s.cfg.Cases.StatusByCode(r.Context(), code)
		switch {
		case err == nil:
			p.Found, p.Label, p.Code = true, st.Label(lang), formatCode(st.Code)
		case errors.Is(err, cases.ErrNotFound):
			p.Unknown = true
		default:
			s.log.ErrorContext(r.Context(), "tracking look-up", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
	}
	s.render(w, r, http.StatusOK, "report_track", T(lang, "track.title"), p)
}
