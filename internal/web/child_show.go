package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// Categorizer tells which categories and services of the DNS filter's
// lists a host is in (machine names, "gambling", "tiktok"); the app adapts
// the loaded matcher. Nil: the block page and the child's page say only
// what the profile's own rules say.
type Categorizer interface {
	Categorize(host string) []string
}

// childRoutes registers the child's page, "why was this blocked", the
// ask-my-parent button, the parent's requests page, the weekly summary and
// the parent's alerts (child_*.go, weekly_*.go, parent_alert_*.go).
func (s *Server) childRoutes() {
	if s.cfg.Families == nil {
		return
	}
	s.handle("GET /tre/{token}", s.childShow)
	s.handle("GET /tre/{token}/chan", s.childBlocked)
	s.handle("POST /tre/{token}/xin", s.childAsk)
	s.handle("GET /gia-dinh/yeu-cau", s.parentPage(s.childRequests))
	s.handle("POST /gia-dinh/yeu-cau/{id}", s.parentPage(s.childRequestDecide))
	s.handle("GET /gia-dinh/tre/{id}/tuan", s.parentPage(s.weeklyShow))
	s.parentAlertRoutes()
}

// childRule is one rule said in words a child understands.
type childRule struct{ Text string }

// childBudget is one time budget with what is left today.
type childBudget struct {
	Name      string
	Minutes   int
	Used      int
	Left      int
	Known     bool // Used is known (the DNS server records activity)
	Spent     bool
	PerEach   bool // a limit per game/app, shown without a total left
	LeftWords string
}

type childPage struct {
	Token     string
	Nickname  string
	Rules     []childRule
	Budgets   []childBudget
	Paused    string
	Pending   []family.AllowRequest
	ShowWatch bool // aged 7 or more (or unknown): what is supervised
}

