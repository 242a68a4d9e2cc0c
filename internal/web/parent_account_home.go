package web

// This file is the minimal /gia-dinh home of the family engineer: it lists
// the parent's profiles and account links. The parentweb engineer's home
// (web/family_*.go) replaces it: delete this file and its template
// parent_account_home.html, and the parentHomeRoutes call in
// parent_account_routes.go, when that lands.

import (
	"net/http"

	"manglanh/internal/family"
)

type parentHomePage struct {
	Parent        *family.Parent
	Profiles      []family.Profile
	ProfileDomain string
}

func (s *Server) parentHomeRoutes() {
	s.handle("GET /gia-dinh", s.parentPage(s.parentHomeShow))
}

func (s *Server) parentHomeShow(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	ps, err := s.cfg.Families.Profiles(r.Context(), parentActor(r, p))
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing parent's profiles", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.render(w, r, http.StatusOK, "parent_account_home", T(langOf(r), "parent.home.title"),
		parentHomePage{Parent: p, Profiles: ps, ProfileDomain: s.cfg.Families.ProfileDomain()})
}
