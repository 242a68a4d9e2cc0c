package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// familyRulesPage is what family_rules.html gets.
type familyRulesPage struct {
	Profile *family.Profile
	Age     int
	// Categories and Groups are the checkboxes of what is blocked all day;
	// Defaults says the parent changed nothing (the age defaults apply).
	Categories []filterChoice
	Groups     []serviceGroup
	Defaults   bool
	// DefaultText is what the age defaults block, for the explanation.
	DefaultText string
	Safe        string // the effective safe search: strict, moderate, off
	SafeChoice  string // what the parent chose ("" = age default)
	SafeDefault string
	Allow, Deny []string
	Schedules   []scheduleView
	// NewSchedule is the add form (a preset, or what was typed).
	NewSchedule scheduleForm
	Paused      string // what the pause says, "" when not paused
	PauseAt     string // the "until" time offered, HH:MM
	Flash       string
	FlashAt     string // the section the flash belongs to
	// Section is the form that failed, Errors its errors.
	Section string
	Errors  fieldErrors
	Focus   string
	// Typed keeps a failed site form's input.
	Typed  string
	Ticked []string
	// The add-schedule form's choices.
	Days        []filterChoice
	ItemGroups  []filterChoice
	ItemApps    []serviceGroup
	AppsOpen    bool
	SafeOptions []string
	// The allowed and blocked sites' sections.
	AllowSec, DenySec siteSection
}

// siteSection is the list of allowed (or blocked) sites with its add form.
type siteSection struct {
	Lang, CSRF     string
	ID             int64
	Section, Field string // "cho-phep"/"allow" or "chan-trang"/"deny"
	Sites          []string
	Flash          string
	Errors         fieldErrors
	Typed          string
}

// serviceGroup is a group of services (games, social, video, other).
type serviceGroup struct {
	Name     string
	Label    string
	Services []filterChoice
	Blocked  int // how many of Services are ticked
}

// scheduleView is one saved schedule as the parent reads it.
type scheduleView struct {
	Index     int
	Name      string
	Days      string
	From, To  string
	Overnight bool
	Only      bool   // allow only the items (else block them)
	ItemsText string // what it blocks or allows, for people
}

// scheduleForm is the add-schedule form.
type scheduleForm struct {
	Name, From, To string
	Days           []string
	Mode           string // "block" or "only"
	Items          []string
}

// familyRules shows the rules of a child's profile.
func (s *Server) familyRules(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyProfile(w, r, p)
	if prof == nil {
		return
	}
	d := familyRulesPage{}
	q := r.URL.Query()
	switch q.Get("mau") {
	case "hoc":
		d.NewSchedule = scheduleForm{Name: T(langOf(r), "family.sched.preset.school"), Days: []string{"mon", "tue", "wed", "thu", "fri"},
			From: "07:00", To: "11:30", Mode: "block", Items: []string{"group:games", "group:social", "group:video"}}
	case "ngu":
		d.NewSchedule = scheduleForm{Name: T(langOf(r), "family.sched.preset.bed"), From: "21:30", To: "06:00", Mode: "only", Items: []string{"zalo"}}
	}
	d.Flash, d.FlashAt = s.familyRulesFlash(langOf(r), q)
	s.renderFamilyRules(w, r, prof, http.StatusOK, d)
}

// familyRulesFlash is the confirmation of the change just made, from the
// redirect's query (names are shown only if the filter knows them).
func (s *Server) familyRulesFlash(lang string, q url.Values) (text, section string) {
	reg := s.familyRegistry()
	labels := func(key string) string {
		var out []string
		for _, n := range strings.Split(q.Get(key), ",") {
			if _, ok := reg.Tag(n); ok {
				out = append(out, tagLabel(reg, n, lang))
			}
		}
		return strings.Join(out, ", ")
	}
	site := q.Get("site")
	if d, ok := family.NormalizeDomain(site); ok {
		site = d
	} else {
		site = ""
	}
	switch k := q.Get("ok"); k {
	case "block":
		add, del := labels("them"), labels("bo")
		switch {
		case add != "" && del != "":
			return T(lang, "family.ok.block.both", add, del), "chan"
		case add != "":
			return T(lang, "family.ok.block.add", add), "chan"
		case del != "":
			return T(lang, "family.ok.block.del", del), "chan"
		}
		return T(lang, "family.ok.block.same"), "chan"
	case "defaults":
		return T(lang, "family.ok.defaults"), "chan"
	case "safe":
		return T(lang, "family.ok.safe."+map[string]string{"strict": "strict", "moderate": "moderate", "off": "off"}[q.Get("v")]), "tim-kiem"
	case "allow", "unallow", "deny", "undeny":
		if site == "" {
			return "", ""
		}
		sec := "cho-phep"
		if strings.HasSuffix(k, "deny") {
			sec = "chan-trang"
		}
		return T(lang, "family.ok."+k, site), sec
	case "sched":
		return T(lang, "family.ok.sched", clip(q.Get("name"), 40)), "lich"
	case "unsched":
		return T(lang, "family.ok.unsched", clip(q.Get("name"), 40)), "lich"
	case "pause", "pauseuntil", "resume":
		return T(lang, "family.ok."+k, clip(q.Get("at"), 5)), "tam-ngat"
	}
	return "", ""
}

