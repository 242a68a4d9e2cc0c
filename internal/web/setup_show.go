package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// setupPage is what setup.html gets: only what works for this deployment.
type setupPage struct {
	// DNS is the address a router or phone can take: an IP address,
	// without a port (phones and routers only use port 53). "" when the
	// page cannot know it (the server listens on every address): the ward
	// office gives it.
	DNS string
	// Problem says why plain DNS cannot be used yet, for the ward to fix:
	// "off" (no DNS listener), "loopback" (this machine only), "port" (not
	// port 53). Listen is the configured address, for that message.
	Problem, Listen string
	Domain          string // encrypted-DNS profile domain; "" when off
	PrivateDNS      bool   // DoT on port 853: Android's Private DNS works
	DoH             string // DoH base URL ("https://<domain>/dns-query/") when on
}

func (s *Server) setupShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "setup", T(langOf(r), "nav.setup"), s.newSetupPage(r))
}

func (s *Server) newSetupPage(r *http.Request) setupPage {
	p := setupPage{Listen: s.cfg.DNSAddress}
	p.DNS, p.Problem = plainDNSAddress(s.cfg.DNSAddress, r.Host)
	if d := s.iosDomain(); d != "" {
		if _, port, err := net.SplitHostPort(s.cfg.DoTListen); err == nil && port == "853" {
			p.PrivateDNS = true
		}
		if _, port, err := net.SplitHostPort(s.cfg.DoHListen); err == nil {
			host := d
			if port != "443" {
				host = net.JoinHostPort(d, port)
			}
			p.DoH = "https://" + host + "/dns-query/"
		}
		if p.PrivateDNS || p.DoH != "" {
			p.Domain = d
		}
	}
	return p
}

// plainDNSAddress is the address to type into a router or phone for the
// DNS listener at listen, or the problem that keeps it from working. When
// the listener takes every address, the portal's own host is shown if it
// is an IP address (the same machine answers both).
func plainDNSAddress(listen, webHost string) (addr, problem string) {
	if strings.TrimSpace(listen) == "" {
		return "", "off"
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		host, port = listen, "53"
	}
	if port != "53" {
		return "", "port"
	}
	if host == "localhost" {
		return "", "loopback"
	}
	ip, err := netip.ParseAddr(host)
	if host != "" && err != nil {
		return host, "" // a name: it is what the ward chose to publish
	}
	if host != "" && ip.IsLoopback() {
		return "", "loopback"
	}
	if host != "" && !ip.IsUnspecified() {
		return ip.Unmap().String(), ""
	}
	if h, _, err := net.SplitHostPort(webHost); err == nil {
		webHost = h
	}
	if wip, err := netip.ParseAddr(strings.Trim(webHost, "[]")); err == nil && !wip.IsLoopback() && !wip.IsUnspecified() {
		return wip.Unmap().String(), ""
	}
	return "", ""
}
