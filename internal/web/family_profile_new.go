package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/family"
)

// familyNewPage is what family_new.html gets.
type familyNewPage struct {
	Nickname  string
	BirthYear int
	OrgID     int64
	Years     []int
	Schools   []family.School
	Errors    fieldErrors
	Focus     string // the input with the first error
}

// familyNew shows the form of a new child profile.
func (s *Server) familyNew(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	s.renderFamilyNew(w, r, http.StatusOK, familyNewPage{})
}

// familyCreate makes the child's profile and goes on to its setup page.
func (s *Server) familyCreate(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	lang := langOf(r)
	in := familyNewPage{Nickname: strings.TrimSpace(r.PostFormValue("nickname")), Errors: fieldErrors{}}
	if y := strings.TrimSpace(r.PostFormValue("birth_year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n <= 0 {
			in.Errors["birth_year"] = T(lang, "family.err.year")
		}
		in.BirthYear = n
	}
	if o := strings.TrimSpace(r.PostFormValue("school")); o != "" && o != "0" {
		n, ok := parseID(o)
		if !ok {
			in.Errors["school"] = T(lang, "family.err.school")
		}
		in.OrgID = n
	}
	if len(in.Errors) > 0 {
		in.BirthYear = max(in.BirthYear, 0)
		s.renderFamilyNew(w, r, http.StatusBadRequest, in)
		return
	}
	prof, err := s.cfg.Families.CreateChild(r.Context(), parentActor(r, p),
		family.NewChild{Nickname: in.Nickname, BirthYear: in.BirthYear, OrgID: in.OrgID})
	if err != nil {
		if fe, ok := familyFieldErrors(err, lang, nil, "nickname", "birth_year", "school"); ok {
			in.Errors = fe
			s.renderFamilyNew(w, r, http.StatusBadRequest, in)
			return
		}
		if errors.Is(err, family.ErrLimit) {
			in.Errors[""] = T(lang, "family.err.limit.children", family.MaxChildren)
			s.renderFamilyNew(w, r, http.StatusBadRequest, in)
			return
		}
		s.familyError(w, r, err)
		return
	}
	http.Redirect(w, r, familyURL(prof.ID, "cai-dat", "created", "thiet-bi"), http.StatusSeeOther)
}

func (s *Server) renderFamilyNew(w http.ResponseWriter, r *http.Request, status int, d familyNewPage) {
	now := time.Now()
	for y := now.Year(); y >= now.Year()-18; y-- {
		d.Years = append(d.Years, y)
	}
	d.Schools = s.familySchools(r.Context())
	d.Focus = d.Errors.First("nickname", "birth_year", "school")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "family_new", T(langOf(r), "family.new.title"), d)
}

// familySchools lists the schools a parent may choose, by name; none when
// the ward offers none (or the list cannot be read: the field is optional).
func (s *Server) familySchools(ctx context.Context) []family.School {
	schools, err := s.cfg.Families.Schools(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "listing schools", "err", err)
		return nil
	}
	slices.SortFunc(schools, func(a, b family.School) int { return strings.Compare(a.Name, b.Name) })
	return schools
}
