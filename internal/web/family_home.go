package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"manglanh/internal/family"
)

// familyHomePage is what family_home.html gets.
type familyHomePage struct {
	Parent   *family.Parent
	Children []familyCard
	// Flash confirms a pause or resume made from a card.
	Flash string
}

// familyCard is one child's profile on the parent's home.
type familyCard struct {
	ID        int64
	Nickname  string
	Age       int
	Devices   int
	Protected bool   // a device was seen in the last hour
	SeenAt    string // when a device was last seen, "" never
	Paused    string // "" when not paused, else what the pause says
	Budgets   []budgetRow
	NoUsage   bool // the DNS server records no activity here
}

// familyHome is /gia-dinh: the parent's children as cards, with what to do
// next for each.
func (s *Server) familyHome(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	ctx, a, lang, now := r.Context(), parentActor(r, p), langOf(r), time.Now()
	profiles, err := s.cfg.Families.Profiles(ctx, a)
	if err != nil {
		s.familyError(w, r, err)
		return
	}
	reg := s.familyRegistry()
	d := familyHomePage{Parent: p}
	for i := range profiles {
		pr := &profiles[i]
		if pr.Kind != family.KindChild {
			continue
		}
		loc := profileLocation(pr)
		c := familyCard{ID: pr.ID, Nickname: pr.Nickname, Age: family.Age(pr.BirthYear, now),
			Paused: pauseText(lang, pr.Rules.PausedUntil, now, loc)}
		devices, err := s.cfg.Families.Devices(ctx, a, pr.ID)
		if err != nil {
			s.familyError(w, r, err)
			return
		}
		c.Devices = len(devices)
		var last time.Time
		for _, dv := range devices {
			if dv.LastSeen.After(last) {
				last = dv.LastSeen
			}
		}
		if !last.IsZero() {
			c.SeenAt = familyClock(last, now, loc)
			c.Protected = now.Sub(last) <= seenWithin
		}
		usage, err := s.cfg.Families.Usage(ctx, pr.ID, familyToday(pr, now))
		switch {
		case errors.Is(err, family.ErrNoActivity):
			c.NoUsage = true
		case err != nil:
			s.log.ErrorContext(ctx, "reading usage", "profile", pr.ID, "err", err)
			c.NoUsage = true
		}
		c.Budgets = budgetRows(reg, effectiveBudgets(pr, now), usage, lang)
		d.Children = append(d.Children, c)
	}
	if q := r.URL.Query(); q.Get("id") != "" {
		for _, c := range d.Children {
			if fmt.Sprint(c.ID) != q.Get("id") {
				continue
			}
			switch k := q.Get("ok"); k {
			case "pause", "resume":
				d.Flash = c.Nickname + ": " + T(lang, "family.ok."+k)
			}
		}
	}
	if r.URL.Query().Get("ok") == "deleted" {
		d.Flash = T(lang, "family.ok.deleted")
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "family_home", T(lang, "family.home.title"), d)
}
