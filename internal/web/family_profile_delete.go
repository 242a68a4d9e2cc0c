package web

import (
	"net/http"
	"strings"

	"manglanh/internal/family"
)

// familyProfileDelete deletes a child's profile with its devices (a
// parent may ask for a child's data to be deleted: Decree 56/2017 Art. 36,
// Law 91/2025) and returns to the family page, which says so.
func (s *Server) familyProfileDelete(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyFormProfile(w, r, p)
	if prof == nil {
		return
	}
	if !strings.EqualFold(strings.TrimSpace(r.PostFormValue("confirm")), strings.TrimSpace(prof.Nickname)) {
		// The confirmation names the child: a stray tap deletes nothing.
		s.renderFamilySetup(w, r, p, prof, http.StatusBadRequest, familySetupPage{Kind: "android",
			Errors: fieldErrors{"confirm": T(langOf(r), "family.delete.wrong", prof.Nickname)}})
		return
	}
	if err := s.cfg.Families.DeleteProfile(r.Context(), parentActor(r, p), prof.ID); err != nil {
		s.familyError(w, r, err)
		return
	}
	// The nickname stays out of the URL (it is the child's private
	// information, and URLs end up in histories).
	http.Redirect(w, r, "/gia-dinh?ok=deleted", http.StatusSeeOther)
}