// childProfile loads the profile of the page's token; false (after a 404)
// for an unknown one.
func (s *Server) childProfile(w http.ResponseWriter, r *http.Request) (*family.Profile, bool) {
	p, err := s.cfg.Families.ProfileByToken(r.Context(), r.PathValue("token"))
	if err != nil || p.Kind != family.KindChild {
		if err != nil && !errors.Is(err, family.ErrNotFound) {
			s.log.ErrorContext(r.Context(), "loading a child's page", "err", err)
		}
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return nil, false
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the path
	return p, true
}

// childShow is the child's own page: the rules in plain words, time left
// today, what is supervised, and the requests waiting for a parent.
func (s *Server) childShow(w http.ResponseWriter, r *http.Request) {
	p, ok := s.childProfile(w, r)
	if !ok {
		return
	}
	lang := langOf(r)
	now := time.Now()
	pg := childPage{Token: p.ChildToken, Nickname: p.Nickname}
	age := family.Age(p.BirthYear, now)
	pg.ShowWatch = age == 0 || age >= 7
	info, ok := s.compiledProfile(p, now)
	if ok {
		pg.Rules = s.childRules(lang, p, info)
	}
	if until := p.Rules.PausedUntil; !until.IsZero() && until.After(now) {
		if until.Equal(filter.PauseForever) {
			pg.Paused = T(lang, "child.paused.forever")
		} else {
			pg.Paused = T(lang, "child.paused.until", until.In(profileLoc(p)).Format("15:04 02/01"))
		}
	}
	pg.Budgets = s.childBudgets(r.Context(), lang, p, now)
	if reqs, err := s.cfg.Families.PendingRequests(r.Context(), p.ID); err == nil {
		pg.Pending = reqs
	} else {
		s.log.ErrorContext(r.Context(), "listing a child's requests", "err", err)
	}
	s.render(w, r, http.StatusOK, "child_show", T(lang, "child.title", p.Nickname), pg)
}

// profileLoc is a profile's time zone.
func profileLoc(p *family.Profile) *time.Location {
	name := p.TimeZone
	if name == "" {
		name = filter.DefaultTimeZone
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}

// compiledProfile compiles the one profile as the DNS server does, so the
// page says what is really blocked (the age defaults included).
func (s *Server) compiledProfile(p *family.Profile, now time.Time) (filter.ProfileInfo, bool) {
	specs := family.Specs([]family.Profile{*p}, nil, now)
	pol, err := filter.Compile(s.cfg.Families.Registry(), specs, specs[0].Name)
	if err != nil || len(pol.Profiles()) == 0 {
		s.log.Error("compiling a profile for the child's page", "profile", p.ID, "err", err)
		return filter.ProfileInfo{}, false
	}
	for _, pi := range pol.Profiles() {
		if pi.Name == specs[0].Name {
			return pi, true
		}
	}
	return filter.ProfileInfo{}, false
}

// tagLabel is a category's or service's display name in lang.
func (s *Server) tagLabel(name, lang string) string {
	reg := s.cfg.Families.Registry()
	if t, ok := reg.Tag(name); ok {
		info := reg.Info(t)
		if lang == "en" && info.En != "" {
			return info.En
		}
		if info.Vi != "" {
			return info.Vi
		}
	}
	return name
}

func (s *Server) childRules(lang string, p *family.Profile, info filter.ProfileInfo) []childRule {
	reg := s.cfg.Families.Registry()
	var cats, svcs []string
	for _, n := range reg.Names(info.Blocked) {
		t, _ := reg.Tag(n)
		if reg.Info(t).Kind == filter.KindCategory {
			cats = append(cats, s.tagLabel(n, lang))
		} else {
			svcs = append(svcs, s.tagLabel(n, lang))
		}
	}
	var out []childRule
	if len(cats) > 0 {
		out = append(out, childRule{T(lang, "child.rule.cats", strings.Join(cats, ", "))})
	}
	if len(svcs) > 0 {
		out = append(out, childRule{T(lang, "child.rule.svcs", strings.Join(svcs, ", "))})
	}
	switch info.Safe {
	case filter.SafeSearchStrict, filter.SafeSearchModerate:
		out = append(out, childRule{T(lang, "child.rule.safe")})
	}
	for _, sc := range p.Rules.Schedules {
		what := T(lang, "child.rule.sched.block")
		if len(sc.AllowOnly) > 0 {
			what = T(lang, "child.rule.sched.only")
		}
		name := sc.Name
		if name == "" {
			name = T(lang, "child.rule.sched.noname")
		}
		out = append(out, childRule{T(lang, "child.rule.sched", name, sc.From, sc.To, what)})
	}
	if n := len(p.Rules.Deny); n > 0 {
		out = append(out, childRule{T(lang, "child.rule.deny", n)})
	}
	if len(out) == 0 {
		out = append(out, childRule{T(lang, "child.rule.none")})
	}
	return out
}

// budgetName names a budget key in lang.
func (s *Server) budgetName(key, lang string) string {
	switch {
	case key == "all":
		return T(lang, "child.budget.all")
	case strings.HasPrefix(key, "group:"):
		return T(lang, "child.budget.group."+strings.TrimPrefix(key, "group:"))
	case strings.HasPrefix(key, "each:"):
		return T(lang, "child.budget.each."+strings.TrimPrefix(key, "each:"))
	}
	return s.tagLabel(key, lang)
}

func (s *Server) childBudgets(ctx context.Context, lang string, p *family.Profile, now time.Time) []childBudget {
	budgets := p.Rules.Budgets
	if budgets == nil {
		budgets = family.DefaultBudgets(family.Age(p.BirthYear, now))
	}
	used := map[string]int{}
	known := false
	day := now.In(profileLoc(p)).Format(time.DateOnly)
	if us, err := s.cfg.Families.Usage(ctx, p.ID, day); err == nil {
		known = true
		for _, u := range us {
			used[u.Key] += u.Minutes
		}
	} else if !errors.Is(err, family.ErrNoActivity) {
		s.log.ErrorContext(ctx, "reading usage for the child's page", "profile", p.ID, "err", err)
	}
	var out []childBudget
	for _, b := range budgets {
		cb := childBudget{Name: s.budgetName(b.Key, lang), Minutes: b.Minutes, Known: known,
			PerEach: strings.HasPrefix(b.Key, "each:")}
		if known && !cb.PerEach {
			cb.Used = min(used[b.Key], b.Minutes)
			cb.Left = b.Minutes - cb.Used
			cb.Spent = cb.Left <= 0
		}
		switch {
		case cb.PerEach:
			cb.LeftWords = T(lang, "child.budget.perEach", b.Minutes)
		case !known:
			cb.LeftWords = T(lang, "child.budget.unknown", b.Minutes)
		case cb.Spent:
			cb.LeftWords = T(lang, "child.budget.spent")
		default:
			cb.LeftWords = T(lang, "child.budget.left", cb.Left, b.Minutes)
		}
		out = append(out, cb)
	}
	slices.SortStableFunc(out, func(a, b childBudget) int {
		if a.PerEach != b.PerEach {
			if a.PerEach {
				return 1
			}
			return -1
		}
		return 0
	})
	return out
}
