package web

import (
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/program"
)

// activityPage is what activity_show.html and activity_delete.html get.
type activityPage struct {
	ID        int64
	Kind      string
	Date      string
	Places    []string
	Organiser string
	Topic     string
	Notes     string
	Copies    int
	HasCopies bool
	Lines     []activityLine
	Total     int
	Attendees []string
	Recorded  string
	Version   int64
	CanEdit   bool
	Flash     string
	Question  string
	Back      string
}

type activityLine struct {
	Group, School, Grade string
	Count                int
}

// activityView turns an activity into what its pages show.
func (s *Server) activityView(r *http.Request, a program.Actor, act *program.Activity) (*activityPage, error) {
	lang := langOf(r)
	schools, err := s.cfg.Program.Schools(r.Context(), a)
	if err != nil {
		return nil, err
	}
	names := schoolNames(schools)
	p := &activityPage{ID: act.ID, Kind: act.Kind, Organiser: act.Organiser, Topic: act.Topic, Notes: act.Notes, Copies: act.Copies,
		HasCopies: program.HasCopies(act.Kind), Total: act.Total(), Attendees: act.Attendees, Version: act.Version,
		CanEdit: program.CanEditActivity(a, act)}
	_, p.Date, _, _ = s.activityWhat(lang, act)
	if !act.EndDate.IsZero() {
		p.Date += " – " + act.EndDate.In(s.cfg.Location).Format("02/01/2006")
	}
	for _, pl := range act.Places {
		n := T(lang, "activity.placekind."+pl.Kind)
		if pl.Name != "" && pl.Kind != program.PlaceSchool {
			n += ": " + pl.Name
		} else if pl.Name != "" {
			n = pl.Name
		}
		p.Places = append(p.Places, n)
	}
	for _, pt := range act.Participants {
		l := activityLine{Group: T(lang, "activity.group."+pt.Group), Count: pt.Count}
		if pt.SchoolID != 0 {
			l.School = names[pt.SchoolID]
			if l.School == "" {
				l.School = "#" + strconv.FormatInt(pt.SchoolID, 10)
			}
		}
		switch {
		case pt.Grade > 0:
			l.Grade = T(lang, "activity.p.gradeN", pt.Grade)
		case pt.Level != "":
			l.Grade = T(lang, "activity.p.level."+pt.Level)
		}
		p.Lines = append(p.Lines, l)
	}
	p.Recorded = act.CreatedAt.In(s.cfg.Location).Format("15:04 02/01/2006")
	return p, nil
}

// activityShow shows one activity; another school's (for a school
// account) or another ward's is 404.
func (s *Server) activityShow(w http.ResponseWriter, r *http.Request) {
	a, lang := programActor(userFrom(r.Context())), langOf(r)
	act, err := s.cfg.Program.Activity(r.Context(), a, activityID(r))
	if err != nil {
		s.programError(w, r, err)
		return
	}
	p, err := s.activityView(r, a, act)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	if ok := r.URL.Query().Get("ok"); ok == "created" || ok == "updated" {
		p.Flash = s.activityFlash(lang, ok, act)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "activity_show", T(lang, "activity.kind."+act.Kind)+" "+p.Date, p)
}

// activityDeleteConfirm asks before deleting.
func (s *Server) activityDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, lang := programActor(userFrom(r.Context())), langOf(r)
	act, err := s.cfg.Program.Activity(r.Context(), a, activityID(r))
	if err != nil {
		s.programError(w, r, err)
		return
	}
	if !program.CanEditActivity(a, act) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	p, err := s.activityView(r, a, act)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	noun, date, places, _ := s.activityWhat(lang, act)
	p.Question = T(lang, "activity.delete.q", strings.TrimSpace(noun+" "+date+" – "+places))
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "activity_delete", T(lang, "activity.delete.title"), p)
}

// activityDelete deletes and returns to the list with what was deleted.
func (s *Server) activityDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	a := programActor(userFrom(r.Context()))
	id := activityID(r)
	act, err := s.cfg.Program.Activity(r.Context(), a, id)
	if err == nil {
		err = s.cfg.Program.DeleteActivity(r.Context(), a, id)
	}
	if err != nil {
		s.programError(w, r, err)
		return
	}
	http.Redirect(w, r, "/can-bo/hoat-dong?ok=deleted&k="+act.Kind+"&d="+act.Date.In(s.cfg.Location).Format("2006-01-02")+"#ket-qua", http.StatusSeeOther)
}
