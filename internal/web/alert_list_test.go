package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"manglanh/internal/cases"
)

// TestAlertListSpeaksVietnamese: an alert's level, category and status are
// words in the page's language, never the raw values ("Mức: critical").
func TestAlertListSpeaksVietnamese(t *testing.T) {
	// The alert comes from a public check, so alerts.public_checks is on.
	f := newCheckFixture(t, CheckLimits{}, func(c *Config) { c.CheckAlerts = true })
	text := "Nếu mày không chuyển 2 triệu thì tao sẽ tung ảnh nóng của mày lên nhóm lớp cho cả trường xem"
	if resp, m := postAPI(t, http.DefaultClient, f.ts.URL+"/api/v1/check", `{"text":"`+text+`"}`); resp.StatusCode != 200 || m["level"] != "critical" {
		t.Fatalf("check: %d %v", resp.StatusCode, m)
	}
	c := f.client(t)
	f.signIn(&SessionUser{ID: 7, Role: cases.RoleOfficer, Name: "Cán bộ"})
	raw := regexp.MustCompile(`>\s*(none|low|medium|high|critical|sextortion|self_harm|check|dns|report)\s*<`)
	for _, tc := range []struct{ lang, level, category, status string }{
		{"vi", "Mức: <span class=\"level-critical\">rất nguy hiểm</span>", "Loại: đe doạ tung ảnh nhạy cảm", "Tình trạng: Chưa mở hồ sơ"},
		{"en", "Level: <span class=\"level-critical\">very dangerous</span>", "Category: sextortion", "Status: No case yet"},
	} {
		resp, body := get(t, c, f.ts.URL+"/can-bo/canh-bao?lang="+tc.lang)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", tc.lang, resp.StatusCode)
		}
		for _, want := range []string{tc.level, tc.category, tc.status} {
			if !strings.Contains(body, want) {
				t.Errorf("%s list lacks %q", tc.lang, want)
			}
		}
		if m := raw.FindString(body); m != "" {
			t.Errorf("%s list shows a raw value %q", tc.lang, m)
		}
	}
}
