package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/cases"
)

// orgSave adds an organisation (no id) or saves one (id), then returns to
// it in the list.
func (s *Server) orgSave(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	o := cases.Organisation{Name: v("name"), Kind: v("kind"), Phone: v("phone"), Email: v("email"),
		Address: v("address"), Contact: v("contact"), Active: true}
	if id := v("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		o.ID = n
		o.Active = v("active") != "0"
	}
	saved, err := s.cfg.Cases.SaveOrganisation(r.Context(), actorFrom2(r), o)
	if err != nil {
		s.orgError(w, r, o, err)
		return
	}
	k := "updated"
	if o.ID == 0 {
		k = "created"
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/to-chuc?ok=%s&id=%d#org-%d", k, saved.ID, saved.ID), http.StatusSeeOther)
}

// orgActive deactivates or reactivates an organisation.
func (s *Server) orgActive(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	active := r.PostFormValue("active") == "1"
	o, err := s.cfg.Cases.SetOrganisationActive(r.Context(), actorFrom2(r), id, active)
	if err != nil {
		s.orgError(w, r, cases.Organisation{ID: id}, err)
		return
	}
	k := map[bool]string{true: "activated", false: "deactivated"}[active]
	http.Redirect(w, r, fmt.Sprintf("/can-bo/to-chuc?ok=%s&id=%d#org-%d", k, o.ID, o.ID), http.StatusSeeOther)
}

// orgError shows the directory again with the form as typed and the
// message beside its field.
func (s *Server) orgError(w http.ResponseWriter, r *http.Request, o cases.Organisation, err error) {
	var ve *cases.ValidationError
	if !errors.As(err, &ve) {
		s.caseError(w, r, err)
		return
	}
	field := map[string]string{"Name": "name", "Kind": "kind", "Phone": "phone", "Email": "email",
		"Address": "address", "Contact": "contact"}[ve.Field]
	s.renderOrgs(w, r, http.StatusBadRequest, orgPage{Form: o, FormID: o.ID, Error: ve.Message(langOf(r)), ErrField: field})
}
