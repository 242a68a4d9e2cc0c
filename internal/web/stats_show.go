package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"manglanh/internal/auth"
	"manglanh/internal/program"
)

// statsRoles may open the statistics page: the ward's staff who see the
// whole programme (program.canSeeWard). Schools, teachers and the city
// have their own pages.
var statsRoles = []auth.Role{auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleChairman, auth.RolePolice, auth.RoleViewer}

// statsRoutes registers the statistics page and its table exports
// (stats_*.go).
func (s *Server) statsRoutes() {
	statsMessagesOnce.Do(func() {
		if err := addMessages(statsMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	read := s.requireRole(statsRoles...)
	s.handle("GET /can-bo/thong-ke", read(s.statsShow))
	s.handle("GET /can-bo/thong-ke/{file}", read(s.statsExport))
}

// statsSection is one section of the page: a heading with its anchor, the
// source it needs, and its tables.
type statsSection struct {
	ID, Title string
	Missing   []string // sources not available (message keys' suffixes)
	Tables    []statsTable
	Charts    []statsChart
}

// statsChart is one chart of the trends.
type statsChart struct {
	Title   string
	SVG     template.HTML
	Missing string
}

type statsPage struct {
	Period   periodForm
	Quick    []statsQuick
	Query    template.URL // the period, for the exports
	Sections []statsSection
	// CaseLinks: case figures link to the case list (see statsBuild).
	CaseLinks bool
	// NoCaseLinks says why they do not, for police and viewers.
	NoCaseLinks bool
}

// statsFigures reads the period and computes its figures and tables.
func (s *Server) statsFigures(r *http.Request) (periodForm, *statsBuild, error) {
	u := userFrom(r.Context())
	a := programActor(u)
	pf := readPeriodForm(r.URL.Query(), s.cfg.Location, s.cfg.Program.Now(), "stats.err.")
	if pf.Error != "" {
		return pf, nil, nil
	}
	f, err := s.cfg.Program.Figures(r.Context(), a, pf.Period)
	if err != nil {
		return pf, nil, err
	}
	lang := langOf(r)
	b := &statsBuild{lang: lang, loc: s.cfg.Location, p: pf.Period, f: f,
		caseLinks: s.cfg.Cases != nil && (u.Role == string(auth.RoleWardAdmin) || u.Role == string(auth.RoleOfficer) || u.Role == string(auth.RoleChairman)),
		dnsName:   func(c string) string { return s.dnsCategoryName(lang, c) }}
	return pf, b, nil
}

// statsShow is /can-bo/thong-ke: the period chooser and every section.
func (s *Server) statsShow(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	pf, b, err := s.statsFigures(r)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	p := statsPage{Period: pf, Quick: statsQuicks(s.cfg.Program.Now(), s.cfg.Location, pf)}
	if b != nil {
		p.Query = pf.query()
		p.CaseLinks = b.caseLinks
		p.NoCaseLinks = !b.caseLinks && !b.missing(program.SourceCases)
		p.Sections = s.statsSections(b)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "stats_show", T(lang, "stats.title"), p)
}

// statsSections lays the tables out in the order: indicators,
// trends, cases, DNS, activities and coverage, shops.
func (s *Server) statsSections(b *statsBuild) []statsSection {
	l := b.lang
	t := b.tables()
	byslug := map[string]statsTable{}
	for _, x := range t {
		byslug[x.Slug] = x
	}
	pick := func(slugs ...string) []statsTable {
		var out []statsTable
		for _, sl := range slugs {
			out = append(out, byslug[sl])
		}
		return out
	}
	miss := func(srcs ...string) []string {
		var out []string
		for _, src := range srcs {
			if b.missing(src) {
				out = append(out, src)
			}
		}
		return out
	}
	months := b.months()
	quarters := b.quarters(months)
	return []statsSection{
		{ID: "chi-tieu", Title: T(l, "stats.sec.indicators"), Tables: pick("chi-tieu")},
		{ID: "xu-huong", Title: T(l, "stats.sec.trends"), Missing: miss(program.SourceActivities, program.SourceCases, program.SourceDNS),
			Charts: append(b.charts("m", "stats.unit.month", months, func(m monthRow) string { return m.From.In(b.loc).Format("01/06") }),
				b.charts("q", "stats.unit.quarter", quarters, func(m monthRow) string {
					return fmt.Sprintf("Q%d/%s", (int(m.From.In(b.loc).Month())-1)/3+1, m.From.In(b.loc).Format("06"))
				})...),
			Tables: pick("theo-thang", "theo-quy")},
		{ID: "ho-so", Title: T(l, "stats.sec.cases"), Missing: miss(program.SourceCases), Tables: pick("ho-so-theo-loai", "thoi-han")},
		{ID: "dns", Title: T(l, "stats.sec.dns"), Missing: miss(program.SourceDNS), Tables: pick("chan-dns")},
		{ID: "hoat-dong", Title: T(l, "stats.sec.activities"), Missing: miss(program.SourceActivities, program.SourceCoverage),
			Tables: pick("hoat-dong-theo-loai", "nguoi-tham-gia", "truong")},
		{ID: "co-so", Title: T(l, "stats.sec.shops"), Missing: miss(program.SourceShops), Tables: pick("co-so")},
	}
}

// charts are the three bar charts of a series of months or quarters:
// activities, cases received, DNS blocks; a missing source has no chart.
func (b *statsBuild) charts(prefix, unitKey string, rows []monthRow, label func(monthRow) string) []statsChart {
	l := b.lang
	unit := T(l, unitKey)
	labels := make([]string, len(rows))
	for i, r := range rows {
		labels[i] = label(r)
	}
	series := []struct {
		src, key, colour string
		value            func(monthRow) int64
	}{
		{program.SourceActivities, "stats.chart.acts", "#2e6da4", func(m monthRow) int64 { return m.Acts }},
		{program.SourceCases, "stats.chart.cases", "#a4372e", func(m monthRow) int64 { return m.Cases }},
		{program.SourceDNS, "stats.chart.dns", "#5b4a8b", func(m monthRow) int64 { return m.Blocked }},
	}
	var out []statsChart
	for i, x := range series {
		if b.missing(x.src) {
			out = append(out, statsChart{Missing: x.src})
			continue
		}
		vals := make([]int64, len(rows))
		for j, r := range rows {
			vals[j] = x.value(r)
		}
		title := T(l, x.key, unit)
		out = append(out, statsChart{Title: title, SVG: statsBars(fmt.Sprintf("chart-%s%d", prefix, i), title, T(l, "stats.chart.max"), labels, vals, x.colour)})
	}
	return out
}

// dnsCategoryName names a DNS category or service in lang: the filter's
// registry when the portal has one, else the built-in categories' names.
func (s *Server) dnsCategoryName(lang, c string) string {
	if s.cfg.Families != nil {
		return s.categoryName(lang, c)
	}
	if c == "" {
		return T(lang, "stats.dns.other")
	}
	if k := "stats.dnscat." + c; T(lang, k) != k {
		return T(lang, k)
	}
	return c
}

// statsExport is /can-bo/thong-ke/{table}.csv and .xlsx: one table of the
// page for the same period, through writeTable (formula-safe cells).
func (s *Server) statsExport(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	slug, format, ok := strings.Cut(name, ".")
	if !ok || (format != "csv" && format != "xlsx") {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	pf, b, err := s.statsFigures(r)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	if b == nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	tables := b.tables()
	i := slices.IndexFunc(tables, func(t statsTable) bool { return t.Slug == slug })
	if i < 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	t := tables[i]
	s.writeTable(w, r, format, "thong-ke-"+t.Slug, t.Title, t.cells(b.lang, pf.Period.String()))
}
