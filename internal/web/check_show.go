package web

import "net/http"

// checkShow shows the empty "check a message" form.
func (s *Server) checkShow(w http.ResponseWriter, r *http.Request) {
	s.renderCheck(w, r, http.StatusOK, checkPage{General: nil})
}

// renderCheck renders the check page; it is never cached, since it may
// echo a pasted message.
func (s *Server) renderCheck(w http.ResponseWriter, r *http.Request, status int, p checkPage) {
	w.Header().Set("Cache-Control", "no-store")
	p.Shots = s.shotsOn()
	s.render(w, r, status, "check", T(langOf(r), "check.title"), p)
}