func (s *Server) renderFamilyRules(w http.ResponseWriter, r *http.Request, prof *family.Profile, status int, d familyRulesPage) {
	lang, now := langOf(r), time.Now()
	reg := s.familyRegistry()
	d.Profile, d.Age = prof, family.Age(prof.BirthYear, now)
	defaults, defSafe := ageDefaults(reg, d.Age)
	var names []string
	for _, n := range defaults {
		names = append(names, tagLabel(reg, n, lang))
	}
	d.DefaultText = strings.Join(names, ", ")
	d.Defaults = prof.Rules.Block == nil
	blocked := effectiveBlock(reg, prof.Rules, d.Age)
	if d.Ticked != nil {
		blocked = d.Ticked // a failed form shows the ticks as sent
	}
	groups := map[string]*serviceGroup{}
	for _, g := range append(slices.Clone(filter.Groups), "") {
		sg := &serviceGroup{Name: g, Label: T(lang, "family.group."+orOther(g))}
		groups[g] = sg
	}
	for _, info := range reg.Tags() {
		c := filterChoice{Name: info.Name, Label: tagLabel(reg, info.Name, lang), Checked: slices.Contains(blocked, info.Name),
			Default: slices.Contains(defaults, info.Name)}
		if info.Kind == filter.KindCategory {
			c.Why = T(lang, "family.why."+info.Name)
			if c.Why == "family.why."+info.Name {
				c.Why = ""
			}
			d.Categories = append(d.Categories, c)
			continue
		}
		c.Group = reg.Group(info.Tag)
		groups[c.Group].Services = append(groups[c.Group].Services, c)
		if c.Checked {
			groups[c.Group].Blocked++
		}
	}
	for _, g := range append(slices.Clone(filter.Groups), "") {
		if len(groups[g].Services) > 0 {
			d.Groups = append(d.Groups, *groups[g])
		}
	}
	d.SafeChoice, d.SafeDefault, d.Safe = prof.Rules.SafeSearch, defSafe, prof.Rules.SafeSearch
	if d.Safe == "" {
		d.Safe = defSafe
	}
	d.Allow, d.Deny = prof.Rules.Allow, prof.Rules.Deny
	for i, sc := range prof.Rules.Schedules {
		v := scheduleView{Index: i, Name: sc.Name, Days: daysText(lang, sc.Days), From: sc.From, To: sc.To,
			Overnight: overnight(sc.From, sc.To), Only: len(sc.AllowOnly) > 0}
		items := sc.Block
		if v.Only {
			items = sc.AllowOnly
		}
		var labels []string
		for _, n := range compactGroups(reg, items) {
			labels = append(labels, tagLabel(reg, n, lang))
		}
		v.ItemsText = strings.Join(labels, ", ")
		if v.Name == "" {
			v.Name = T(lang, "family.sched.unnamed", i+1)
		}
		d.Schedules = append(d.Schedules, v)
	}
	if d.NewSchedule.Mode == "" {
		d.NewSchedule.Mode = "block"
	}
	ns := d.NewSchedule
	for _, day := range dayNames {
		d.Days = append(d.Days, filterChoice{Name: day, Label: T(lang, "family.day."+day), Why: T(lang, "family.day.long."+day),
			Checked: slices.Contains(ns.Days, day)})
	}
	for _, g := range filter.Groups {
		d.ItemGroups = append(d.ItemGroups, filterChoice{Name: "group:" + g, Label: T(lang, "family.group."+g),
			Checked: slices.Contains(ns.Items, "group:"+g)})
	}
	for _, g := range d.Groups {
		sg := serviceGroup{Name: g.Name, Label: g.Label}
		for _, c := range g.Services {
			c.Checked = slices.Contains(ns.Items, c.Name)
			d.AppsOpen = d.AppsOpen || c.Checked
			sg.Services = append(sg.Services, c)
		}
		d.ItemApps = append(d.ItemApps, sg)
	}
	d.SafeOptions = []string{"strict", "moderate", "off"}
	site := func(section, field string, sites []string) siteSection {
		ss := siteSection{Lang: lang, CSRF: csrfToken(r), ID: prof.ID, Section: section, Field: field, Sites: sites}
		if d.FlashAt == section {
			ss.Flash = d.Flash
		}
		if d.Section == section {
			ss.Errors, ss.Typed = d.Errors, d.Typed
		}
		return ss
	}
	d.AllowSec, d.DenySec = site("cho-phep", "allow", d.Allow), site("chan-trang", "deny", d.Deny)
	loc := profileLocation(prof)
	d.Paused = pauseText(lang, prof.Rules.PausedUntil, now, loc)
	if d.PauseAt == "" {
		d.PauseAt = "20:00"
		if t := now.In(loc); t.Hour() >= 20 {
			d.PauseAt = t.Add(time.Hour).Truncate(time.Hour).Format("15:04")
		}
	}
	d.Focus = d.Errors.First("block", "safe_search", "allow", "deny", "name", "days", "from", "to", "items", "until")
	s.render(w, r, status, "family_rules", T(lang, "family.rules.title", prof.Nickname), d)
}

func orOther(g string) string {
	if g == "" {
		return "other"
	}
	return g
}

// compactGroups writes a list of services with whole groups as
// "group:<g>" (a schedule stores services; the parent chose groups).
func compactGroups(reg *filter.Registry, names []string) []string {
	var out []string
	used := map[string]bool{}
	for _, g := range filter.Groups {
		svcs := reg.GroupServices(g)
		if len(svcs) == 0 {
			continue
		}
		all := true
		for _, s := range svcs {
			all = all && slices.Contains(names, s)
		}
		if all {
			out = append(out, "group:"+g)
			for _, s := range svcs {
				used[s] = true
			}
		}
	}
	for _, n := range names {
		if !used[n] {
			out = append(out, n)
		}
	}
	return out
}

// expandGroups turns "group:<g>" items into the group's services.
func expandGroups(reg *filter.Registry, items []string) []string {
	var out []string
	for _, it := range items {
		if g, ok := strings.CutPrefix(it, "group:"); ok {
			for _, s := range reg.GroupServices(g) {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			continue
		}
		if !slices.Contains(out, it) {
			out = append(out, it)
		}
	}
	return out
}
