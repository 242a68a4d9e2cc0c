package web

import (
	"net/http"
	"strings"
	"time"

	"manglanh/internal/program"
)

// maxActivityExport bounds the rows of one export.
const maxActivityExport = 20_000

// activityExport answers /can-bo/hoat-dong.csv and .xlsx: the list with
// the same filters as the page, every page of it.
func (s *Server) activityExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, lang := programActor(userFrom(r.Context())), langOf(r)
		aq := s.readActivityQuery(r)
		if aq.Bad != "" {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		f := aq.Filter
		var list []program.Activity
		for f.Offset, f.Limit = 0, program.MaxActivityPage; len(list) < maxActivityExport; f.Offset += f.Limit {
			page, total, err := s.cfg.Program.Activities(r.Context(), a, f)
			if err != nil {
				s.programError(w, r, err)
				return
			}
			list = append(list, page...)
			if len(page) < f.Limit || len(list) >= total {
				break
			}
		}
		groups := program.ParticipantGroups()
		head := []string{"activity.col.id", "activity.col.date", "activity.col.end", "activity.col.kind", "activity.col.places",
			"activity.col.organiser", "activity.col.topic"}
		for _, g := range groups {
			head = append(head, "activity.col."+g)
		}
		head = append(head, "activity.col.total", "activity.col.copies")
		rows := [][]xlsxCell{headRow(lang, head)}
		day := func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.cfg.Location).Format("02/01/2006")
		}
		for i := range list {
			act := &list[i]
			_, _, places, _ := s.activityWhat(lang, act)
			by := map[string]int{}
			for _, p := range act.Participants {
				by[p.Group] += p.Count
			}
			row := []xlsxCell{numCell(float64(act.ID)), textCell(day(act.Date)), textCell(day(act.EndDate)),
				textCell(T(lang, "activity.kind."+act.Kind)), textCell(places), textCell(act.Organiser), textCell(act.Topic)}
			for _, g := range groups {
				row = append(row, numCell(float64(by[g])))
			}
			row = append(row, numCell(float64(act.Total())), numCell(float64(act.Copies)))
			rows = append(rows, row)
		}
		s.writeTable(w, r, format, "hoat-dong", T(lang, "activity.title"), rows)
	}
}

// headRow is a header row of translated keys.
func headRow(lang string, keys []string) []xlsxCell {
	out := make([]xlsxCell, len(keys))
	for i, k := range keys {
		out[i] = textCell(T(lang, k))
	}
	return out
}

// writeTable guards every text cell against formula injection and sends
// the rows through sendTable, named name-YYYYMMDD-HHMM.
func (s *Server) writeTable(w http.ResponseWriter, r *http.Request, format, name, sheet string, rows [][]xlsxCell) {
	for _, row := range rows {
		for i := range row {
			if !row[i].IsNum {
				row[i].Text = safeCell(row[i].Text)
			}
		}
	}
	name += "-" + time.Now().In(s.cfg.Location).Format("20060102-1504")
	s.sendTable(w, r, format, strings.ReplaceAll(name, `"`, ""), sheet, rows)
}
