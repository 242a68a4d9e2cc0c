package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/alert"
	"manglanh/internal/cases"
	"manglanh/internal/family"
)

type parentAlertRow struct {
	ID       int64
	Title    string
	When     string
	Domain   string
	Actions  []string
	Critical bool
	Mail     string
	Shared   bool
	CanShare bool
	Err      string // beside the consent box
}

type parentAlertPage struct {
	Rows  []parentAlertRow
	Flash string
	Focus int64 // the alert whose consent box has an error
}

// parentAlertRoutes registers the parent's alerts page.
func (s *Server) parentAlertRoutes() {
	s.handle("GET /gia-dinh/canh-bao", s.parentPage(s.parentAlertList))
	s.handle("POST /gia-dinh/canh-bao/{id}/chuyen", s.parentPage(s.parentAlertShare))
}

// parentAlertList lists the alerts raised on the parent's children, with
// advice, what happened to the e-mail and, for a critical one, the way to
// pass it to the ward.
func (s *Server) parentAlertList(w http.ResponseWriter, r *http.Request, par *family.Parent) {
	s.renderParentAlerts(w, r, par, http.StatusOK, 0)
}

func (s *Server) renderParentAlerts(w http.ResponseWriter, r *http.Request, par *family.Parent, status int, errID int64) {
	lang := langOf(r)
	a := parentActor(r, par)
	list, err := s.cfg.Families.ParentAlerts(r.Context(), a)
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing parent alerts", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	profiles, _ := s.cfg.Families.Profiles(r.Context(), a)
	names := map[int64]string{}
	for _, p := range profiles {
		names[p.ID] = p.Nickname
	}
	pg := parentAlertPage{Focus: errID}
	if r.URL.Query().Get("ok") == "shared" {
		pg.Flash = T(lang, "palert.ok.shared")
	}
	for _, pa := range list {
		al := pa.Alert
		row := parentAlertRow{ID: al.ID, Title: alert.ParentTitle(al, names[pa.Delivery.ProfileID], lang),
			When: al.Time.In(s.cfg.Location).Format("15:04 02/01/2006"), Actions: alert.ParentActions(al, lang),
			Critical: al.Critical(), Shared: !pa.SharedAt.IsZero()}
		if al.Source == alert.SourceDNS {
			row.Domain = al.Snippet
		}
		row.CanShare = row.Critical && !row.Shared
		switch pa.Delivery.MailStatus {
		case alert.ParentMailSent:
			row.Mail = T(lang, "palert.mail.sent", pa.Delivery.MailedAt.In(s.cfg.Location).Format("15:04 02/01"))
		case alert.ParentMailFailed:
			row.Mail = T(lang, "palert.mail.failed", pa.Delivery.MailError)
		case alert.ParentMailThrottled:
			row.Mail = T(lang, "palert.mail.throttled")
		case alert.ParentMailPending:
			row.Mail = T(lang, "palert.mail.pending")
		case alert.ParentMailNoAddress:
			row.Mail = T(lang, "palert.mail.noaddr")
		default:
			row.Mail = T(lang, "palert.mail.off")
		}
		if al.ID == errID {
			row.Err = T(lang, "palert.consent.required")
		}
		pg.Rows = append(pg.Rows, row)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "parent_alert_list", T(lang, "palert.title"), pg)
}

// parentAlertShare passes a critical alert to the ward once the parent
// ticked the consent box: it records the consent, opens an urgent case for
// the ward (when the portal runs cases) and links it to the alert.
func (s *Server) parentAlertShare(w http.ResponseWriter, r *http.Request, par *family.Parent) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if !s.parentBody(w, r) {
		return
	}
	a := parentActor(r, par)
	if _, err := s.cfg.Families.ParentAlertOf(r.Context(), a, id); err != nil {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if r.PostFormValue("dong_y") != "1" {
		s.renderParentAlerts(w, r, par, http.StatusBadRequest, id)
		return
	}
	consent := T("vi", "palert.consent.text")
	pa, err := s.cfg.Families.ShareAlert(r.Context(), a, id, consent)
	var ve *family.ValidationError
	switch {
	case errors.Is(err, family.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	case errors.As(err, &ve):
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "sharing a parent alert", "alert", id, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	if s.cfg.Cases != nil && pa.Alert.CaseID == 0 {
		al := pa.Alert
		cat := al.Category
		if !contains(cases.Categories(), cat) {
			cat = cases.CategoryOther
		}
		desc := []string{T("vi", "palert.case.from", al.ID, al.Title("vi"), al.Time.In(s.cfg.Location).Format("15:04 02/01/2006")), consent}
		c, err := s.cfg.Cases.Intake(alert.OpeningCase(r.Context()), cases.Actor{Role: cases.RolePublic},
			cases.Intake{Category: cat, Channel: cases.ChannelWeb, Urgent: true, SuggestedLevel: al.Level,
				Sensitive: cases.Sensitive{Description: strings.Join(desc, "\n")}})
		if err != nil {
			s.log.ErrorContext(r.Context(), "opening the ward's case from a parent's alert", "alert", id, "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
		if s.cfg.Alerts != nil {
			if err := s.cfg.Alerts.MarkCase(r.Context(), al.ID, c.ID); err != nil {
				s.log.ErrorContext(r.Context(), "linking a parent's alert to its case", "alert", id, "err", err)
			}
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/gia-dinh/canh-bao?ok=shared#canh-bao-%d", id), http.StatusSeeOther)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
