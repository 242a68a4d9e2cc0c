package dnswire

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/miekg/dns"
)

func FuzzParseQuery(f *testing.F) {
	f.Add(packQuery(f, "www.example.com.", dns.TypeA, nil))
	f.Add(packQuery(f, "Example.ORG.", dns.TypeAAAA, func(m *dns.Msg) { m.SetEdns0(4096, true) }))
	f.Add(packQuery(f, "a.b.", dns.TypeTXT, func(m *dns.Msg) {
		m.SetEdns0(1232, false)
		o := m.IsEdns0()
		o.Option = append(o.Option, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: []byte{10, 0, 0, 0}})
	}))
	f.Add([]byte{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1})
	f.Fuzz(func(t *testing.T, pkt []byte) {
		var q Query
		if err := ParseQuery(pkt, &q); err != nil {
			return
		}
		if q.NameLen < 1 || q.NameLen > MaxNameLen || q.Name[q.NameLen-1] != 0 {
			t.Fatalf("bad NameLen %d", q.NameLen)
		}
		if q.QuestionEnd != HeaderLen+q.NameLen+4 || q.QuestionEnd > len(pkt) {
			t.Fatalf("QuestionEnd %d, NameLen %d, len %d", q.QuestionEnd, q.NameLen, len(pkt))
		}
		if !bytes.Equal(q.OrigName(), pkt[HeaderLen:HeaderLen+q.NameLen]) {
			t.Fatal("original name differs from packet")
		}
		lower := bytes.Clone(q.OrigName())
		for i, c := range lower {
			if 'A' <= c && c <= 'Z' {
				lower[i] = c + 'a' - 'A'
			}
		}
		if !bytes.Equal(lower, q.WireName()) {
			t.Fatal("wire name is not the lower-cased original")
		}
		if len(q.Host()) > MaxHostLen || bytes.ContainsAny(q.Host(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Fatalf("host %q", q.Host())
		}
		if q.ID != binary.BigEndian.Uint16(pkt) || q.Flags&FlagQR != 0 {
			t.Fatal("header fields inconsistent")
		}
		if q.EDNS && q.UDPSize < MinUDPSize || !q.EDNS && (q.DO || q.HasECS) {
			t.Fatalf("edns fields inconsistent: %+v", q)
		}
		// A builder answer to any accepted query must itself be parseable by miekg/dns.
		var m dns.Msg
		if err := m.Unpack(AppendServFail(nil, &q)); err != nil {
			t.Fatalf("SERVFAIL answer does not unpack: %v", err)
		}
	})
}

func FuzzTTLOffsets(f *testing.F) {
	m := new(dns.Msg)
	m.SetQuestion("example.com.", dns.TypeA)
	m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: "example.com.", Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: []byte{192, 0, 2, 1}})
	m.SetEdns0(1232, false)
	m.Compress = true
	pkt, _ := m.Pack()
	f.Add(pkt)
	f.Fuzz(func(t *testing.T, msg []byte) {
		offs, err := TTLOffsets(msg, nil)
		if err != nil {
			return
		}
		for _, o := range offs {
			if int(o)+4 > len(msg) {
				t.Fatalf("offset %d beyond message of %d bytes", o, len(msg))
			}
		}
	})
}
