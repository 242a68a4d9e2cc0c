package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/program"
)

// enrolmentPage is what enrolment_show.html gets.
type enrolmentPage struct {
	Year, YearEnd int
	Years         []yearOpt
	From, To      string
	BadPeriod     bool
	Uses          string
	Ward          string
	T1            string
	NoEnrol       string
	Schools       []enrolmentSchool
	Flash         string
	FlashID       int64
	QS            string
}

type yearOpt struct{ Y, End int }

// enrolmentSchool is one school's card: its enrolment form and coverage.
type enrolmentSchool struct {
	ID      int64
	Name    string
	CanEdit bool
	Levels  []enrolmentLevel
	Acts    int
	ActsURL string
	NoEnrol bool
	Err     string // the form's error, beside the field ErrLevel
	ErrLvl  string
}

type enrolmentLevel struct {
	Level    string
	Input    string // the form's value
	Enrolled int
	Has      bool
	Reached  int
	Pct      string
	Capped   bool
}

// enrolmentPeriod reads the school year and the coverage period: the
// whole school year unless from/to say otherwise.
func (s *Server) enrolmentPeriod(r *http.Request) (year int, p program.Period, from, to string, bad bool) {
	loc, q := s.cfg.Location, r.URL.Query()
	now := time.Now().In(loc)
	year = program.SchoolYearOf(now)
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 2000 && y <= year+1 {
		year = y
	} else if q.Get("year") != "" {
		bad = true
	}
	f := time.Date(year, time.September, 1, 0, 0, 0, 0, loc)
	t := time.Date(year+1, time.August, 31, 0, 0, 0, 0, loc)
	if v := q.Get("from"); v != "" {
		if d, ok := parseDay(v, loc); ok {
			f = d
		} else {
			bad = true
		}
	}
	if v := q.Get("to"); v != "" {
		if d, ok := parseDay(v, loc); ok {
			t = d
		} else {
			bad = true
		}
	}
	p = program.Days(f, t, loc)
	if p.Validate() != nil {
		bad = true
		p = program.Days(time.Date(year, time.September, 1, 0, 0, 0, 0, loc), time.Date(year+1, time.August, 31, 0, 0, 0, 0, loc), loc)
	}
	return year, p, p.From.Format("02/01/2006"), p.LastDay().Format("02/01/2006"), bad
}

// enrolmentShow shows every school's enrolment of a school year (editable
// by the ward's staff, and by a school for its own) and the coverage of a
// period, with the rule.
func (s *Server) enrolmentShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.enrolmentData(r, nil)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	q := r.URL.Query()
	if id, _ := strconv.ParseInt(q.Get("school"), 10, 64); id > 0 && q.Get("ok") == "1" {
		for _, sc := range p.Schools {
			if sc.ID == id {
				n := map[string]int{}
				for _, l := range sc.Levels {
					n[l.Level] = l.Enrolled
				}
				p.Flash, p.FlashID = T(langOf(r), "enrolment.ok", p.Year, p.Year+1, sc.Name, n[program.LevelPrimary], n[program.LevelLowerSecondary]), id
			}
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "enrolment_show", T(langOf(r), "enrolment.title"), p)
}

