package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/miekg/dns"

	"manglanh/internal/app"
	"manglanh/internal/web"
)

// upstreamAddr is what the test's upstream resolver answers for every A
// question: an allowed name resolves to it, a blocked one to 0.0.0.0.
const upstreamAddr = "192.0.2.10"

// startUpstream runs a tiny authoritative-for-everything DNS server on
// loopback, so that allowed names resolve without the Internet.
func startUpstream(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		if q := r.Question[0]; q.Qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300},
				A: net.ParseIP(upstreamAddr)})
		}
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String()
}

// wildcardCert writes a self-signed *.dns.test certificate and returns its
// files and a pool that trusts it.
func wildcardCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(8), Subject: pkix.Name{CommonName: "*.dns.test"},
		DNSNames: []string{"*.dns.test", "dns.test"}, NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	leaf, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(leaf)
	return certFile, keyFile, pool
}

// testClock is the DNS server's clock: the test moves it a minute at a time.
type testClock struct{ ns atomic.Int64 }

func (c *testClock) Now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *testClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *testClock) add(d time.Duration) { c.ns.Add(int64(d)) }
func (c *testClock) String() string      { return c.Now().Format(time.RFC3339) }

// familyServer runs the whole application with DNS over TLS on loopback,
// a block list with one gambling site, and the given clock.
type familyServer struct {
	base    string
	dot     string
	pool    *x509.CertPool
	metrics string
}

