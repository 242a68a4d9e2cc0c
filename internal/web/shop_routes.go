package web

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/program"
)

var shopMessagesOnce sync.Once

// shopRoutes registers the shop registry, inspections, actions and their
// exports (shop_*.go).
func (s *Server) shopRoutes() {
	shopMessagesOnce.Do(func() {
		if err := addMessages(shopMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	read := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleChairman, auth.RolePolice, auth.RoleViewer)
	write := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleChairman, auth.RolePolice)
	s.handle("GET /can-bo/co-so", read(s.shopList))
	s.handle("GET /can-bo/co-so.csv", read(s.shopExport("csv")))
	s.handle("GET /can-bo/co-so.xlsx", read(s.shopExport("xlsx")))
	s.handle("GET /can-bo/co-so/moi", write(s.shopForm))
	s.handle("POST /can-bo/co-so/moi", write(s.shopSave))
	s.handle("GET /can-bo/co-so/{id}", read(s.shopShow))
	s.handle("GET /can-bo/co-so/{id}/sua", write(s.shopForm))
	s.handle("POST /can-bo/co-so/{id}/sua", write(s.shopSave))
	s.handle("POST /can-bo/co-so/{id}/kiem-tra", write(s.shopInspect))
	s.handle("GET /can-bo/kiem-tra", read(s.shopInspections))
	s.handle("GET /can-bo/kiem-tra.csv", read(s.violationExport("csv")))
	s.handle("GET /can-bo/kiem-tra.xlsx", read(s.violationExport("xlsx")))
	s.handle("POST /can-bo/kiem-tra/{id}/vi-pham/{vid}/xu-ly", write(s.shopAction))
}

// shopErr answers a domain error that is not a validation error.
func (s *Server) shopErr(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, program.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
	case errors.Is(err, program.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
	default:
		s.log.ErrorContext(r.Context(), "shops", "path", r.URL.Path, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}

// pathID is the {name} path value as a positive id, or 0.
func pathID(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// parseDay reads dd/mm/yyyy or yyyy-mm-dd as the local midnight of that
// day; "" is the zero time and ok.
func parseShopDay(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{"02/01/2006", "2006-01-02", "2/1/2006"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil && t.Year() >= 1990 && t.Year() <= 2200 {
			return t, true
		}
	}
	return time.Time{}, false
}

// isoDay is t as an <input type="date"> value.
func (s *Server) isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.cfg.Location).Format("2006-01-02")
}

// fieldErrs translates a program.FieldErrors for the page and names the
// field that gets the focus (the first in order).
func fieldErrs(err error, lang string, order []string) (map[string]string, string, bool) {
	var fe program.FieldErrors
	if !errors.As(err, &fe) {
		return nil, "", false
	}
	out := map[string]string{}
	for k, v := range fe {
		out[k] = T(lang, v)
	}
	first := ""
	for _, k := range order {
		if _, ok := out[k]; ok {
			first = k
			break
		}
	}
	if first == "" {
		keys := make([]string, 0, len(out))
		for k := range out {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		first = keys[0]
	}
	return out, first, true
}

// articleTitle is a catalogue entry's title in lang.
func articleTitle(code, lang string) string {
	a, ok := program.ArticleByCode(code)
	if !ok {
		return code
	}
	if lang == "en" {
		return a.TitleEN
	}
	return a.TitleVI
}
