package web

import (
	"errors"
	"html/template"
	"net/http"

	"manglanh/internal/program"
)

// wardFiguresPage is what city_ward.html gets.
type wardFiguresPage struct {
	Period  periodForm
	Row     *figuresRow // nil when the figures could not be computed
	Query   template.URL
	Key     string // the ward's public key (base64)
	Problem string // message key: no key, figures unavailable
}

// wardFiguresShow is /can-bo/so-lieu: the ward's figures for a period,
// the signed file to download and the public key to register at the city.
func (s *Server) wardFiguresShow(w http.ResponseWriter, r *http.Request) {
	ctx, a, lang := r.Context(), programActor(userFrom(r.Context())), langOf(r)
	p := wardFiguresPage{Period: s.cityPeriod(r.URL.Query())}
	key, err := s.cfg.Program.WardPublicKey(a)
	switch {
	case errors.Is(err, program.ErrNoSigningKey):
		p.Problem = "ward.figures.nokey"
	case err != nil:
		s.cityError(w, r, err)
		return
	default:
		p.Key = key
	}
	status := http.StatusOK
	if p.Period.Error != "" {
		status = http.StatusUnprocessableEntity
	} else {
		f, err := s.cfg.Program.WardFigures(ctx, a, p.Period.Period)
		switch {
		case errors.Is(err, program.ErrFiguresUnavailable):
			p.Problem = "ward.figures.unavailable"
		case err != nil:
			s.cityError(w, r, err)
			return
		default:
			name, code := "", ""
			if len(f.Wards) == 1 {
				name, code = f.Wards[0].Name, f.Wards[0].Code
			}
			row := figuresRowOf(lang, name, code, "", f)
			p.Row, p.Query = &row, p.Period.query()
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "city_ward", T(lang, "ward.figures.title"), p)
}

// wardFiguresDownload is /can-bo/so-lieu.json: the signed figure file
// so-lieu-<code>-<from>-<to>.json.
func (s *Server) wardFiguresDownload(w http.ResponseWriter, r *http.Request) {
	pf := s.cityPeriod(r.URL.Query())
	if pf.Error != "" {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	data, f, err := s.cfg.Program.SignedWardFigures(r.Context(), programActor(userFrom(r.Context())), pf.Period)
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	name := "so-lieu-" + f.Wards[0].Code + "-" + pf.Period.From.Format("20060102") + "-" +
		pf.Period.LastDay().Format("20060102") + ".json"
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}
