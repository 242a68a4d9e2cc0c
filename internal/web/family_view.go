package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// What the parent's profile pages share: loading a profile the parent
// owns (404 otherwise), the service's field errors as the page shows them,
// the filter names a parent chooses from, and the time left today.

// seenWithin is how recent a device's last query must be for the pages to
// say it is protected.
const seenWithin = time.Hour

// familyProfile loads the profile of the URL's {id} for parent p; a bad id,
// another family's profile or a missing one answers 404 and returns nil.
func (s *Server) familyProfile(w http.ResponseWriter, r *http.Request, p *family.Parent) *family.Profile {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return nil
	}
	prof, err := s.cfg.Families.Profile(r.Context(), parentActor(r, p), id)
	if err != nil {
		s.familyError(w, r, err)
		return nil
	}
	if prof.Kind != family.KindChild {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return nil
	}
	return prof
}

// familyFormProfile is familyProfile for a form's POST: it also reads the
// form, answering 400 when it cannot be read.
func (s *Server) familyFormProfile(w http.ResponseWriter, r *http.Request, p *family.Parent) *family.Profile {
	prof := s.familyProfile(w, r, p)
	if prof == nil {
		return nil
	}
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return nil
	}
	return prof
}

// familyError answers a family service error that is not a validation
// problem: not found (or not this parent's) is 404, anything else 500.
func (s *Server) familyError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, family.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	s.log.ErrorContext(r.Context(), "family page", "path", r.URL.Path, "err", err)
	s.renderError(w, r, http.StatusInternalServerError, "internal")
}

// fieldErrors is a form's errors by input name, in the page's language;
// the key "" holds those that belong to no input of the form.
type fieldErrors map[string]string

// First is the name of the input that gets the focus: the first of names
// (in the form's order) with an error.
func (fe fieldErrors) First(names ...string) string {
	for _, n := range names {
		if _, ok := fe[n]; ok {
			return n
		}
	}
	return ""
}

// familyFieldErrors turns the service's *family.ValidationError into the
// form's errors: a field the form has (known, after rename) goes beside
// it, any other under "". ok is false when err is no validation error.
func familyFieldErrors(err error, lang string, rename func(field string) string, known ...string) (fieldErrors, bool) {
	var ve *family.ValidationError
	if !errors.As(err, &ve) {
		return nil, false
	}
	fe := fieldErrors{}
	for _, e := range ve.Errors {
		f := e.Field
		if rename != nil {
			f = rename(f)
		}
		if !slices.Contains(known, f) {
			f = ""
		}
		text := e.Vi
		if lang == "en" && e.En != "" {
			text = e.En
		}
		if prev, dup := fe[f]; dup {
			text = prev + " " + text
		}
		fe[f] = text
	}
	if len(fe) == 0 {
		fe[""] = T(lang, "family.err.invalid")
	}
	return fe, true
}