func startFamilyServer(t *testing.T, clock *testClock) *familyServer {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile, pool := wildcardCert(t, dir)
	// Android's Private DNS speaks DoT on port 853 only, and the setup page
	// offers it only then: the test needs that port on loopback (root, or
	// CAP_NET_BIND_SERVICE, as in CI).
	if ln, err := net.Listen("tcp", "127.0.0.1:853"); err != nil {
		if testAll() {
			t.Fatalf("port 853 on loopback: %v", err)
		}
		t.Skipf("port 853 on loopback: %v", err)
	} else {
		ln.Close()
	}
	list := filepath.Join(dir, "gambling.txt")
	os.WriteFile(list, []byte("nohu-vip.club\nbanca-doithuong.net\n"), 0o600)
	cfgPath := filepath.Join(dir, "manglanh.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf(`data_dir: %q
log: {level: warn}
web: {listen: "127.0.0.1:0"}
ward: {name: "Phường Phù Liễn", city: "Hải Phòng"}
dns:
  listen: "127.0.0.1:0"
  tls_listen: "127.0.0.1:853"
  cert_file: %q
  key_file: %q
  profile_domain: dns.test
  upstreams: [%q]
lists:
  - {category: gambling, source: %q}
profiles:
  - {name: default, block: [none]}
`, filepath.Join(dir, "data"), certFile, keyFile, startUpstream(t), list)), 0o600)
	srv, a := startApp(t, cfgPath, app.Options{Now: clock.Now})
	dot, _ := a.EncryptedDNSAddrs()
	if dot == nil {
		t.Fatal("DNS over TLS is not listening")
	}
	return &familyServer{base: srv.base, dot: dot.String(), pool: pool, metrics: srv.base + "/metrics"}
}

// query asks name's A record over DNS-over-TLS as the device whose Private
// DNS name is host, and returns the address answered ("" for none) and the
// extended error text.
func (f *familyServer) query(t *testing.T, host, name string) (string, string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	m.SetEdns0(1232, false)
	c := &dns.Client{Net: "tcp-tls", Timeout: 3 * time.Second, TLSConfig: &tls.Config{ServerName: host, RootCAs: f.pool}}
	r, _, err := c.Exchange(m, f.dot)
	if err != nil {
		t.Fatalf("DoT query %s as %s: %v", name, host, err)
	}
	var addr, ede string
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			addr = a.A.String()
		}
	}
	if o := r.IsEdns0(); o != nil {
		for _, e := range o.Option {
			if x, ok := e.(*dns.EDNS0_EDE); ok {
				ede = x.ExtraText
			}
		}
	}
	return addr, ede
}

// waitAnswer repeats the query until it answers want, for at most limit
// (the "within 5 s"), and returns how long it took.
func (f *familyServer) waitAnswer(t *testing.T, host, name, want string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		got, ede := f.query(t, host, name)
		if got == want {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s as %s still answers %s (%q) after %v, want %s", name, host, got, ede, limit, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// reloads reads manglanh_policy_reloads_total.
func (f *familyServer) reloads(t *testing.T) int {
	t.Helper()
	resp, err := http.Get(f.metrics)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^manglanh_policy_reloads_total (\d+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no manglanh_policy_reloads_total in /metrics")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// waitReload waits for the policy to have been rebuilt after before.
func (f *familyServer) waitReload(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for f.reloads(t) <= before {
		if time.Now().After(deadline) {
			t.Fatalf("the policy was not reloaded within 5 s of a change")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitText reloads the page until its text contains want (the server
// writes what DNS saw about every 10 seconds).
func waitText(t *testing.T, ctx context.Context, url, want string, limit time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		open(t, ctx, url)
		text := bodyText(t, ctx)
		if strings.Contains(text, want) {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not say %q after %v:\n%s", url, want, limit, text)
		}
		time.Sleep(time.Second)
	}
}

// TestParentSetsUpAChild walks issue 8's check in Chromium at 360×740 with
// JavaScript off, against the whole application with a real DNS-over-TLS
// client: a parent signs up, makes a profile for a 9-year-old, adds the
// child's phone and sees its Private DNS name and a QR code; the phone
// using that name is filtered by the age defaults; the parent blocks
// TikTok and the next query is blocked within 5 s; a 2-minute YouTube
// budget runs out at a fixed clock; the child's page shows the time left;
// the child asks to allow TikTok and the parent allows it for an hour.
func TestParentSetsUpAChild(t *testing.T) {
	browser := newBrowser(t)
	ict, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	// The DNS clock starts at 01:00 today (Vietnam time), earlier than the
	// real time, so that the pages (which read the real date) show the same
	// day's minutes.
	y, mo, d := time.Now().In(ict).Date()
	clock := &testClock{}
	clock.set(time.Date(y, mo, d, 1, 0, 0, 0, ict))
	srv := startFamilyServer(t, clock)
	shots := t.TempDir()

	parent := newPhone(t, browser, true)
	open(t, parent, srv.base+"/gia-dinh/dang-ky")
	fitsPhone(t, parent, "the sign-up page")
	const password = "Bin-hoc-lop-4-nam-2026"
	do(t, parent, "signing up",
		chromedp.SendKeys(chromedp.CSS(`input[name=login]`), "me.cua.bin@example.vn"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password))
	submit(t, parent, `form[action="/gia-dinh/dang-ky"] button`)
	noPageErrors(t, parent, "signing up")
	t.Logf("after sign-up: %s", screenshot(t, parent, shots, "1-sign-up-done"))

	open(t, parent, srv.base+"/gia-dinh/tre/moi")
	do(t, parent, "making the profile",
		chromedp.SendKeys(chromedp.CSS(`input[name=nickname]`), "Bin"),
		chromedp.SetValue(chromedp.ID("birth_year"), strconv.Itoa(y-9)))
	submit(t, parent, `form[action="/gia-dinh/tre/moi"] button`)
	noPageErrors(t, parent, "making the profile")
	setup := pathOf(t, parent)
	m := regexp.MustCompile(`^/gia-dinh/tre/(\d+)/cai-dat`).FindStringSubmatch(setup)
	if m == nil {
		t.Fatalf("after making the profile the parent is at %s:\n%s", setup, bodyText(t, parent))
	}
	profile := "/gia-dinh/tre/" + m[1]
	do(t, parent, "adding the phone",
		chromedp.SendKeys(chromedp.CSS(`#them-thiet-bi input[name=name], form[action$="/thiet-bi"] input[name=name]`), "Điện thoại của Bin"),
		chromedp.Click(chromedp.CSS(`form[action$="/thiet-bi"] input[name=kind][value=android]`)))
	submit(t, parent, `form[action$="/thiet-bi"] button`)
	noPageErrors(t, parent, "adding the phone")
	text := bodyText(t, parent)
	host := regexp.MustCompile(`[a-z0-9-]+\.dns\.test`).FindString(text)
	if host == "" {
		t.Fatalf("the setup page shows no Private DNS name:\n%s", text)
	}
	if !get(t, parent, "looking for the QR code", chromedp.Evaluate[bool](
		`!!document.querySelector('svg[role=img], img[src^="data:image/png"], img[alt*="QR"], .qr')`)) {
		t.Errorf("the setup page shows no QR code")
	}
	fitsPhone(t, parent, "the setup page")
	t.Logf("setup (%s): %s", host, screenshot(t, parent, shots, "2-setup"))

	// The phone with that Private DNS name is filtered by the 9-year-old's
	// defaults: gambling blocked, TikTok not (yet).
	// A new device reaches the DNS policy within 5 s, like any change.
	took := srv.waitAnswer(t, host, "nohu-vip.club", "0.0.0.0", 5*time.Second)
	t.Logf("the new phone filtered after waiting %v", took.Round(time.Millisecond))
	if got, _ := srv.query(t, host, "www.tiktok.com"); got != upstreamAddr {
		t.Fatalf("TikTok before the parent blocks it answers %s, want %s", got, upstreamAddr)
	}
	// The setup page then says the phone works.
	waitText(t, parent, srv.base+setup, strings.SplitN(web.T("vi", "family.setup.seen.ok", "\x00"), "\x00", 2)[0], 30*time.Second)

	// The parent blocks TikTok; the next query is blocked within 5 s.
	open(t, parent, srv.base+profile+"/quy-tac")
	do(t, parent, "opening the social group and ticking TikTok",
		chromedp.Click(chromedp.CSS(`details:has(input[name=block][value=tiktok]) > summary`)),
		chromedp.Click(chromedp.CSS(`input[name=block][value=tiktok]`)))
	submit(t, parent, `form[action$="/quy-tac/chan"] button`)
	noPageErrors(t, parent, "blocking TikTok")
	if text := bodyText(t, parent); !strings.Contains(text, "TikTok") {
		t.Errorf("no confirmation that TikTok is blocked:\n%s", text)
	}
	took = srv.waitAnswer(t, host, "www.tiktok.com", "0.0.0.0", 5*time.Second)
	t.Logf("TikTok blocked %v after the parent's save", took.Round(time.Millisecond))

	// A 2-minute YouTube budget runs out at the fixed clock.
	before := srv.reloads(t)
	open(t, parent, srv.base+profile+"/thoi-gian")
	do(t, parent, "adding a YouTube budget",
		chromedp.SetValue(chromedp.ID("new_service"), "youtube"),
		chromedp.SendKeys(chromedp.ID("new_minutes"), "2"))
	submit(t, parent, `form[action$="/thoi-gian"] button.big`)
	noPageErrors(t, parent, "adding a budget")
	srv.waitReload(t, before)
	for i := range 2 {
		if got, ede := srv.query(t, host, "www.youtube.com"); got != upstreamAddr {
			t.Fatalf("YouTube in minute %d of a 2-minute budget (%s) answers %s (%q)", i+1, clock, got, ede)
		}
		clock.add(time.Minute)
	}
	got, ede := srv.query(t, host, "www.youtube.com")
	if got != "0.0.0.0" {
		t.Fatalf("YouTube after 2 minutes of a 2-minute budget (%s) answers %s (%q), want 0.0.0.0", clock, got, ede)
	}
	t.Logf("budget spent: %q", ede)
	if got, _ := srv.query(t, host, "vnexpress.net"); got != upstreamAddr {
		t.Errorf("a site outside the spent budget answers %s", got)
	}

	// The child's page (linked from the parent's pages) shows the time left.
	open(t, parent, srv.base+setup)
	childURL := get(t, parent, "reading the child's page link", chromedp.Evaluate[string](
		`(document.querySelector('a[href*="/tre/"]:not([href*="/gia-dinh/"])') || {href: ''}).href`))
	if childURL == "" {
		t.Fatalf("the parent's setup page has no link to the child's page:\n%s", bodyText(t, parent))
	}
	child := newPhone(t, browser, true)
	// The server writes the minutes it counted about every 10 seconds.
	text = waitText(t, child, childURL, "YouTube: "+web.T("vi", "child.budget.spent"), 30*time.Second)
	if !strings.Contains(text, "TikTok") {
		t.Errorf("the child's page does not say TikTok is blocked:\n%s", text)
	}
	fitsPhone(t, child, "the child's page")
	t.Logf("child's page: %s", screenshot(t, child, shots, "3-child"))
	// axe-core runs in the page, so it needs a phone with JavaScript on.
	checker := newPhone(t, browser, false)
	open(t, checker, childURL)
	AxeCheck(t, checker, "the child's page")

	// The child asks to allow TikTok; the parent allows it for an hour.
	open(t, child, strings.TrimRight(childURL, "/")+"/chan?d=www.tiktok.com")
	submit(t, child, `form[action$="/xin"] button`)
	if text := bodyText(t, child); !strings.Contains(text, web.T("vi", "child.ask.sent")) {
		t.Fatalf("the child's request is not confirmed:\n%s", text)
	}
	open(t, parent, srv.base+"/gia-dinh/yeu-cau")
	if text := bodyText(t, parent); !strings.Contains(text, "www.tiktok.com") {
		t.Fatalf("the parent does not see the request:\n%s", text)
	}
	fitsPhone(t, parent, "the requests page")
	t.Logf("requests: %s", screenshot(t, parent, shots, "4-requests"))
	submit(t, parent, `form[action^="/gia-dinh/yeu-cau/"] button[value=hour]`)
	noPageErrors(t, parent, "allowing the site")
	took = srv.waitAnswer(t, host, "www.tiktok.com", upstreamAddr, 5*time.Second)
	t.Logf("TikTok allowed %v after the parent's answer", took.Round(time.Millisecond))
}
