package notify

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// received is one message as the test server got it.
type received struct {
	From   string
	To     []string
	Data   string
	TLS    bool
	AuthAs string
}

// smtpServer is a tiny SMTP server on 127.0.0.1 for tests: EHLO, STARTTLS,
// AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type smtpServer struct {
	t        *testing.T
	ln       net.Listener
	tls      *tls.Config // offers STARTTLS when set (and not implicit)
	implicit bool        // TLS from the first byte
	user     string
	pass     string
	// failMail answers this many MAIL commands with 451 before accepting.
	failMail int
	// rcptCode, when set, answers every RCPT with it.
	rcptCode int

	mu     sync.Mutex
	msgs   []received
	mails  int // MAIL commands seen
	arrive chan received
}

// testCert makes a self-signed certificate for 127.0.0.1 and the pool
// that trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test relay"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func startSMTP(t *testing.T, srv *smtpServer) *smtpServer {
	t.Helper()
	srv.t = t
	srv.arrive = make(chan received, 64)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.ln = ln
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go srv.serve(c)
		}
	}()
	return srv
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// wait returns the next message or fails after a few seconds.
func (s *smtpServer) wait() received {
	s.t.Helper()
	select {
	case m := <-s.arrive:
		return m
	case <-time.After(10 * time.Second):
		s.t.Fatal("no message arrived")
		return received{}
	}
}

func (s *smtpServer) serve(c net.Conn) {
	defer func() { c.Close() }()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	secure := false
	if s.implicit {
		tc := tls.Server(c, s.tls)
		if err := tc.Handshake(); err != nil {
			return
		}
		c, secure = tc, true
	}
	tp := textproto.NewConn(c)
	reply := func(format string, args ...any) { tp.PrintfLine(format, args...) }
	reply("220 test.invalid ESMTP")
	var cur received
	authed := ""
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ext := []string{"test.invalid", "8BITMIME"}
			if s.tls != nil && !secure {
				ext = append(ext, "STARTTLS")
			}
			if s.user != "" {
				ext = append(ext, "AUTH PLAIN")
			}
			for i, e := range ext {
				sep := "-"
				if i == len(ext)-1 {
					sep = " "
				}
				reply("250%s%s", sep, e)
			}
		case "STARTTLS":
			if s.tls == nil || secure {
				reply("502 not now")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, secure = tc, true
			tp = textproto.NewConn(c)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			if !strings.EqualFold(mech, "PLAIN") {
				reply("504 unknown mechanism")
				continue
			}
			raw, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(raw), "\x00")
			if err != nil || len(parts) != 3 || parts[1] != s.user || parts[2] != s.pass {
				reply("535 5.7.8 authentication failed")
				continue
			}
			authed = parts[1]
			reply("235 2.7.0 ok")
		case "MAIL":
			s.mu.Lock()
			s.mails++
			fail := s.mails <= s.failMail
			s.mu.Unlock()
			if s.user != "" && authed == "" {
				reply("530 5.7.0 authentication required")
				continue
			}
			if fail {
				reply("451 4.3.0 try again later")
				continue
			}
			addr, _, _ := strings.Cut(strings.TrimPrefix(arg, "FROM:<"), ">")
			cur = received{From: addr, TLS: secure, AuthAs: authed}
			reply("250 ok")
		case "RCPT":
			if s.rcptCode != 0 {
				reply("%d no such user", s.rcptCode)
				continue
			}
			addr, _, _ := strings.Cut(strings.TrimPrefix(arg, "TO:<"), ">")
			cur.To = append(cur.To, addr)
			reply("250 ok")
		case "DATA":
			if len(cur.To) == 0 {
				reply("503 no recipients")
				continue
			}
			reply("354 end with .")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			cur.Data = string(data)
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			s.arrive <- cur
			cur = received{}
			reply("250 queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("500 unknown command %s", fmt.Sprint(len(verb)))
		}
	}
}

// blackHole accepts connections and never answers: a hung relay.
func blackHole(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go bufio.NewReader(c).ReadString(0)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func serverTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}
