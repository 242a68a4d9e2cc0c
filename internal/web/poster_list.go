package web

import (
	"errors"
	"net/http"
	"strconv"

	"manglanh/internal/sources"
)

type posterListPage struct {
	Sources []sources.Source
	Kinds   []string
	// Errors holds each invalid field's message, by field name (name,
	// kind, address); the template shows it beside the field.
	Errors  map[string]string
	First   string // the first invalid field, which gets the focus
	Name    string
	Kind    string
	Address string
	// Notice is a confirmation after a redirect.
	Notice string
	// NewID is the source just added, highlighted in the list.
	NewID int64
	// BaseURLProblem explains why posters cannot be printed yet (web.base_url
	// unset or not public); "" when they can.
	BaseURLProblem string
}

// posterList lists the report sources with their posters, and the form to
// add one. Ward admins and officers only.
func (s *Server) posterList(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	p := posterListPage{Kind: "school"}
	if r.URL.Query().Get("ok") == "created" {
		p.Notice = T(langOf(r), "poster.ok.created")
		p.NewID, _ = strconv.ParseInt(r.URL.Query().Get("nguon"), 10, 64)
	}
	s.renderPosters(w, r, u, http.StatusOK, p)
}

func (s *Server) renderPosters(w http.ResponseWriter, r *http.Request, u *SessionUser, status int, p posterListPage) {
	var err error
	if p.Sources, err = s.cfg.Posters.List(r.Context(), actorOf(u)); err != nil {
		if errors.Is(err, sources.ErrForbidden) {
			s.renderError(w, r, http.StatusForbidden, "forbidden")
			return
		}
		s.log.ErrorContext(r.Context(), "listing sources", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	var be *sources.BaseURLError
	if errors.As(s.cfg.Posters.PublicURLError(), &be) {
		p.BaseURLProblem = be.Message(langOf(r))
	}
	p.Kinds = sources.Kinds()
	s.render(w, r, status, "poster_list", T(langOf(r), "poster.title"), p)
}

// posterCreate adds a report source through the sources service, which
// validates it and records it in the audit log.
func (s *Server) posterCreate(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	lang := langOf(r)
	in := sources.Source{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), Address: r.PostFormValue("address")}
	src, err := s.cfg.Posters.Create(r.Context(), actorOf(u), in)
	var verrs sources.ValidationErrors
	switch {
	case err == nil:
		http.Redirect(w, r, "/can-bo/nguon?ok=created&nguon="+strconv.FormatInt(src.ID, 10)+"#nguon-"+strconv.FormatInt(src.ID, 10), http.StatusSeeOther)
	case errors.As(err, &verrs):
		p := posterListPage{Name: src.Name, Kind: src.Kind, Address: src.Address, Errors: map[string]string{}}
		for _, e := range verrs {
			p.Errors[e.Field] = e.Message(lang)
			if p.First == "" {
				p.First = e.Field
			}
		}
		s.renderPosters(w, r, u, http.StatusBadRequest, p)
	case errors.Is(err, sources.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
	default:
		s.log.ErrorContext(r.Context(), "creating source", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}
