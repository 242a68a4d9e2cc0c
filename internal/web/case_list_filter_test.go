package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
)

// caseRows counts the rows of a case list page.
var caseRowRe = regexp.MustCompile(`<td class="code"><a href="/can-bo/ho-so/\d+"`)

// TestCaseListReceivedFilter: received_from/received_to take whole days in
// the ward's time zone (a case at 23:30 on the last day is in, one at
// 00:00 the next day is out), category narrows, the filter is said in
// words and carried to the exports, and bad dates are shown beside their
// field.
func TestCaseListReceivedFilter(t *testing.T) {
	f := newExtraFixture(t)
	loc := cases.DefaultLocation()
	ctx := context.Background()
	at := func(id int64, when time.Time, cat string) {
		t.Helper()
		c, err := f.cs.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c.ReceivedAt, c.Category = when, cat
		if err := f.cs.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d, h, m int) time.Time { return time.Date(2025, time.March, d, h, m, 0, 0, loc) }
	at(f.newCase(t, "A", "x", false), day(1, 0, 0), cases.CategoryScam)                   // first instant of 01/03
	at(f.newCase(t, "B", "x", false), day(31, 23, 30), cases.CategoryScam)                // last half hour of 31/03
	at(f.newCase(t, "C", "x", false), day(32, 0, 0), cases.CategoryScam)                  // 01/04 00:00: out
	at(f.newCase(t, "D", "x", false), day(15, 12, 0), cases.CategoryGambling)             // in, another category
	at(f.newCase(t, "E", "x", false), day(1, 0, 0).Add(-time.Minute), cases.CategoryScam) // 28/02 23:59: out
	cl := f.client(t)
	f.signIn(f.users["officer"])
	for _, tt := range []struct {
		q    string
		want int
	}{
		{"loc=all", 5},
		{"loc=all&received_from=01/03/2025&received_to=31/03/2025", 3},
		{"loc=all&received_from=2025-03-01&received_to=2025-03-31", 3},
		{"loc=all&received_from=01/03/2025&received_to=31/03/2025&category=scam", 2},
		{"loc=all&received_from=01/04/2025", 1},
		{"loc=all&received_to=28/02/2025", 1},
		{"loc=closed&received_from=01/03/2025&received_to=31/03/2025", 0},
	} {
		resp, b := f.get(t, cl, "/can-bo/ho-so?"+tt.q)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d", tt.q, resp.StatusCode)
		}
		if got := len(caseRowRe.FindAll(b, -1)); got != tt.want {
			t.Errorf("%s: %d rows, want %d", tt.q, got, tt.want)
		}
		if !strings.Contains(pageText(b), T("vi", "case.filter.count", tt.want)) {
			t.Errorf("%s: no count %q", tt.q, T("vi", "case.filter.count", tt.want))
		}
	}
	_, b := f.get(t, cl, "/can-bo/ho-so?loc=all&received_from=1/3/2025&received_to=31/03/2025&category=scam")
	page := pageText(b)
	if !strings.Contains(page, "Đang lọc: tiếp nhận từ 01/03/2025 đến 31/03/2025; "+T("vi", "report.cat.scam")) ||
		!strings.Contains(string(b), `href="/can-bo/ho-so/xuat.csv?category=scam&amp;loc=all&amp;received_from=01%2F03%2F2025&amp;received_to=31%2F03%2F2025"`) {
		t.Errorf("filter not described or not carried to the export: %s", page)
	}
	resp, csv := f.get(t, cl, "/can-bo/ho-so/xuat.csv?category=scam&loc=all&received_from=01%2F03%2F2025&received_to=31%2F03%2F2025")
	if resp.StatusCode != http.StatusOK || strings.Count(string(csv), "\r\n") != 3 { // header and two cases
		t.Errorf("filtered export: HTTP %d, %q", resp.StatusCode, csv)
	}
	for _, tt := range []struct{ q, field, key string }{
		{"received_from=32/03/2025", "received_from", "case.filter.bad_date"},
		{"received_to=31/03/2025x", "received_to", "case.filter.bad_date"},
		{"received_from=31/03/2025&received_to=01/03/2025", "received_to", "case.filter.order"},
		{"category=%3Cscript%3E", "category", "case.filter.bad_cat"},
	} {
		resp, b := f.get(t, cl, "/can-bo/ho-so?loc=all&"+tt.q)
		page := string(b)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="`+tt.field+`-err">`+T("vi", tt.key)) ||
			!regexp.MustCompile(`id="`+tt.field+`"[^>]*aria-invalid="true"[^>]*autofocus`).MatchString(page) ||
			len(caseRowRe.FindAll(b, -1)) != 0 || strings.Contains(page, "<script>") {
			t.Errorf("%s: HTTP %d, want the error beside %s with focus and no rows", tt.q, resp.StatusCode, tt.field)
		}
		if resp, _ := f.get(t, cl, "/can-bo/ho-so/xuat.csv?loc=all&"+tt.q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("export %s: HTTP %d, want 400", tt.q, resp.StatusCode)
		}
	}
}
