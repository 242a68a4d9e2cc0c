package dnsserver

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/filter"
)

// testPKI is a throw-away CA and a wildcard certificate for *.dns.test and
// dns.test it signed, written as PEM files.
type testPKI struct {
	dir               string
	caFile            string
	certFile, keyFile string
	pool              *x509.CertPool
	ca                *x509.Certificate
	caKey             *ecdsa.PrivateKey
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	p := &testPKI{dir: t.TempDir()}
	var err error
	p.caKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Mạng Lành test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	p.ca, _ = x509.ParseCertificate(der)
	p.pool = x509.NewCertPool()
	p.pool.AddCert(p.ca)
	p.caFile = filepath.Join(p.dir, "ca.pem")
	writePEM(t, p.caFile, "CERTIFICATE", der)
	p.certFile = filepath.Join(p.dir, "cert.pem")
	p.keyFile = filepath.Join(p.dir, "key.pem")
	p.issue(t, 2)
	return p
}

// issue writes a new wildcard certificate with the given serial number.
func (p *testPKI) issue(t *testing.T, serial int64) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "*.dns.test"},
		DNSNames: []string{"*.dns.test", "dns.test"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	// Key first, then the certificate, each replaced whole by a rename, as
	// certbot's symlink swap does.
	writePEM(t, p.keyFile, "EC PRIVATE KEY", kb)
	writePEM(t, p.certFile, "CERTIFICATE", der)
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// newEncryptedHarness is the usual harness with DoT and DoH on, plain DNS
// answering only 10.0.0.0/8 (so loopback clients are outside AllowNets), and
// three profiles: be-an blocks Zalo, lop-ip (every loopback client) blocks
// TikTok, default blocks gambling.
func newEncryptedHarness(t *testing.T) (*harness, *testPKI) {
	t.Helper()
	pki := newTestPKI(t)
	h := newHarness(t, func(c *Config) {
		c.TLSListen, c.HTTPSListen = "127.0.0.1:0", "127.0.0.1:0"
		c.CertFile, c.KeyFile = pki.certFile, pki.keyFile
		c.ProfileDomain = "dns.test"
		c.CertCheckEvery = 20 * time.Millisecond
		c.AllowNets = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	pol, err := filter.Compile(h.srv.cfg.Registry, []filter.ProfileSpec{
		{Name: "default", Block: []string{"gambling"}, SafeSearch: "off"},
		{Name: "be-an", Age: 8, Block: []string{"gambling", "zalo"}, SafeSearch: "off"},
		{Name: "lop-ip", Block: []string{"gambling", "tiktok"}, SafeSearch: "off", Clients: []string{"127.0.0.0/8"}},
	}, "default")
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	return h, pki
}

func dotExchange(t *testing.T, h *harness, pki *testPKI, serverName, name string, qtype uint16) *dns.Msg {
	t.Helper()
	c := &dns.Client{Net: "tcp-tls", Timeout: 3 * time.Second, TLSConfig: &tls.Config{ServerName: serverName, RootCAs: pki.pool}}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	r, _, err := c.Exchange(m, h.srv.TLSAddr().String())
	if err != nil {
		t.Fatalf("DoT %s (SNI %s): %v", name, serverName, err)
	}
	return r
}

func TestDoTChoosesProfileByServerName(t *testing.T) {
	h, pki := newEncryptedHarness(t)
	for _, tc := range []struct {
		sni, name, want string
	}{
		{"be-an.dns.test", "zalo.me", "0.0.0.0"},      // be-an blocks Zalo…
		{"be-an.dns.test", "tiktok.com", "192.0.2.1"}, // …not TikTok, whatever the address
		{"BE-AN.dns.test", "chat.zalo.me", "0.0.0.0"}, // names are case-insensitive
		{"ai-do.dns.test", "zalo.me", "192.0.2.1"},    // no such profile: by address (lop-ip)
		{"ai-do.dns.test", "tiktok.com", "0.0.0.0"},
		{"dns.test", "tiktok.com", "0.0.0.0"},              // the bare domain: by address
		{"be-an.dns.test", "nohu-club.example", "0.0.0.0"}, // lists apply too
	} {
		r := dotExchange(t, h, pki, tc.sni, tc.name, dns.TypeA)
		if got := firstA(r); got != tc.want {
			t.Errorf("SNI %s, %s: got %q, want %q (%v)", tc.sni, tc.name, got, tc.want, r)
		}
	}
	// Plain DNS from the same loopback address is refused (AllowNets is
	// 10.0.0.0/8): the ACL is for plain DNS only.
	if r := h.ask(t, "udp", "tiktok.com", dns.TypeA, false); r.Rcode != dns.RcodeRefused {
		t.Errorf("plain DNS outside allow_nets: rcode %d, want REFUSED", r.Rcode)
	}
	if n := h.srv.Stats.DoTQueries.Load(); n != 7 {
		t.Errorf("DoTQueries = %d, want 7", n)
	}
}

func TestProfileFromHost(t *testing.T) {
	s := &Server{domain: ".dns.phuongmau.vn"}
	for host, want := range map[string]string{
		"be-an.dns.phuongmau.vn":    "be-an",
		"Be-An.DNS.phuongmau.vn.":   "Be-An",
		"dns.phuongmau.vn":          "",
		"x.be-an.dns.phuongmau.vn":  "",
		"be-an.dns.phuongmau.vn.vn": "",
		"be-andns.phuongmau.vn":     "",
		"":                          "",
		".dns.phuongmau.vn":         "",
	} {
		if got := s.profileFromHost(host); got != want {
			t.Errorf("profileFromHost(%q) = %q, want %q", host, got, want)
		}
	}
	if got := (&Server{}).profileFromHost("be-an.dns.phuongmau.vn"); got != "" {
		t.Errorf("without a profile domain: %q", got)
	}
}

// TestDoTPipeliningAndPolicySwap sends several queries on one connection
// without waiting, then swaps the policy under the open connection: the
// profile chosen by name follows the new policy.
func TestDoTPipeliningAndPolicySwap(t *testing.T) {
	h, pki := newEncryptedHarness(t)
	conn, err := dns.DialWithTLS("tcp", h.srv.TLSAddr().String(), &tls.Config{ServerName: "be-an.dns.test", RootCAs: pki.pool})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	names := []string{"zalo.me", "a.example", "b.example", "zalo.me"}
	for i, n := range names {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(n), dns.TypeA)
		m.Id = uint16(100 + i)
		if err := conn.WriteMsg(m); err != nil {
			t.Fatal(err)
		}
	}
	got := map[uint16]string{}
	for range names {
		r, err := conn.ReadMsg()
		if err != nil {
			t.Fatal(err)
		}
		got[r.Id] = firstA(r)
	}
	want := map[uint16]string{100: "0.0.0.0", 101: "192.0.2.1", 102: "192.0.2.1", 103: "0.0.0.0"}
	for id, a := range want {
		if got[id] != a {
			t.Errorf("query %d: %q, want %q", id, got[id], a)
		}
	}
	// New policy: be-an now at index 0 and blocking TikTok, not Zalo.
	pol, err := filter.Compile(h.srv.cfg.Registry, []filter.ProfileSpec{
		{Name: "be-an", Block: []string{"tiktok"}, SafeSearch: "off"},
		{Name: "default", Block: []string{"zalo"}, SafeSearch: "off"},
	}, "default")
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetPolicy(pol)
	for _, tc := range []struct{ name, want string }{{"tiktok.com", "0.0.0.0"}, {"zalo.me", "192.0.2.1"}} {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(tc.name), dns.TypeA)
		if err := conn.WriteMsg(m); err != nil {
			t.Fatal(err)
		}
		r, err := conn.ReadMsg()
		if err != nil {
			t.Fatal(err)
		}
		if firstA(r) != tc.want {
			t.Errorf("after the swap, %s: %v", tc.name, r)
		}
	}
}

// TestDoTRefusesOldTLSAndSurvivesGarbage: TLS 1.1 is refused, a client
// that sends garbage instead of a handshake is dropped and counted, and the
// server goes on answering.
func TestDoTRefusesOldTLSAndSurvivesGarbage(t *testing.T) {
	h, pki := newEncryptedHarness(t)
	addr := h.srv.TLSAddr().String()
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		junk := bytes.Repeat([]byte{0x16, 0x03, 0x01, 0xff, 0xff, 0x00, 0x2a}, 50)
		if i == 1 {
			junk = []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		}
		c.Write(junk)
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		io.Copy(io.Discard, c) // until the server closes it
		c.Close()
	}
	old, err := tls.Dial("tcp", addr, &tls.Config{ServerName: "be-an.dns.test", RootCAs: pki.pool, MaxVersion: tls.VersionTLS11})
	if err == nil {
		old.Close()
		t.Error("a TLS 1.1 handshake succeeded")
	}
	if r := dotExchange(t, h, pki, "be-an.dns.test", "zalo.me", dns.TypeA); firstA(r) != "0.0.0.0" {
		t.Fatalf("after garbage: %v", r)
	}
	if n := h.srv.Stats.TLSHandshakeFailed.Load(); n < 4 {
		t.Errorf("TLSHandshakeFailed = %d, want at least 4", n)
	}
}

