package web

import (
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/program"
)

// indicatorPage is what indicator_list.html gets.
type indicatorPage struct {
	Rows     []indicatorRow
	Flash    string
	CanWrite bool
}

// indicatorRow is one indicator with its measure's words and, when its
// form failed, the values typed and the errors.
type indicatorRow struct {
	program.Indicator
	Name, Measure, Target string
	Percent               bool
	// Form values (as typed after an error).
	FormTarget, FormVI, FormEN string
	Errors                     map[string]string
	Focus                      string
	Conflict                   bool
	Open                       bool
}

// indicatorList shows the tenant's indicators with an edit form each.
func (s *Server) indicatorList(w http.ResponseWriter, r *http.Request) {
	p := indicatorPage{}
	if id, err := strconv.ParseInt(r.URL.Query().Get("ok"), 10, 64); err == nil {
		p.Flash = s.indicatorFlash(r, id)
	}
	s.renderIndicators(w, r, http.StatusOK, p, nil)
}

// renderIndicators shows the list; failed, when set, is the row whose
// form failed (its typed values replace the stored ones in the form).
func (s *Server) renderIndicators(w http.ResponseWriter, r *http.Request, status int, p indicatorPage, failed *indicatorRow) {
	ctx, a, lang := r.Context(), programActor(userFrom(r.Context())), langOf(r)
	list, err := s.cfg.Program.Indicators(ctx, a)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	p.CanWrite = canWriteReport(a.Role)
	for _, ind := range list {
		row := indicatorView(ind, lang)
		if failed != nil && failed.ID == ind.ID {
			row.FormTarget, row.FormVI, row.FormEN = failed.FormTarget, failed.FormVI, failed.FormEN
			row.Errors, row.Focus, row.Conflict, row.Open = failed.Errors, failed.Focus, failed.Conflict, true
			if failed.Conflict {
				row.FormTarget, row.FormVI, row.FormEN = targetText(ind.Target, lang), ind.NameVI, ind.NameEN
			}
		}
		p.Rows = append(p.Rows, row)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "indicator_list", T(lang, "indicator.title"), p)
}

func indicatorView(ind program.Indicator, lang string) indicatorRow {
	row := indicatorRow{Indicator: ind, Name: ind.NameVI, Percent: ind.Unit == program.UnitPercent}
	if lang == "en" && ind.NameEN != "" {
		row.Name = ind.NameEN
	}
	if m, ok := program.MeasureByKey(ind.Measure); ok {
		row.Measure = m.NameVI
		if lang == "en" {
			row.Measure = m.NameEN
		}
		row.Percent = m.Unit == program.UnitPercent
	} else {
		row.Measure = ind.Measure
	}
	row.Target = targetText(ind.Target, lang)
	if row.Percent {
		row.Target += " %"
	}
	row.FormTarget, row.FormVI, row.FormEN = targetText(ind.Target, lang), ind.NameVI, ind.NameEN
	return row
}

// targetText is a target as people write it: "92,5" in Vietnamese,
// "92.5" in English, no trailing zeros.
func targetText(v float64, lang string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// indicatorFlash confirms the save of indicator id with its new target.
func (s *Server) indicatorFlash(r *http.Request, id int64) string {
	list, err := s.cfg.Program.Indicators(r.Context(), programActor(userFrom(r.Context())))
	if err != nil {
		return ""
	}
	lang := langOf(r)
	for _, ind := range list {
		if ind.ID == id {
			v := indicatorView(ind, lang)
			return T(lang, "indicator.ok.saved", ind.Code, v.Target)
		}
	}
	return ""
}
