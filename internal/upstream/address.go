package upstream

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Transport is how an upstream is reached.
type Transport uint8

// Transports understood by ParseAddress.
const (
	// TransportUDP is plain DNS over UDP, retried over TCP when the answer is truncated.
	TransportUDP Transport = iota + 1
	// TransportTCP is plain DNS over TCP only.
	TransportTCP
	// TransportTLS is DNS over TLS (RFC 7858).
	TransportTLS
	// TransportHTTPS is DNS over HTTPS (RFC 8484).
	TransportHTTPS
)

// String returns the URL scheme of t.
func (t Transport) String() string {
	switch t {
	case TransportUDP:
		return "udp"
	case TransportTCP:
		return "tcp"
	case TransportTLS:
		return "tls"
	case TransportHTTPS:
		return "https"
	}
	return "unknown"
}

// Address is a parsed upstream address.
type Address struct {
	Transport Transport
	// Host is an IP address for udp and tcp; an IP address or a host name for
	// tls and https (a host name is resolved by the system resolver when
	// dialling, so it must not point back at this server).
	Host string
	Port uint16
	// ServerName is the name the TLS certificate must carry (tls, https).
	ServerName string
	// URL is the full DoH endpoint (https only).
	URL string
}

// HostPort returns "host:port", with brackets around an IPv6 address.
func (a Address) HostPort() string {
	return net.JoinHostPort(a.Host, strconv.Itoa(int(a.Port)))
}

// String returns the canonical form, which ParseAddress accepts again.
func (a Address) String() string {
	switch a.Transport {
	case TransportHTTPS:
		return a.URL
	case TransportTLS:
		if a.ServerName != a.Host {
			return "tls://" + a.HostPort() + "#" + a.ServerName
		}
	}
	return a.Transport.String() + "://" + a.HostPort()
}

// AddressError reports an upstream address that cannot be used, in
// Vietnamese and English. Error returns the English text.
type AddressError struct {
	Input string
	Vi    string
	En    string
}

// Error implements error.
func (e *AddressError) Error() string {
	return "upstream " + strconv.Quote(e.Input) + ": " + e.En
}

// ParseAddress parses an upstream address:
//
//	1.1.1.1, 1.1.1.1:53, [2606:4700::1111]:53   UDP, TCP when the answer is truncated
//	udp://1.1.1.1:53, tcp://1.1.1.1:53
//	tls://dns.google, tls://1.1.1.1:853#cloudflare-dns.com   DoT; after # the TLS name
//	https://dns.google/dns-query                DoH (the path defaults to /dns-query)
//
// Default ports are 53, 853 and 443. Plain DNS needs an IP address.
func ParseAddress(s string) (Address, error) {
	in := s
	s = strings.TrimSpace(s)
	bad := func(vi, en string) (Address, error) {
		return Address{}, &AddressError{Input: in, Vi: vi, En: en}
	}
	if s == "" {
		return bad("địa chỉ máy chủ phía trên bị trống", "empty address")
	}
	scheme, rest, found := strings.Cut(s, "://")
	if !found {
		scheme, rest = "", s
	}
	var a Address
	switch strings.ToLower(scheme) {
	case "", "udp":
		a.Transport = TransportUDP
	case "tcp":
		a.Transport = TransportTCP
	case "tls":
		a.Transport = TransportTLS
	case "https":
		return parseHTTPS(s, bad)
	default:
		return bad("giao thức không được hỗ trợ (dùng udp, tcp, tls hoặc https)",
			"unsupported scheme "+strconv.Quote(scheme)+" (use udp, tcp, tls or https)")
	}
	rest, name, hasName := strings.Cut(rest, "#")
	if hasName && a.Transport != TransportTLS {
		return bad("chỉ địa chỉ tls:// mới được có #tên-máy-chủ", "only tls:// addresses take a #server-name")
	}
	if strings.ContainsAny(rest, "/?@ ") {
		return bad("địa chỉ chỉ gồm máy chủ và cổng", "only a host and a port are allowed")
	}
	host, port, err := splitHostPort(rest, map[Transport]uint16{TransportUDP: 53, TransportTCP: 53, TransportTLS: 853}[a.Transport])
	if err != nil {
		return bad("cổng không hợp lệ", err.Error())
	}
	a.Host, a.Port = host, port
	ip, ipErr := netip.ParseAddr(host)
	if ipErr == nil {
		a.Host = ip.String()
	}
	switch {
	case ipErr == nil && ip.Zone() != "":
		return bad("không hỗ trợ vùng IPv6 (%)", "IPv6 zones (%) are not supported")
	case a.Transport != TransportTLS && ipErr != nil:
		return bad("DNS thường cần địa chỉ IP, không phải tên miền", "plain DNS needs an IP address, not a host name")
	case ipErr != nil && !validHostName(host):
		return bad("tên máy chủ không hợp lệ", "invalid host name")
	case hasName && !validHostName(name):
		return bad("tên máy chủ TLS sau # không hợp lệ", "invalid TLS server name after #")
	}
	if a.Transport == TransportTLS {
		a.ServerName = a.Host
		if hasName {
			a.ServerName = strings.ToLower(name)
		}
	}
	return a, nil
}

func parseHTTPS(s string, bad func(vi, en string) (Address, error)) (Address, error) {
	u, err := url.Parse(s)
	if err != nil {
		return bad("URL DoH không hợp lệ", "invalid DoH URL")
	}
	if u.User != nil || u.Fragment != "" || u.Host == "" {
		return bad("URL DoH phải có dạng https://máy-chủ/đường-dẫn", "a DoH URL looks like https://host/path")
	}
	host, port, err := splitHostPort(u.Host, 443)
	if err != nil {
		return bad("cổng không hợp lệ", err.Error())
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return bad("không hỗ trợ vùng IPv6 (%)", "IPv6 zones (%) are not supported")
		}
		host = ip.String()
	} else if !validHostName(host) {
		return bad("tên máy chủ không hợp lệ", "invalid host name")
	}
	u.Scheme = "https"
	if u.Path == "" {
		u.Path = "/dns-query"
	}
	return Address{Transport: TransportHTTPS, Host: host, Port: port, ServerName: host, URL: u.String()}, nil
}

// splitHostPort splits "host[:port]", allowing a bare or bracketed IPv6 address.
func splitHostPort(s string, defPort uint16) (string, uint16, error) {
	if ip, err := netip.ParseAddr(s); err == nil {
		return ip.String(), defPort, nil
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return s[1 : len(s)-1], defPort, nil
	}
	if !strings.Contains(s, ":") {
		return s, defPort, nil
	}
	host, p, err := net.SplitHostPort(s)
	if err != nil {
		return "", 0, &net.AddrError{Err: "invalid host:port", Addr: s}
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil || n == 0 {
		return "", 0, &net.AddrError{Err: "invalid port", Addr: p}
	}
	return host, uint16(n), nil
}

// validHostName accepts letters, digits, hyphens and underscores in dot-separated
// labels of at most 63 bytes, 253 in all.
func validHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range []byte(label) {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
