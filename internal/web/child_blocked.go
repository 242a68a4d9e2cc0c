package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"manglanh/internal/family"
)

type childBlockedPage struct {
	Token    string
	Domain   string
	Category string   // the machine name sent with a request
	Reasons  []string // why, in plain words
	Sent     bool     // the request has just been sent
	Already  bool     // a request for this site was already waiting
	Error    string
	Allowed  bool // the parent allows it now (always or for a while)
}

// childBlocked says why a site was blocked for this child: its category
// or service, a schedule, a spent budget, or the parent's own list; and
// offers to ask the parent.
func (s *Server) childBlocked(w http.ResponseWriter, r *http.Request) {
	p, ok := s.childProfile(w, r)
	if !ok {
		return
	}
	lang := langOf(r)
	q := r.URL.Query()
	pg := childBlockedPage{Token: p.ChildToken}
	d, ok := family.NormalizeDomain(q.Get("d"))
	if !ok {
		pg.Error = T(lang, "child.blocked.bad")
		s.render(w, r, http.StatusBadRequest, "child_blocked", T(lang, "child.blocked.title"), pg)
		return
	}
	pg.Domain = d
	switch q.Get("ok") {
	case "sent":
		pg.Sent = true
	case "again":
		pg.Already = true
	}
	s.explainBlock(r.Context(), &pg, lang, p, time.Now())
	s.render(w, r, http.StatusOK, "child_blocked", T(lang, "child.blocked.title"), pg)
}

// explainBlock fills the reasons of a block from the profile's rules and
// the lists' categories of the domain.
func (s *Server) explainBlock(ctx context.Context, pg *childBlockedPage, lang string, p *family.Profile, now time.Time) {
	d := pg.Domain
	covers := func(list []string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return d == x || strings.HasSuffix(d, "."+x) })
	}
	if covers(p.Rules.Allow) {
		pg.Allowed = true
	}
	for _, t := range p.Rules.TempAllows {
		if t.Until.After(now) && (d == t.Domain || strings.HasSuffix(d, "."+t.Domain)) {
			pg.Allowed = true
		}
	}
	if covers(p.Rules.Deny) {
		pg.Reasons = append(pg.Reasons, T(lang, "child.why.deny"))
	}
	info, ok := s.compiledProfile(p, now)
	var names []string
	if s.cfg.Categorizer != nil {
		names = s.cfg.Categorizer.Categorize(d)
	}
	reg := s.cfg.Families.Registry()
	for _, n := range names {
		if t, known := reg.Tag(n); known && ok && info.Blocked.Has(t) {
			if pg.Category == "" {
				pg.Category = n
			}
			pg.Reasons = append(pg.Reasons, T(lang, "child.why.cat", s.tagLabel(n, lang)))
		}
	}
	if until := p.Rules.PausedUntil; !until.IsZero() && until.After(now) {
		pg.Reasons = append(pg.Reasons, T(lang, "child.why.pause"))
	}
	local := now.In(profileLoc(p))
	for _, sc := range p.Rules.Schedules {
		if scheduleActive(sc, local) {
			name := sc.Name
			if name == "" {
				name = sc.From + "–" + sc.To
			}
			pg.Reasons = append(pg.Reasons, T(lang, "child.why.sched", name, sc.From, sc.To))
		}
	}
	budgets := s.childBudgets(ctx, lang, p, now)
	for _, n := range names {
		for _, b := range budgets {
			if b.Spent && (b.Name == s.budgetName(n, lang) || b.Name == T(lang, "child.budget.all")) {
				pg.Reasons = append(pg.Reasons, T(lang, "child.why.budget", b.Name))
			}
		}
	}
	if len(pg.Reasons) == 0 {
		// With the lists at hand, no reason means the rules do not block
		// it now; without them the portal cannot tell.
		if s.cfg.Categorizer != nil {
			pg.Reasons = append(pg.Reasons, T(lang, "child.why.notblocked"))
		} else {
			pg.Reasons = append(pg.Reasons, T(lang, "child.why.unknown"))
		}
	}
}

var weekdayKeys = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// scheduleActive reports whether a schedule window covers local time
// (To before From runs past midnight; then the day is the start's).
func scheduleActive(sc family.Schedule, local time.Time) bool {
	from, err1 := time.Parse("15:04", sc.From)
	to, err2 := time.Parse("15:04", sc.To)
	if err1 != nil || err2 != nil {
		return false
	}
	m := local.Hour()*60 + local.Minute()
	f, t := from.Hour()*60+from.Minute(), to.Hour()*60+to.Minute()
	day := local
	var in bool
	if f < t {
		in = m >= f && m < t
	} else {
		in = m >= f || m < t
		if m < t {
			day = local.AddDate(0, 0, -1)
		}
	}
	if !in {
		return false
	}
	if len(sc.Days) == 0 {
		return true
	}
	key := weekdayKeys[day.Weekday()]
	return slices.ContainsFunc(sc.Days, func(d string) bool { return strings.EqualFold(d, key) })
}

// childAsk sends "ask my parent to allow this site" and returns to the
// block page with a receipt.
func (s *Server) childAsk(w http.ResponseWriter, r *http.Request) {
	p, ok := s.childProfile(w, r)
	if !ok {
		return
	}
	lang := langOf(r)
	if !s.parentBody(w, r) {
		return
	}
	domain, cat := r.PostFormValue("d"), r.PostFormValue("category")
	if _, known := s.cfg.Families.Registry().Tag(cat); !known {
		cat = ""
	}
	_, created, err := s.cfg.Families.AskAllow(r.Context(), p.ChildToken, domain, cat)
	back := "/tre/" + url.PathEscape(p.ChildToken) + "/chan?d=" + url.QueryEscape(strings.TrimSpace(domain))
	var ve *family.ValidationError
	switch {
	case errors.As(err, &ve):
		pg := childBlockedPage{Token: p.ChildToken, Error: T(lang, "child.blocked.bad")}
		s.render(w, r, http.StatusBadRequest, "child_blocked", T(lang, "child.blocked.title"), pg)
		return
	case errors.Is(err, family.ErrTooManyRequests):
		d, _ := family.NormalizeDomain(domain)
		pg := childBlockedPage{Token: p.ChildToken, Domain: d, Error: T(lang, "child.ask.toomany")}
		s.explainBlock(r.Context(), &pg, lang, p, time.Now())
		s.render(w, r, http.StatusTooManyRequests, "child_blocked", T(lang, "child.blocked.title"), pg)
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "saving a child's allow request", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	if created {
		http.Redirect(w, r, back+"&ok=sent#xin", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, back+"&ok=again#xin", http.StatusSeeOther)
	}
}
