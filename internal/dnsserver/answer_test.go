package dnsserver

import (
	"testing"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
	"manglanh/internal/filter"
)

// TestAppendBlocked checks the one blocked-answer writer the server uses,
// decoded by a real DNS library: 0.0.0.0 / :: / NODATA / NXDOMAIN, the
// question name as the client wrote it, BlockedTTL, and the EDE only for
// EDNS clients.
func TestAppendBlocked(t *testing.T) {
	t.Parallel()
	reg, err := filter.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	gambling, ok := reg.Tag("gambling")
	if !ok {
		t.Fatal("no gambling tag")
	}
	for _, tc := range []struct {
		name  string
		qtype uint16
		edns  bool
		nx    bool
		want  string // answer address; "" = no answer
	}{
		{"A without EDNS", dns.TypeA, false, false, "0.0.0.0"},
		{"A with EDNS", dns.TypeA, true, false, "0.0.0.0"},
		{"AAAA", dns.TypeAAAA, true, false, "::"},
		{"MX is NODATA", dns.TypeMX, true, false, ""},
		{"NXDOMAIN", dns.TypeA, true, true, ""},
		{"NXDOMAIN without EDNS", dns.TypeAAAA, false, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := new(dns.Msg)
			m.SetQuestion("Ads.Example.", tc.qtype)
			m.Id = 0xBEEF
			if tc.edns {
				m.SetEdns0(1232, false)
			}
			pkt, err := m.Pack()
			if err != nil {
				t.Fatal(err)
			}
			var q dnswire.Query
			if err := dnswire.ParseQuery(pkt, &q); err != nil {
				t.Fatal(err)
			}
			var r dns.Msg
			if err := r.Unpack(appendBlocked(nil, &q, filter.Decision{Action: filter.Block, Tag: gambling}, tc.nx, reg, &blockAddrs{})); err != nil {
				t.Fatal(err)
			}
			wantRcode := dns.RcodeSuccess
			if tc.nx {
				wantRcode = dns.RcodeNameError
			}
			if r.Id != 0xBEEF || !r.Response || r.Rcode != wantRcode {
				t.Fatalf("header %+v, want rcode %d", r.MsgHdr, wantRcode)
			}
			if len(r.Question) != 1 || r.Question[0].Name != "Ads.Example." {
				t.Fatalf("question %v", r.Question)
			}
			opt := r.IsEdns0()
			if (opt != nil) != tc.edns {
				t.Fatalf("OPT %v, EDNS query %v", opt, tc.edns)
			}
			if opt != nil {
				var ede *dns.EDNS0_EDE
				for _, o := range opt.Option {
					if e, ok := o.(*dns.EDNS0_EDE); ok {
						ede = e
					}
				}
				if ede == nil || ede.InfoCode != edeBlocked || ede.ExtraText != "manglanh: gambling" {
					t.Fatalf("EDE %+v", ede)
				}
			}
			if tc.want == "" {
				if len(r.Answer) != 0 {
					t.Fatalf("no answer expected, got %v", r.Answer)
				}
				return
			}
			if len(r.Answer) != 1 || r.Answer[0].Header().Ttl != BlockedTTL || r.Answer[0].Header().Name != "Ads.Example." {
				t.Fatalf("answer %v", r.Answer)
			}
			var got string
			switch rr := r.Answer[0].(type) {
			case *dns.A:
				got = rr.A.String()
			case *dns.AAAA:
				got = rr.AAAA.String()
			}
			if got != tc.want {
				t.Fatalf("address %s, want %s", got, tc.want)
			}
		})
	}
}
