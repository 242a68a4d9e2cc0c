package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func newTestServer(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHomeVietnameseFirstAndEnglish(t *testing.T) {
	ts := newTestServer(t, Config{Ward: Ward{Name: "Phường Phù Liễn"}})
	resp, body := get(t, ts.Client(), ts.URL+"/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Báo cáo sự việc") || !strings.Contains(body, `lang="vi"`) || !strings.Contains(body, "tel:111") {
		t.Fatalf("home: %d %s", resp.StatusCode, body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	_, body = get(t, ts.Client(), ts.URL+"/?lang=en")
	if !strings.Contains(body, "Report") || !strings.Contains(body, `lang="en"`) {
		t.Fatalf("english home: %s", body)
	}
}

func TestNotFoundIsLocalised(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, body := get(t, ts.Client(), ts.URL+"/khong-co")
	if resp.StatusCode != 404 || !strings.Contains(body, "Không tìm thấy trang") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

func TestHealthz(t *testing.T) {
	fail := false
	ts := newTestServer(t, Config{Health: []HealthCheck{{Name: "database", Check: func(context.Context) error {
		if fail {
			return errors.New("down")
		}
		return nil
	}}}})
	resp, body := get(t, ts.Client(), ts.URL+"/healthz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"database":"ok"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	fail = true
	resp, body = get(t, ts.Client(), ts.URL+"/healthz")
	if resp.StatusCode != 503 || !strings.Contains(body, `"database":"error"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.Client(), ts.URL+"/metrics")
	if resp.StatusCode != 200 || !strings.Contains(body, "manglanh_http_requests_total") {
		t.Fatalf("metrics: %d %s", resp.StatusCode, body)
	}
}

func TestStateChangeWithoutCSRFIsRefused(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, err := ts.Client().PostForm(ts.URL+"/anything", url.Values{"x": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without CSRF: %d", resp.StatusCode)
	}
}

func TestStaticHashedAndLangRedirectSafe(t *testing.T) {
	ts := newTestServer(t, Config{})
	_, body := get(t, ts.Client(), ts.URL+"/")
	i := strings.Index(body, "/static/app.")
	if i < 0 {
		t.Fatal("no hashed stylesheet link")
	}
	link := body[i : i+strings.Index(body[i:], `"`)]
	resp, _ := get(t, ts.Client(), ts.URL+link)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("static: %d %v", resp.StatusCode, resp.Header)
	}
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ = get(t, c, ts.URL+"/lang/en?next=//evil.example/")
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Fatalf("open redirect: %q", loc)
	}
}

func TestSetupPageShowsTheWardsEncryptedDNSDomain(t *testing.T) {
	ts := newTestServer(t, Config{DNSAddress: "192.168.1.2:53", ProfileDomain: "dns.phuonglienbao.vn",
		DoTListen: "0.0.0.0:853", DoHListen: "0.0.0.0:443"})
	_, body := get(t, ts.Client(), ts.URL+"/cai-dat")
	if strings.Contains(body, "192.168.1.2:53") {
		t.Error("the filter address is shown with its port")
	}
	for _, want := range []string{">192.168.1.2<", "be-an.dns.phuonglienbao.vn", "https://dns.phuonglienbao.vn/dns-query/be-an",
		"Định cấu hình DNS", "Thủ công"} {
		if !strings.Contains(body, want) {
			t.Errorf("setup page lacks %q", want)
		}
	}
	if strings.Contains(body, "dns.phuongmau.vn") {
		t.Error("setup page still shows the example domain")
	}
}
