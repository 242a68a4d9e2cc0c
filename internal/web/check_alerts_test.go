package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"manglanh/internal/cases"
)

// TestCheckAlertsOffByDefault: with the default configuration
// (alerts.public_checks off) a critical message checked on the page and on
// the API reaches no staff alert and leaves no case behind.
func TestCheckAlertsOffByDefault(t *testing.T) {
	f := newCheckFixture(t, CheckLimits{})
	text := "Nếu mày không chuyển 2 triệu thì tao sẽ tung ảnh nóng của mày lên nhóm lớp cho cả trường xem"
	in, _ := json.Marshal(map[string]string{"text": text})
	if resp, m := postAPI(t, http.DefaultClient, f.ts.URL+"/api/v1/check", string(in)); resp.StatusCode != 200 || m["level"] != "critical" {
		t.Fatalf("API check: %d %v", resp.StatusCode, m)
	}
	c := f.client(t)
	token := f.csrf(t, c, "/kiem-tra")
	if resp, body := postURLEncoded(t, c, f.ts.URL+"/kiem-tra", url.Values{"csrf": {token}, "text": {text}}); resp.StatusCode != 200 {
		t.Fatalf("page check: %d\n%s", resp.StatusCode, body)
	}
	if list, err := f.alerts.Recent(context.Background(), 10); err != nil || len(list) != 0 {
		t.Errorf("alerts after critical checks with the default config: %v %+v", err, list)
	}
	if cs, err := f.cs.ListCases(context.Background(), cases.Filter{}); err != nil || len(cs) != 0 {
		t.Errorf("cases after checks: %v %d", err, len(cs))
	}
}
