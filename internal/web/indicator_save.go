package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/program"
)

// indicatorSave changes indicator {id}'s target and names, then returns
// to it on the list.
func (s *Server) indicatorSave(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, a, lang := r.Context(), programActor(userFrom(r.Context())), langOf(r)
	id := pathID(r, "id")
	list, err := s.cfg.Program.Indicators(ctx, a)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	var ind *program.Indicator
	for i := range list {
		if list[i].ID == id {
			ind = &list[i]
		}
	}
	if ind == nil {
		// Another ward's indicator, or none: the tenant's list is all
		// there is.
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	f := indicatorRow{Indicator: *ind, FormTarget: r.PostFormValue("target"), FormVI: r.PostFormValue("name_vi"),
		FormEN: r.PostFormValue("name_en"), Errors: map[string]string{}}
	edit := *ind
	edit.NameVI, edit.NameEN = f.FormVI, f.FormEN
	edit.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if t, ok := parseTarget(f.FormTarget); ok {
		edit.Target = t
	} else {
		f.Errors["target"] = T(lang, "indicator.err.number")
	}
	if len(f.Errors) == 0 {
		err := s.cfg.Program.SaveIndicator(ctx, a, &edit)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/can-bo/chi-tieu?ok=%d#ct-%d", id, id), http.StatusSeeOther)
			return
		}
		fe, _, isFE := fieldErrs(err, lang, nil)
		switch {
		case isFE:
			f.Errors = fe
		case errors.Is(err, program.ErrConflict):
			f.Conflict = true
			s.renderIndicators(w, r, http.StatusConflict, indicatorPage{}, &f)
			return
		default:
			s.programError(w, r, err)
			return
		}
	}
	for _, k := range []string{"target", "name_vi", "name_en", "measure"} {
		if _, bad := f.Errors[k]; bad {
			f.Focus = k
			break
		}
	}
	s.renderIndicators(w, r, http.StatusBadRequest, indicatorPage{}, &f)
}

// parseTarget reads "100", "92,5", "92.5", "50 %" or "1.000.000" (two
// or more dots are thousands separators; one dot or comma is the decimal
// mark).
func parseTarget(v string) (float64, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	if v == "" || len(v) > 20 {
		return 0, false
	}
	if strings.Count(v, ".") >= 2 {
		v = strings.ReplaceAll(v, ".", "")
	}
	if strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
		v = strings.Replace(v, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
