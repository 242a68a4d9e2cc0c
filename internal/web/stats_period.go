package web

import (
	"html/template"
	"net/url"
	"time"

	"manglanh/internal/program"
)

// statsQuick is one quick link of the period chooser.
type statsQuick struct {
	Key     string // message key
	Query   template.URL
	Current bool
}

// readPeriodForm reads ?from=&to= (both days included, dd/mm/yyyy or
// yyyy-mm-dd, in loc); without either, the calendar year of now. Errors
// are message keys beside their field ("from" or "to"); Period is zero
// then. keys prefixes the message keys ("stats.err.").
func readPeriodForm(q url.Values, loc *time.Location, now time.Time, keys string) periodForm {
	now = now.In(loc)
	f := periodForm{From: q.Get("from"), To: q.Get("to")}
	if f.From == "" && f.To == "" {
		f.From, f.To = "01/01/"+now.Format("2006"), "31/12/"+now.Format("2006")
	}
	field := func(v, name string) (time.Time, bool) {
		switch t, ok := parseDay(v, loc); {
		case v == "":
			f.Error, f.ErrField = keys+"missing", name
		case !ok:
			f.Error, f.ErrField = keys+"date", name
		default:
			return t, true
		}
		return time.Time{}, false
	}
	from, ok := field(f.From, "from")
	if !ok {
		return f
	}
	to, ok := field(f.To, "to")
	if !ok {
		return f
	}
	p := program.Days(from, to, loc)
	switch {
	case !p.From.Before(p.To):
		f.Error, f.ErrField = keys+"order", "to"
		return f
	case p.Validate() != nil:
		f.Error, f.ErrField = keys+"long", "to"
		return f
	}
	f.Period = p
	f.From, f.To = from.Format("02/01/2006"), to.Format("02/01/2006")
	return f
}

// periodQuery is the query string of the days from–to (both included).
func periodQuery(from, to time.Time) template.URL {
	return template.URL(url.Values{"from": {from.Format("02/01/2006")}, "to": {to.Format("02/01/2006")}}.Encode())
}

// statsQuicks are the chooser's quick links around now: this month, last
// month, this quarter, this year, last year, and the 2021–2025 programme.
func statsQuicks(now time.Time, loc *time.Location, current periodForm) []statsQuick {
	now = now.In(loc)
	y, m := now.Year(), now.Month()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	month := day(y, m, 1)
	quarter := day(y, time.Month((int(m)-1)/3*3+1), 1)
	list := []struct {
		key      string
		from, to time.Time
	}{
		{"stats.period.month", month, month.AddDate(0, 1, -1)},
		{"stats.period.lastmonth", month.AddDate(0, -1, 0), month.AddDate(0, 0, -1)},
		{"stats.period.quarter", quarter, quarter.AddDate(0, 3, -1)},
		{"stats.period.year", day(y, 1, 1), day(y, 12, 31)},
		{"stats.period.lastyear", day(y-1, 1, 1), day(y-1, 12, 31)},
		{"stats.period.programme", day(2021, 1, 1), day(2025, 12, 31)},
	}
	out := make([]statsQuick, 0, len(list))
	for _, x := range list {
		p := program.Days(x.from, x.to, loc)
		out = append(out, statsQuick{Key: x.key, Query: periodQuery(x.from, x.to),
			Current: current.Error == "" && p.From.Equal(current.Period.From) && p.To.Equal(current.Period.To)})
	}
	return out
}
