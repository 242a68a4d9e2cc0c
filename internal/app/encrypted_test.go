package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"manglanh/internal/config"
)

// TestEncryptedDNSFromConfig runs the application with dns.tls_listen and
// dns.https_listen from a config file: a phone whose Private DNS name is
// be-an.dns.test gets be-an's filtering over DoT although its address is
// outside dns.allow_nets, DoH by path does the same, and both are counted
// in /metrics.
func TestEncryptedDNSFromConfig(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "*.dns.test"},
		DNSNames: []string{"*.dns.test", "dns.test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)

	cfgFile := filepath.Join(dir, "manglanh.yaml")
	os.WriteFile(cfgFile, []byte(`
data_dir: `+filepath.Join(dir, "data")+`
web: {listen: "127.0.0.1:0"}
dns:
  listen: "127.0.0.1:0"
  tls_listen: "127.0.0.1:0"
  https_listen: "127.0.0.1:0"
  cert_file: `+certFile+`
  key_file: `+keyFile+`
  profile_domain: dns.test
  allow_nets: [10.0.0.0/8]
  upstreams: ["127.0.0.1:9"]
profiles:
  - {name: default, block: [none]}
  - {name: be-an, age: 8, block: [tiktok]}
`), 0o600)
	cfg, err := config.Load(cfgFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Listen(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(20 * time.Second):
			t.Error("shutdown hung")
		}
	}()

	dot, doh := a.EncryptedDNSAddrs()
	if dot == nil || doh == nil {
		t.Fatalf("encrypted listeners not open: %v %v", dot, doh)
	}
	m := new(dns.Msg)
	m.SetQuestion("www.tiktok.com.", dns.TypeA)
	c := &dns.Client{Net: "tcp-tls", Timeout: 3 * time.Second, TLSConfig: &tls.Config{ServerName: "be-an.dns.test", RootCAs: pool}}
	r, _, err := c.Exchange(m, dot.String())
	if err != nil || len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != "0.0.0.0" {
		t.Fatalf("DoT as be-an: %v %v", r, err)
	}
	// Plain DNS from the same address: refused (outside allow_nets).
	r, _, err = (&dns.Client{Timeout: 2 * time.Second}).Exchange(m, a.DNSAddr().String())
	if err != nil || r.Rcode != dns.RcodeRefused {
		t.Fatalf("plain DNS outside allow_nets: %v %v", r, err)
	}
	packed, _ := m.Pack()
	hc := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "dns.test"}, ForceAttemptHTTP2: true}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Post("https://"+doh.String()+"/dns-query/be-an", "application/dns-message", strings.NewReader(string(packed)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var dm dns.Msg
	if resp.StatusCode != 200 || dm.Unpack(body) != nil || len(dm.Answer) != 1 || dm.Answer[0].(*dns.A).A.String() != "0.0.0.0" {
		t.Fatalf("DoH as be-an: %s %v", resp.Status, dm)
	}

	resp, err = http.Get("http://" + a.WebAddr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"manglanh_dns_dot_queries_total 1", "manglanh_dns_doh_queries_total 1"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
