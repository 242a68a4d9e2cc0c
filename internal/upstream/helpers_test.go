package upstream

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// fakeUpstream answers like a recursive resolver with fixed data:
//
//	nx.*       NXDOMAIN with SOA (ttl 3600, minimum 60)
//	nosoa.*    NXDOMAIN without SOA
//	AAAA q     NODATA with SOA (ttl 120, minimum 3600)
//	big.*      40 TXT records; truncated over UDP
//	fail.*     SERVFAIL
//	otherwise  A 192.0.2.1 with ttl 300 (after a CNAME for cname.*)
type fakeUpstream struct {
	count     atomic.Int32
	tcpCount  atomic.Int32
	conns     atomic.Int32
	h2        atomic.Int32
	delay     time.Duration
	mu        sync.Mutex
	queries   []*dns.Msg
	answerTTL uint32
}

func (f *fakeUpstream) last() *dns.Msg {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) == 0 {
		return nil
	}
	return f.queries[len(f.queries)-1]
}

func (f *fakeUpstream) reply(req *dns.Msg, udp bool) *dns.Msg {
	f.count.Add(1)
	if !udp {
		f.tcpCount.Add(1)
	}
	f.mu.Lock()
	f.queries = append(f.queries, req.Copy())
	f.mu.Unlock()
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = true
	if o := req.IsEdns0(); o != nil {
		m.SetEdns0(4096, o.Do())
		// Options a client must never see: the resolver rebuilds OPT.
		m.IsEdns0().Option = append(m.IsEdns0().Option, &dns.EDNS0_NSID{Code: dns.EDNS0NSID, Nsid: "6869"})
	}
	q := req.Question[0]
	soa := func(ttl, minimum uint32) dns.RR {
		return &dns.SOA{Hdr: dns.RR_Header{Name: "test.", Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: ttl},
			Ns: "ns.test.", Mbox: "h.test.", Serial: 1, Refresh: 1, Retry: 1, Expire: 1, Minttl: minimum}
	}
	ttl := f.answerTTL
	if ttl == 0 {
		ttl = 300
	}
	switch {
	case strings.HasPrefix(q.Name, "nx."):
		m.Rcode = dns.RcodeNameError
		m.Ns = []dns.RR{soa(3600, 60)}
	case strings.HasPrefix(q.Name, "nosoa."):
		m.Rcode = dns.RcodeNameError
	case strings.HasPrefix(q.Name, "fail."):
		m.Rcode = dns.RcodeServerFailure
	case q.Qtype == dns.TypeAAAA:
		m.Ns = []dns.RR{soa(120, 3600)}
	case strings.HasPrefix(q.Name, "big."):
		if udp {
			m.Truncated = true
			break
		}
		for i := range 40 {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: ttl},
				Txt: []string{strings.Repeat(string(rune('a'+i%26)), 60)}})
		}
	default:
		name := q.Name
		if strings.HasPrefix(name, "cname.") {
			m.Answer = append(m.Answer, &dns.CNAME{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: ttl * 2}, Target: "target.test."})
			name = "target.test."
		}
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: ttl}, A: net.IPv4(192, 0, 2, 1)})
	}
	return m
}

func (f *fakeUpstream) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	_, udp := w.RemoteAddr().(*net.UDPAddr)
	_ = w.WriteMsg(f.reply(req, udp))
}

// countingListener counts accepted connections.
type countingListener struct {
	net.Listener
	n *atomic.Int32
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// startDNS starts f on 127.0.0.1 over "udp" or "tcp" (or TLS when tc is
// set) and returns the address; the server stops with the test or when stop is called.
func startDNS(t testing.TB, f *fakeUpstream, network string, tc *tls.Config) (addr string, stop func()) {
	t.Helper()
	srv := &dns.Server{Handler: f}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	switch network {
	case "udp":
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv.PacketConn = pc
		addr = pc.LocalAddr().String()
	default:
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = l.Addr().String()
		var ln net.Listener = countingListener{l, &f.conns}
		if tc != nil {
			ln = tls.NewListener(ln, tc)
		}
		srv.Listener = ln
	}
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	var once sync.Once
	stop = func() { once.Do(func() { _ = srv.Shutdown() }) }
	t.Cleanup(stop)
	return addr, stop
}

// startUDPTCP serves f on the same port over UDP and TCP.
func startUDPTCP(t *testing.T, f *fakeUpstream) (addr string, stop func()) {
	t.Helper()
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		l, err := net.Listen("tcp", pc.LocalAddr().String())
		if err != nil {
			pc.Close()
			continue
		}
		udp := &dns.Server{Handler: f, PacketConn: pc}
		tcp := &dns.Server{Handler: f, Listener: countingListener{l, &f.conns}}
		var wg sync.WaitGroup
		wg.Add(2)
		udp.NotifyStartedFunc = wg.Done
		tcp.NotifyStartedFunc = wg.Done
		go func() { _ = udp.ActivateAndServe() }()
		go func() { _ = tcp.ActivateAndServe() }()
		wg.Wait()
		var once sync.Once
		stop = func() { once.Do(func() { _ = udp.Shutdown(); _ = tcp.Shutdown() }) }
		t.Cleanup(stop)
		return pc.LocalAddr().String(), stop
	}
	t.Fatal("no free port pair")
	return "", nil
}

// testPKI makes a CA and a server certificate for dns.test and 127.0.0.1.
func testPKI(t *testing.T) (server *tls.Config, client *tls.Config) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Mang Lanh test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "dns.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"dns.test"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	return server, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

// startDoH serves f as an RFC 8484 endpoint over HTTP/2 with TLS.
func startDoH(t *testing.T, f *fakeUpstream, serverTLS *tls.Config) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/dns-message" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if r.ProtoMajor == 2 {
			f.h2.Add(1)
		}
		body, _ := io.ReadAll(r.Body)
		req := new(dns.Msg)
		if err := req.Unpack(body); err != nil {
			http.Error(w, "bad message", http.StatusBadRequest)
			return
		}
		out, _ := f.reply(req, false).Pack()
		w.Header().Set("Content-Type", "application/dns-message")
		_, _ = w.Write(out)
	}))
	srv.EnableHTTP2 = true
	srv.TLS = serverTLS.Clone()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/dns-query"
}

// fakeClock is a settable clock for Config.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newResolver(t testing.TB, cfg Config) *Resolver {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 500 * time.Millisecond
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func query(name string, qtype uint16, edns, do bool) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	if edns {
		m.SetEdns0(1232, do)
	}
	return m
}
