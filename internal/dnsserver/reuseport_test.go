package dnsserver

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestReadersWithOwnSockets checks that with several readers every client
// is answered whichever socket the kernel hands its packets to, and that
// on Linux each reader has a socket of its own.
func TestReadersWithOwnSockets(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Workers = 4 })
	if haveReusePort && len(h.srv.udp) != 4 {
		t.Fatalf("%d UDP sockets for 4 readers", len(h.srv.udp))
	}
	for i := range 16 {
		c, err := net.Dial("udp", h.addr) // a new source port each time
		if err != nil {
			t.Fatal(err)
		}
		m := new(dns.Msg)
		m.SetQuestion("taixiu.example.", dns.TypeA)
		m.Id = uint16(1000 + i)
		b, _ := m.Pack()
		c.Write(b)
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		buf := make([]byte, 512)
		n, err := c.Read(buf)
		c.Close()
		var r dns.Msg
		if err != nil || r.Unpack(buf[:n]) != nil || r.Id != m.Id || firstA(&r) != "0.0.0.0" {
			t.Fatalf("client %d: %v %v", i, err, &r)
		}
	}
}
