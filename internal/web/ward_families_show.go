package web

import (
	"html/template"
	"net/http"
	"strconv"

	"manglanh/internal/family"
)

// wardFamiliesPage is what ward_families.html gets: every school's row and
// the ward's total for one week, and the last 8 weeks as charts and a
// table. Counts only.
type wardFamiliesPage struct {
	Report      *family.WardReport
	Weeks       []weekOption
	WeekLabel   string
	BadWeek     bool
	Rows        []wardRow
	Total       wardRow
	Series      []seriesRow
	ChartBlock  template.HTML
	ChartDevice template.HTML
	Cats        []catRow // the ward's blocked attempts by category
}

type wardRow struct {
	Name string
	family.WeekFigures
	Top string // the three categories blocked most, with counts
}

// wardFamiliesShow is /can-bo/gia-dinh-truong-hoc for the ward's officer,
// chairman, admin and viewers.
func (s *Server) wardFamiliesShow(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	week, opts, bad := s.weekChoice(r)
	rep, err := s.cfg.Families.WardReport(r.Context(), staffFamilyActor(r), week)
	if err != nil {
		s.schoolError(w, r, err)
		return
	}
	p := wardFamiliesPage{Report: rep, Weeks: opts, WeekLabel: weekLabel(week), BadWeek: bad}
	for _, sr := range rep.Schools {
		name := sr.Name
		if sr.OrgID == 0 {
			name = T(lang, "ward.noschool")
		}
		p.Rows = append(p.Rows, wardRow{Name: name, WeekFigures: sr.WeekFigures, Top: s.topCats(lang, sr.ByCategory)})
	}
	p.Total = wardRow{Name: T(lang, "ward.total"), WeekFigures: rep.Total, Top: s.topCats(lang, rep.Total.ByCategory)}
	for _, c := range rep.Total.ByCategory {
		p.Cats = append(p.Cats, catRow{Name: s.categoryName(lang, c.Category), Blocked: c.Blocked})
	}
	var labels []string
	var blocked, devices []int64
	for _, f := range rep.Series {
		labels = append(labels, shortWeek(f.Week))
		blocked, devices = append(blocked, f.Blocked), append(devices, int64(f.Devices))
		p.Series = append(p.Series, seriesRow{Label: weekLabel(f.Week), Queries: f.Queries, Blocked: f.Blocked,
			Devices: f.Devices, Families: f.Families})
	}
	p.ChartBlock = weekBars(T(lang, "ward.chart.blocked"), labels, blocked, "#b3261e")
	p.ChartDevice = weekBars(T(lang, "ward.chart.devices"), labels, devices, "#0b4f9c")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "ward_families", T(lang, "ward.title"), p)
}

// topCats names the three categories blocked most: "Cờ bạc 12, TikTok 7".
func (s *Server) topCats(lang string, cats []family.CategoryCount) string {
	out := ""
	for i, c := range cats {
		if i == 3 {
			break
		}
		if out != "" {
			out += ", "
		}
		out += s.categoryName(lang, c.Category) + " " + strconv.FormatInt(c.Blocked, 10)
	}
	return out
}
