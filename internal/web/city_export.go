package web

import (
	"bytes"
	"net/http"
	"strings"

	"manglanh/internal/program"
	"manglanh/internal/report"
)

// cityExport is the roll-up table as CSV or XLSX
// (/thanh-pho/tong-hop.csv, .xlsx): one row per ward, then the total.
func (s *Server) cityExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pf := s.cityPeriod(r.URL.Query())
		if pf.Error != "" {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		lang := langOf(r)
		rows, total, err := s.cfg.Program.RollUpRows(r.Context(), cityActor(r), pf.Period)
		if err != nil {
			s.cityError(w, r, err)
			return
		}
		table := [][]xlsxCell{figuresHeader(lang)}
		for _, row := range rows {
			table = append(table, figuresCells(row.Tenant.Code, row.Tenant.Name, s.sourceText(lang, row), row.Figures))
		}
		table = append(table, figuresCells("", T(lang, "city.total"), "", total))
		name := "tong-hop-" + pf.Period.From.Format("20060102") + "-" + pf.Period.LastDay().Format("20060102")
		s.sendTable(w, r, format, name, T(lang, "city.title"), table)
	}
}

// cityReport is the roll-up report as DOCX or PDF
// (/thanh-pho/bao-cao.docx, .pdf): the city total through the same
// document generator as a ward's report, with a table per ward.
func (s *Server) cityReport(w http.ResponseWriter, r *http.Request) {
	pf := s.cityPeriod(r.URL.Query())
	if pf.Error != "" {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	total, wards, err := s.cfg.Program.RollUp(r.Context(), cityActor(r), pf.Period)
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	doc := report.Build(report.Input{Version: &program.ReportVersion{Period: pf.Period}, Figures: total, Wards: wards, Lang: langOf(r)})
	var buf bytes.Buffer
	name := "bao-cao-tong-hop-" + pf.Period.From.Format("20060102") + "-" + pf.Period.LastDay().Format("20060102")
	if strings.HasSuffix(r.URL.Path, ".pdf") {
		err = doc.WritePDF(&buf)
		w.Header().Set("Content-Type", "application/pdf")
		name += ".pdf"
	} else {
		err = doc.WriteDOCX(&buf)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
		name += ".docx"
	}
	if err != nil {
		s.cityError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