// TestCertificateReloadedWhenFilesChange: a renewed certificate on disk is
// served without a restart; a broken pair keeps the previous one.
func TestCertificateReloadedWhenFilesChange(t *testing.T) {
	h, pki := newEncryptedHarness(t)
	serial := func() int64 {
		c, err := tls.Dial("tcp", h.srv.TLSAddr().String(), &tls.Config{ServerName: "be-an.dns.test", RootCAs: pki.pool})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
	}
	if s := serial(); s != 2 {
		t.Fatalf("serial %d, want 2", s)
	}
	pki.issue(t, 3)
	deadline := time.Now().Add(5 * time.Second)
	for serial() != 3 {
		if time.Now().After(deadline) {
			t.Fatal("the renewed certificate was not picked up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A key that does not match: the old pair stays.
	writePEM(t, pki.keyFile, "EC PRIVATE KEY", []byte("not a key"))
	deadline = time.Now().Add(5 * time.Second)
	for h.srv.Stats.CertReloadFailed.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the broken key was not noticed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s := serial(); s != 3 {
		t.Fatalf("after a broken renewal, serial %d, want 3", s)
	}
	if err := h.srv.ReloadCertificate(); err == nil {
		t.Fatal("ReloadCertificate accepted a broken key")
	}
}

func dohClient(t *testing.T, pki *testPKI, dialAddr string) *http.Client {
	d := &net.Dialer{Timeout: 3 * time.Second}
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: pki.pool},
		ForceAttemptHTTP2: true,
		// Every name goes to the test server, as if *.dns.test pointed there.
		DialContext: func(ctx context.Context, netw, _ string) (net.Conn, error) { return d.DialContext(ctx, netw, dialAddr) },
	}}
	// Before the server's shutdown (cleanups run last first): an open
	// HTTP/2 connection would make it wait for the GOAWAY timeout.
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func packMsg(t *testing.T, name string, qtype uint16) []byte {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.Id = 0 // RFC 8484 §4.1: cache-friendly
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func dohDo(t *testing.T, c *http.Client, method, url, ctype string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestDoHGetPostAndProfiles(t *testing.T) {
	h, pki := newEncryptedHarness(t)
	port := h.srv.HTTPSAddr().(*net.TCPAddr).Port
	c := dohClient(t, pki, h.srv.HTTPSAddr().String())
	base := func(host string) string { return "https://" + host + ":" + itoa(port) }
	get := func(url, name string) string {
		return url + "?dns=" + base64.RawURLEncoding.EncodeToString(packMsg(t, name, dns.TypeA))
	}
	for _, tc := range []struct {
		what, method, url, name, want string
	}{
		{"path profile, GET", "GET", base("dns.test") + "/dns-query/be-an", "zalo.me", "0.0.0.0"},
		{"path profile, POST", "POST", base("dns.test") + "/dns-query/be-an", "zalo.me", "0.0.0.0"},
		{"path profile allows", "POST", base("dns.test") + "/dns-query/be-an", "tiktok.com", "192.0.2.1"},
		{"host profile", "GET", base("be-an.dns.test") + "/dns-query", "zalo.me", "0.0.0.0"},
		{"no profile: address", "GET", base("dns.test") + "/dns-query", "tiktok.com", "0.0.0.0"},
		{"no profile: address allows", "POST", base("dns.test") + "/dns-query", "zalo.me", "192.0.2.1"},
		{"unknown host label: address", "POST", base("ai-do.dns.test") + "/dns-query", "tiktok.com", "0.0.0.0"},
	} {
		var resp *http.Response
		var body []byte
		if tc.method == "GET" {
			resp, body = dohDo(t, c, "GET", get(tc.url, tc.name), "", nil)
		} else {
			resp, body = dohDo(t, c, "POST", tc.url, "application/dns-message", packMsg(t, tc.name, dns.TypeA))
		}
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/dns-message" {
			t.Fatalf("%s: %s %s %q", tc.what, resp.Status, resp.Header.Get("Content-Type"), body)
		}
		if resp.ProtoMajor != 2 {
			t.Errorf("%s: %s, want HTTP/2", tc.what, resp.Proto)
		}
		var m dns.Msg
		if err := m.Unpack(body); err != nil {
			t.Fatalf("%s: %v", tc.what, err)
		}
		if got := firstA(&m); got != tc.want {
			t.Errorf("%s: %s → %q, want %q", tc.what, tc.name, got, tc.want)
		}
		wantAge := "max-age=300"
		if tc.want == "0.0.0.0" {
			wantAge = "max-age=10"
		}
		if cc := resp.Header.Get("Cache-Control"); cc != wantAge && !(tc.want != "0.0.0.0" && strings.HasPrefix(cc, "max-age=29")) {
			t.Errorf("%s: Cache-Control %q, want %q", tc.what, cc, wantAge)
		}
	}
	if n := h.srv.Stats.DoHQueries.Load(); n != 7 {
		t.Errorf("DoHQueries = %d, want 7", n)
	}
}

func TestDoHRejectsMalformedRequests(t *testing.T) {
	h, pki := newEncryptedHarness(t)
	c := dohClient(t, pki, h.srv.HTTPSAddr().String())
	url := "https://dns.test/dns-query"
	q := packMsg(t, "zalo.me", dns.TypeA)
	for _, tc := range []struct {
		what, method, url, ctype string
		body                     []byte
		want                     int
	}{
		{"GET without dns", "GET", url, "", nil, 400},
		{"GET bad base64", "GET", url + "?dns=***", "", nil, 400},
		{"GET not DNS", "GET", url + "?dns=" + base64.RawURLEncoding.EncodeToString([]byte("hello")), "", nil, 400},
		{"GET padded base64 is fine", "GET", url + "?dns=" + base64.URLEncoding.EncodeToString(q), "", nil, 200},
		{"POST wrong type", "POST", url, "text/plain", q, 415},
		{"POST no type", "POST", url, "", q, 415},
		{"POST not DNS", "POST", url, "application/dns-message", []byte{1, 2, 3}, 400},
		{"POST empty", "POST", url, "application/dns-message", nil, 400},
		{"POST too big", "POST", url, "application/dns-message", make([]byte, 70000), 413},
		{"PUT", "PUT", url, "application/dns-message", q, 405},
		{"unknown profile", "POST", url + "/khong-co", "application/dns-message", q, 404},
		{"other path", "GET", "https://dns.test/", "", nil, 404},
	} {
		resp, body := dohDo(t, c, tc.method, tc.url, tc.ctype, tc.body)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %s %q, want %d", tc.what, resp.Status, body, tc.want)
		}
	}
	// Still serving.
	resp, _ := dohDo(t, c, "POST", url+"/be-an", "application/dns-message", q)
	if resp.StatusCode != 200 {
		t.Fatalf("after bad requests: %s", resp.Status)
	}
}

// TestDoHRateLimited: the per-client limit holds over HTTPS too (429).
func TestDoHRateLimited(t *testing.T) {
	pki := newTestPKI(t)
	h := newHarness(t, func(c *Config) {
		c.HTTPSListen, c.CertFile, c.KeyFile = "127.0.0.1:0", pki.certFile, pki.keyFile
		c.RateLimit, c.RateBurst = 1, 3
	})
	c := dohClient(t, pki, h.srv.HTTPSAddr().String())
	q := packMsg(t, "nohu-club.example", dns.TypeA)
	codes := map[int]int{}
	for i := 0; i < 6; i++ {
		resp, _ := dohDo(t, c, "POST", "https://dns.test/dns-query", "application/dns-message", q)
		codes[resp.StatusCode]++
	}
	if codes[200] != 3 || codes[429] != 3 {
		t.Fatalf("status counts %v, want 3×200 and 3×429 (the clock is pinned)", codes)
	}
}

// TestKdigOverTLS asks through knot's kdig, a DoT client not written in Go:
// with the test CA and the be-an name it sees be-an's blocking.
func TestKdigOverTLS(t *testing.T) {
	kdig, err := exec.LookPath("kdig")
	if err != nil {
		if os.Getenv("MANGLANH_TEST_ALL") == "1" {
			t.Fatal("kdig is not installed (apt-get install knot-dnsutils) but MANGLANH_TEST_ALL=1")
		}
		t.Skip("kdig not installed (knot-dnsutils)")
	}
	h, pki := newEncryptedHarness(t)
	port := itoa(h.srv.TLSAddr().(*net.TCPAddr).Port)
	run := func(hostname, name string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, kdig, "+tls-ca="+pki.caFile, "+tls-hostname="+hostname, "+short",
			"@127.0.0.1", "-p", port, name, "A").CombinedOutput()
		if err != nil {
			t.Fatalf("kdig %s: %v\n%s", hostname, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := run("be-an.dns.test", "zalo.me"); got != "0.0.0.0" {
		t.Errorf("kdig be-an zalo.me: %q, want 0.0.0.0", got)
	}
	if got := run("be-an.dns.test", "tiktok.com"); got != "192.0.2.1" {
		t.Errorf("kdig be-an tiktok.com: %q, want 192.0.2.1", got)
	}
	if got := run("ai-do.dns.test", "tiktok.com"); got != "0.0.0.0" {
		t.Errorf("kdig ai-do tiktok.com (address profile): %q, want 0.0.0.0", got)
	}
}

// TestProfileByNameDoesNotAllocate: a DoT connection's worker with a profile
// chosen by name answers blocked names without allocating.
func TestProfileByNameDoesNotAllocate(t *testing.T) {
	h, _ := newEncryptedHarness(t)
	w := &worker{out: make([]byte, 0, 4096), open: true, via: &h.srv.Stats.DoTQueries}
	w.setProfile("be-an")
	pkt := packQuery(t, "zalo.me", dns.TypeA, true)
	client := netip.MustParseAddr("203.0.113.9")
	allocs := testing.AllocsPerRun(200, func() {
		resp, slow := h.srv.handle(w, pkt, client, true)
		if slow != nil || len(resp) == 0 {
			t.Fatal("went to the slow path")
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per query", allocs)
	}
}

func itoa(i int) string { return big.NewInt(int64(i)).String() }

type countingConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countingConn) Write(b []byte) (int, error) { c.writes.Add(1); return c.Conn.Write(b) }

// TestStreamAnswerIsOneWrite: on a connection that is not plain TCP (TLS),
// an answer and its length prefix go in one Write, hence one TLS record.
func TestStreamAnswerIsOneWrite(t *testing.T) {
	h := newHarness(t, nil)
	sc, cc := net.Pipe()
	conn := &countingConn{Conn: sc}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		h.srv.serveStream(ctx, conn, netip.MustParseAddr("127.0.0.1"), h.srv.dotConns, &worker{in: make([]byte, 512), out: make([]byte, 0, 4096), open: true}, time.Second)
		close(done)
	}()
	defer func() { cancel(); cc.Close(); <-done }()
	for i := 1; i <= 3; i++ {
		q := packQuery(t, "www.taixiu.example", dns.TypeA, false)
		cc.SetDeadline(time.Now().Add(3 * time.Second))
		if _, err := cc.Write(append([]byte{byte(len(q) >> 8), byte(len(q))}, q...)); err != nil {
			t.Fatal(err)
		}
		var l [2]byte
		if _, err := io.ReadFull(cc, l[:]); err != nil {
			t.Fatal(err)
		}
		resp := make([]byte, int(l[0])<<8|int(l[1]))
		if _, err := io.ReadFull(cc, resp); err != nil {
			t.Fatal(err)
		}
		var m dns.Msg
		if err := m.Unpack(resp); err != nil || firstA(&m) != "0.0.0.0" {
			t.Fatalf("answer %v %v", &m, err)
		}
		if n := conn.writes.Load(); n != int64(i) {
			t.Fatalf("%d writes for %d answers", n, i)
		}
	}
}

// BenchmarkDoTBlocked is one DoT client asking a blocked name again and
// again over one connection (round trips, not server capacity).
func BenchmarkDoTBlocked(b *testing.B) {
	t := &testing.T{}
	h, pki := newEncryptedHarness(t)
	conn, err := dns.DialWithTLS("tcp", h.srv.TLSAddr().String(), &tls.Config{ServerName: "be-an.dns.test", RootCAs: pki.pool})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	m := new(dns.Msg)
	m.SetQuestion("zalo.me.", dns.TypeA)
	b.ReportAllocs()
	for b.Loop() {
		if err := conn.WriteMsg(m); err != nil {
			b.Fatal(err)
		}
		if _, err := conn.ReadMsg(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDoHBlocked is one HTTP/2 client POSTing a blocked name.
func BenchmarkDoHBlocked(b *testing.B) {
	t := &testing.T{}
	h, pki := newEncryptedHarness(t)
	c := dohClient(t, pki, h.srv.HTTPSAddr().String())
	q := packMsg(t, "zalo.me", dns.TypeA)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Post("https://dns.test/dns-query/be-an", "application/dns-message", bytes.NewReader(q))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	c.CloseIdleConnections()
}

// FuzzDoH feeds arbitrary bodies and ?dns= values to the DoH handler: it
// must never panic, and a 200 must carry a DNS message a client can parse.
func FuzzDoH(f *testing.F) {
	f.Add(packQuery(f, "zalo.me", dns.TypeA, false), "", true)
	f.Add([]byte{}, base64.RawURLEncoding.EncodeToString(packQuery(f, "taixiu.example", dns.TypeAAAA, true)), false)
	f.Add([]byte{0, 0, 1, 0, 0, 1}, "AAABAAAB", false)
	h, _ := newEncryptedHarness(&testing.T{})
	handler := h.srv.dohHandler()
	f.Fuzz(func(t *testing.T, body []byte, param string, post bool) {
		var req *http.Request
		if post {
			req = httptest.NewRequest("POST", "https://be-an.dns.test/dns-query", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/dns-message")
		} else {
			req = httptest.NewRequest("GET", "https://dns.test/dns-query/be-an?dns="+url.QueryEscape(param), nil)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code == 200 {
			var m dns.Msg
			if err := m.Unpack(rec.Body.Bytes()); err != nil && rec.Body.Len() > 12 {
				t.Fatalf("unparseable 200 answer %x: %v", rec.Body.Bytes(), err)
			}
		}
	})
}
