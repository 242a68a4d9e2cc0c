package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/cases"
)

// fieldError is one problem of the report form: the input it belongs to
// (its id; "" for the form as a whole), the field's label key and the
// message.
type fieldError struct {
	ID    string
	Label string // message key of the field's label
	Msg   string
}

// newSubmissionKey draws a form's idempotency key: 128 random bits.
func newSubmissionKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// reportFieldIDs maps a cases.ValidationError field to the form input
// showing it, and the input to its label. Fields not listed belong to the
// form as a whole.
var reportFieldIDs = map[string][2]string{
	"Category":                    {"", "report.what"},
	"OccurredAt":                  {"when", "report.when"},
	"Place":                       {"where", "report.where"},
	"Sensitive.Description":       {"description", "report.description"},
	"Sensitive.ChildName":         {"child_name", "report.child.name"},
	"Sensitive.ChildAge":          {"child_age", "report.child.age"},
	"Sensitive.ChildSchool":       {"child_school", "report.child.school"},
	"Sensitive.ChildClass":        {"child_class", "report.child.class"},
	"Sensitive.SuspectName":       {"suspect_name", "report.suspect.name"},
	"Sensitive.SuspectProfileURL": {"suspect_url", "report.suspect.url"},
	"Sensitive.SuspectPhone":      {"suspect_phone", "report.suspect.phone"},
	"Sensitive.EvidenceLinks":     {"links", "report.links"},
	"Evidence":                    {"images", "report.images"},
	"Sensitive.ReporterName":      {"reporter_name", "report.reporter.name"},
	"Sensitive.ReporterPhone":     {"reporter_phone", "report.reporter.phone"},
	"Sensitive.ReporterRelation":  {"reporter_relation", "report.reporter.relation"},
}

// reportFieldOf finds the input of a validation error's field: indexed
// fields ("Sensitive.EvidenceLinks[2]", "Evidence[0]") belong to their list.
func reportFieldOf(field string) (id, label string) {
	if i := strings.IndexByte(field, '['); i > 0 {
		field = field[:i]
	}
	v, ok := reportFieldIDs[field]
	if !ok {
		return "", ""
	}
	if field == "Category" {
		v[0] = "cat-" + cases.Categories()[0] // the group's first choice
	}
	return v[0], v[1]
}

// fieldErrorOf turns err into a field error in lang; ok is false when err
// is not a validation problem.
func fieldErrorOf(err error, lang string) (fieldError, bool) {
	var ve *cases.ValidationError
	if !errors.As(err, &ve) {
		return fieldError{}, false
	}
	id, label := reportFieldOf(ve.Field)
	return fieldError{ID: id, Label: label, Msg: ve.Message(lang)}, true
}

// withErrors sets p's field problems: the message beside each field, the
// summary, and the first field to focus.
func (p *reportPage) withErrors(errs []fieldError) {
	for _, e := range errs {
		if e.ID == "" {
			p.Errors = append(p.Errors, e.Msg)
			continue
		}
		if p.Fields == nil {
			p.Fields = map[string]string{}
		}
		if _, dup := p.Fields[e.ID]; dup {
			continue
		}
		p.Fields[e.ID] = e.Msg
		p.Summary = append(p.Summary, e)
		if p.Focus == "" {
			p.Focus = e.ID
		}
	}
}

// reportProblems lists every problem of a public form at once (not only
// the first): what happened, the description, the age and the date, then
// parseErr's own field if it is another one.
func (s *Server) reportProblems(f reportForm, parseErr error, lang string) []fieldError {
	var out []fieldError
	add := func(field, key string) {
		id, label := reportFieldOf(field)
		out = append(out, fieldError{ID: id, Label: label, Msg: T(lang, key)})
	}
	if !slices.Contains(cases.Categories(), f.Category) {
		add("Category", "report.error.category")
	}
	if strings.TrimSpace(f.Description) == "" {
		add("Sensitive.Description", "report.error.description")
	}
	if a := strings.TrimSpace(f.ChildAge); a != "" {
		if n, err := strconv.Atoi(a); err != nil || n < 0 || n > 17 {
			add("Sensitive.ChildAge", "report.error.age")
		}
	}
	if w := strings.TrimSpace(f.When); w != "" {
		if _, err := time.ParseInLocation("2006-01-02", w, s.cfg.Location); err != nil {
			add("OccurredAt", "report.error.when")
		}
	}
	if parseErr != nil {
		if fe, ok := fieldErrorOf(parseErr, lang); ok {
			out = append(out, fe)
		}
	}
	return out
}

// Err is the problem of input id, "" when none.
func (p reportPage) Err(id string) string { return p.Fields[id] }

// Invalid returns the attributes of input id when it has a problem: marked
// invalid, described by its message, and focused when it is the first.
func (p reportPage) Invalid(id string) template.HTMLAttr {
	if _, bad := p.Fields[id]; !bad {
		return ""
	}
	a := ` aria-invalid="true" aria-describedby="` + id + `-err"`
	if p.Focus == id {
		a += " autofocus"
	}
	return template.HTMLAttr(a)
}

// Open reports whether optional step n (2 or 3) starts unfolded: when
// something in it is filled in or has a problem, so nothing typed or
// wrong is hidden.
func (p reportPage) Open(n int) bool {
	f := p.Form
	var vals, ids []string
	switch n {
	case 2:
		vals = []string{f.ChildName, f.ChildAge, f.ChildSchool, f.ChildClass}
		ids = []string{"child_name", "child_age", "child_school", "child_class"}
	case 3:
		vals = []string{f.When, f.Where, f.SuspectName, f.SuspectURL, f.SuspectPhone, f.Links}
		ids = []string{"when", "where", "suspect_name", "suspect_url", "suspect_phone", "links", "images"}
	}
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	for _, id := range ids {
		if p.Fields[id] != "" {
			return true
		}
	}
	return p.Staff
}
