package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a self-signed certificate for names valid until notAfter
// and its key, and returns the two paths.
func selfSigned(t *testing.T, notAfter time.Time, names ...string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: notAfter.Add(-48 * time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

func TestEncryptedDNSKeys(t *testing.T) {
	later := time.Now().Add(30 * 24 * time.Hour)
	cert, key := selfSigned(t, later, "*.dns.phuongmau.vn", "dns.phuongmau.vn")
	otherCert, otherKey := selfSigned(t, later, "*.dns.phuongmau.vn")
	plainCert, plainKey := selfSigned(t, later, "portal.phuongmau.vn")
	oldCert, oldKey := selfSigned(t, time.Now().Add(-time.Hour), "*.dns.phuongmau.vn")
	for _, tc := range []struct {
		name    string
		env     []string
		wantKey string // "" = valid
		wantMsg string
	}{
		{"off by default", nil, "", ""},
		{"all set", []string{"MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853", "MANGLANH_DNS_HTTPS_LISTEN=127.0.0.1:443",
			"MANGLANH_DNS_CERT_FILE=" + cert, "MANGLANH_DNS_KEY_FILE=" + key, "MANGLANH_DNS_PROFILE_DOMAIN=dns.phuongmau.vn"}, "", ""},
		{"no cert", []string{"MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853", "MANGLANH_DNS_KEY_FILE=" + key}, "dns.cert_file", "chứng chỉ"},
		{"no key", []string{"MANGLANH_DNS_HTTPS_LISTEN=127.0.0.1:443", "MANGLANH_DNS_CERT_FILE=" + cert}, "dns.key_file", "private key"},
		{"unreadable cert", []string{"MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853", "MANGLANH_DNS_CERT_FILE=/nonexistent/cert.pem",
			"MANGLANH_DNS_KEY_FILE=" + key}, "dns.cert_file", "cannot read"},
		{"not a pair", []string{"MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853", "MANGLANH_DNS_CERT_FILE=" + cert,
			"MANGLANH_DNS_KEY_FILE=" + otherKey}, "dns.cert_file", "pair"},
		{"expired", []string{"MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853", "MANGLANH_DNS_CERT_FILE=" + oldCert,
			"MANGLANH_DNS_KEY_FILE=" + oldKey}, "dns.cert_file", "hết hạn"},
		{"not a wildcard for the domain", []string{"MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853", "MANGLANH_DNS_CERT_FILE=" + plainCert,
			"MANGLANH_DNS_KEY_FILE=" + plainKey, "MANGLANH_DNS_PROFILE_DOMAIN=dns.phuongmau.vn"}, "dns.cert_file", "wildcard"},
		{"wildcard only is enough", []string{"MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853", "MANGLANH_DNS_CERT_FILE=" + otherCert,
			"MANGLANH_DNS_KEY_FILE=" + otherKey, "MANGLANH_DNS_PROFILE_DOMAIN=dns.phuongmau.vn"}, "", ""},
		{"bad listen", []string{"MANGLANH_DNS_TLS_LISTEN=853"}, "dns.tls_listen", "host:port"},
		{"bad domain", []string{"MANGLANH_DNS_PROFILE_DOMAIN=https://dns.phuongmau.vn"}, "dns.profile_domain", "domain name"},
		{"no plain listener", []string{"MANGLANH_DNS_LISTEN=", "MANGLANH_DNS_TLS_LISTEN=127.0.0.1:853",
			"MANGLANH_DNS_CERT_FILE=" + cert, "MANGLANH_DNS_KEY_FILE=" + key}, "dns.listen", "dns.listen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("", tc.env)
			if tc.wantKey == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var errs *Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want *Errors on %s, got %v", tc.wantKey, err)
			}
			for _, f := range errs.List {
				if f.Key == tc.wantKey && f.Vi != "" && f.En != "" && strings.Contains(f.Vi+" "+f.En, tc.wantMsg) {
					return
				}
			}
			t.Fatalf("no %s error mentioning %q in %v", tc.wantKey, tc.wantMsg, err)
		})
	}
}
