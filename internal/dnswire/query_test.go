package dnswire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/miekg/dns"
)

func packQuery(t testing.TB, name string, qtype uint16, edit func(m *dns.Msg)) []byte {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.Id = 0xBEEF
	if edit != nil {
		edit(m)
	}
	pkt, err := m.Pack()
	if err != nil {
		t.Fatalf("packing query: %v", err)
	}
	return pkt
}

func TestParseQueryValid(t *testing.T) {
	t.Parallel()
	ecs := func(m *dns.Msg) {
		m.SetEdns0(4096, true)
		o := m.IsEdns0()
		o.Option = append(o.Option, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: []byte{192, 0, 2, 0}})
	}
	tests := []struct {
		name     string
		pkt      []byte
		wantWire string
		wantHost string
		wantOrig string
		edns     bool
		do       bool
		ecs      bool
		udp      uint16
		maxUDP   int
	}{
		{"plain", packQuery(t, "www.Google.COM.", dns.TypeA, nil), "\x03www\x06google\x03com\x00", "www.google.com", "\x03www\x06Google\x03COM\x00", false, false, false, 0, 512},
		{"edns do", packQuery(t, "example.org.", dns.TypeAAAA, func(m *dns.Msg) { m.SetEdns0(1400, true) }), "\x07example\x03org\x00", "example.org", "\x07example\x03org\x00", true, true, false, 1400, 1232},
		{"edns small", packQuery(t, "a.", dns.TypeTXT, func(m *dns.Msg) { m.SetEdns0(100, false) }), "\x01a\x00", "a", "\x01a\x00", true, false, false, 512, 512},
		{"ecs", packQuery(t, "x.vn.", dns.TypeA, ecs), "\x01x\x02vn\x00", "x.vn", "\x01x\x02vn\x00", true, true, true, 4096, 1232},
		{"root", packQuery(t, ".", dns.TypeNS, nil), "\x00", "", "\x00", false, false, false, 0, 512},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q Query
			if err := ParseQuery(tt.pkt, &q); err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			if q.ID != 0xBEEF || !q.RD() {
				t.Errorf("ID %x RD %v", q.ID, q.RD())
			}
			if got := string(q.WireName()); got != tt.wantWire {
				t.Errorf("wire name %q, want %q", got, tt.wantWire)
			}
			if got := string(q.Host()); got != tt.wantHost {
				t.Errorf("host %q, want %q", got, tt.wantHost)
			}
			if got := string(q.OrigName()); got != tt.wantOrig {
				t.Errorf("orig name %q, want %q", got, tt.wantOrig)
			}
			if q.EDNS != tt.edns || q.DO != tt.do || q.HasECS != tt.ecs || q.UDPSize != tt.udp {
				t.Errorf("edns %v do %v ecs %v udp %d", q.EDNS, q.DO, q.HasECS, q.UDPSize)
			}
			if q.MaxUDPSize() != tt.maxUDP {
				t.Errorf("MaxUDPSize %d, want %d", q.MaxUDPSize(), tt.maxUDP)
			}
			if q.QClass != dns.ClassINET || q.QuestionEnd != HeaderLen+q.NameLen+4 {
				t.Errorf("class %d question end %d", q.QClass, q.QuestionEnd)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	t.Parallel()
	base := packQuery(t, "example.com.", dns.TypeA, nil)
	mod := func(f func(p []byte) []byte) []byte { return f(bytes.Clone(base)) }
	tests := []struct {
		name string
		pkt  []byte
		want error
	}{
		{"empty", nil, ErrShort},
		{"header only", base[:12], ErrShort},
		{"cut question", base[:20], ErrShort},
		{"cut qtype", base[:len(base)-1], ErrShort},
		{"response", mod(func(p []byte) []byte { p[2] |= 0x80; return p }), ErrResponse},
		{"opcode update", mod(func(p []byte) []byte { p[2] |= 5 << 3; return p }), ErrNotImplemented},
		{"two questions", mod(func(p []byte) []byte { p[5] = 2; return p }), ErrQuestionCount},
		{"no question", mod(func(p []byte) []byte { p[5] = 0; return p }), ErrQuestionCount},
		{"pointer", append(bytes.Clone(base[:12]), 0xC0, 12, 0, 1, 0, 1), ErrCompression},
		{"label type 0x40", append(bytes.Clone(base[:12]), 0x41, 0, 0, 1, 0, 1), ErrBadName},
		{"trailing", append(bytes.Clone(base), 0), ErrTrailingData},
		{"missing additional", mod(func(p []byte) []byte { p[11] = 1; return p }), ErrShort},
		{"too long", append(bytes.Clone(base), make([]byte, 70000)...), ErrTooLong},
		{"two opt", packQuery(t, "a.", dns.TypeA, func(m *dns.Msg) {
			m.SetEdns0(1232, false)
			m.Extra = append(m.Extra, m.Extra[0])
		}), ErrBadOPT},
		{"opt not at root", packQuery(t, "a.", dns.TypeA, func(m *dns.Msg) {
			m.SetEdns0(1232, false)
			m.Extra[0].Header().Name = "a."
		}), ErrBadOPT},
	}
	long := append([]byte(nil), base[:12]...)
	for range 5 {
		long = append(long, 63)
		long = append(long, bytes.Repeat([]byte{'a'}, 63)...)
	}
	long = append(long, 0, 0, 1, 0, 1)
	tests = append(tests, struct {
		name string
		pkt  []byte
		want error
	}{"name too long", long, ErrBadName})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q Query
			if err := ParseQuery(tt.pkt, &q); !errors.Is(err, tt.want) {
				t.Fatalf("ParseQuery error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseQueryLongestName(t *testing.T) {
	t.Parallel()
	pkt := []byte{0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}
	for _, l := range []int{63, 63, 63, 61} { // 64+64+64+62+1 = 255 bytes
		pkt = append(pkt, byte(l))
		pkt = append(pkt, bytes.Repeat([]byte{'A'}, l)...)
	}
	pkt = append(pkt, 0, 0, 1, 0, 1)
	var q Query
	if err := ParseQuery(pkt, &q); err != nil {
		t.Fatalf("255-byte name rejected: %v", err)
	}
	if q.NameLen != 255 || len(q.Host()) != 253 || q.Host()[0] != 'a' {
		t.Fatalf("NameLen %d, host length %d", q.NameLen, len(q.Host()))
	}
}

func TestParseQueryBadOptionLength(t *testing.T) {
	t.Parallel()
	pkt := packQuery(t, "a.", dns.TypeA, func(m *dns.Msg) {
		m.SetEdns0(1232, false)
		o := m.IsEdns0()
		o.Option = append(o.Option, &dns.EDNS0_LOCAL{Code: 65001, Data: []byte{1, 2, 3}})
	})
	// Claim the option is one byte longer than the record holds.
	binary.BigEndian.PutUint16(pkt[len(pkt)-5:], 4)
	var q Query
	if err := ParseQuery(pkt, &q); !errors.Is(err, ErrBadOPT) {
		t.Fatalf("error %v, want ErrBadOPT", err)
	}
}

func TestParseQueryZeroAlloc(t *testing.T) {
	pkt := packQuery(t, "www.example.com.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(1232, true) })
	var q Query
	allocs := testing.AllocsPerRun(1000, func() {
		if err := ParseQuery(pkt, &q); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("ParseQuery allocates %.1f times per call", allocs)
	}
}

func TestAppendErrorParsesBack(t *testing.T) {
	t.Parallel()
	for _, edns := range []bool{false, true} {
		pkt := packQuery(t, "Blocked.Example.", dns.TypeA, func(m *dns.Msg) {
			m.CheckingDisabled = true
			if edns {
				m.SetEdns0(1232, true)
			}
		})
		var q Query
		if err := ParseQuery(pkt, &q); err != nil {
			t.Fatal(err)
		}
		for _, rc := range []int{RcodeRefused, RcodeServFail, RcodeNXDomain, RcodeBadVers} {
			buf := AppendError(make([]byte, 0, 512), &q, rc)
			var m dns.Msg
			if err := m.Unpack(buf); err != nil {
				t.Fatalf("unpacking answer rcode %d: %v", rc, err)
			}
			want := rc
			if rc == RcodeBadVers && !edns {
				want = RcodeServFail
			}
			if m.Id != 0xBEEF || !m.Response || !m.RecursionDesired || !m.CheckingDisabled || m.Rcode != want {
				t.Errorf("edns=%v rcode %d: got %+v", edns, rc, m.MsgHdr)
			}
			if m.Question[0].Name != "Blocked.Example." {
				t.Errorf("question %q not echoed", m.Question[0].Name)
			}
			if (m.IsEdns0() != nil) != edns {
				t.Errorf("edns=%v but OPT present=%v", edns, m.IsEdns0() != nil)
			}
			if edns && !m.IsEdns0().Do() {
				t.Errorf("DO not mirrored")
			}
		}
		tc := AppendTruncated(nil, &q)
		var m dns.Msg
		if err := m.Unpack(tc); err != nil || !m.Truncated || m.Rcode != 0 {
			t.Errorf("truncated answer: %v %+v", err, m.MsgHdr)
		}
	}
}

func TestAppendHeaderOnly(t *testing.T) {
	t.Parallel()
	pkt := packQuery(t, "a.", dns.TypeA, nil)
	pkt[2] |= 2 << 3 // opcode STATUS
	var m dns.Msg
	if err := m.Unpack(AppendNotImp(nil, pkt)); err != nil {
		t.Fatal(err)
	}
	if m.Id != 0xBEEF || m.Rcode != dns.RcodeNotImplemented || m.Opcode != 2 || !m.Response {
		t.Errorf("NOTIMP answer %+v", m.MsgHdr)
	}
	if got := AppendFormErr(nil, pkt[:5]); len(got) != 0 {
		t.Errorf("answered a 5-byte packet")
	}
	pkt[2] |= 0x80
	if got := AppendFormErr(nil, pkt); len(got) != 0 {
		t.Errorf("answered a response")
	}
}

func TestTTLOffsets(t *testing.T) {
	t.Parallel()
	m := new(dns.Msg)
	m.SetQuestion("www.example.com.", dns.TypeA)
	m.Response = true
	m.Answer = append(m.Answer,
		&dns.CNAME{Hdr: dns.RR_Header{Name: "www.example.com.", Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 100}, Target: "example.com."},
		&dns.A{Hdr: dns.RR_Header{Name: "example.com.", Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 200}, A: []byte{192, 0, 2, 1}})
	m.SetEdns0(1232, true)
	m.Compress = true
	pkt, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	offs, err := TTLOffsets(pkt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(offs) != 2 {
		t.Fatalf("got %d offsets, want 2 (OPT skipped)", len(offs))
	}
	for i, want := range []uint32{100, 200} {
		if got := binary.BigEndian.Uint32(pkt[offs[i]:]); got != want {
			t.Errorf("ttl at offset %d = %d, want %d", offs[i], got, want)
		}
	}
	if _, err := TTLOffsets(pkt[:len(pkt)-3], nil); err == nil {
		t.Error("no error on truncated message")
	}
	if end, err := QuestionEnd(pkt); err != nil || end != 12+17+4 {
		t.Errorf("QuestionEnd = %d, %v", end, err)
	}
}

func BenchmarkParseQuery(b *testing.B) {
	pkt := packQuery(b, "www.example.com.", dns.TypeA, func(m *dns.Msg) { m.SetEdns0(1232, true) })
	var q Query
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		if err := ParseQuery(pkt, &q); err != nil {
			b.Fatal(err)
		}
	}
}
