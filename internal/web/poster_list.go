package web

import (
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"manglanh/internal/store"
)

// sourceKinds are the places a QR poster hangs.
var sourceKinds = []string{"school", "cultural_house", "residential_group", "other"}

type posterListPage struct {
	Sources []store.Source
	Kinds   []string
	Errors  []string
	Name    string
	Kind    string
	Address string
}

// posterList lists the report sources with their posters, and the form to
// add one. Ward admins and officers only.
func (s *Server) posterList(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if !caseWorker(u.Role) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	s.renderPosters(w, r, http.StatusOK, posterListPage{Kind: "school"})
}

func (s *Server) renderPosters(w http.ResponseWriter, r *http.Request, status int, p posterListPage) {
	var err error
	if p.Sources, err = s.cfg.Sources.ListSources(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "listing sources", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	p.Kinds = sourceKinds
	s.render(w, r, status, "poster_list", T(langOf(r), "poster.title"), p)
}

// cleanLine checks a one-line field: valid UTF-8, no control characters,
// 1..max characters when required.
func cleanLine(v string, max int, required bool) (string, bool) {
	if !utf8.ValidString(v) {
		return "", false
	}
	v = strings.TrimSpace(v)
	if strings.IndexFunc(v, unicode.IsControl) >= 0 || utf8.RuneCountInString(v) > max || (required && v == "") {
		return v, false
	}
	return v, true
}

// posterCreate adds a report source.
func (s *Server) posterCreate(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if !caseWorker(u.Role) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	lang := langOf(r)
	p := posterListPage{Kind: r.PostFormValue("kind")}
	var okName, okAddr bool
	p.Name, okName = cleanLine(r.PostFormValue("name"), 200, true)
	p.Address, okAddr = cleanLine(r.PostFormValue("address"), 200, false)
	if !okName {
		p.Errors = append(p.Errors, T(lang, "poster.error.name"))
	}
	if !okAddr {
		p.Errors = append(p.Errors, T(lang, "poster.error.address"))
	}
	if !slices.Contains(sourceKinds, p.Kind) {
		p.Errors = append(p.Errors, T(lang, "poster.error.kind"))
	}
	if len(p.Errors) > 0 {
		p.Name, p.Address = strings.ToValidUTF8(p.Name, "\uFFFD"), strings.ToValidUTF8(p.Address, "\uFFFD")
		s.renderPosters(w, r, http.StatusBadRequest, p)
		return
	}
	src := store.Source{Name: p.Name, Kind: p.Kind, Address: p.Address, CreatedBy: u.ID}
	if err := s.cfg.Sources.CreateSource(r.Context(), &src); err != nil {
		s.log.ErrorContext(r.Context(), "creating source", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, "/can-bo/nguon", http.StatusSeeOther)
}
