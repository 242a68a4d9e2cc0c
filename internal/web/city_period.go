package web

import (
	"html/template"
	"net/url"
	"time"

	"manglanh/internal/program"
)

// periodForm is the period chooser of the city and ward figure pages:
// what was typed, the period it means, and the error beside its field.
type periodForm struct {
	From, To string // as typed (dd/mm/yyyy or yyyy-mm-dd)
	Period   program.Period
	Error    string // message key
	ErrField string // "from" or "to"
	Years    []int  // quick links: the last few years
}

// cityPeriod reads ?from=&to= (both days included); without them the
// current calendar year.
func (s *Server) cityPeriod(q url.Values) periodForm {
	loc := s.cfg.Location
	now := time.Now().In(loc)
	f := periodForm{From: q.Get("from"), To: q.Get("to")}
	for y := now.Year(); y > now.Year()-5; y-- {
		f.Years = append(f.Years, y)
	}
	if f.From == "" && f.To == "" {
		f.From, f.To = "01/01/"+now.Format("2006"), "31/12/"+now.Format("2006")
	}
	from, ok := parseDay(f.From, loc)
	if !ok {
		f.Error, f.ErrField = "city.err.date", "from"
		return f
	}
	to, ok := parseDay(f.To, loc)
	if !ok {
		f.Error, f.ErrField = "city.err.date", "to"
		return f
	}
	f.Period = program.Days(from, to, loc)
	if f.Period.Validate() != nil {
		f.Error, f.ErrField, f.Period = "city.err.period", "to", program.Period{}
		return f
	}
	f.From, f.To = from.Format("02/01/2006"), to.Format("02/01/2006")
	return f
}

// query is the period as a query string.
func (f periodForm) query() template.URL {
	return template.URL("from=" + url.QueryEscape(f.From) + "&to=" + url.QueryEscape(f.To))
}
