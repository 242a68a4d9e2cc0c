package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "manglanh.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultsAreValid(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Web.Listen != "127.0.0.1:8080" || c.DNS.Listen != "127.0.0.1:5353" || c.DataDir != "data" || c.Database != "" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestLoadFile(t *testing.T) {
	p := writeFile(t, `
data_dir: /var/lib/manglanh
database: postgres://u@localhost/manglanh
web:
  listen: 0.0.0.0:80
dns:
  listen: 0.0.0.0:53
  upstreams: [1.1.1.1:53, "tls://1.1.1.1:853#cloudflare-dns.com", "https://dns.google/dns-query"]
  default_profile: lop6
lists:
  - {category: gambling, source: /etc/manglanh/gambling.txt, refresh: 6h}
profiles:
  - name: lop6
    age: 11
    block: [gambling, tiktok]
    allow: [vnexpress.net]
    safe_search: strict
    clients: [192.168.1.0/24]
    schedules:
      - {name: ngu, days: [mon, tue], from: "22:00", to: "06:00", allow_only: [zalo]}
`)
	c, err := Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DNS.DefaultProfile != "lop6" || len(c.Profiles) != 1 || c.Profiles[0].Schedules[0].From != "22:00" {
		t.Fatalf("profiles not read: %+v", c.Profiles)
	}
	if c.Lists[0].Refresh != 6*time.Hour {
		t.Fatalf("refresh = %v", c.Lists[0].Refresh)
	}
	if len(c.DNS.Upstreams) != 3 {
		t.Fatalf("upstreams = %v", c.DNS.Upstreams)
	}
}

func TestEnvOverrides(t *testing.T) {
	p := writeFile(t, "web:\n  listen: 127.0.0.1:9000\n")
	env := []string{
		"MANGLANH_WEB_LISTEN=127.0.0.1:9100",
		"MANGLANH_DNS_UPSTREAMS=9.9.9.9:53, tcp://1.0.0.1:53",
		"MANGLANH_DNS_RATE_LIMIT=50",
		"MANGLANH_DNS_PREFETCH=false",
		"MANGLANH_DATA_DIR=/tmp/x",
		`MANGLANH_PROFILES=[{name: default, age: 9}, {name: b, block: [adult]}]`,
		"PATH=/usr/bin",
		"MANGLANH_TEST_POSTGRES=postgres://ignored",
	}
	c, err := Load(p, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Web.Listen != "127.0.0.1:9100" || c.DNS.RateLimit != 50 || c.DNS.Prefetch || c.DataDir != "/tmp/x" {
		t.Fatalf("env not applied: %+v", c)
	}
	if len(c.DNS.Upstreams) != 2 || c.DNS.Upstreams[1] != "tcp://1.0.0.1:53" {
		t.Fatalf("upstreams = %q", c.DNS.Upstreams)
	}
	if len(c.Profiles) != 2 || c.Profiles[0].Age != 9 || c.Profiles[1].Block[0] != "adult" {
		t.Fatalf("profiles = %+v", c.Profiles)
	}
}

func TestErrorsNameFileKeyAndBothLanguages(t *testing.T) {
	cases := []struct {
		name, body string
		env        []string
		key        string
	}{
		{"unknown key", "dns:\n  lissten: x\n", nil, "-"},
		{"bad listen", "web:\n  listen: nonsense\n", nil, "web.listen"},
		{"bad upstream", "dns:\n  upstreams: [\"ftp://x\"]\n", nil, "dns.upstreams[0]"},
		{"plain tcp upstream needs an IP", "dns:\n  upstreams: [\"1.1.1.1:53\", \"tcp://dns.google:53\"]\n", nil, "dns.upstreams[1]"},
		{"bad day", "profiles:\n  - name: default\n    schedules: [{days: [funday], from: '08:00', to: '09:00', block: [games]}]\n", nil, "profiles[0].schedules[0].days"},
		{"bad time", "profiles:\n  - name: default\n    schedules: [{days: [mon], from: '8h', to: '09:00', block: [games]}]\n", nil, "profiles[0].schedules[0].from"},
		{"missing default profile", "dns:\n  default_profile: nobody\n", nil, "dns.default_profile"},
		{"duplicate profile", "profiles: [{name: a}, {name: a}]\ndns: {default_profile: a}\n", nil, "profiles[1].name"},
		{"bad env int", "", []string{"MANGLANH_DNS_RATE_LIMIT=lots"}, "dns.rate_limit (MANGLANH_DNS_RATE_LIMIT)"},
		{"unknown env", "", []string{"MANGLANH_DNS_LISTN=x"}, "MANGLANH_DNS_LISTN"},
		{"bad database", "database: mysql://x\n", nil, "database"},
		{"safe search", "profiles: [{name: default, safe_search: very}]\n", nil, "profiles[0].safe_search"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, tc.body)
			_, err := Load(p, tc.env)
			var ce *Errors
			if !errors.As(err, &ce) {
				t.Fatalf("want *Errors, got %v", err)
			}
			found := false
			for _, f := range ce.List {
				if f.Key == tc.key && f.Vi != "" && f.En != "" {
					found = true
				}
			}
			if !found {
				t.Fatalf("no error for key %q in %v", tc.key, err)
			}
			if tc.env == nil && !strings.Contains(err.Error(), p) {
				t.Fatalf("error does not name the file: %v", err)
			}
		})
	}
}

func TestKeysDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys() {
		if !strings.Contains(string(doc), "`"+k[0]+"`") {
			t.Errorf("docs/config.md does not document %s", k[0])
		}
	}
}

func TestOversizedFile(t *testing.T) {
	p := writeFile(t, "# "+strings.Repeat("x", MaxFileSize+10))
	if _, err := Load(p, nil); err == nil {
		t.Fatal("oversized file accepted")
	}
}
