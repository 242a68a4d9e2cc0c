package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/cases"
)

// exportPersonalRoles may export the child's details with the case list:
// the roles whose redaction shows everything. The reporter's and the
// suspect's identities are never exported, whatever the role: a
// spreadsheet travels further than a page.
var exportPersonalRoles = []string{cases.RoleOfficer, cases.RoleWardAdmin}

// maxExport bounds the cases of one export.
const maxExport = 5000

// safeCell guards a text cell against formula injection: a cell that a
// spreadsheet would read as a formula (= + - @) or whose leading tab or
// carriage return may hide one gets a leading apostrophe, which shows the
// text as typed.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportTable is the case list as rows of cells; the first row is the
// header.
func (s *Server) exportTable(r *http.Request, u *SessionUser) ([][]xlsxCell, error) {
	lang := langOf(r)
	// The export applies the list's filter (case_list_filter.go); a
	// filter it does not understand exports nothing rather than more.
	cq := readCaseListQuery(r.URL.Query(), s.cfg.Location)
	if cq.Bad() {
		return nil, errBadCaseFilter
	}
	f := cq.Filter
	a := actorOf(u)
	personal := false
	for _, role := range exportPersonalRoles {
		personal = personal || u.Role == role
	}
	var list []cases.Summary
	seen := map[int64]bool{}
	for f.Offset = 0; len(list) < maxExport; f.Offset += cases.MaxList {
		f.Limit = cases.MaxList
		page, err := s.cfg.Cases.List(r.Context(), a, f)
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			if !seen[c.ID] {
				seen[c.ID] = true
				list = append(list, c)
			}
		}
		if len(page) < cases.MaxList {
			break
		}
	}
	head := []string{"export.col.code", "export.col.received", "export.col.channel", "export.col.category",
		"export.col.status", "export.col.risk", "export.col.urgent", "export.col.ageband", "export.col.due", "export.col.overdue"}
	if personal {
		head = append(head, "export.col.childname", "export.col.age", "export.col.sex", "export.col.school",
			"export.col.class", "export.col.place", "export.col.description")
	}
	rows := make([][]xlsxCell, 0, len(list)+1)
	hr := make([]xlsxCell, len(head))
	for i, k := range head {
		hr[i] = textCell(T(lang, k))
	}
	rows = append(rows, hr)
	when := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(s.cfg.Location).Format("02/01/2006 15:04")
	}
	yes := func(b bool) string {
		if b {
			return T(lang, "export.yes")
		}
		return ""
	}
	for _, c := range list {
		var next time.Time
		overdue := false
		for _, d := range c.Deadlines {
			overdue = overdue || d.Overdue
			if next.IsZero() || d.Due.Before(next) {
				next = d.Due
			}
		}
		row := []xlsxCell{textCell(formatCode(c.Code)), textCell(when(c.ReceivedAt)), textCell(T(lang, "case.channel."+c.Channel)),
			textCell(T(lang, "report.cat."+c.Category)), textCell(cases.StaffStatusLabel(c.Status, lang)),
			textCell(T(lang, "case.level."+c.RiskLevel)), textCell(yes(c.Urgent)), textCell(T(lang, "export.age."+c.AgeBand)),
			textCell(when(next)), textCell(yes(overdue))}
		if personal {
			// Get records the view of each case: exporting personal data
			// is a view like any other.
			full, err := s.cfg.Cases.Get(r.Context(), a, c.ID)
			if errors.Is(err, cases.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			sn := full.Sensitive
			age := xlsxCell{}
			if sn.ChildAge > 0 {
				age = numCell(float64(sn.ChildAge))
			}
			sex := ""
			if sn.ChildSex != "" {
				sex = T(lang, "case.sex."+sn.ChildSex)
			}
			row = append(row, textCell(sn.ChildName), age, textCell(sex), textCell(sn.ChildSchool),
				textCell(sn.ChildClass), textCell(full.Place), textCell(sn.Description))
		}
		for i := range row {
			if !row[i].IsNum {
				row[i].Text = safeCell(row[i].Text)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// caseExport answers /can-bo/ho-so/xuat.csv and .xlsx: the case list of
// the user's scope. Viewers see aggregates only and are refused.
func (s *Server) caseExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := s.staffUser(w, r)
		if u == nil {
			return
		}
		rows, err := s.exportTable(r, u)
		if errors.Is(err, errBadCaseFilter) {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		if err != nil {
			s.caseError(w, r, err)
			return
		}
		name := "ho-so-" + time.Now().In(s.cfg.Location).Format("20060102-1504")
		s.sendTable(w, r, format, name, T(langOf(r), "case.list.title"), rows)
	}
}

// sendTable writes rows (cells made with safeCell) as a CSV (UTF-8 with a
// BOM so that Excel reads it, CRLF) or XLSX download named name plus the
// extension. Every table export of the portal goes through it.
func (s *Server) sendTable(w http.ResponseWriter, r *http.Request, format, name, sheet string, rows [][]xlsxCell) {
	var buf bytes.Buffer
	switch format {
	case "csv":
		buf.WriteString("\uFEFF")
		cw := csv.NewWriter(&buf)
		cw.UseCRLF = true
		for _, row := range rows {
			rec := make([]string, len(row))
			for i, c := range row {
				rec[i] = c.Text
				if c.IsNum {
					rec[i] = strconv.FormatFloat(c.Num, 'f', -1, 64)
				}
			}
			cw.Write(rec)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			s.log.ErrorContext(r.Context(), "writing a CSV table", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name += ".csv"
	default:
		if err := writeXLSX(&buf, sheet, rows, time.Now()); err != nil {
			s.log.ErrorContext(r.Context(), "writing an XLSX table", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		name += ".xlsx"
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
