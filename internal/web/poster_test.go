package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
	"manglanh/internal/sources"
	"manglanh/internal/store"
)

// newPosterService is the sources service over db with a real audit log,
// printing posters for base.
func newPosterService(t testing.TB, db *store.Store, base string) *sources.Service {
	t.Helper()
	log, err := audit.New(audit.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := sources.NewService(sources.Config{Store: db, Audit: log, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestPosterRefusedForALoopbackBaseURL: with web.base_url unset or naming
// this machine or a private network, the sources page says which setting
// to change, offers no download, and the PDF address answers 409 with the
// same explanation, in Vietnamese and English; a new source is still
// added, confirmed, and audited.
func TestPosterRefusedForALoopbackBaseURL(t *testing.T) {
	for name, base := range map[string]string{"unset": "", "loopback": "http://127.0.0.1:8080", "private": "http://192.168.1.20"} {
		// Named subtests: a "#" in t.TempDir's path would cut the SQLite
		// file name short.
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, ReportLimits{})
			// Replace the fixture's portal by one with this base URL.
			s, err := New(Config{Ward: Ward{Name: "Phường Phù Liễn"}, Cases: f.svc, Evidence: f.cs, Sources: f.db,
				Posters: newPosterService(t, f.db, base), BaseURL: base, Location: cases.DefaultLocation()})
			if err != nil {
				t.Fatal(err)
			}
			f.ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				f.mu.Lock()
				u := f.user
				f.mu.Unlock()
				if u != nil {
					r = r.WithContext(withUser(r.Context(), u))
				}
				s.Handler().ServeHTTP(w, r)
			})
			c := f.client(t)
			f.signIn(&SessionUser{ID: 2, Name: "Cán bộ", Role: cases.RoleOfficer})
			token := f.csrf(t, c, "/can-bo/nguon")
			resp, _ := f.postForm(t, c, "/can-bo/nguon", map[string]string{"csrf": token, "name": "Trường THCS Phù Liễn", "kind": "school"}, nil)
			if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=created") {
				t.Fatalf("create source: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			srcs, _ := f.db.ListSources(context.Background())
			if len(srcs) != 1 {
				t.Fatalf("sources %v", srcs)
			}
			_, page := get(t, c, f.ts.URL+resp.Header.Get("Location"))
			if !strings.Contains(page, "Đã thêm nguồn mới") || !strings.Contains(page, `id="base-url"`) ||
				strings.Contains(page, "/poster.pdf") || !strings.Contains(page, "MANGLANH_WEB_BASE_URL") {
				t.Errorf("sources page with base %q:\n%s", base, page)
			}
			for _, lang := range []string{"vi", "en"} {
				resp, body := get(t, c, fmt.Sprintf("%s/can-bo/nguon/%d/poster.pdf?lang=%s", f.ts.URL, srcs[0].ID, lang))
				if resp.StatusCode != http.StatusConflict || strings.HasPrefix(body, "%PDF") ||
					!strings.Contains(body, "web.base_url") || !strings.Contains(body, "MANGLANH_WEB_BASE_URL") {
					t.Errorf("%s poster with base %q: %d %.200s", lang, base, resp.StatusCode, body)
				}
				if lang == "en" && !strings.Contains(body, "could not open the report form") {
					t.Errorf("English page is not in English: %.300s", body)
				}
			}
			entries, err := f.db.RecentAudit(context.Background(), 10)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
			}
			if strings.Join(actions, ",") != "source.create" {
				t.Errorf("audit %v, want only source.create (no poster was made)", actions)
			}
		})
	}
}
