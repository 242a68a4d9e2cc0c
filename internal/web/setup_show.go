package web

import "net/http"

func (s *Server) setupShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "setup", T(langOf(r), "nav.setup"), map[string]string{"DNS": s.cfg.DNSAddress, "Domain": s.cfg.ProfileDomain})
}
