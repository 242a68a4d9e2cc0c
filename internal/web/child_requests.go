package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"manglanh/internal/family"
)

type childRequestRow struct {
	family.AllowRequest
	Nickname string
	Why      string
	When     string
	Outcome  string // for decided ones
}

type childRequestsPage struct {
	Pending []childRequestRow
	Decided []childRequestRow
	Flash   string
}

// childRequests lists the parent's children's requests to allow a site,
// with the four answers for each pending one.
func (s *Server) childRequests(w http.ResponseWriter, r *http.Request, par *family.Parent) {
	lang := langOf(r)
	a := parentActor(r, par)
	reqs, err := s.cfg.Families.AllowRequests(r.Context(), a, 100)
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing allow requests", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	profiles, err := s.cfg.Families.Profiles(r.Context(), a)
	if err != nil {
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	names := map[int64]string{}
	locs := map[int64]*time.Location{}
	for i := range profiles {
		names[profiles[i].ID] = profiles[i].Nickname
		locs[profiles[i].ID] = profileLoc(&profiles[i])
	}
	pg := childRequestsPage{}
	if ok := r.URL.Query().Get("ok"); ok != "" {
		if d := r.URL.Query().Get("d"); d != "" {
			if dd, valid := family.NormalizeDomain(d); valid {
				switch family.Decision(ok) {
				case family.DecideHour, family.DecideDay, family.DecideAlways, family.DecideRefuse:
					pg.Flash = T(lang, "req.ok."+ok, dd)
				}
			}
		}
		if ok == "done" {
			pg.Flash = T(lang, "req.ok.done")
		}
	}
	for _, q := range reqs {
		loc := locs[q.ProfileID]
		if loc == nil {
			loc = time.UTC
		}
		row := childRequestRow{AllowRequest: q, Nickname: names[q.ProfileID], When: q.CreatedAt.In(loc).Format("15:04 02/01/2006")}
		if q.Category != "" {
			row.Why = s.tagLabel(q.Category, lang)
		}
		switch {
		case q.Status == family.RequestPending:
			pg.Pending = append(pg.Pending, row)
			continue
		case q.Status == family.RequestRefused:
			row.Outcome = T(lang, "req.out.refused")
		case q.Until.IsZero():
			row.Outcome = T(lang, "req.out.always")
		default:
			row.Outcome = T(lang, "req.out.until", q.Until.In(loc).Format("15:04 02/01/2006"))
		}
		if len(pg.Decided) < 20 {
			pg.Decided = append(pg.Decided, row)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "child_requests", T(lang, "req.title"), pg)
}

// childRequestDecide applies one of the four answers and returns to the
// list with what changed.
func (s *Server) childRequestDecide(w http.ResponseWriter, r *http.Request, par *family.Parent) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if !s.parentBody(w, r) {
		return
	}
	d := family.Decision(r.PostFormValue("decision"))
	q, err := s.cfg.Families.DecideRequest(r.Context(), parentActor(r, par), id, d)
	var ve *family.ValidationError
	switch {
	case errors.Is(err, family.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	case errors.Is(err, family.ErrAlreadyDecided):
		http.Redirect(w, r, "/gia-dinh/yeu-cau?ok=done#da-tra-loi", http.StatusSeeOther)
		return
	case errors.As(err, &ve):
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "deciding an allow request", "id", id, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/gia-dinh/yeu-cau?ok=%s&d=%s#cho-duyet", d, q.Domain), http.StatusSeeOther)
}
