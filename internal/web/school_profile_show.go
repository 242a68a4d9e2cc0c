package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// schoolProfilePage is what school_profile.html gets: one school or class
// profile of the signed-in school account's school, with a form per part
// (#ten, #mang, #chan, #lich, #trang-web, #xoa).
type schoolProfilePage struct {
	P         *family.Profile
	IsSchool  bool
	Flash     string
	Errors    map[string][]string // form field → messages
	Form      map[string]string   // what was typed in the form that failed
	NetsText  string
	Cats      []tagOption // the block form
	Services  []tagOption
	SchedCats []tagOption // the new window's form
	SchedSvcs []tagOption
	Days      []tagOption
	Scheds    []schedView
	Safe      string
	SafeOpts  []tagOption
	DNSName   string // <label>.<profile domain>, when encrypted DNS is on
}

// tagOption is one checkbox.
type tagOption struct {
	Name, Label string
	Checked     bool
}

// schedView is one window of the profile.
type schedView struct {
	Index    int
	Name     string
	Days     string
	From, To string
	What     string
}

func (s *Server) schoolProfileShow(w http.ResponseWriter, r *http.Request) {
	p := schoolProfilePage{}
	if k := r.URL.Query().Get("ok"); k != "" {
		if _, ok := messages["school.ok."+k]; ok {
			p.Flash = T(langOf(r), "school.ok."+k)
		}
	}
	s.renderSchoolProfile(w, r, http.StatusOK, p)
}

// profileID is the {id} of the URL; 0 when it is not a number.
func profileID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func (s *Server) renderSchoolProfile(w http.ResponseWriter, r *http.Request, status int, p schoolProfilePage) {
	lang := langOf(r)
	prof, err := s.cfg.Families.Profile(r.Context(), staffFamilyActor(r), profileID(r))
	if err == nil && prof.Kind != family.KindSchool && prof.Kind != family.KindClass {
		err = family.ErrNotFound
	}
	if err != nil {
		s.schoolError(w, r, err)
		return
	}
	p.P, p.IsSchool = prof, prof.Kind == family.KindSchool
	if p.Form == nil {
		p.Form = map[string]string{}
	}
	p.NetsText = strings.Join(prof.Networks, "\n")
	if v, ok := p.Form["networks"]; ok {
		p.NetsText = v
	}
	p.Safe = prof.Rules.SafeSearch
	for _, v := range []string{"strict", "moderate", "off", ""} {
		label := T(lang, "school.safe.default")
		if v != "" {
			label = T(lang, "school.safe."+v)
		}
		p.SafeOpts = append(p.SafeOpts, tagOption{Name: v, Label: label, Checked: v == p.Safe})
	}
	if d := s.cfg.Families.ProfileDomain(); d != "" {
		p.DNSName = prof.Label + "." + d
	}
	reg := s.cfg.Families.Registry()
	schedChecked := strings.Split(p.Form["sched_block"], ",")
	for _, info := range reg.Tags() {
		label := info.Vi
		if lang == "en" {
			label = info.En
		}
		o := tagOption{Name: info.Name, Label: label, Checked: slices.Contains(prof.Rules.Block, info.Name)}
		so := tagOption{Name: info.Name, Label: label, Checked: slices.Contains(schedChecked, info.Name)}
		if info.Kind == filter.KindCategory {
			p.Cats, p.SchedCats = append(p.Cats, o), append(p.SchedCats, so)
		} else {
			p.Services, p.SchedSvcs = append(p.Services, o), append(p.SchedSvcs, so)
		}
	}
	typedDays := strings.Split(p.Form["sched_days"], ",")
	for _, d := range dayNames {
		checked := slices.Contains(typedDays, d)
		if p.Form["sched_days"] == "" && d != "sat" && d != "sun" {
			checked = true // a new window: Monday to Friday
		}
		p.Days = append(p.Days, tagOption{Name: d, Label: T(lang, "school.day."+d), Checked: checked})
	}
	for i, sc := range prof.Rules.Schedules {
		v := schedView{Index: i, Name: sc.Name, From: sc.From, To: sc.To}
		var days []string
		for _, d := range sc.Days {
			days = append(days, T(lang, "school.day."+d))
		}
		if len(days) == 0 {
			days = []string{T(lang, "school.day.all")}
		}
		v.Days = strings.Join(days, ", ")
		names := func(list []string) string {
			var out []string
			for _, n := range list {
				out = append(out, s.categoryName(lang, n))
			}
			return strings.Join(out, ", ")
		}
		if len(sc.AllowOnly) > 0 {
			v.What = T(lang, "school.sched.allowonly", names(sc.AllowOnly))
		} else {
			v.What = T(lang, "school.sched.blocks", names(sc.Block))
		}
		p.Scheds = append(p.Scheds, v)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "school_profile", prof.Nickname, p)
}
