package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"manglanh/internal/program"
)

// cityPage is what city_show.html gets.
type cityPage struct {
	Period periodForm
	Rows   []figuresRow
	Total  figuresRow
	// WithData counts the wards that had figures, of Wards.
	WithData, Wards int
	Tenants         []cityTenant
	Flash           string
	FlashLive       bool
	Query           template.URL // the period as a query string, for the links
	// ImportError is beside the file field; AddForm and KeyForm keep what
	// was typed in a failed form.
	ImportError string
	AddForm     cityTenantForm
	KeyFor      int64 // the ward whose key form failed
	KeyError    string
	KeyValue    string
}

type cityTenant struct {
	program.Tenant
	Live bool
}

// cityTenantForm is the "add a ward" form: values and errors by field.
type cityTenantForm struct {
	Code, Name, Province, Key string
	Errors                    map[string]string // field → message key
	Focus                     string            // the first field in error
}

// cityField is one input of the "add a ward" form.
type cityField struct {
	Name, Value, Err string
	Required, Focus  bool
}

// Fields are the form's inputs in order, with their values and errors.
func (f cityTenantForm) Fields() []cityField {
	out := make([]cityField, 0, 4)
	for _, x := range []struct {
		name, value string
		required    bool
	}{{"code", f.Code, true}, {"name", f.Name, true}, {"province", f.Province, false}, {"key", f.Key, false}} {
		out = append(out, cityField{Name: x.name, Value: x.value, Err: f.Errors[x.name], Required: x.required, Focus: f.Focus == x.name})
	}
	return out
}

// cityActor is the programme actor of a city page.
func cityActor(r *http.Request) program.Actor { return programActor(userFrom(r.Context())) }

// cityShow is /thanh-pho: the wards, the import form and the roll-up
// table for the chosen period.
func (s *Server) cityShow(w http.ResponseWriter, r *http.Request) {
	p := cityPage{Period: s.cityPeriod(r.URL.Query())}
	lang := langOf(r)
	q := r.URL.Query()
	id, _ := strconv.ParseInt(q.Get("t"), 10, 64)
	if k := q.Get("ok"); k != "" && id > 0 {
		if t, err := s.cfg.Program.Tenant(r.Context(), cityActor(r), id); err == nil {
			switch k {
			case "imported", "replaced":
				p.Flash, p.FlashLive = T(lang, "city.ok."+k, t.Name, p.Period.Period.String()), q.Get("live") == "1"
			case "ward_created":
				p.Flash = T(lang, "city.ok.ward_created", t.Name, t.Code)
			case "key_registered", "key_replaced":
				p.Flash = T(lang, "city.ok."+k, t.Name)
			}
		}
	}
	s.renderCity(w, r, http.StatusOK, p)
}

func (s *Server) renderCity(w http.ResponseWriter, r *http.Request, status int, p cityPage) {
	ctx, a, lang := r.Context(), cityActor(r), langOf(r)
	ts, err := s.cfg.Program.Tenants(ctx, a)
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	live := map[int64]bool{}
	if p.Period.Error == "" {
		rows, total, err := s.cfg.Program.RollUpRows(ctx, a, p.Period.Period)
		if err != nil {
			s.cityError(w, r, err)
			return
		}
		for _, row := range rows {
			live[row.Tenant.ID] = row.Source == program.FromLive || row.Source == program.FromError
			if row.Err != nil {
				s.log.ErrorContext(ctx, "roll-up row", "tenant", row.Tenant.ID, "err", row.Err)
			}
			p.Rows = append(p.Rows, figuresRowOf(lang, row.Tenant.Name, row.Tenant.Code, s.sourceText(lang, row), row.Figures))
			if row.Figures != nil {
				p.WithData++
			}
		}
		p.Wards = len(rows)
		p.Total = figuresRowOf(lang, T(lang, "city.total"), "", T(lang, "city.total.wards", p.WithData, p.Wards), total)
		p.Query = p.Period.query()
	}
	for _, t := range ts {
		p.Tenants = append(p.Tenants, cityTenant{Tenant: t, Live: live[t.ID]})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "city_show", T(lang, "city.title"), p)
}

// sourceText says where a row's figures come from.
func (s *Server) sourceText(lang string, row program.RollUpRow) string {
	at := func() string { return row.File.ImportedAt.In(s.cfg.Location).Format("02/01/2006 15:04") }
	switch row.Source {
	case program.FromLive:
		if row.File != nil {
			return T(lang, "city.source.live.file", at())
		}
		return T(lang, "city.source.live")
	case program.FromFile:
		return T(lang, "city.source.file", at())
	case program.FromError:
		return T(lang, "city.source.error")
	}
	return T(lang, "city.source.none")
}

// cityError maps the programme's errors to 404, 403 and 500.
func (s *Server) cityError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, program.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
	case errors.Is(err, program.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
	case errors.Is(err, context.Canceled):
	default:
		s.log.ErrorContext(r.Context(), "programme page", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}
