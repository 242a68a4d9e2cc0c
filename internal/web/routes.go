package web

import "net/http"

// routes registers every handler. Each feature adds its block here; the
// handlers live one per file.
func (s *Server) routes() {
	s.baseRoutes()
	s.handle("GET /cai-dat", s.setupShow)
	s.handle("GET /setup", s.setupShow)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "notfound")
	})
}
