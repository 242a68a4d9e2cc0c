package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// familyBudgetsPage is what family_budgets.html gets.
type familyBudgetsPage struct {
	Profile  *family.Profile
	Age      int
	Defaults bool // the parent changed nothing: Decree 147/2024's limits apply (under 18)
	// Fixed are the day, group and per-game rows; Services the budgets of
	// single services; Choices the services one can add.
	Fixed    []budgetField
	Services []budgetField
	Choices  []filterChoice
	NoUsage  bool
	Flash    string
	Errors   fieldErrors
	Focus    string
	// NewService and NewMinutes keep a failed add row.
	NewService, NewMinutes string
}

// budgetField is one budget input with today's use.
type budgetField struct {
	budgetRow
	Input     string // the input's name: "m_" + key
	Hint      string
	Value     string // what the input shows ("" = no limit)
	Lang      string
	Err       string
	Autofocus bool
	NoUsage   bool
}

// fixedBudgetKeys are the budgets every page offers, in order.
var fixedBudgetKeys = []string{"all", "each:games", "group:games", "group:social", "group:video"}

func budgetInput(key string) string { return "m_" + key }

// familyBudgets shows the daily time budgets of a child's profile with the
// minutes used and left today.
func (s *Server) familyBudgets(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyProfile(w, r, p)
	if prof == nil {
		return
	}
	d := familyBudgetsPage{}
	q := r.URL.Query()
	switch q.Get("ok") {
	case "saved":
		d.Flash = s.budgetFlash(langOf(r), prof, q.Get("k"))
	case "defaults":
		d.Flash = T(langOf(r), "family.ok.budget.defaults")
	}
	s.renderFamilyBudgets(w, r, prof, http.StatusOK, d, nil)
}

// budgetFlash says what the save changed: each changed key with its new
// minutes, or that it has no limit now.
func (s *Server) budgetFlash(lang string, prof *family.Profile, keys string) string {
	reg := s.familyRegistry()
	now := map[string]int{}
	for _, b := range effectiveBudgets(prof, time.Now()) {
		now[b.Key] = b.Minutes
	}
	var parts []string
	for _, k := range strings.Split(keys, ",") {
		if k == "" || len(parts) > 20 {
			continue
		}
		if !slices.Contains(fixedBudgetKeys, k) {
			if t, ok := reg.Tag(k); !ok || reg.Info(t).Kind != filter.KindService {
				continue
			}
		}
		if m, ok := now[k]; ok {
			parts = append(parts, tagLabel(reg, k, lang)+": "+minutesText(lang, m))
		} else {
			parts = append(parts, tagLabel(reg, k, lang)+": "+T(lang, "family.budget.nolimit"))
		}
	}
	if len(parts) == 0 {
		return T(lang, "family.ok.budget.same")
	}
	return T(lang, "family.ok.budget", strings.Join(parts, "; "))
}

// renderFamilyBudgets shows the page; typed, when set, is the failed
// form's values by input name.
func (s *Server) renderFamilyBudgets(w http.ResponseWriter, r *http.Request, prof *family.Profile, status int, d familyBudgetsPage, typed url.Values) {
	ctx, lang, now := r.Context(), langOf(r), time.Now()
	reg := s.familyRegistry()
	d.Profile, d.Age, d.Defaults = prof, family.Age(prof.BirthYear, now), prof.Rules.Budgets == nil
	budgets := effectiveBudgets(prof, now)
	usage, err := s.cfg.Families.Usage(ctx, prof.ID, familyToday(prof, now))
	if err != nil {
		if !errors.Is(err, family.ErrNoActivity) {
			s.log.ErrorContext(ctx, "reading usage", "profile", prof.ID, "err", err)
		}
		d.NoUsage = true
	}
	// Every offered key gets a row; the ones without a budget show empty.
	minutes := map[string]int{}
	var serviceKeys []string
	for _, b := range budgets {
		minutes[b.Key] = b.Minutes
		if !slices.Contains(fixedBudgetKeys, b.Key) {
			serviceKeys = append(serviceKeys, b.Key)
		}
	}
	field := func(key string) budgetField {
		m := minutes[key]
		rows := budgetRows(reg, []family.Budget{{Key: key, Minutes: max(m, 1)}}, usage, lang)
		f := budgetField{budgetRow: rows[0], Input: budgetInput(key), Lang: lang, NoUsage: d.NoUsage, Err: d.Errors[budgetInput(key)]}
		f.Minutes = m
		if m == 0 {
			f.Left, f.Spent, f.Each = 0, false, nil
		} else {
			f.Value = strconv.Itoa(m)
		}
		if typed != nil {
			f.Value = clip(typed.Get(f.Input), 10)
		}
		if h := T(lang, "family.budget.hint."+strings.Replace(key, ":", ".", 1)); !strings.HasPrefix(h, "family.budget.hint.") {
			f.Hint = h
		}
		return f
	}
	for _, k := range fixedBudgetKeys {
		d.Fixed = append(d.Fixed, field(k))
	}
	for _, k := range serviceKeys {
		d.Services = append(d.Services, field(k))
	}
	for _, svc := range reg.Services() {
		if !slices.Contains(serviceKeys, svc.ID) {
			d.Choices = append(d.Choices, filterChoice{Name: svc.ID, Label: tagLabel(reg, svc.ID, lang), Group: svc.Group})
		}
	}
	var order []string
	for _, f := range d.Fixed {
		order = append(order, f.Input)
	}
	for _, f := range d.Services {
		order = append(order, f.Input)
	}
	d.Focus = d.Errors.First(append(order, "new_service", "new_minutes")...)
	for i := range d.Fixed {
		d.Fixed[i].Autofocus = d.Fixed[i].Input == d.Focus
	}
	for i := range d.Services {
		d.Services[i].Autofocus = d.Services[i].Input == d.Focus
	}
	s.render(w, r, status, "family_budgets", T(lang, "family.budgets.title", prof.Nickname), d)
}

