package web

import (
	"errors"
	"net/http"
	"sort"
	"strconv"

	"manglanh/internal/program"
)

// cityTenantCreate adds a ward to the city's list (POST /thanh-pho/phuong).
func (s *Server) cityTenantCreate(w http.ResponseWriter, r *http.Request) {
	f := cityTenantForm{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		Province: r.PostFormValue("province"), Key: r.PostFormValue("key")}
	t := &program.Tenant{Code: f.Code, Name: f.Name, Province: f.Province, PublicKey: f.Key}
	err := s.cfg.Program.CreateTenant(r.Context(), cityActor(r), t)
	var fe program.FieldErrors
	if errors.As(err, &fe) {
		f.Errors = fe
		for _, field := range []string{"code", "name", "province", "key"} {
			if fe[field] != "" {
				f.Focus = field
				break
			}
		}
		p := cityPage{Period: s.cityPeriod(r.URL.Query()), AddForm: f}
		s.renderCity(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	http.Redirect(w, r, "/thanh-pho?ok=ward_created&t="+strconv.FormatInt(t.ID, 10)+"#phuong-"+strconv.FormatInt(t.ID, 10), http.StatusSeeOther)
}

// cityKeySave registers or replaces a ward's public key
// (POST /thanh-pho/phuong/{id}/khoa).
func (s *Server) cityKeySave(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	key := r.PostFormValue("key")
	t, replaced, err := s.cfg.Program.SetTenantKey(r.Context(), cityActor(r), id, key)
	var fe program.FieldErrors
	if errors.As(err, &fe) {
		keys := make([]string, 0, len(fe))
		for _, v := range fe {
			keys = append(keys, v)
		}
		sort.Strings(keys)
		p := cityPage{Period: s.cityPeriod(r.URL.Query()), KeyFor: id, KeyError: keys[0], KeyValue: key}
		s.renderCity(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	ok := "key_registered"
	if replaced {
		ok = "key_replaced"
	}
	sid := strconv.FormatInt(t.ID, 10)
	http.Redirect(w, r, "/thanh-pho?ok="+ok+"&t="+sid+"#phuong-"+sid, http.StatusSeeOther)
}
