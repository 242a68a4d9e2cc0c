package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// familyRulesSave saves one section of the rules page ({part}): what is
// blocked all day, safe search, a site allowed or blocked (added or
// removed), a schedule added or removed. The whole rules go to the service
// at once, which saves them all or nothing; a problem shows beside its
// field with what was typed.
func (s *Server) familyRulesSave(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyFormProfile(w, r, p)
	if prof == nil {
		return
	}
	reg, lang := s.familyRegistry(), langOf(r)
	rules := prof.Rules
	// Pause and temporary allows are not this page's: zero values keep
	// them (see family.Service.UpdateRules).
	rules.PausedUntil, rules.TempAllows = time.Time{}, nil
	f := r.PostForm
	ok := url.Values{}
	page := familyRulesPage{}
	section := ""
	rename := func(field string) string { return field }
	switch part := r.PathValue("part"); part {
	case "chan":
		section = "chan"
		old := effectiveBlock(reg, prof.Rules, family.Age(prof.BirthYear, time.Now()))
		if f.Get("mac_dinh") != "" {
			rules.Block = nil
			ok.Set("ok", "defaults")
			break
		}
		ticked := cleanList(f["block"])
		page.Ticked = ticked
		rules.Block = ticked
		if len(ticked) == 0 {
			rules.Block = []string{"none"}
		}
		var add, del []string
		for _, n := range ticked {
			if !slices.Contains(old, n) {
				add = append(add, n)
			}
		}
		for _, n := range old {
			if !slices.Contains(ticked, n) {
				del = append(del, n)
			}
		}
		ok.Set("ok", "block")
		ok.Set("them", strings.Join(add, ","))
		ok.Set("bo", strings.Join(del, ","))
	case "tim-kiem":
		section = "tim-kiem"
		rules.SafeSearch = f.Get("safe_search")
		ok.Set("ok", "safe")
		v := rules.SafeSearch
		if v == "" {
			_, v = ageDefaults(reg, family.Age(prof.BirthYear, time.Now()))
		}
		ok.Set("v", v)
	case "cho-phep", "chan-trang":
		section = part
		site := strings.TrimSpace(f.Get("site"))
		page.Typed = clip(site, 300)
		norm, valid := family.NormalizeDomain(site)
		if site == "" {
			page.Section, page.Errors = section, fieldErrors{map[string]string{"cho-phep": "allow", "chan-trang": "deny"}[part]: T(lang, "family.err.site.empty")}
			s.renderFamilyRules(w, r, prof, http.StatusBadRequest, page)
			return
		}
		if part == "cho-phep" {
			rules.Allow = append(slices.Clone(rules.Allow), site)
			if valid {
				rules.Deny = slices.DeleteFunc(slices.Clone(rules.Deny), func(d string) bool { return d == norm })
			}
			ok.Set("ok", "allow")
		} else {
			rules.Deny = append(slices.Clone(rules.Deny), site)
			if valid {
				rules.Allow = slices.DeleteFunc(slices.Clone(rules.Allow), func(d string) bool { return d == norm })
			}
			ok.Set("ok", "deny")
		}
		ok.Set("site", norm)
	case "bo-cho-phep", "bo-chan-trang":
		section = strings.TrimPrefix(part, "bo-")
		site := f.Get("site")
		list := &rules.Allow
		ok.Set("ok", "unallow")
		if part == "bo-chan-trang" {
			list = &rules.Deny
			ok.Set("ok", "undeny")
		}
		if !slices.Contains(*list, site) {
			s.renderError(w, r, http.StatusNotFound, "notfound")
			return
		}
		*list = slices.DeleteFunc(slices.Clone(*list), func(d string) bool { return d == site })
		ok.Set("site", site)
	case "lich":
		section = "lich"
		sf := scheduleForm{Name: strings.TrimSpace(f.Get("name")), From: f.Get("from"), To: f.Get("to"),
			Days: cleanList(f["days"]), Mode: f.Get("mode"), Items: cleanList(f["items"])}
		page.NewSchedule = sf
		sc := family.Schedule{Name: sf.Name, Days: sf.Days, From: sf.From, To: sf.To}
		items := expandGroups(reg, sf.Items)
		if sf.Mode == "only" {
			sc.AllowOnly = items
			if len(items) == 0 {
				page.Section, page.Errors = section, fieldErrors{"items": T(lang, "family.err.sched.only")}
				s.renderFamilyRules(w, r, prof, http.StatusBadRequest, page)
				return
			}
		} else {
			sc.Block = items
		}
		if sc.Name == "" {
			sc.Name = T(lang, "family.sched.unnamed", len(rules.Schedules)+1)
		}
		i := len(rules.Schedules)
		rules.Schedules = append(slices.Clone(rules.Schedules), sc)
		prefix := "schedules." + strconv.Itoa(i) + "."
		rename = func(field string) string {
			f, ok := strings.CutPrefix(field, prefix)
			if !ok {
				return field
			}
			if f == "block" || f == "allow_only" {
				return "items"
			}
			return f
		}
		ok.Set("ok", "sched")
		ok.Set("name", sc.Name)
	case "bo-lich":
		section = "lich"
		i, err := strconv.Atoi(f.Get("i"))
		if err != nil || i < 0 || i >= len(rules.Schedules) || rules.Schedules[i].Name != f.Get("name") {
			// The list changed meanwhile (another phone): show it again.
			http.Redirect(w, r, familyURL(prof.ID, "quy-tac", "", "lich"), http.StatusSeeOther)
			return
		}
		ok.Set("ok", "unsched")
		ok.Set("name", rules.Schedules[i].Name)
		rules.Schedules = slices.Delete(slices.Clone(rules.Schedules), i, i+1)
	default:
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if _, err := s.cfg.Families.UpdateRules(r.Context(), parentActor(r, p), prof.ID, rules); err != nil {
		fe, isVE := familyFieldErrors(err, lang, rename, "block", "safe_search", "allow", "deny", "name", "days", "from", "to", "items")
		if !isVE {
			s.familyError(w, r, err)
			return
		}
		page.Section, page.Errors = section, fe
		s.renderFamilyRules(w, r, prof, http.StatusBadRequest, page)
		return
	}
	http.Redirect(w, r, "/gia-dinh/tre/"+strconv.FormatInt(prof.ID, 10)+"/quy-tac?"+ok.Encode()+"#"+section, http.StatusSeeOther)
}

// cleanList drops empty and repeated values of a multi-valued field.
func cleanList(in []string) []string {
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v != "" && len(out) < 200 && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// familyPause stops the child's internet now (until resumed), until a
// time today (or tomorrow when that time has passed), or resumes it.
func (s *Server) familyPause(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyFormProfile(w, r, p)
	if prof == nil {
		return
	}
	lang := langOf(r)
	var until time.Time
	ok := url.Values{}
	switch r.PostFormValue("action") {
	case "now":
		until = filter.PauseForever
		ok.Set("ok", "pause")
	case "until":
		at := strings.TrimSpace(r.PostFormValue("until"))
		t, err := time.ParseInLocation("15:04", at, time.UTC)
		if err != nil || len(at) != 5 {
			s.renderFamilyRules(w, r, prof, http.StatusBadRequest, familyRulesPage{Section: "tam-ngat", PauseAt: clip(at, 5),
				Errors: fieldErrors{"until": T(lang, "family.err.until")}})
			return
		}
		loc := profileLocation(prof)
		now := time.Now().In(loc)
		until = time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, loc)
		if !until.After(now) {
			until = until.AddDate(0, 0, 1)
		}
		ok.Set("ok", "pauseuntil")
		ok.Set("at", familyClock(until, now, loc))
	case "resume":
		ok.Set("ok", "resume")
	default:
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	if err := s.cfg.Families.Pause(r.Context(), parentActor(r, p), prof.ID, until); err != nil {
		if fe, isVE := familyFieldErrors(err, lang, nil, "until"); isVE {
			s.renderFamilyRules(w, r, prof, http.StatusBadRequest, familyRulesPage{Section: "tam-ngat", Errors: fe})
			return
		}
		s.familyError(w, r, err)
		return
	}
	back := "quy-tac"
	if r.PostFormValue("back") == "home" {
		http.Redirect(w, r, "/gia-dinh?"+ok.Encode()+"&id="+strconv.FormatInt(prof.ID, 10)+"#tre-"+strconv.FormatInt(prof.ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/gia-dinh/tre/"+strconv.FormatInt(prof.ID, 10)+"/"+back+"?"+ok.Encode()+"#tam-ngat", http.StatusSeeOther)
}
