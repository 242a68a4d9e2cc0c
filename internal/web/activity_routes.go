package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/program"
)

// activityRoutes registers the activity, enrolment and coverage pages
// (activity_*.go, enrolment_*.go). The programme service checks who may do
// what; a school account sees its school's rows only.
func (s *Server) activityRoutes() {
	activityMessagesOnce.Do(func() {
		if err := addMessages(activityMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	staff := s.requireRole()
	s.handle("GET /can-bo/hoat-dong", staff(s.activityList))
	s.handle("GET /can-bo/hoat-dong.csv", staff(s.activityExport("csv")))
	s.handle("GET /can-bo/hoat-dong.xlsx", staff(s.activityExport("xlsx")))
	s.handle("GET /can-bo/hoat-dong/moi", staff(s.activityNew))
	s.handle("POST /can-bo/hoat-dong/moi", staff(s.activitySave))
	s.handle("GET /can-bo/hoat-dong/{id}", staff(s.activityShow))
	s.handle("GET /can-bo/hoat-dong/{id}/sua", staff(s.activityEdit))
	s.handle("POST /can-bo/hoat-dong/{id}/sua", staff(s.activitySave))
	s.handle("GET /can-bo/hoat-dong/{id}/xoa", staff(s.activityDeleteConfirm))
	s.handle("POST /can-bo/hoat-dong/{id}/xoa", staff(s.activityDelete))
	s.handle("GET /can-bo/si-so", staff(s.enrolmentShow))
	s.handle("POST /can-bo/si-so", staff(s.enrolmentSave))
	s.handle("GET /can-bo/si-so.csv", staff(s.enrolmentExport("csv")))
	s.handle("GET /can-bo/si-so.xlsx", staff(s.enrolmentExport("xlsx")))
}

// programError answers a programme error that is not a form's.
func (s *Server) programError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, program.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
	case errors.Is(err, program.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
	default:
		s.log.ErrorContext(r.Context(), "programme page", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	}
}

// parseDay reads a date typed dd/mm/yyyy (or d/m/yyyy, with / . or -) or
// given yyyy-mm-dd (a date input), at local midnight.
func parseDay(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 10 {
		return time.Time{}, false
	}
	if t, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
		return t, true
	}
	v = strings.NewReplacer(".", "/", "-", "/").Replace(v)
	for _, layout := range []string{"02/01/2006", "2/1/2006", "02/1/2006", "2/01/2006"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// activityQuery is the list's filter as the query gives it (the dashboard
// links to these parameters: kind, from, to, school, group, page).
type activityQuery struct {
	Kind, From, To, Group string
	School                int64
	Page                  int
	Bad                   string // the parameter that was not understood
	Filter                program.ActivityFilter
}

const activityPageSize = 20

func (s *Server) readActivityQuery(r *http.Request) activityQuery {
	q := r.URL.Query()
	aq := activityQuery{Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to"), Group: q.Get("group"), Page: 1}
	loc := s.cfg.Location
	if aq.Kind != "" && !slices.Contains(program.ActivityKinds(), aq.Kind) {
		aq.Bad, aq.Kind = "kind", ""
	}
	if aq.Group != "" && !slices.Contains(program.ParticipantGroups(), aq.Group) {
		aq.Bad, aq.Group = "group", ""
	}
	if v := q.Get("school"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			aq.School = n
		} else {
			aq.Bad = "school"
		}
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n < 100_000 {
		aq.Page = n
	}
	f := program.ActivityFilter{Kind: aq.Kind, Group: aq.Group, SchoolID: aq.School}
	if aq.From != "" {
		if t, ok := parseDay(aq.From, loc); ok {
			f.Period.From = t
			aq.From = t.Format("02/01/2006")
		} else {
			aq.Bad, aq.From = "from", ""
		}
	}
	if aq.To != "" {
		if t, ok := parseDay(aq.To, loc); ok {
			f.Period.To = t.AddDate(0, 0, 1)
			aq.To = t.Format("02/01/2006")
		} else {
			aq.Bad, aq.To = "to", ""
		}
	}
	if !f.Period.From.IsZero() && !f.Period.To.IsZero() && !f.Period.From.Before(f.Period.To) {
		aq.Bad, f.Period.To, aq.To = "to", time.Time{}, ""
	}
	f.Limit, f.Offset = activityPageSize, (aq.Page-1)*activityPageSize
	aq.Filter = f
	return aq
}

// encode is the query string of the filter with page p (0: no page).
func (aq activityQuery) encode(p int) string {
	v := url.Values{}
	for k, x := range map[string]string{"kind": aq.Kind, "from": aq.From, "to": aq.To, "group": aq.Group} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if aq.School != 0 {
		v.Set("school", strconv.FormatInt(aq.School, 10))
	}
	if p > 1 {
		v.Set("page", strconv.Itoa(p))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// activityWhat describes an activity in a confirmation: its kind as a
// noun, its date, its places and who took part ("buổi truyền thông",
// "12/03/2025", "Trường THCS Phù Liễn", "120 học sinh, 6 giáo viên").
func (s *Server) activityWhat(lang string, a *program.Activity) (noun, date, places, people string) {
	noun = T(lang, "activity.noun."+a.Kind)
	date = a.Date.In(s.cfg.Location).Format("02/01/2006")
	var names []string
	for _, p := range a.Places {
		n := p.Name
		if n == "" {
			n = T(lang, "activity.placekind."+p.Kind)
		}
		names = append(names, n)
	}
	places = strings.Join(names, ", ")
	byGroup := map[string]int{}
	for _, p := range a.Participants {
		byGroup[p.Group] += p.Count
	}
	var parts []string
	for _, g := range program.ParticipantGroups() {
		if byGroup[g] > 0 {
			parts = append(parts, T(lang, "activity.group."+g+".n", byGroup[g]))
		}
	}
	people = strings.Join(parts, ", ")
	if people == "" {
		people = T(lang, "activity.nobody")
	}
	return
}

func (s *Server) activityFlash(lang, ok string, a *program.Activity) string {
	noun, date, places, people := s.activityWhat(lang, a)
	return T(lang, "activity.ok."+ok, noun, date, places, people)
}

// activityID is the {id} of the path, or 0.
func activityID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// schoolNames maps the directory's school ids to names.
func schoolNames(list []program.School) map[int64]string {
	m := make(map[int64]string, len(list))
	for _, sc := range list {
		m[sc.ID] = sc.Name
	}
	return m
}

func percent(r program.Ratio, lang string) string {
	if !r.Known() {
		return "–"
	}
	p := fmt.Sprintf("%.1f %%", r.Percent())
	if lang != "en" {
		p = strings.Replace(p, ".", ",", 1)
	}
	return p
}
