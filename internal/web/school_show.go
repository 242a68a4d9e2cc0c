package web

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// schoolPage is what school_show.html gets: the school's own statistics
// for one week (no child names), its alerts, its profiles, and the forms
// that make the school's and a class's profile.
type schoolPage struct {
	Report    *family.SchoolReport
	School    *family.Profile
	Classes   []family.Profile
	Weeks     []weekOption
	WeekLabel string
	BadWeek   bool
	Flash     string
	// Form is the create form that failed ("school" or "class"), with
	// what was typed and the errors beside each field.
	Form      string
	FormName  string
	FormNets  string
	Errors    map[string][]string
	Chart     template.HTML
	Series    []seriesRow
	Cats      []catRow
	Alerts    []schoolAlertRow
	HasAlerts bool
	// SchoolForm and ClassForm are the two create forms.
	SchoolForm, ClassForm orgProfileForm
}

// orgProfileForm is a form that makes a school's or class's profile.
type orgProfileForm struct {
	Lang, Kind string
	Mine       bool // the form that failed
	Name, Nets string
	Errors     map[string][]string
}

// weekOption is one choice of the week selector.
type weekOption struct {
	Value    string // YYYY-MM-DD of the Monday
	Label    string // dd/mm – dd/mm/yyyy
	Selected bool
}

// seriesRow is one week of a chart's table.
type seriesRow struct {
	Label    string
	Queries  int64
	Blocked  int64
	Devices  int
	Families int
}

// catRow is blocked attempts of one category, with its display name.
type catRow struct {
	Name    string
	Blocked int64
}

type schoolAlertRow struct {
	family.SchoolAlert
	When, Rule, Category, Level string
}

// weeksShown is how many weeks the week selector offers.
const weeksShown = 12

// weekChoice reads ?tuan=YYYY-MM-DD (any day of the wanted week, in the
// ward's time zone) and returns that week's Monday, the selector's
// options, and whether the value was unusable (then this week is shown).
func (s *Server) weekChoice(r *http.Request) (time.Time, []weekOption, bool) {
	now := time.Now()
	if s.cfg.Families != nil {
		now = s.cfg.Families.Now()
	}
	this := family.WeekStart(now)
	week, bad := this, false
	if v := r.URL.Query().Get("tuan"); v != "" {
		loc, _ := time.LoadLocation(filter.DefaultTimeZone)
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		switch {
		case err != nil || len(v) != 10:
			bad = true
		case d.After(now):
			bad = true
		default:
			week = family.WeekStart(d)
		}
	}
	var opts []weekOption
	for i := range weeksShown {
		w := this.AddDate(0, 0, -7*i)
		opts = append(opts, weekOption{Value: w.Format(time.DateOnly), Label: weekLabel(w), Selected: w.Equal(week)})
	}
	if week.Before(this.AddDate(0, 0, -7*(weeksShown-1))) {
		opts = append(opts, weekOption{Value: week.Format(time.DateOnly), Label: weekLabel(week), Selected: true})
	}
	return week, opts, bad
}

// weekLabel is "23/11 – 29/11/2026".
func weekLabel(w time.Time) string {
	return w.Format("02/01") + " – " + w.AddDate(0, 0, 6).Format("02/01/2006")
}

// shortWeek labels a chart's bar: the Monday's dd/mm.
func shortWeek(w time.Time) string { return w.Format("02/01") }

// categoryName is a category's or service's name in lang.
func (s *Server) categoryName(lang, name string) string {
	if name == "" {
		return T(lang, "school.cat.other")
	}
	if reg := s.cfg.Families.Registry(); reg != nil {
		if t, ok := reg.Tag(name); ok {
			if info := reg.Info(t); lang == "en" {
				return info.En
			} else {
				return info.Vi
			}
		}
	}
	return name
}

// schoolShow is the school's page /can-bo/truong for its principal and
// IT teacher.
func (s *Server) schoolShow(w http.ResponseWriter, r *http.Request) {
	p := schoolPage{}
	if k := r.URL.Query().Get("ok"); k != "" {
		if _, ok := messages["school.ok."+k]; ok {
			p.Flash = T(langOf(r), "school.ok."+k)
		}
	}
	s.renderSchool(w, r, http.StatusOK, p)
}

func (s *Server) renderSchool(w http.ResponseWriter, r *http.Request, status int, p schoolPage) {
	ctx, a, lang := r.Context(), staffFamilyActor(r), langOf(r)
	week, opts, bad := s.weekChoice(r)
	p.Weeks, p.BadWeek, p.WeekLabel = opts, bad, weekLabel(week)
	var err error
	if p.School, p.Classes, err = s.cfg.Families.SchoolProfiles(ctx, a); err == nil {
		p.Report, err = s.cfg.Families.SchoolReport(ctx, a, week)
	}
	if err != nil {
		s.schoolError(w, r, err)
		return
	}
	var labels []string
	var blocked []int64
	for _, f := range p.Report.Series {
		labels, blocked = append(labels, shortWeek(f.Week)), append(blocked, f.Blocked)
		p.Series = append(p.Series, seriesRow{Label: weekLabel(f.Week), Queries: f.Queries, Blocked: f.Blocked,
			Devices: f.Devices, Families: f.Families})
	}
	p.Chart = weekBars(T(lang, "school.chart.blocked"), labels, blocked, "#b3261e")
	for _, c := range p.Report.Week.ByCategory {
		p.Cats = append(p.Cats, catRow{Name: s.categoryName(lang, c.Category), Blocked: c.Blocked})
	}
	for _, al := range p.Report.Alerts {
		p.Alerts = append(p.Alerts, schoolAlertRow{SchoolAlert: al, When: al.Time.In(s.cfg.Location).Format("02/01 15:04"),
			Rule: msgOr(lang, "school.rule."+al.Rule, al.Rule), Category: s.categoryName(lang, al.Category),
			Level: msgOr(lang, "case.level."+al.Level, al.Level)})
	}
	p.HasAlerts = len(p.Alerts) > 0
	for _, f := range []*orgProfileForm{&p.SchoolForm, &p.ClassForm} {
		f.Lang = lang
	}
	p.SchoolForm.Kind, p.ClassForm.Kind = "school", "class"
	for _, f := range []*orgProfileForm{&p.SchoolForm, &p.ClassForm} {
		if f.Kind == p.Form {
			f.Mine, f.Name, f.Nets, f.Errors = true, p.FormName, p.FormNets, p.Errors
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "school_show", T(lang, "school.title"), p)
}

// msgOr is the text of key, or fallback when there is none.
func msgOr(lang, key, fallback string) string {
	if _, ok := messages[key]; ok {
		return T(lang, key)
	}
	return fallback
}

// schoolError answers a family service error: 404 for not found or not
// the actor's, 403 for forbidden, 500 otherwise (logged).
func (s *Server) schoolError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, family.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
	case errors.Is(err, family.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
	default:
		s.log.ErrorContext(r.Context(), "school page", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}
