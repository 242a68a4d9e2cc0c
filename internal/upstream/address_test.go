package upstream

import (
	"errors"
	"testing"
)

func TestParseAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Address
	}{
		{"1.1.1.1", Address{Transport: TransportUDP, Host: "1.1.1.1", Port: 53}},
		{"1.1.1.1:5353", Address{Transport: TransportUDP, Host: "1.1.1.1", Port: 5353}},
		{" udp://9.9.9.9 ", Address{Transport: TransportUDP, Host: "9.9.9.9", Port: 53}},
		{"[2606:4700::1111]:53", Address{Transport: TransportUDP, Host: "2606:4700::1111", Port: 53}},
		{"2606:4700::1111", Address{Transport: TransportUDP, Host: "2606:4700::1111", Port: 53}},
		{"tcp://1.0.0.1", Address{Transport: TransportTCP, Host: "1.0.0.1", Port: 53}},
		{"tls://dns.google", Address{Transport: TransportTLS, Host: "dns.google", Port: 853, ServerName: "dns.google"}},
		{"tls://1.1.1.1:853#Cloudflare-DNS.com", Address{Transport: TransportTLS, Host: "1.1.1.1", Port: 853, ServerName: "cloudflare-dns.com"}},
		{"tls://[::1]:8853", Address{Transport: TransportTLS, Host: "::1", Port: 8853, ServerName: "::1"}},
		{"https://dns.google/dns-query", Address{Transport: TransportHTTPS, Host: "dns.google", Port: 443, ServerName: "dns.google", URL: "https://dns.google/dns-query"}},
		{"https://dns.test:8443", Address{Transport: TransportHTTPS, Host: "dns.test", Port: 8443, ServerName: "dns.test", URL: "https://dns.test:8443/dns-query"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAddress(tt.in)
			if err != nil {
				t.Fatalf("ParseAddress: %v", err)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			again, err := ParseAddress(got.String())
			if err != nil || again != got {
				t.Fatalf("String %q does not parse back: %+v %v", got.String(), again, err)
			}
		})
	}
}

func TestParseAddressErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "   ", "dns.google", "udp://dns.google:53", "tcp://resolver", "quic://1.1.1.1",
		"1.1.1.1:0", "1.1.1.1:99999", "1.1.1.1:x", "tls://1.1.1.1#", "tls://bad_host!:853",
		"udp://1.1.1.1#name", "tcp://1.1.1.1:53/path", "https://", "https://u:p@dns.google/dns-query",
		"https://dns.google/q#frag", "https://bad host/",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseAddress(in)
			var ae *AddressError
			if !errors.As(err, &ae) {
				t.Fatalf("ParseAddress(%q) error %v, want *AddressError", in, err)
			}
			if ae.Vi == "" || ae.En == "" {
				t.Fatalf("missing translation: %+v", ae)
			}
		})
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"1.1.1.1", "[::1]:53", "tls://1.1.1.1:853#a.b", "https://dns.google/dns-query", "tcp://x", "udp://1.2.3.4:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			return
		}
		if a.Port == 0 || a.Host == "" || a.Transport < TransportUDP || a.Transport > TransportHTTPS {
			t.Fatalf("accepted %q as %+v", s, a)
		}
		again, err := ParseAddress(a.String())
		if err != nil || again != a {
			t.Fatalf("%q: String %q parses to %+v, %v", s, a.String(), again, err)
		}
	})
}
