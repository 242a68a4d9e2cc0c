package web

import "net/http"

func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", T(langOf(r), "home.title"), nil)
}
