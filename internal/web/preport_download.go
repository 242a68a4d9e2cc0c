package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"manglanh/internal/program"
	"manglanh/internal/report"
)

// preportDownload sends version {id} as DOCX or PDF with its saved figure
// snapshot (an approved report prints the same figures for ever); the
// annex lists the period's activities and inspections as they are now.
func (s *Server) preportDownload(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), programActor(userFrom(r.Context()))
	rv, err := s.cfg.Program.Report(ctx, a, pathID(r, "id"))
	if err != nil {
		s.programError(w, r, err)
		return
	}
	name := fmt.Sprintf("bao-cao-%s-%s-pb%d", rv.Period.From.Format("20060102"), rv.Period.LastDay().Format("20060102"), rv.Version)
	s.sendReport(w, r, rv, rv.Figures, name)
}

// preportCurrent sends the period's report with the figures computed now
// and the latest version's header and narratives (the prompts when the
// period has no version): what `manglanh report` writes without
// --version.
func (s *Server) preportCurrent(w http.ResponseWriter, r *http.Request) {
	pf := s.cityPeriod(r.URL.Query())
	if pf.Error != "" {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, a := r.Context(), programActor(userFrom(r.Context()))
	rv, err := s.latestReport(ctx, a, pf.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	if rv == nil {
		rv = s.blankReport(pf.Period)
	}
	figs, err := s.cfg.Program.ReportFigures(ctx, a, pf.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	name := "bao-cao-" + pf.Period.From.Format("20060102") + "-" + pf.Period.LastDay().Format("20060102") + "-hien-tai"
	s.sendReport(w, r, rv, figs, name)
}

// blankReport is the version a period without one starts from: the
// ward's place name, the standard signature and the sections' prompts.
func (s *Server) blankReport(p program.Period) *program.ReportVersion {
	return &program.ReportVersion{Period: p, Place: wardPlace(s.cfg.Ward.Name),
		Signature:  program.Signature{Capacity: report.DefaultCapacity, Title: report.DefaultTitle},
		Narratives: report.DefaultNarratives()}
}

// wardPlace is "Phù Liễn" from "Phường Phù Liễn": the place of the date
// line.
func wardPlace(ward string) string {
	for _, p := range []string{"Phường ", "Xã ", "Thị trấn ", "Đặc khu "} {
		if strings.HasPrefix(ward, p) {
			return strings.TrimPrefix(ward, p)
		}
	}
	return ward
}

// sendReport builds rv with figs and the period's annex rows and sends it
// as the format the path ends with.
func (s *Server) sendReport(w http.ResponseWriter, r *http.Request, rv *program.ReportVersion, figs *program.Figures, name string) {
	ctx, a := r.Context(), programActor(userFrom(r.Context()))
	acts, ins, shops, err := s.cfg.Program.ReportRows(ctx, a, rv.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	doc := report.Build(report.Input{Version: rv, Figures: figs, Activities: acts, Inspections: ins, Shops: shops, Lang: langOf(r)})
	var buf bytes.Buffer
	ctype := "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	if strings.HasSuffix(r.URL.Path, ".pdf") {
		err, ctype, name = doc.WritePDF(&buf), "application/pdf", name+".pdf"
	} else {
		err, name = doc.WriteDOCX(&buf), name+".docx"
	}
	if err != nil {
		s.programError(w, r, fmt.Errorf("writing the report: %w", err))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