// profileLocation is the profile's time zone (Asia/Ho_Chi_Minh when none).
func profileLocation(p *family.Profile) *time.Location {
	tz := p.TimeZone
	if tz == "" {
		tz = filter.DefaultTimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	return loc
}

// familyClock formats a time as the parent reads it in the profile's zone:
// "14:02" today, "14:02 02/12" another day.
func familyClock(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("15:04 02/01")
}

// filterChoice is one category or service a parent can tick.
type filterChoice struct {
	Name    string
	Label   string
	Why     string // a category's plain-words explanation; "" for a service
	Group   string // a service's group (games, social, video), "" none
	Checked bool
	Default bool // blocked by the age defaults
}

// familyRegistry is the filter catalogue the pages offer (categories and
// services); the family service validates the same names.
func (s *Server) familyRegistry() *filter.Registry {
	return s.cfg.Families.Registry()
}

// ageDefaults is what the filter blocks for a child of age when the parent
// changed nothing, and the safe-search level, from filter.Compile's table
// itself (so the page never disagrees with the DNS server).
func ageDefaults(reg *filter.Registry, age int) (blocked []string, safe string) {
	pol, err := filter.Compile(reg, []filter.ProfileSpec{{Name: "x", Age: age}}, "")
	if err != nil || len(pol.Profiles()) == 0 {
		return nil, ""
	}
	info := pol.Profiles()[0]
	return info.Block, info.Safe.String()
}

// effectiveBlock is what a profile's rules block: the age defaults when
// the parent chose nothing, nothing for ["none"].
func effectiveBlock(reg *filter.Registry, rules family.Rules, age int) []string {
	switch {
	case rules.Block == nil:
		b, _ := ageDefaults(reg, age)
		return b
	case len(rules.Block) == 1 && rules.Block[0] == "none":
		return nil
	}
	return rules.Block
}

// tagLabel is a category's or service's name for people, in lang.
func tagLabel(reg *filter.Registry, name, lang string) string {
	if strings.HasPrefix(name, "group:") || strings.HasPrefix(name, "each:") {
		return T(lang, "family.key."+strings.Replace(name, ":", ".", 1))
	}
	if name == "all" {
		return T(lang, "family.key.all")
	}
	t, ok := reg.Tag(name)
	if !ok {
		return name
	}
	info := reg.Info(t)
	if lang == "en" && info.En != "" {
		return info.En
	}
	if info.Vi != "" {
		return info.Vi
	}
	return name
}

// budgetRow is one time budget with what is used and left today.
type budgetRow struct {
	Key     string
	Label   string
	Minutes int // the budget; 0 none
	Used    int
	Left    int
	Spent   bool
	// Today says the use of today in words ("đã dùng 40 phút, còn 20 phút").
	Today string
	Limit string // the budget in words ("1 giờ")
	// LeftText is what is left in words ("còn 40 phút / 1 giờ").
	LeftText string
	// Each lists, for an "each:<group>" budget, the services of the group
	// used today with their own minutes.
	Each []budgetRow
}

// familyToday is the profile's day (YYYY-MM-DD in its time zone) at now.
func familyToday(p *family.Profile, now time.Time) string {
	return now.In(profileLocation(p)).Format("2006-01-02")
}

// effectiveBudgets is the profile's budgets: the defaults for the child's
// age when the parent chose nothing.
func effectiveBudgets(p *family.Profile, now time.Time) []family.Budget {
	if p.Rules.Budgets == nil {
		return family.DefaultBudgets(family.Age(p.BirthYear, now))
	}
	return p.Rules.Budgets
}

// budgetRows puts the usage of today beside each budget.
func budgetRows(reg *filter.Registry, budgets []family.Budget, usage []family.Usage, lang string) []budgetRow {
	used := map[string]int{}
	for _, u := range usage {
		used[u.Key] += u.Minutes
	}
	var rows []budgetRow
	for _, b := range budgets {
		row := budgetRow{Key: b.Key, Label: tagLabel(reg, b.Key, lang), Minutes: b.Minutes}
		if g, ok := strings.CutPrefix(b.Key, "each:"); ok {
			for _, svc := range reg.Services() {
				if svc.Group != g || used[svc.ID] == 0 {
					continue
				}
				e := budgetRow{Key: svc.ID, Label: tagLabel(reg, svc.ID, lang), Minutes: b.Minutes, Used: used[svc.ID]}
				e.Left, e.Spent = max(0, b.Minutes-e.Used), e.Used >= b.Minutes
				e.Today = todayText(lang, e)
				row.Each = append(row.Each, e)
				row.Used = max(row.Used, e.Used)
			}
		} else {
			row.Used = used[b.Key]
		}
		row.Left, row.Spent = max(0, b.Minutes-row.Used), row.Used >= b.Minutes
		row.Today, row.Limit = todayText(lang, row), minutesText(lang, row.Minutes)
		row.LeftText = T(lang, "family.left", minutesText(lang, row.Left), row.Limit)
		if row.Spent {
			row.LeftText = T(lang, "family.left.spent")
		}
		rows = append(rows, row)
	}
	return rows
}

// todayText says a budget's use today.
func todayText(lang string, b budgetRow) string {
	switch {
	case b.Minutes <= 0:
		return T(lang, "family.budgets.usedonly", minutesText(lang, b.Used))
	case b.Spent:
		return T(lang, "family.budgets.spent", minutesText(lang, b.Minutes))
	}
	return T(lang, "family.budgets.today", minutesText(lang, b.Used), minutesText(lang, b.Left))
}

// minutesText says a number of minutes as a parent reads it: "45 phút",
// "2 giờ 10 phút".
func minutesText(lang string, m int) string {
	h, min := m/60, m%60
	switch {
	case h == 0:
		return T(lang, "family.min", min)
	case min == 0:
		return T(lang, "family.hours", h)
	}
	return T(lang, "family.hoursmin", h, min)
}

// dayNames are the schedule days in the order shown, Monday first.
var dayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// daysText says a schedule's days the Vietnamese way: "T2–T6", "hằng ngày".
func daysText(lang string, days []string) string {
	if len(days) == 0 || len(days) == 7 {
		return T(lang, "family.days.all")
	}
	var idx []int
	for _, d := range days {
		if i := slices.Index(dayNames, d); i >= 0 {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	contiguous := len(idx) > 2
	for i := 1; i < len(idx) && contiguous; i++ {
		contiguous = idx[i] == idx[i-1]+1
	}
	if contiguous {
		return T(lang, "family.day."+dayNames[idx[0]]) + "–" + T(lang, "family.day."+dayNames[idx[len(idx)-1]])
	}
	parts := make([]string, len(idx))
	for i, d := range idx {
		parts[i] = T(lang, "family.day."+dayNames[d])
	}
	return strings.Join(parts, ", ")
}

// overnight reports whether a window runs past midnight.
func overnight(from, to string) bool { return to < from && to != "" }

// pauseText says a pause: "" when not paused.
func pauseText(lang string, until, now time.Time, loc *time.Location) string {
	switch {
	case until.IsZero() || !until.After(now):
		return ""
	case !until.Before(filter.PauseForever):
		return T(lang, "family.paused.forever")
	}
	return T(lang, "family.paused.until", familyClock(until, now, loc))
}

// familyURL is a profile page's address with an ok= confirmation and the
// section to return to.
func familyURL(id int64, page, ok, anchor string) string {
	u := fmt.Sprintf("/gia-dinh/tre/%d/%s", id, page)
	if ok != "" {
		u += "?ok=" + ok
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}
