package web

import (
	"errors"
	"html/template"
	"net/url"
	"slices"
	"time"

	"manglanh/internal/cases"
)

// caseListFilterMessages are the texts of the case list's filter.
var caseListFilterMessages = map[string]msg{
	"case.filter.title":    {"Lọc hồ sơ", "Filter the cases"},
	"case.filter.category": {"Loại vụ việc", "Kind of case"},
	"case.filter.any":      {"Mọi loại", "Any kind"},
	"case.filter.from":     {"Tiếp nhận từ ngày", "Received from"},
	"case.filter.to":       {"Đến ngày", "Received until"},
	"case.filter.hint":     {"dd/mm/yyyy, cả hai ngày đều được tính", "dd/mm/yyyy, both days included"},
	"case.filter.go":       {"Lọc", "Filter"},
	"case.filter.clear":    {"Bỏ lọc", "Clear the filter"},
	"case.filter.count":    {"%d hồ sơ", "%d cases"},
	"case.filter.active":   {"Đang lọc: %s.", "Filtered: %s."},
	"case.filter.received": {"tiếp nhận từ %s đến %s", "received from %s to %s"},
	"case.filter.since":    {"tiếp nhận từ %s", "received from %s"},
	"case.filter.until":    {"tiếp nhận đến %s", "received until %s"},
	"case.filter.bad_date": {"Ngày không hợp lệ: hãy viết dd/mm/yyyy, ví dụ 01/01/2025.", "The date is not valid: write dd/mm/yyyy, e.g. 01/01/2025."},
	"case.filter.order":    {"Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.", "The end date must be on or after the start date."},
	"case.filter.bad_cat":  {"Loại vụ việc không có trong danh sách.", "That kind of case is not in the list."},
	"case.filter.capped":   {"Chỉ hiện %d hồ sơ mới nhất; hãy thu hẹp bộ lọc hoặc tải tệp xuất.", "Only the %d newest cases are shown; narrow the filter or download the export."},
}

// errBadCaseFilter: the export's filter was not understood.
var errBadCaseFilter = errors.New("web: the case filter is not valid")

// caseListQuery is the case list's filter as the query gives it: loc
// (open, closed, all), category, received_from and received_to (dd/mm/yyyy
// or yyyy-mm-dd, both days included, in the ward's time zone). The
// statistics page links here with loc=all and a period, so that "5 vụ
// lừa đảo" lands on those five rows.
type caseListQuery struct {
	Loc, Category, From, To string
	// Errors by field (category, received_from, received_to): message
	// keys; Focus is the first field in error.
	Errors map[string]string
	Focus  string
	Filter cases.Filter
}

// readCaseListQuery reads the filter; a value it does not understand is
// kept as typed and named in Errors.
func readCaseListQuery(q url.Values, loc *time.Location) caseListQuery {
	cq := caseListQuery{Loc: q.Get("loc"), Category: q.Get("category"), From: q.Get("received_from"), To: q.Get("received_to"),
		Errors: map[string]string{}}
	switch cq.Loc {
	case "closed":
		cq.Filter.Statuses = []cases.Status{cases.StatusClosed}
	case "all":
	default:
		cq.Loc, cq.Filter.OpenOnly = "open", true
	}
	bad := func(field, key string) {
		cq.Errors[field] = key
		if cq.Focus == "" {
			cq.Focus = field
		}
	}
	if cq.Category != "" {
		if slices.Contains(cases.Categories(), cq.Category) {
			cq.Filter.Category = cq.Category
		} else {
			bad("category", "case.filter.bad_cat")
		}
	}
	if cq.From != "" {
		if t, ok := parseDay(cq.From, loc); ok {
			cq.Filter.ReceivedFrom, cq.From = t, t.Format("02/01/2006")
		} else {
			bad("received_from", "case.filter.bad_date")
		}
	}
	if cq.To != "" {
		if t, ok := parseDay(cq.To, loc); ok {
			cq.Filter.ReceivedTo, cq.To = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc), t.Format("02/01/2006")
		} else {
			bad("received_to", "case.filter.bad_date")
		}
	}
	if f := cq.Filter; !f.ReceivedFrom.IsZero() && !f.ReceivedTo.IsZero() && !f.ReceivedFrom.Before(f.ReceivedTo) {
		bad("received_to", "case.filter.order")
	}
	return cq
}

// Bad reports a filter that was not understood: the list then shows the
// errors and no rows, never rows of a filter the user did not ask for.
func (cq caseListQuery) Bad() bool { return len(cq.Errors) > 0 }

// Narrowed reports a category or date filter.
func (cq caseListQuery) Narrowed() bool {
	return cq.Category != "" || cq.From != "" || cq.To != ""
}

// encode is the filter's query string with loc set to l ("" keeps it).
func (cq caseListQuery) encode(l string) template.URL {
	if l == "" {
		l = cq.Loc
	}
	v := url.Values{"loc": {l}}
	for k, x := range map[string]string{"category": cq.Category, "received_from": cq.From, "received_to": cq.To} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return template.URL(v.Encode()) // url.Values.Encode escapes every value
}

// describe says the active filter in words ("tiếp nhận từ 01/01/2025 đến
// 31/12/2025, Lừa đảo …").
func (cq caseListQuery) describe(lang string) string {
	var parts []string
	switch {
	case cq.From != "" && cq.To != "":
		parts = append(parts, T(lang, "case.filter.received", cq.From, cq.To))
	case cq.From != "":
		parts = append(parts, T(lang, "case.filter.since", cq.From))
	case cq.To != "":
		parts = append(parts, T(lang, "case.filter.until", cq.To))
	}
	if cq.Category != "" {
		parts = append(parts, T(lang, "report.cat."+cq.Category))
	}
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "; "
		}
		out += p
	}
	return out
}
