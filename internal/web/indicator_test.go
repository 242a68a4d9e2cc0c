package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"manglanh/internal/program"
)

func (f *shopFixture) indicator(t *testing.T, tenant int64, code string) program.Indicator {
	t.Helper()
	list, err := f.svc.Indicators(context.Background(), program.Actor{Role: program.RoleOfficer, TenantID: tenant})
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range list {
		if ind.Code == code {
			return ind
		}
	}
	t.Fatalf("no indicator %s", code)
	return program.Indicator{}
}

func TestIndicatorPage(t *testing.T) {
	f := newShopFixture(t)
	resp, b := f.get(t, "/can-bo/chi-tieu")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", resp.StatusCode)
	}
	m, _ := program.MeasureByKey("coverage_pct")
	if !strings.Contains(b, m.NameVI) || !strings.Contains(b, "350</strong> "+T("vi", "indicator.unit.count")) || !strings.Contains(b, "100 %</strong>") {
		t.Error("the list lacks a measure's Vietnamese name or a target with its unit")
	}
	t1 := f.indicator(t, 1, "T1")
	path := "/can-bo/chi-tieu/" + strconv.FormatInt(t1.ID, 10)
	form := func(target string) url.Values {
		return url.Values{"target": {target}, "name_vi": {t1.NameVI}, "name_en": {t1.NameEN}, "version": {strconv.FormatInt(t1.Version, 10)}}
	}

	// Bad targets: an error beside the field, nothing saved.
	for _, c := range []struct{ name, target, msg string }{
		{"negative", "-1", "program.err.target_range"},
		{"over 100 %", "100,5", "program.err.target_percent"},
		{"not a number", "một trăm", "indicator.err.number"},
		{"5000 characters", strings.Repeat("9", 5000), "indicator.err.number"},
		{"empty", "", "indicator.err.number"},
	} {
		resp, b := f.post(t, "/can-bo/chi-tieu", path, form(c.target))
		re := regexp.MustCompile(`id="target-` + strconv.FormatInt(t1.ID, 10) + `-err">` + regexp.QuoteMeta(T("vi", c.msg)) + `</p>\s*<input[^>]*aria-invalid="true"[^>]*autofocus`)
		if resp.StatusCode != http.StatusBadRequest || !re.MatchString(b) {
			t.Errorf("%s: %d, no error %q beside the target", c.name, resp.StatusCode, c.msg)
		}
		if got := f.indicator(t, 1, "T1"); got.Target != 100 || got.Version != t1.Version {
			t.Fatalf("%s: saved %+v", c.name, got)
		}
	}
	long := form("90")
	long.Set("name_vi", strings.Repeat("Chỉ tiêu ", 40))
	if resp, b := f.post(t, "/can-bo/chi-tieu", path, long); resp.StatusCode != http.StatusBadRequest || !strings.Contains(b, `id="name_vi-`+strconv.FormatInt(t1.ID, 10)+`-err"`) {
		t.Errorf("a 360-character name: %d", resp.StatusCode)
	}
	n1 := f.indicator(t, 1, "N1")
	count := url.Values{"target": {"12,5"}, "name_vi": {n1.NameVI}, "version": {strconv.FormatInt(n1.Version, 10)}}
	if resp, _ := f.post(t, "/can-bo/chi-tieu", "/can-bo/chi-tieu/"+strconv.FormatInt(n1.ID, 10), count); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a count target of 12,5: %d", resp.StatusCode)
	}

	// A good target, with a decimal comma.
	resp, _ = f.post(t, "/can-bo/chi-tieu", path, form("92,5"))
	want := "/can-bo/chi-tieu?ok=" + strconv.FormatInt(t1.ID, 10) + "#ct-" + strconv.FormatInt(t1.ID, 10)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := f.indicator(t, 1, "T1"); got.Target != 92.5 {
		t.Fatalf("stored target %v", got.Target)
	}
	_, b = f.get(t, want)
	if !strings.Contains(b, T("vi", "indicator.ok.saved", "T1", "92,5 %")) {
		t.Error("the save is not confirmed with the new target")
	}
	// The same form again (an old version): refused, the latest shown.
	resp, b = f.post(t, "/can-bo/chi-tieu", path, form("80"))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(b, T("vi", "indicator.err.conflict")) || !strings.Contains(b, `value="92,5"`) {
		t.Errorf("a stale form: %d", resp.StatusCode)
	}

	// Read-only for the police and viewers; nothing for a school.
	for _, role := range []string{"viewer", "police"} {
		f.as(role, 1)
		resp, b := f.get(t, "/can-bo/chi-tieu")
		if resp.StatusCode != http.StatusOK || strings.Contains(b, `action="/can-bo/chi-tieu/`) {
			t.Errorf("%s: %d, or offered the form", role, resp.StatusCode)
		}
		if resp, _ := f.post(t, "/can-bo/chi-tieu", path, form("50")); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s saving: %d", role, resp.StatusCode)
		}
	}
	f.as("school", 1)
	if resp, _ := f.get(t, "/can-bo/chi-tieu"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("school: %d", resp.StatusCode)
	}
	// Another ward's officer cannot reach this ward's indicator.
	f.as("officer", 2)
	if resp, _ := f.post(t, "/can-bo/chi-tieu", path, form("50")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another ward: %d", resp.StatusCode)
	}
	if got := f.indicator(t, 1, "T1"); got.Target != 92.5 {
		t.Errorf("changed by others: %v", got.Target)
	}
}

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{{"100", 100, true}, {"92,5", 92.5, true}, {"92.5", 92.5, true}, {" 95 % ", 95, true}, {"1.000.000", 1e6, true},
		{"", 0, false}, {"abc", 0, false}, {"1,2,3", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"1e400", 0, false}} {
		got, ok := parseTarget(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("parseTarget(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestPreportStaffLinks: the staff home links the report and targets pages
// for the roles that may open them, and no other.
func TestPreportStaffLinks(t *testing.T) {
	srv, err := New(Config{Program: newShopFixture(t).svc})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		role string
		want bool
	}{{"officer", true}, {"chairman", true}, {"ward_admin", true}, {"police", true}, {"viewer", true}, {"school", false}, {"teacher", false}} {
		hrefs := map[string]bool{}
		for _, l := range srv.programLinks(c.role) {
			hrefs[l.Href] = true
		}
		if hrefs["/can-bo/bao-cao-dinh-ky"] != c.want || hrefs["/can-bo/chi-tieu"] != c.want {
			t.Errorf("%s: links %v, want the report and targets: %v", c.role, hrefs, c.want)
		}
	}
}
