package config

import (
	"errors"
	"strings"
	"testing"
)

func TestBlockPageAddresses(t *testing.T) {
	c, err := Load(writeFile(t, "dns:\n  block_page_ipv4: 192.0.2.80\n  block_page_ipv6: \"2001:db8::80\"\n"), nil)
	if err != nil || c.DNS.BlockPageIPv4 != "192.0.2.80" || c.DNS.BlockPageIPv6 != "2001:db8::80" {
		t.Fatalf("%v %v", c, err)
	}
	for _, tc := range []struct{ yaml, key, vi string }{
		{"block_page_ipv4: portal.example", "dns.block_page_ipv4", "không phải địa chỉ IP"},
		{"block_page_ipv4: \"2001:db8::1\"", "dns.block_page_ipv4", "không phải địa chỉ IPv4"},
		{"block_page_ipv6: 192.0.2.1", "dns.block_page_ipv6", "không phải địa chỉ IPv6"},
		{"block_page_ipv4: 0.0.0.0", "dns.block_page_ipv4", "địa chỉ rỗng"},
	} {
		_, err := Load(writeFile(t, "dns:\n  "+tc.yaml+"\n"), nil)
		var e *Errors
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s: %v", tc.yaml, err)
			continue
		}
		if len(e.List) != 1 || e.List[0].Key != tc.key || !strings.Contains(e.List[0].Vi, tc.vi) || e.List[0].En == "" {
			t.Errorf("%s: %+v", tc.yaml, e.List)
		}
	}
}
