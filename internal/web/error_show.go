package web

import "net/http"

// renderError shows a localised error page; kind is a key under "error.".
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, kind string) {
	s.render(w, r, status, "error", T(langOf(r), "error.title"), map[string]string{"Message": T(langOf(r), "error."+kind)})
}
