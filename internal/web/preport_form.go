package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/program"
	"manglanh/internal/report"
)

// preportFormPage is what preport_form.html gets: the header fields and
// each section's narrative as typed, beside the paragraphs computed from
// the figures now.
type preportFormPage struct {
	Period periodForm
	Query  template.URL
	// Base is the period's latest version number when the editor was
	// opened (0: none yet); a save checks it to catch a version saved in
	// between.
	Base int
	// Source is the version the text was taken from (0: the prompts);
	// Next the number saving makes.
	Source, Next int
	Header       []formField
	Basis        formField
	Recips       formField
	Signature    []formField
	Groups       []preportGroup
	Errors       map[string]string
	Focus        string
	// Stale is the version saved by someone else since Base.
	Stale *program.ReportVersion
	// Summary lists the errors at the top, each linking to its field.
	Summary []formField
}

// preportGroup is a level-1 part of the report (I., II., III.) and its
// sections.
type preportGroup struct {
	Title    string
	Sections []preportSection
}

// preportSection is one narrative section of the editor.
type preportSection struct {
	Key, Heading string
	Num          string // "I.1", "III.3.1"
	Level        int
	Generated    []string // the paragraphs computed from the figures now
	Tables       bool     // the printout adds tables to this section
	Text, Prompt string
	Err          string
	Focus        bool
}

// preportGroups: the first section key of each level-1 part.
var preportGroups = map[string]string{
	report.NarrTelecom:    "preport.group.situation",
	report.NarrDirection:  "preport.group.results",
	report.NarrAssessment: "preport.group.assessment",
}

// preportTables are the sections the document prints tables in.
var preportTables = map[string]bool{report.NarrTargets: true, report.NarrTasks: true, report.NarrAssessment: true}

// preportFieldOrder is the order of the form's fields, for the focus.
func preportFieldOrder() []string {
	order := []string{"period", "number", "place", "date", "title", "basis", "recipients",
		"sig_capacity", "sig_deputy", "sig_title", "sig_name", "narratives"}
	for _, sec := range report.Sections() {
		order = append(order, "narr_"+sec.Key)
	}
	return order
}

// preportForm shows the editor of a new version of ?from=&to=, its text
// taken from the period's latest version, or from version ?tu= (which
// gives the period).
func (s *Server) preportForm(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), programActor(userFrom(r.Context()))
	var src *program.ReportVersion
	if v := r.URL.Query().Get("tu"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		rv, err := s.cfg.Program.Report(ctx, a, id)
		if err != nil {
			s.programError(w, r, err)
			return
		}
		src = rv
	}
	var pf periodForm
	if src != nil {
		pf = s.cityPeriod(map[string][]string{"from": {src.Period.From.Format("02/01/2006")}, "to": {src.Period.LastDay().Format("02/01/2006")}})
	} else if pf = s.cityPeriod(r.URL.Query()); pf.Error != "" {
		s.preportList(w, r)
		return
	}
	latest, err := s.latestReport(ctx, a, pf.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	p := preportFormPage{Period: pf}
	if latest != nil {
		p.Base = latest.Version
	}
	if src == nil {
		src = latest
	}
	rv := s.blankReport(pf.Period)
	rv.Narratives = map[string]string{}
	rv.Date = s.today()
	if src != nil {
		rv = src
		p.Source = src.Version
	}
	s.renderPreportForm(w, r, http.StatusOK, p, rv)
}

