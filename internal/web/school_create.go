package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"manglanh/internal/family"
)

// schoolCreate makes the school's profile (POST /can-bo/truong/tao) or a
// class's (POST /can-bo/truong/lop), then opens it.
func (s *Server) schoolCreate(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := parseBody(w, r); err != nil {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		name, nets := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("networks")
		if len(nets) > 8000 {
			nets = nets[:8000]
		}
		var p *family.Profile
		var err error
		ctx, a := r.Context(), staffFamilyActor(r)
		if kind == "school" {
			p, err = s.cfg.Families.CreateSchool(ctx, a, family.NewSchool{Name: name, Networks: family.SplitNetworks(nets)})
		} else {
			p, err = s.cfg.Families.CreateClass(ctx, a, family.NewClass{Name: name, Networks: family.SplitNetworks(nets)})
		}
		var ve *family.ValidationError
		if errors.As(err, &ve) {
			s.renderSchool(w, r, http.StatusUnprocessableEntity, schoolPage{Form: kind, FormName: name, FormNets: nets,
				Errors: schoolFieldErrors(langOf(r), ve)})
			return
		}
		if err != nil {
			s.schoolError(w, r, err)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/can-bo/truong/ho-so/%d?ok=created#ho-so", p.ID), http.StatusSeeOther)
	}
}

// schoolFieldErrors groups a validation error's texts by form field.
func schoolFieldErrors(lang string, ve *family.ValidationError) map[string][]string {
	out := map[string][]string{}
	for _, e := range ve.Errors {
		out[e.Field] = append(out[e.Field], e.Message(lang))
	}
	return out
}
