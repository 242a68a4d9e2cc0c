package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/family"
)

type weeklyRow struct {
	Day     string
	Minutes []int // per column (the chart's series)
	Total   int
}

type weeklyBlockedRow struct {
	Name    string
	Queries int64
}

type weeklyAlertRow struct {
	Title, When string
}

type weeklyPage struct {
	Nickname   string
	ProfileID  int64
	Week       string
	Range      string
	Prev, Next string // weeks, "" when none
	Chart      any
	Days       []string
	Series     []string    // the table's columns: the chart's series
	Rows       []weeklyRow // one per day: minutes per series (the chart's table)
	WeekTotals []int       // per series
	WeekTotal  int
	Blocked    []weeklyBlockedRow
	BlockedSum int64
	Alerts     []weeklyAlertRow
	Advice     []string
	Mail       []string // what happened to the e-mail
	NoActivity bool
	Error      string
}

// weekdayShort are the day labels of the chart, Monday first.
var weekdayShort = map[string][7]string{
	"vi": {"T2", "T3", "T4", "T5", "T6", "T7", "CN"},
	"en": {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
}

// weeklyShow is a child's week for the parent: the chart, its table, what
// was blocked, alerts, advice, and whether the e-mail went out.
func (s *Server) weeklyShow(w http.ResponseWriter, r *http.Request, par *family.Parent) {
	lang := langOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	week := r.URL.Query().Get("tuan")
	sum, err := s.cfg.Families.WeeklySummary(r.Context(), parentActor(r, par), id, week)
	var ve *family.ValidationError
	switch {
	case errors.Is(err, family.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	case errors.As(err, &ve):
		// A malformed week: show the current one, with the error.
		sum, err = s.cfg.Families.WeeklySummary(r.Context(), parentActor(r, par), id, "")
		if err != nil {
			s.renderError(w, r, http.StatusNotFound, "notfound")
			return
		}
		pg := s.weeklyData(lang, sum, sum.Activity)
		pg.Error = T(lang, "weekly.badweek")
		s.render(w, r, http.StatusBadRequest, "weekly_show", T(lang, "weekly.title", sum.Profile.Nickname), pg)
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "weekly summary", "profile", id, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "weekly_show", T(lang, "weekly.title", sum.Profile.Nickname),
		s.weeklyData(lang, sum, sum.Activity))
}

func (s *Server) weeklyData(lang string, sum *family.Summary, activity bool) weeklyPage {
	// No minutes at all this week (no device used a budgeted service, or
	// the store records none) is said in words, not drawn as bars of zeros.
	pg := weeklyPage{Nickname: sum.Profile.Nickname, ProfileID: sum.Profile.ID, Week: sum.Week, NoActivity: !activity || len(sum.Keys) == 0}
	end := sum.Start.AddDate(0, 0, 6)
	pg.Range = sum.Start.Format("02/01") + " – " + end.Format("02/01/2006")
	pg.Prev = family.WeekOf(sum.Start.AddDate(0, 0, -7))
	if next := sum.Start.AddDate(0, 0, 7); next.Before(time.Now()) {
		pg.Next = family.WeekOf(next)
	}
	short := weekdayShort["vi"]
	if lang == "en" {
		short = weekdayShort["en"]
	}
	for i := range sum.Days {
		pg.Days = append(pg.Days, short[i]+" "+sum.Start.AddDate(0, 0, i).Format("02/01"))
	}
	// The chart stacks the four most used services; the rest is "other".
	var services []string
	for _, k := range sum.Keys {
		if family.ServiceKey(k) {
			services = append(services, k)
		}
	}
	shown := services
	if len(shown) > 4 {
		shown = services[:4]
	}
	cd := chartData{Title: T(lang, "weekly.chart.title"), Unit: T(lang, "weekly.min"), Empty: T(lang, "weekly.chart.empty")}
	for _, k := range shown {
		cd.Series = append(cd.Series, s.tagLabel(k, lang))
	}
	if len(services) > len(shown) {
		cd.Series = append(cd.Series, T(lang, "weekly.other"))
	}
	total := 0
	for i, d := range sum.Days {
		bar := chartBar{Label: short[i]}
		other := 0
		for j, k := range services {
			if j < len(shown) {
				bar.Minutes = append(bar.Minutes, d.Minutes[k])
			} else {
				other += d.Minutes[k]
			}
		}
		if len(services) > len(shown) {
			bar.Minutes = append(bar.Minutes, other)
		}
		pg.Rows = append(pg.Rows, weeklyRow{Day: pg.Days[i], Minutes: bar.Minutes, Total: d.ServiceMinutes()})
		total += d.ServiceMinutes()
		cd.Bars = append(cd.Bars, bar)
	}
	pg.Series, pg.WeekTotal = cd.Series, total
	pg.WeekTotals = make([]int, len(cd.Series))
	for _, r := range pg.Rows {
		for j, m := range r.Minutes {
			pg.WeekTotals[j] += m
		}
	}
	cd.Desc = T(lang, "weekly.chart.desc", total)
	pg.Chart = weeklyChart(cd)
	for _, b := range sum.Blocked {
		name := T(lang, "weekly.blocked.rules")
		if b.Category != "" {
			name = s.tagLabel(b.Category, lang)
		}
		pg.Blocked = append(pg.Blocked, weeklyBlockedRow{Name: name, Queries: b.Blocked})
	}
	pg.BlockedSum = sum.BlockedTotal
	loc := profileLoc(&sum.Profile)
	for _, a := range sum.Alerts {
		pg.Alerts = append(pg.Alerts, weeklyAlertRow{Title: alert.ParentTitle(a, sum.Profile.Nickname, lang),
			When: a.Time.In(loc).Format("15:04 02/01")})
	}
	for _, a := range sum.Advice {
		pg.Advice = append(pg.Advice, a.Text(lang))
	}
	for _, m := range sum.Mails {
		at := m.At.In(loc).Format("15:04 02/01/2006")
		if m.Status == family.MailSent {
			pg.Mail = append(pg.Mail, T(lang, "weekly.mail.sent", at))
		} else {
			pg.Mail = append(pg.Mail, T(lang, "weekly.mail.failed", at, m.Error))
		}
	}
	return pg
}

// WeeklyMailText is the weekly e-mail: plain text, the parent's language,
// and the link to the page with the chart.
func WeeklyMailText(sum *family.Summary, lang, link string) (string, string) {
	if lang != "en" {
		lang = "vi"
	}
	var b []byte
	add := func(f string, a ...any) { b = fmt.Appendf(b, f, a...) }
	end := sum.Start.AddDate(0, 0, 6)
	add("%s\n%s – %s\n\n", T(lang, "weekly.title", sum.Profile.Nickname), sum.Start.Format("02/01"), end.Format("02/01/2006"))
	short := weekdayShort[lang]
	add("%s\n", T(lang, "weekly.time"))
	if !sum.Activity {
		add("  %s\n", T(lang, "weekly.noactivity"))
	}
	for i, d := range sum.Days {
		if sum.Activity {
			add("  %s: %d %s\n", short[i], d.ServiceMinutes(), T(lang, "weekly.min"))
		}
	}
	add("\n%s: %d\n", T(lang, "weekly.blocked"), sum.BlockedTotal)
	for _, c := range sum.Blocked {
		name := c.Category
		if name == "" {
			name = T(lang, "weekly.blocked.rules")
		} else {
			name = alert.CategoryLabel(name, lang)
		}
		add("  %s: %d\n", name, c.Blocked)
	}
	add("\n%s: %d\n", T(lang, "weekly.alerts"), len(sum.Alerts))
	add("\n%s\n", T(lang, "weekly.advice"))
	for _, a := range sum.Advice {
		add("- %s\n", a.Text(lang))
	}
	if link != "" {
		add("\n%s\n%s\n", T(lang, "weekly.mail.link"), link)
	}
	add("\nTổng đài bảo vệ trẻ em / child helpline: 111\n")
	return "[Mạng Lành] " + T(lang, "weekly.title", sum.Profile.Nickname), string(b)
}
