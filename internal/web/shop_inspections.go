package web

import (
	"net/http"
	"time"

	"manglanh/internal/program"
)

// violationLine is one row of the inspections list: a violation (or an
// inspection without any) with its shop.
type violationLine struct {
	Inspection program.Inspection
	Violation  *program.Violation
	ShopName   string
	Handled    bool
}

type inspectionsPage struct {
	From, To, Article, Handled string
	Articles                   []program.ViolationArticle
	Lines                      []violationLine
	Violations                 int
	Inspections                int
	Error                      string
	Query                      string
}

// inspectionFilter reads from/to/article/handled; the dashboard links here
// with the same parameters so "13 trường hợp vi phạm" lands on those rows.
func (s *Server) inspectionFilter(r *http.Request) (program.InspectionFilter, inspectionsPage, bool) {
	q := r.URL.Query()
	p := inspectionsPage{From: q.Get("from"), To: q.Get("to"), Article: q.Get("article"), Handled: q.Get("handled"),
		Articles: program.ViolationCatalogue(), Query: r.URL.RawQuery}
	f := program.InspectionFilter{Article: p.Article, Handled: p.Handled}
	if f.Handled != "yes" && f.Handled != "no" {
		f.Handled, p.Handled = "", ""
	}
	from, ok1 := parseShopDay(p.From, s.cfg.Location)
	to, ok2 := parseShopDay(p.To, s.cfg.Location)
	if !ok1 || !ok2 {
		p.Error = T(langOf(r), "shop.err.date")
		return f, p, false
	}
	if !from.IsZero() || !to.IsZero() {
		if from.IsZero() {
			from = time.Date(1990, 1, 1, 0, 0, 0, 0, s.cfg.Location)
		}
		if to.IsZero() {
			to = time.Date(2200, 1, 1, 0, 0, 0, 0, s.cfg.Location)
		}
		f.Period = program.Days(from, to, s.cfg.Location)
		if f.Period.Validate() != nil {
			p.Error = T(langOf(r), "shop.err.period")
			return f, p, false
		}
	}
	return f, p, true
}

// violationLines lists the filtered inspections as one line per violation;
// an inspection without violations is one line when no violation filter
// is set.
func (s *Server) violationLines(r *http.Request, f program.InspectionFilter) ([]violationLine, int, error) {
	ins, err := s.cfg.Program.Inspections(r.Context(), programActor(userFrom(r.Context())), f)
	if err != nil {
		return nil, 0, err
	}
	names := s.shopNames(r)
	var out []violationLine
	for _, in := range ins {
		if len(in.Violations) == 0 {
			out = append(out, violationLine{Inspection: in, ShopName: names[in.ShopID]})
			continue
		}
		for i := range in.Violations {
			v := &in.Violations[i]
			out = append(out, violationLine{Inspection: in, Violation: v, ShopName: names[in.ShopID], Handled: len(v.Actions) > 0})
		}
	}
	return out, len(ins), nil
}

// shopInspections is /can-bo/kiem-tra.
func (s *Server) shopInspections(w http.ResponseWriter, r *http.Request) {
	f, p, ok := s.inspectionFilter(r)
	status := http.StatusOK
	if ok {
		lines, n, err := s.violationLines(r, f)
		if err != nil {
			s.shopErr(w, r, err)
			return
		}
		p.Lines, p.Inspections = lines, n
		for _, l := range lines {
			if l.Violation != nil {
				p.Violations++
			}
		}
	} else {
		status = http.StatusBadRequest
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "shop_inspections", T(langOf(r), "shop.ins.title"), p)
}

// shopExport is /can-bo/co-so.csv and .xlsx: the registry.
func (s *Server) shopExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := langOf(r)
		shops, err := s.cfg.Program.Shops(r.Context(), programActor(userFrom(r.Context())), program.ShopFilter{})
		if err != nil {
			s.shopErr(w, r, err)
			return
		}
		rows := [][]xlsxCell{{textCell(T(lang, "shop.kind")), textCell(T(lang, "shop.name")), textCell(T(lang, "shop.address")),
			textCell(T(lang, "shop.owner")), textCell(T(lang, "shop.phone")), textCell(T(lang, "shop.certificate")),
			textCell(T(lang, "shop.cert_issued")), textCell(T(lang, "shop.cert_expires")), textCell(T(lang, "shop.hours")),
			textCell(T(lang, "shop.machines")), textCell(T(lang, "shop.active"))}}
		d := func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(s.cfg.Location).Format("02/01/2006")
		}
		for _, sh := range shops {
			rows = append(rows, []xlsxCell{textCell(T(lang, "shop.kind."+sh.Kind)), textCell(safeCell(sh.Name)), textCell(safeCell(sh.Address)),
				textCell(safeCell(sh.Owner)), textCell(safeCell(sh.Phone)), textCell(safeCell(sh.Certificate)), textCell(d(sh.CertIssued)),
				textCell(d(sh.CertExpires)), textCell(sh.Opens + "–" + sh.Closes), numCell(float64(sh.Machines)),
				textCell(T(lang, map[bool]string{true: "shop.yes", false: "shop.no"}[sh.Active]))})
		}
		s.writeTable(w, r, format, "co-so", T(lang, "shop.list.title"), rows)
	}
}

// violationExport is /can-bo/kiem-tra.csv and .xlsx with the list's filters.
func (s *Server) violationExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := langOf(r)
		f, _, ok := s.inspectionFilter(r)
		if !ok {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		lines, _, err := s.violationLines(r, f)
		if err != nil {
			s.shopErr(w, r, err)
			return
		}
		rows := [][]xlsxCell{{textCell(T(lang, "shop.ins.date")), textCell(T(lang, "shop.name")), textCell(T(lang, "shop.ins.team")),
			textCell(T(lang, "shop.v.article")), textCell(T(lang, "shop.v.title")), textCell(T(lang, "shop.v.description")),
			textCell(T(lang, "shop.v.fine_min")), textCell(T(lang, "shop.v.fine_max")), textCell(T(lang, "shop.v.actions")), textCell(T(lang, "shop.v.fined"))}}
		for _, l := range lines {
			row := []xlsxCell{textCell(l.Inspection.Date.In(s.cfg.Location).Format("02/01/2006")), textCell(safeCell(l.ShopName)), textCell(safeCell(l.Inspection.Team))}
			if v := l.Violation; v != nil {
				art, _ := program.ArticleByCode(v.Article)
				acts, fined := "", int64(0)
				for i, ac := range v.Actions {
					if i > 0 {
						acts += "; "
					}
					acts += T(lang, "shop.action."+ac.Kind) + " " + ac.Date.In(s.cfg.Location).Format("02/01/2006")
					fined += ac.FineVND
				}
				row = append(row, textCell(safeCell(art.Article)), textCell(safeCell(articleTitle(v.Article, lang))), textCell(safeCell(v.Description)),
					numCell(float64(v.FineMinVND)), numCell(float64(v.FineMaxVND)), textCell(acts), numCell(float64(fined)))
			}
			rows = append(rows, row)
		}
		s.writeTable(w, r, format, "kiem-tra", T(lang, "shop.ins.title"), rows)
	}
}
