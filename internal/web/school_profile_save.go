package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"manglanh/internal/family"
)

// schoolProfileSave handles the forms of a school or class profile
// (POST /can-bo/truong/ho-so/{id}/{part}): every change goes through the
// family service (validated whole, saved atomically, policy reloaded),
// then 303 back to the part of the page with a confirmation; an error
// shows the page again with the message beside its field.
func (s *Server) schoolProfileSave(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, a, id := r.Context(), staffFamilyActor(r), profileID(r)
	prof, err := s.cfg.Families.Profile(ctx, a, id)
	if err == nil && prof.Kind != family.KindSchool && prof.Kind != family.KindClass {
		err = family.ErrNotFound
	}
	if err != nil {
		s.schoolError(w, r, err)
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	form := map[string]string{}
	rules := prof.Rules
	section, ok := "", ""
	switch part := r.PathValue("part"); part {
	case "ten":
		section, ok = "ten", "renamed"
		form["name"] = v("name")
		_, err = s.cfg.Families.RenameOrgProfile(ctx, a, id, v("name"))
	case "mang":
		section, ok = "mang", "networks"
		text := r.PostFormValue("networks")
		if len(text) > 8000 {
			text = text[:8000]
		}
		form["networks"] = text
		_, err = s.cfg.Families.SetNetworks(ctx, a, id, family.SplitNetworks(text))
	case "chan":
		section, ok = "chan", "blocked"
		rules.Block = r.PostForm["block"]
		if len(rules.Block) == 0 {
			rules.Block = []string{"none"}
		}
		rules.SafeSearch = v("safe_search")
		_, err = s.cfg.Families.UpdateRules(ctx, a, id, rules)
	case "lich":
		section, ok = "lich", "schedule"
		sc := family.Schedule{Name: v("sched_name"), Days: r.PostForm["sched_days"], From: v("sched_from"), To: v("sched_to")}
		if v("sched_mode") == "allow_only" {
			sc.AllowOnly = family.SplitNetworks(strings.ToLower(v("sched_allow")))
		} else {
			sc.Block = r.PostForm["sched_block"]
		}
		form["sched_name"], form["sched_from"], form["sched_to"] = sc.Name, sc.From, sc.To
		form["sched_days"], form["sched_block"] = strings.Join(sc.Days, ","), strings.Join(r.PostForm["sched_block"], ",")
		form["sched_mode"], form["sched_allow"] = v("sched_mode"), v("sched_allow")
		if form["sched_days"] == "" {
			form["sched_days"] = "none"
		}
		rules.Schedules = append(slices.Clone(rules.Schedules), sc)
		_, err = s.cfg.Families.UpdateRules(ctx, a, id, rules)
	case "lich-mau":
		section, ok = "lich", "schoolhours"
		added := 0
		rules.Schedules = slices.Clone(rules.Schedules)
		for _, sc := range family.SchoolHours() {
			if !slices.ContainsFunc(rules.Schedules, func(x family.Schedule) bool {
				return x.Name == sc.Name && x.From == sc.From && x.To == sc.To
			}) {
				rules.Schedules, added = append(rules.Schedules, sc), added+1
			}
		}
		if added == 0 {
			ok = "schoolhours_already" // nothing to save: say so, change nothing
			break
		}
		_, err = s.cfg.Families.UpdateRules(ctx, a, id, rules)
	case "lich-xoa":
		section, ok = "lich", "unscheduled"
		n, perr := strconv.Atoi(v("index"))
		if perr != nil || n < 0 || n >= len(rules.Schedules) {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		rules.Schedules = slices.Delete(slices.Clone(rules.Schedules), n, n+1)
		_, err = s.cfg.Families.UpdateRules(ctx, a, id, rules)
	case "trang":
		section = "trang-web"
		site, list := v("site"), v("list")
		form["site"], form["list"] = site, list
		d, good := family.NormalizeDomain(site)
		if !good {
			s.renderSchoolProfile(w, r, http.StatusUnprocessableEntity, schoolProfilePage{Form: form,
				Errors: map[string][]string{"site": {T(langOf(r), "school.err.site")}}})
			return
		}
		rules.Allow = slices.DeleteFunc(slices.Clone(rules.Allow), func(x string) bool { return x == d })
		rules.Deny = slices.DeleteFunc(slices.Clone(rules.Deny), func(x string) bool { return x == d })
		if list == "allow" {
			rules.Allow, ok = append(rules.Allow, d), "allowed"
		} else {
			rules.Deny, ok = append(rules.Deny, d), "denied"
		}
		_, err = s.cfg.Families.UpdateRules(ctx, a, id, rules)
	case "trang-xoa":
		section, ok = "trang-web", "siteremoved"
		site := v("site")
		rules.Allow = slices.DeleteFunc(slices.Clone(rules.Allow), func(x string) bool { return x == site })
		rules.Deny = slices.DeleteFunc(slices.Clone(rules.Deny), func(x string) bool { return x == site })
		_, err = s.cfg.Families.UpdateRules(ctx, a, id, rules)
	case "xoa":
		if err := s.cfg.Families.DeleteOrgProfile(ctx, a, id); err != nil {
			var ve *family.ValidationError
			if errors.As(err, &ve) {
				s.renderSchoolProfile(w, r, http.StatusUnprocessableEntity, schoolProfilePage{Form: form,
					Errors: map[string][]string{"delete": {ve.Errors[0].Message(langOf(r))}}})
				return
			}
			s.schoolError(w, r, err)
			return
		}
		http.Redirect(w, r, "/can-bo/truong?ok=deleted#ho-so", http.StatusSeeOther)
		return
	default:
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	var ve *family.ValidationError
	if errors.As(err, &ve) {
		s.renderSchoolProfile(w, r, http.StatusUnprocessableEntity, schoolProfilePage{Form: form,
			Errors: pageFieldErrors(langOf(r), ve, len(prof.Rules.Schedules))})
		return
	}
	if err != nil {
		s.schoolError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/truong/ho-so/%d?ok=%s#%s", id, ok, section), http.StatusSeeOther)
}

// pageFieldErrors maps the service's field names to the profile page's:
// the new window's fields ("schedules.<n>.from" → "sched_from"), the site
// lists ("allow", "deny" → "site"); an error on an older window is shown
// at the top of the windows' section.
func pageFieldErrors(lang string, ve *family.ValidationError, newIndex int) map[string][]string {
	out := map[string][]string{}
	prefix := fmt.Sprintf("schedules.%d.", newIndex)
	for _, e := range ve.Errors {
		f := e.Field
		switch {
		case strings.HasPrefix(f, prefix):
			f = "sched_" + strings.TrimPrefix(f, prefix)
		case strings.HasPrefix(f, "schedules"):
			f = "schedules"
		case f == "allow" || f == "deny":
			f = "site"
		}
		out[f] = append(out[f], e.Message(lang))
	}
	return out
}
