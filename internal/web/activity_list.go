package web

import (
	"errors"
	"net/http"

	"manglanh/internal/program"
)

// activityListPage is what activity_list.html gets.
type activityListPage struct {
	Query     activityQuery
	QS        string // the filter as a query string, for the exports
	Rows      []activityRow
	Total     int
	Page      int
	Pages     int
	Prev      string
	Next      string
	Kinds     []string
	Groups    []string
	Schools   []program.School
	CanRecord bool
	Flash     string
	BadFilter bool
}

// activityRow is one card of the list.
type activityRow struct {
	ID     int64
	Date   string
	Kind   string
	Places string
	Topic  string
	People string
}

// activityList shows the activities the user may see, filtered by the
// query (kind, from, to, school, group) and paged.
func (s *Server) activityList(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	a, lang := programActor(u), langOf(r)
	aq := s.readActivityQuery(r)
	list, total, err := s.cfg.Program.Activities(r.Context(), a, aq.Filter)
	var fe program.FieldErrors
	if errors.As(err, &fe) {
		aq.Bad, err = "filter", nil
	}
	if err != nil {
		s.programError(w, r, err)
		return
	}
	schools, err := s.cfg.Program.Schools(r.Context(), a)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	p := activityListPage{Query: aq, QS: aq.encode(0), Total: total, Page: aq.Page, Kinds: program.ActivityKinds(),
		Groups: program.ParticipantGroups(), Schools: schools, CanRecord: program.CanRecordActivities(a), BadFilter: aq.Bad != ""}
	p.Pages = max(1, (total+activityPageSize-1)/activityPageSize)
	if p.Page > 1 {
		p.Prev = "/can-bo/hoat-dong" + aq.encode(p.Page-1)
	}
	if p.Page < p.Pages {
		p.Next = "/can-bo/hoat-dong" + aq.encode(p.Page+1)
	}
	q := r.URL.Query()
	if q.Get("ok") == "deleted" {
		kind := q.Get("k")
		if d, ok := parseDay(q.Get("d"), s.cfg.Location); ok && containsKind(kind) {
			p.Flash = T(lang, "activity.ok.deleted", T(lang, "activity.noun."+kind), d.Format("02/01/2006"))
		}
	}
	for i := range list {
		act := &list[i]
		_, date, places, people := s.activityWhat(lang, act)
		if !act.EndDate.IsZero() {
			date += " – " + act.EndDate.In(s.cfg.Location).Format("02/01/2006")
		}
		p.Rows = append(p.Rows, activityRow{ID: act.ID, Date: date, Kind: act.Kind, Places: places, Topic: act.Topic, People: people})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "activity_list", T(lang, "activity.title"), p)
}

func containsKind(k string) bool {
	for _, x := range program.ActivityKinds() {
		if x == k {
			return true
		}
	}
	return false
}
