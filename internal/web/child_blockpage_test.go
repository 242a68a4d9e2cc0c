package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type fakeCategorizer map[string][]string

func (f fakeCategorizer) Categorize(host string) []string { return f[host] }

func TestBlockPageOnlyForForeignHosts(t *testing.T) {
	e := newParentEnv(t, "none")
	srv, err := New(Config{Auth: e.auth, Families: e.fam, BaseURL: "https://manglanh.example.vn",
		Categorizer: fakeCategorizer{"nohu.example": {"gambling"}}, Ward: Ward{Name: "Phường Thử"}})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	get := func(host, path string) (int, string) {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Result().Body)
		return w.Code, string(b)
	}
	code, body := get("nohu.example", "/casino?x=1")
	if code != http.StatusForbidden || !strings.Contains(body, "Trang nohu.example bị chặn bởi Mạng Lành") ||
		!strings.Contains(body, "Cờ bạc") || !strings.Contains(body, `href="https://manglanh.example.vn/"`) {
		t.Fatalf("block page %d: %s", code, body)
	}
	for _, host := range []string{"manglanh.example.vn", "MANGLANH.example.vn:8080", "10.0.0.1", "[::1]:80", "localhost:8080"} {
		code, body := get(host, "/gia-dinh/dang-nhap")
		if strings.Contains(body, "bị chặn bởi Mạng Lành") || code == http.StatusForbidden {
			t.Errorf("host %s: the portal's own page was replaced (%d)", host, code)
		}
	}
	if code, _ := get("<script>.example", "/"); code != http.StatusBadRequest {
		t.Errorf("a hostile Host: %d", code)
	}
	if code, body := get("unlisted.example", "/"); code != http.StatusForbidden || strings.Contains(body, "Nhóm:") {
		t.Errorf("a host not in any list: %d", code)
	}
}
