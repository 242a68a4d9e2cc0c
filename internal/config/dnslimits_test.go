package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConnectionLimits(t *testing.T) {
	c, err := Load("", nil)
	if err != nil || c.DNS.MaxTCPConns != 4096 || c.DNS.MaxTLSConns != 4096 || c.DNS.MaxConnsPerClient != 64 || c.DNS.ErrorRateLimit != 10 || c.DNS.ErrorRateBurst != 20 {
		t.Fatalf("defaults: %+v %v", c.DNS, err)
	}
	c, err = Load(writeFile(t, "dns:\n  max_tcp_conns: 500\n  max_conns_per_client: 16\n"), []string{"MANGLANH_DNS_MAX_TLS_CONNS=800"})
	if err != nil || c.DNS.MaxTCPConns != 500 || c.DNS.MaxTLSConns != 800 || c.DNS.MaxConnsPerClient != 16 {
		t.Fatalf("read: %+v %v", c.DNS, err)
	}
	for _, tc := range []struct{ yaml, key, vi string }{
		{"max_tcp_conns: -1", "dns.max_tcp_conns", "không được âm"},
		{"max_conns_per_client: -5", "dns.max_conns_per_client", "không được âm"},
		{"error_rate_limit: -1", "dns.error_rate_limit", "không được âm"},
		{"max_conns_per_client: 5000", "dns.max_conns_per_client", "lớn hơn dns.max_tcp_conns"},
		{"max_tls_conns: 10", "dns.max_conns_per_client", "lớn hơn dns.max_tls_conns"},
	} {
		_, err := Load(writeFile(t, "dns:\n  "+tc.yaml+"\n"), nil)
		var e *Errors
		if !errors.As(err, &e) {
			t.Errorf("%s: %v", tc.yaml, err)
			continue
		}
		if len(e.List) != 1 || e.List[0].Key != tc.key || !strings.Contains(e.List[0].Vi, tc.vi) || e.List[0].En == "" {
			t.Errorf("%s: %+v", tc.yaml, e.List)
		}
	}
}

func TestUpstreamHealthKeys(t *testing.T) {
	c, err := Load("", nil)
	if err != nil || c.DNS.StaleAnswerAfter != 1800*time.Millisecond || c.DNS.UpstreamDownAfter != 3 || c.DNS.UpstreamProbeEvery != 3*time.Second {
		t.Fatalf("defaults: %+v %v", c.DNS, err)
	}
	c, err = Load(writeFile(t, "dns:\n  stale_answer_after: 900ms\n  upstream_down_after: 5\n"), []string{"MANGLANH_DNS_UPSTREAM_PROBE_EVERY=1s"})
	if err != nil || c.DNS.StaleAnswerAfter != 900*time.Millisecond || c.DNS.UpstreamDownAfter != 5 || c.DNS.UpstreamProbeEvery != time.Second {
		t.Fatalf("read: %+v %v", c.DNS, err)
	}
	for _, tc := range []struct{ yaml, key, vi string }{
		{"stale_answer_after: 0s", "dns.stale_answer_after", "phải lớn hơn 0"},
		{"upstream_down_after: 0", "dns.upstream_down_after", "phải từ 1"},
		{"upstream_probe_every: 10ms", "dns.upstream_probe_every", "phải từ 100ms"},
	} {
		_, err := Load(writeFile(t, "dns:\n  "+tc.yaml+"\n"), nil)
		var e *Errors
		if !errors.As(err, &e) {
			t.Errorf("%s: %v", tc.yaml, err)
			continue
		}
		if len(e.List) != 1 || e.List[0].Key != tc.key || !strings.Contains(e.List[0].Vi, tc.vi) || e.List[0].En == "" {
			t.Errorf("%s: %+v", tc.yaml, e.List)
		}
	}
}
