// Command benchupstream is the upstream DNS server of the benchmarks: it
// answers every A query with one address (TTL 3600) and AAAA with NODATA, as
// fast as miekg/dns allows, so that a resolver under test forwards to
// something on loopback. Not part of the product.
package main

import (
	"flag"
	"log"
	"net"

	"github.com/miekg/dns"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:5399", "UDP and TCP address")
	flag.Parse()
	dns.HandleFunc(".", func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		if len(r.Question) == 1 && r.Question[0].Qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: r.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 3600}, A: net.IPv4(192, 0, 2, 7)})
		}
		if o := r.IsEdns0(); o != nil {
			m.SetEdns0(1232, o.Do())
		}
		w.WriteMsg(m)
	})
	errc := make(chan error, 2)
	for _, n := range []string{"udp", "tcp"} {
		srv := &dns.Server{Addr: *addr, Net: n}
		go func() { errc <- srv.ListenAndServe() }()
	}
	log.Fatal(<-errc)
}