// familyBudgetsSave saves every budget of the form at once: an empty box
// is no limit; the service refuses 0 and more than 1440 minutes (and
// saves nothing then).
func (s *Server) familyBudgetsSave(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyFormProfile(w, r, p)
	if prof == nil {
		return
	}
	lang, now := langOf(r), time.Now()
	rules := prof.Rules
	rules.PausedUntil, rules.TempAllows = time.Time{}, nil
	if r.PostFormValue("mac_dinh") != "" {
		rules.Budgets = nil
		if _, err := s.cfg.Families.UpdateRules(r.Context(), parentActor(r, p), prof.ID, rules); err != nil {
			s.familyError(w, r, err)
			return
		}
		http.Redirect(w, r, familyURL(prof.ID, "thoi-gian", "defaults", "gioi-han"), http.StatusSeeOther)
		return
	}
	f := r.PostForm
	errs := fieldErrors{}
	budgets := []family.Budget{}
	inputs := []string{} // the input of each budget, by index
	keys := slices.Clone(fixedBudgetKeys)
	for _, b := range effectiveBudgets(prof, now) {
		if !slices.Contains(keys, b.Key) {
			keys = append(keys, b.Key)
		}
	}
	add := func(key, input, v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		m, err := strconv.Atoi(v)
		if err != nil {
			errs[input] = T(lang, "family.err.minutes")
			return
		}
		budgets = append(budgets, family.Budget{Key: key, Minutes: m})
		inputs = append(inputs, input)
	}
	for _, k := range keys {
		add(k, budgetInput(k), f.Get(budgetInput(k)))
	}
	if svc := strings.TrimSpace(f.Get("new_service")); svc != "" {
		if slices.Contains(keys, svc) {
			errs["new_service"] = T(lang, "family.err.budget.dup")
		} else if strings.TrimSpace(f.Get("new_minutes")) == "" {
			errs["new_minutes"] = T(lang, "family.err.minutes")
		} else {
			add(svc, "new_minutes", f.Get("new_minutes"))
			keys = append(keys, svc)
		}
	}
	page := familyBudgetsPage{NewService: clip(f.Get("new_service"), 40), NewMinutes: clip(f.Get("new_minutes"), 10)}
	if len(errs) > 0 {
		page.Errors = errs
		s.renderFamilyBudgets(w, r, prof, http.StatusBadRequest, page, f)
		return
	}
	rules.Budgets = budgets
	if _, err := s.cfg.Families.UpdateRules(r.Context(), parentActor(r, p), prof.ID, rules); err != nil {
		rename := func(field string) string {
			rest, ok := strings.CutPrefix(field, "budgets.")
			if !ok {
				return field
			}
			i, part, _ := strings.Cut(rest, ".")
			n, err := strconv.Atoi(i)
			if err != nil || n < 0 || n >= len(inputs) {
				return field
			}
			if part == "key" && inputs[n] == "new_minutes" {
				return "new_service"
			}
			return inputs[n]
		}
		known := append(slices.Clone(inputs), "new_service")
		fe, isVE := familyFieldErrors(err, lang, rename, known...)
		if !isVE {
			s.familyError(w, r, err)
			return
		}
		page.Errors = fe
		s.renderFamilyBudgets(w, r, prof, http.StatusBadRequest, page, f)
		return
	}
	// What changed, for the confirmation.
	before := map[string]int{}
	for _, b := range effectiveBudgets(prof, now) {
		before[b.Key] = b.Minutes
	}
	after := map[string]int{}
	for _, b := range budgets {
		after[b.Key] = b.Minutes
	}
	var changed []string
	for _, k := range keys {
		if before[k] != after[k] {
			changed = append(changed, k)
		}
	}
	q := url.Values{"ok": {"saved"}, "k": {strings.Join(changed, ",")}}
	http.Redirect(w, r, "/gia-dinh/tre/"+strconv.FormatInt(prof.ID, 10)+"/thoi-gian?"+q.Encode()+"#gioi-han", http.StatusSeeOther)
}
