package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/program"
	"manglanh/internal/report"
)

// preportShowPage is what preport_show.html gets.
type preportShowPage struct {
	V          *program.ReportVersion
	Query      template.URL
	Date       string
	Sections   []preportShownSection
	Flash      string
	Error      string
	CanWrite   bool
	CanApprove bool
}

// preportShownSection is a section's heading and the officer's
// paragraphs as saved.
type preportShownSection struct {
	Group     string
	Heading   string
	Paras     []string
	Generated []string // from the version's figure snapshot
}

// preportShow shows version {id}: its header, narratives and status, its
// downloads and, for the chairman, the approval of a draft.
func (s *Server) preportShow(w http.ResponseWriter, r *http.Request) {
	p := preportShowPage{}
	lang := langOf(r)
	switch r.URL.Query().Get("ok") {
	case "saved":
		p.Flash = "preport.ok.saved"
	case "same":
		p.Flash = "preport.ok.same"
	case "approved":
		p.Flash = "preport.ok.approved"
	}
	rv, err := s.cfg.Program.Report(r.Context(), programActor(userFrom(r.Context())), pathID(r, "id"))
	if err != nil {
		s.programError(w, r, err)
		return
	}
	if p.Flash != "" {
		p.Flash = T(lang, p.Flash, rv.Version, rv.Period.String())
	}
	s.renderPreportShow(w, r, http.StatusOK, rv, p)
}

func (s *Server) renderPreportShow(w http.ResponseWriter, r *http.Request, status int, rv *program.ReportVersion, p preportShowPage) {
	lang, role := langOf(r), userFrom(r.Context()).Role
	p.V = rv
	p.Query = periodForm{From: rv.Period.From.Format("02/01/2006"), To: rv.Period.LastDay().Format("02/01/2006")}.query()
	if !rv.Date.IsZero() {
		p.Date = rv.Date.Format("02/01/2006")
	}
	p.CanWrite = canWriteReport(role)
	p.CanApprove = role == program.RoleChairman && rv.Status == program.ReportDraft
	acts, ins, shops, err := s.cfg.Program.ReportRows(r.Context(), programActor(userFrom(r.Context())), rv.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	gen := report.FigureParagraphs(report.Input{Figures: rv.Figures, Activities: acts, Inspections: ins, Shops: shops})
	for _, sec := range report.Sections() {
		sh := preportShownSection{Heading: sec.Heading, Generated: gen[sec.Key]}
		if lang == "en" {
			sh.Heading = sec.HeadingEN
		}
		if g, ok := preportGroups[sec.Key]; ok {
			sh.Group = T(lang, g)
		}
		for _, line := range strings.Split(rv.Narratives[sec.Key], "\n") {
			if line = strings.TrimSpace(line); line != "" {
				sh.Paras = append(sh.Paras, line)
			}
		}
		p.Sections = append(p.Sections, sh)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "preport_show", T(lang, "preport.version.n", rv.Version)+" · "+rv.Period.String(), p)
}

// preportApprove records the chairman's approval of version {id},
// numbered as the form says (the one the chairman read).
func (s *Server) preportApprove(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, a, lang := r.Context(), programActor(userFrom(r.Context())), langOf(r)
	id := pathID(r, "id")
	n, _ := strconv.Atoi(r.PostFormValue("version"))
	err := s.cfg.Program.ApproveReport(ctx, a, id, n)
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/can-bo/bao-cao-dinh-ky/%d?ok=approved#phien-ban", id), http.StatusSeeOther)
		return
	}
	if !errors.Is(err, program.ErrConflict) {
		s.programError(w, r, err)
		return
	}
	rv, rerr := s.cfg.Program.Report(ctx, a, id)
	if rerr != nil {
		s.programError(w, r, rerr)
		return
	}
	p := preportShowPage{Error: T(lang, "preport.err.superseded", rv.Version)}
	if rv.Status == program.ReportApproved {
		p.Error = T(lang, "preport.err.approved", rv.Version, rv.ApprovedByName, rv.ApprovedAt.In(s.cfg.Location).Format("15:04 02/01/2006"))
	}
	s.renderPreportShow(w, r, http.StatusConflict, rv, p)
}
