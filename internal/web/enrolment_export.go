package web

import (
	"net/http"

	"manglanh/internal/program"
)

// enrolmentExport answers /can-bo/si-so.csv and .xlsx: the coverage of
// the period by school and level, as the page shows it.
func (s *Server) enrolmentExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := langOf(r)
		p, err := s.enrolmentData(r, nil)
		if err != nil {
			s.programError(w, r, err)
			return
		}
		rows := [][]xlsxCell{headRow(lang, []string{"enrolment.school", "enrolment.col.level", "enrolment.enrolled",
			"enrolment.reached", "enrolment.col.pct", "enrolment.col.capped", "enrolment.acts"})}
		for _, sc := range p.Schools {
			for _, l := range sc.Levels {
				row := []xlsxCell{textCell(sc.Name), textCell(T(lang, "activity.level."+l.Level))}
				if l.Has {
					pct := program.Ratio{Num: int64(l.Reached), Den: int64(l.Enrolled)}.Percent()
					row = append(row, numCell(float64(l.Enrolled)), numCell(float64(l.Reached)), numCell(float64(int(pct*10+0.5))/10))
				} else {
					row = append(row, textCell(T(lang, "enrolment.noenrol")), numCell(float64(l.Reached)), textCell(""))
				}
				capped := ""
				if l.Capped {
					capped = T(lang, "enrolment.capped")
				}
				row = append(row, textCell(capped), numCell(float64(sc.Acts)))
				rows = append(rows, row)
			}
		}
		s.writeTable(w, r, format, "do-bao-phu", T(lang, "enrolment.title"), rows)
	}
}