func (s *Server) renderPreportForm(w http.ResponseWriter, r *http.Request, status int, p preportFormPage, rv *program.ReportVersion) {
	ctx, a, lang := r.Context(), programActor(userFrom(r.Context())), langOf(r)
	p.Query, p.Next = p.Period.query(), p.Base+1
	figs, err := s.cfg.Program.ReportFigures(ctx, a, p.Period.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	acts, ins, shops, err := s.cfg.Program.ReportRows(ctx, a, p.Period.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	gen := report.FigureParagraphs(report.Input{Figures: figs, Activities: acts, Inspections: ins, Shops: shops})
	title := rv.Title
	if strings.TrimSpace(title) == "" && p.Errors == nil {
		// The summary line Build writes for an empty title: a new report
		// starts from it, and the officer may change it.
		title = strings.Join(report.Build(report.Input{Version: &program.ReportVersion{Period: p.Period.Period}}).Summary, "\n")
	}
	field := func(name, value, typ string, max int, hint string) formField {
		return formField{Name: name, Label: T(lang, "preport."+name), Value: value, Type: typ, Max: max, Hint: hint,
			Err: p.Errors[name], Focus: p.Focus == name}
	}
	date := ""
	if !rv.Date.IsZero() {
		date = rv.Date.In(s.cfg.Location).Format("02/01/2006")
	}
	if r.Method == http.MethodPost {
		date = r.PostFormValue("date") // as typed, even when wrong
	}
	p.Header = []formField{
		field("number", rv.Number, "text", program.MaxReportNumber, T(lang, "preport.number.hint")),
		field("place", rv.Place, "text", 100, ""),
		field("date", date, "text", 10, T(lang, "preport.date.hint")),
		field("doc_title", title, "textarea", 600, ""),
	}
	// The title's field is "title" for the service; its label key is
	// doc_title (preport.title is the page's).
	p.Header[3].Name, p.Header[3].Err, p.Header[3].Focus = "title", p.Errors["title"], p.Focus == "title"
	p.Basis = field("basis", rv.Basis, "textarea", 5000, T(lang, "preport.basis.hint"))
	p.Recips = field("recipients", strings.Join(rv.Recipients, "\n"), "textarea", 4200, T(lang, "preport.recipients.hint"))
	p.Signature = []formField{
		field("sig_capacity", rv.Signature.Capacity, "text", 100, ""),
		field("sig_deputy", rv.Signature.Deputy, "text", 100, ""),
		field("sig_title", rv.Signature.Title, "text", 100, ""),
		field("sig_name", rv.Signature.Name, "text", 100, ""),
	}
	for _, sec := range report.Sections() {
		if g, ok := preportGroups[sec.Key]; ok {
			p.Groups = append(p.Groups, preportGroup{Title: T(lang, g)})
		}
		roman, _, _ := strings.Cut(p.Groups[len(p.Groups)-1].Title, " ")
		num, _, _ := strings.Cut(sec.Heading, " ")
		heading, prompt := sec.Heading, sec.Prompt
		if lang == "en" {
			heading, prompt = sec.HeadingEN, sec.PromptEN
		}
		g := &p.Groups[len(p.Groups)-1]
		g.Sections = append(g.Sections, preportSection{Key: sec.Key, Heading: heading, Level: sec.Level,
			Num:       roman + strings.TrimSuffix(num, "."),
			Generated: gen[sec.Key], Tables: preportTables[sec.Key], Text: rv.Narratives[sec.Key], Prompt: prompt,
			Err: p.Errors["narr_"+sec.Key], Focus: p.Focus == "narr_"+sec.Key})
	}
	p.Summary = preportSummary(p, lang)
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "preport_form", T(lang, "preport.editor", p.Period.Period.String()), p)
}

// preportSummary lists p's errors in the form's order, with their
// fields' labels (Name is the id to link to; "" for an error of the
// whole body).
func preportSummary(p preportFormPage, lang string) []formField {
	label := map[string]string{}
	for _, f := range append(append(slices.Clone(p.Header), p.Basis, p.Recips), p.Signature...) {
		label[f.Name] = f.Label
	}
	for _, g := range p.Groups {
		for _, sec := range g.Sections {
			label["narr_"+sec.Key] = T(lang, "preport.narrative", sec.Num)
		}
	}
	var out []formField
	for _, k := range preportFieldOrder() {
		msg, bad := p.Errors[k]
		if !bad {
			continue
		}
		f := formField{Name: k, Label: label[k], Err: msg}
		if _, ok := label[k]; !ok {
			f.Name = k + "-err" // period, narratives: the message itself
		}
		out = append(out, f)
	}
	return out
}

// preportSave saves the typed report as a new version and shows it.
// Nothing is saved when a field is wrong; a version saved by someone else
// since the editor was opened is shown first, and a second press of the
// button on the same text (a resent form) saves nothing new.
func (s *Server) preportSave(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, a, lang := r.Context(), programActor(userFrom(r.Context())), langOf(r)
	pf := s.cityPeriod(r.PostForm)
	if pf.Error != "" {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	base, _ := strconv.Atoi(r.PostFormValue("base"))
	if r.PostFormValue(langSwitchField) != "" {
		// The language button of the form: the same text in the other
		// language, nothing saved.
		r = s.switchLang(w, r)
		rv, _ := s.reportFromForm(r, pf.Period)
		s.renderPreportForm(w, r, http.StatusOK, preportFormPage{Period: pf, Base: base, Source: base}, rv)
		return
	}
	rv, errs := s.reportFromForm(r, pf.Period)
	p := preportFormPage{Period: pf, Base: base, Source: base, Errors: errs}
	latest, err := s.latestReport(ctx, a, pf.Period)
	if err != nil {
		s.programError(w, r, err)
		return
	}
	if latest != nil && latest.Version > base {
		if len(errs) == 0 && sameReport(rv, latest) {
			// The same text again (the form sent twice): nothing new.
			http.Redirect(w, r, fmt.Sprintf("/can-bo/bao-cao-dinh-ky/%d?ok=same#phien-ban", latest.ID), http.StatusSeeOther)
			return
		}
		p.Stale, p.Base = latest, latest.Version
		s.renderPreportForm(w, r, http.StatusConflict, p, rv)
		return
	}
	if len(errs) == 0 {
		err := s.cfg.Program.SaveReport(ctx, a, rv)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/can-bo/bao-cao-dinh-ky/%d?ok=saved#phien-ban", rv.ID), http.StatusSeeOther)
			return
		}
		fe, _, ok := fieldErrs(err, lang, nil)
		switch {
		case ok:
			p.Errors = fe
		case errors.Is(err, program.ErrConflict):
			// Another save took the number at the same moment: show it.
			if latest, lerr := s.latestReport(ctx, a, pf.Period); lerr == nil && latest != nil {
				p.Stale, p.Base = latest, latest.Version
				s.renderPreportForm(w, r, http.StatusConflict, p, rv)
				return
			}
			s.programError(w, r, err)
			return
		default:
			s.programError(w, r, err)
			return
		}
	}
	for _, k := range preportFieldOrder() {
		if _, bad := p.Errors[k]; bad {
			p.Focus = k
			break
		}
	}
	s.renderPreportForm(w, r, http.StatusBadRequest, p, rv)
}

// reportFromForm reads the editor's fields; errs are the fields the web
// reads itself (the date), translated.
func (s *Server) reportFromForm(r *http.Request, p program.Period) (*program.ReportVersion, map[string]string) {
	lang := langOf(r)
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	rv := &program.ReportVersion{Period: p, Number: v("number"), Place: v("place"), Title: v("title"), Basis: v("basis"),
		Signature:  program.Signature{Capacity: v("sig_capacity"), Deputy: v("sig_deputy"), Title: v("sig_title"), Name: v("sig_name")},
		Narratives: map[string]string{}}
	errs := map[string]string{}
	if d, ok := parseDay(v("date"), s.cfg.Location); ok {
		rv.Date = d
	} else if v("date") == "" {
		errs["date"] = T(lang, "report.err.required")
	} else {
		errs["date"] = T(lang, "preport.err.date")
	}
	for _, line := range strings.Split(strings.ReplaceAll(r.PostFormValue("recipients"), "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			rv.Recipients = append(rv.Recipients, line)
		}
	}
	for _, sec := range report.Sections() {
		text := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("narr_"+sec.Key), "\r\n", "\n"))
		if text != "" {
			rv.Narratives[sec.Key] = text
		}
	}
	if len(errs) == 0 {
		return rv, nil
	}
	return rv, errs
}

// sameReport reports whether a and b have the same header and text.
func sameReport(a, b *program.ReportVersion) bool {
	return a.Number == b.Number && a.Place == b.Place && a.Date.Equal(b.Date) && a.Title == b.Title &&
		a.Basis == b.Basis && slices.Equal(a.Recipients, b.Recipients) && a.Signature == b.Signature &&
		maps.Equal(a.Narratives, b.Narratives)
}

// latestReport is the period's newest version, or nil when it has none.
func (s *Server) latestReport(ctx context.Context, a program.Actor, p program.Period) (*program.ReportVersion, error) {
	rv, err := s.cfg.Program.LatestReport(ctx, a, p)
	if errors.Is(err, program.ErrNotFound) {
		return nil, nil
	}
	return rv, err
}

// today is the local midnight of today in the ward's time zone.
func (s *Server) today() time.Time {
	n := time.Now().In(s.cfg.Location)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, s.cfg.Location)
}
