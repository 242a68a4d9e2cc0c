package web

import (
	"net/http"
	"time"

	"manglanh/internal/program"
)

// shopCard is one shop of the registry list.
type shopCard struct {
	program.Shop
	Repeat     bool
	OutOfHours bool
	Cert       string // program.CertState
}

type shopListPage struct {
	Shops     []shopCard
	Kind      string
	Active    string
	Repeat    bool
	Query     string
	FollowUps []followUpView
	CanWrite  bool
}

type followUpView struct {
	program.FollowUp
	ShopName string
}

// shopList shows the registry with its filters and the follow-ups due.
func (s *Server) shopList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), programActor(userFrom(r.Context()))
	q := r.URL.Query()
	f := program.ShopFilter{Kind: q.Get("kind"), Active: q.Get("active"), Repeat: q.Get("repeat") == "1"}
	if f.Kind != program.ShopGame && f.Kind != program.ShopInternet {
		f.Kind = ""
	}
	if f.Active != "yes" && f.Active != "no" {
		f.Active = ""
	}
	shops, err := s.cfg.Program.Shops(ctx, a, f)
	if err != nil {
		s.shopErr(w, r, err)
		return
	}
	repeat, err := s.cfg.Program.RepeatOffenders(ctx, a)
	if err != nil {
		s.shopErr(w, r, err)
		return
	}
	now := time.Now().In(s.cfg.Location)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.cfg.Location)
	p := shopListPage{Kind: f.Kind, Active: f.Active, Repeat: f.Repeat, Query: r.URL.RawQuery, CanWrite: a.Role != program.RoleViewer}
	for _, sh := range shops {
		p.Shops = append(p.Shops, shopCard{Shop: sh, Repeat: repeat[sh.ID], OutOfHours: program.OutOfHours(sh), Cert: program.CertState(sh, today)})
	}
	fus, err := s.cfg.Program.FollowUpsDue(ctx, a, today)
	if err != nil {
		s.shopErr(w, r, err)
		return
	}
	names := s.shopNames(r)
	for _, fu := range fus {
		p.FollowUps = append(p.FollowUps, followUpView{FollowUp: fu, ShopName: names[fu.ShopID]})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "shop_list", T(langOf(r), "shop.list.title"), p)
}

// shopNames maps the tenant's shop ids to names ("" on error: the page
// then shows the id).
func (s *Server) shopNames(r *http.Request) map[int64]string {
	out := map[int64]string{}
	shops, err := s.cfg.Program.Shops(r.Context(), programActor(userFrom(r.Context())), program.ShopFilter{})
	if err != nil {
		return out
	}
	for _, sh := range shops {
		out[sh.ID] = sh.Name
	}
	return out
}
