package upstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// rawUpstream answers A queries over one UDP socket with 192.0.2.<n>, where
// n is the number of the first label ("q7.example" gets 192.0.2.7). With
// spoof set it first sends two forged answers: one with another ID, one
// with the right ID but another question.
func rawUpstream(t *testing.T, spoof bool) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			req := new(dns.Msg)
			if req.Unpack(buf[:n]) != nil {
				continue
			}
			var k int
			fmt.Sscanf(strings.ToLower(req.Question[0].Name), "q%d.", &k)
			m := new(dns.Msg)
			m.SetReply(req)
			m.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: req.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(192, 0, 2, byte(k))}}
			if spoof {
				f := m.Copy()
				f.Id ^= 0x5555
				f.Answer[0].(*dns.A).A = net.IPv4(203, 0, 113, 66)
				b, _ := f.Pack()
				pc.WriteTo(b, from)
				f = m.Copy()
				f.Question[0].Name = "evil.example."
				f.Answer[0].(*dns.A).A = net.IPv4(203, 0, 113, 66)
				b, _ = f.Pack()
				pc.WriteTo(b, from)
			}
			b, _ := m.Pack()
			pc.WriteTo(b, from)
		}
	}()
	return pc.LocalAddr().String()
}

// TestUDPPoolMatchesAnswersToQueries runs many concurrent queries over the
// pool (more than one socket's worth of uses, so sockets are replaced
// meanwhile) and checks that each gets its own answer, with forged answers
// ignored.
func TestUDPPoolMatchesAnswersToQueries(t *testing.T) {
	for _, spoof := range []bool{false, true} {
		t.Run(fmt.Sprint("spoof=", spoof), func(t *testing.T) {
			a, err := ParseAddress(rawUpstream(t, spoof))
			if err != nil {
				t.Fatal(err)
			}
			u, err := NewUpstream(a, 2*time.Second, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer u.(*udpUpstream).pool.close()
			n := udpSockets*udpSocketUse + 100
			if spoof {
				n = 600
			}
			var wg sync.WaitGroup
			errs := make(chan error, n)
			sem := make(chan struct{}, 64)
			for i := range n {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					req := new(dns.Msg)
					k := i%250 + 1
					req.SetQuestion(fmt.Sprintf("Q%d.Example.", k), dns.TypeA)
					resp, err := u.Exchange(context.Background(), req)
					if err != nil {
						errs <- err
						return
					}
					if resp.Id != req.Id || len(resp.Answer) != 1 || resp.Answer[0].(*dns.A).A.String() != fmt.Sprintf("192.0.2.%d", k) {
						errs <- fmt.Errorf("query %d: wrong answer %v", k, resp)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
		})
	}
}

// TestUDPPoolTimesOut checks that a silent upstream gives a timeout error
// and leaves no query registered.
func TestUDPPoolTimesOut(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	p := newUDPPool(pc.LocalAddr().String())
	defer p.close()
	req := new(dns.Msg)
	req.SetQuestion("silent.example.", dns.TypeA)
	pkt, _ := req.Pack()
	start := time.Now()
	_, err = p.exchange(context.Background(), pkt, 100*time.Millisecond)
	var ne net.Error
	if err == nil || !errorsAs(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
	for _, s := range p.socks {
		if s == nil {
			continue
		}
		s.mu.Lock()
		left := len(s.pending)
		s.mu.Unlock()
		if left != 0 {
			t.Fatalf("%d queries left registered", left)
		}
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