// enrolmentData builds the page; failed, when set, is a refused form to
// show again as typed.
func (s *Server) enrolmentData(r *http.Request, failed *enrolmentSchool) (*enrolmentPage, error) {
	ctx, lang, a := r.Context(), langOf(r), programActor(userFrom(r.Context()))
	year, per, from, to, bad := s.enrolmentPeriod(r)
	es, err := s.cfg.Program.Enrolments(ctx, a, year)
	if err != nil {
		return nil, err
	}
	cov, err := s.cfg.Program.Coverage(ctx, a, per)
	if err != nil {
		return nil, err
	}
	schools, err := s.cfg.Program.Schools(ctx, a)
	if err != nil {
		return nil, err
	}
	p := &enrolmentPage{Year: year, YearEnd: year + 1, From: from, To: to, BadPeriod: bad}
	cur := program.SchoolYearOf(time.Now().In(s.cfg.Location))
	for y := cur + 1; y >= max(2020, cur-6); y-- {
		p.Years = append(p.Years, yearOpt{y, y + 1})
	}
	uy := program.PeriodSchoolYear(per)
	p.Uses = T(lang, "enrolment.uses", per.String(), uy, uy+1)
	v := url.Values{"year": {strconv.Itoa(year)}, "from": {from}, "to": {to}}
	p.QS = "?" + v.Encode()
	if cov.Pupils.Known() {
		p.Ward = T(lang, "enrolment.ward", cov.Pupils.Num, cov.Pupils.Den, percent(cov.Pupils, lang))
	} else {
		p.Ward = T(lang, "enrolment.ward.none")
	}
	p.T1 = T(lang, "enrolment.t1", cov.Schools.Num, cov.Schools.Den)
	if cov.SchoolsNoEnrolment > 0 {
		p.NoEnrol = T(lang, "enrolment.noenrol.n", cov.SchoolsNoEnrolment, cov.ReachedNoEnrolment)
	}
	enrolled := map[int64]map[string]int{}
	for _, e := range es {
		if enrolled[e.SchoolID] == nil {
			enrolled[e.SchoolID] = map[string]int{}
		}
		enrolled[e.SchoolID][e.Level] = e.Pupils
	}
	bySchool := map[int64]program.SchoolCoverage{}
	for _, sc := range cov.BySchool {
		bySchool[sc.SchoolID] = sc
	}
	scoped := a.Role == program.RoleSchool || a.Role == program.RoleTeacher
	for _, sc := range schools {
		if scoped && sc.ID != a.OrgID {
			continue
		}
		c := bySchool[sc.ID]
		row := enrolmentSchool{ID: sc.ID, Name: sc.Name, CanEdit: program.CanSetEnrolment(a, sc.ID), Acts: c.Activities,
			NoEnrol: len(c.Enrolled) == 0}
		row.ActsURL = "/can-bo/hoat-dong?" + url.Values{"school": {strconv.FormatInt(sc.ID, 10)}, "from": {from}, "to": {to}}.Encode() + "#ket-qua"
		for _, lv := range program.Levels() {
			en, has := enrolled[sc.ID][lv]
			l := enrolmentLevel{Level: lv, Enrolled: en, Has: has, Reached: c.Reached[lv]}
			if has {
				l.Input = strconv.Itoa(en)
			}
			if _, ok := c.Enrolled[lv]; ok {
				l.Pct = percent(program.Ratio{Num: int64(c.Reached[lv]), Den: int64(c.Enrolled[lv])}, lang)
			}
			for _, x := range c.Capped {
				l.Capped = l.Capped || x == lv
			}
			row.Levels = append(row.Levels, l)
		}
		if failed != nil && failed.ID == sc.ID {
			row.Err, row.ErrLvl = failed.Err, failed.ErrLvl
			for i := range row.Levels {
				row.Levels[i].Input = failed.Levels[i].Input
			}
		}
		p.Schools = append(p.Schools, row)
	}
	return p, nil
}

// enrolmentSave records one school's two counts, then returns to its card.
func (s *Server) enrolmentSave(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, lang, a := r.Context(), langOf(r), programActor(userFrom(r.Context()))
	school, _ := strconv.ParseInt(r.PostFormValue("school"), 10, 64)
	year, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil || school <= 0 {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	// The page to show again or return to keeps the year and period.
	r.URL.RawQuery = url.Values{"year": {strconv.Itoa(year)}, "from": {r.PostFormValue("from")}, "to": {r.PostFormValue("to")}}.Encode()
	failed := &enrolmentSchool{ID: school}
	var counts []program.Enrolment
	for _, lv := range program.Levels() {
		v := strings.TrimSpace(r.PostFormValue(lv))
		failed.Levels = append(failed.Levels, enrolmentLevel{Level: lv, Input: v})
		n := 0
		if v != "" {
			if n, err = strconv.Atoi(strings.ReplaceAll(v, ".", "")); err != nil || n < 0 || n > program.MaxEnrolment {
				if failed.Err == "" {
					failed.Err, failed.ErrLvl = T(lang, "enrolment.err.number"), lv
				}
				continue
			}
		}
		counts = append(counts, program.Enrolment{SchoolID: school, SchoolYear: year, Level: lv, Pupils: n})
	}
	if failed.Err == "" {
		for _, e := range counts {
			err := s.cfg.Program.SetEnrolment(ctx, a, e)
			var fe program.FieldErrors
			if errors.As(err, &fe) {
				for _, k := range fe {
					failed.Err, failed.ErrLvl = T(lang, k), e.Level
				}
				break
			}
			if err != nil {
				s.programError(w, r, err)
				return
			}
		}
	}
	if failed.Err != "" {
		p, err := s.enrolmentData(r, failed)
		if err != nil {
			s.programError(w, r, err)
			return
		}
		s.render(w, r, http.StatusBadRequest, "enrolment_show", T(lang, "enrolment.title"), p)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/si-so?%s&ok=1&school=%d#truong-%d", r.URL.RawQuery, school, school), http.StatusSeeOther)
}
