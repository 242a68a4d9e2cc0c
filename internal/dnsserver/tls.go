package dnsserver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// certStore holds the certificate of the encrypted listeners and re-reads
// its files when they change. Handshakes read it through an atomic pointer.
type certStore struct {
	certFile, keyFile string
	cert              atomic.Pointer[tls.Certificate]

	mu        sync.Mutex // serialises reloads
	certBytes []byte     // the files' contents in use, to see a change
	keyBytes  []byte
}

func loadCertStore(certFile, keyFile string) (*certStore, error) {
	c := &certStore{certFile: certFile, keyFile: keyFile}
	if _, err := c.reload(true); err != nil {
		return nil, err
	}
	return c, nil
}

// reload reads both files and, if they differ from those in use (or force),
// loads the pair; it reports whether a new certificate is in use. A pair
// that does not load (a renewal half-written, a key that does not match)
// leaves the old certificate in use.
func (c *certStore) reload(force bool) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	certPEM, err := os.ReadFile(c.certFile)
	if err != nil {
		return false, fmt.Errorf("reading the certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(c.keyFile)
	if err != nil {
		return false, fmt.Errorf("reading the certificate key: %w", err)
	}
	if !force && bytes.Equal(certPEM, c.certBytes) && bytes.Equal(keyPEM, c.keyBytes) {
		return false, nil
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return false, fmt.Errorf("loading the certificate %s and key %s: %w", c.certFile, c.keyFile, err)
	}
	c.cert.Store(&cert)
	c.certBytes, c.keyBytes = certPEM, keyPEM
	return true, nil
}

func (c *certStore) get(*tls.ClientHelloInfo) (*tls.Certificate, error) { return c.cert.Load(), nil }

// tlsConfig is the server side of both encrypted listeners: TLS 1.2 or
// later, the certificate of the store, the given ALPN protocols.
func (s *Server) tlsConfig(protos ...string) *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: s.certs.get, NextProtos: protos}
}

// ReloadCertificate reads the certificate and key files again now (for
// SIGHUP); on error the certificate in use stays. Without encrypted
// listeners it does nothing.
func (s *Server) ReloadCertificate() error {
	if s.certs == nil {
		return nil
	}
	_, err := s.certs.reload(true)
	if err != nil {
		s.Stats.CertReloadFailed.Add(1)
	}
	return err
}

// watchCert reloads the certificate when its files change, so a renewal
// (Let's Encrypt every 60–90 days) needs no restart.
func (s *Server) watchCert(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.CertCheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			changed, err := s.certs.reload(false)
			if err != nil {
				s.Stats.CertReloadFailed.Add(1)
				s.log.WarnContext(ctx, "certificate not reloaded: the old one stays in use", "err", err)
			} else if changed {
				s.log.InfoContext(ctx, "certificate reloaded", "file", s.cfg.CertFile)
			}
		}
	}
}

// profileFromHost returns the profile name a TLS server name or HTTP host
// asks for: "be-an" for "be-an.dns.phuongmau.vn." when ProfileDomain is
// dns.phuongmau.vn; "" when the name is not one label under it.
func (s *Server) profileFromHost(host string) string {
	if s.domain == "" || host == "" {
		return ""
	}
	host = strings.TrimSuffix(host, ".")
	if len(host) <= len(s.domain) || !strings.EqualFold(host[len(host)-len(s.domain):], s.domain) {
		return ""
	}
	label := host[:len(host)-len(s.domain)]
	if strings.IndexByte(label, '.') >= 0 {
		return ""
	}
	return label
}

// TLSAddr returns the DoT listener's address after Listen (nil if off).
func (s *Server) TLSAddr() net.Addr {
	if s.dot == nil {
		return nil
	}
	return s.dot.Addr()
}

// HTTPSAddr returns the DoH listener's address after Listen (nil if off).
func (s *Server) HTTPSAddr() net.Addr {
	if s.doh == nil {
		return nil
	}
	return s.doh.Addr()
}

// listenEncrypted opens the DoT and DoH sockets that the config enables.
func (s *Server) listenEncrypted() error {
	if s.cfg.TLSListen != "" {
		ln, err := net.Listen("tcp", s.cfg.TLSListen)
		if err != nil {
			return fmt.Errorf("listening on %s for DNS-over-TLS: %w", s.cfg.TLSListen, err)
		}
		s.dot = ln
	}
	if s.cfg.HTTPSListen != "" {
		ln, err := net.Listen("tcp", s.cfg.HTTPSListen)
		if err != nil {
			if s.dot != nil {
				s.dot.Close()
				s.dot = nil
			}
			return fmt.Errorf("listening on %s for DNS-over-HTTPS: %w", s.cfg.HTTPSListen, err)
		}
		s.doh = &trackedListener{Listener: ln, s: s, t: s.dohConns}
		s.dohSrv = &http.Server{
			Handler:   s.dohHandler(),
			TLSConfig: s.tlsConfig("h2", "http/1.1"),
			// A DoH request is one small message: short limits keep a slow
			// client from holding one of the bounded connections.
			ReadHeaderTimeout: tcpRead, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
			IdleTimeout: 2 * tlsIdle, MaxHeaderBytes: 100 << 10, // a GET may carry a 64 KiB message in base64
			// net/http logs failed handshakes here: scanners make them
			// common, so they are debug.
			ErrorLog:  slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
			ConnState: s.dohConnState,
		}
	}
	return nil
}

// serveEncrypted starts the DoT and DoH listeners and the certificate
// watcher (all under s.wg).
func (s *Server) serveEncrypted(ctx context.Context) {
	if s.certs == nil {
		return
	}
	s.wg.Add(1)
	go s.watchCert(ctx)
	if s.dot != nil {
		s.log.InfoContext(ctx, "dns-over-tls listening", "addr", s.dot.Addr().String(), "profile_domain", strings.TrimPrefix(s.domain, "."))
		s.wg.Add(1)
		go s.serveDoT(ctx)
	}
	if s.doh != nil {
		s.log.InfoContext(ctx, "dns-over-https listening", "addr", s.doh.Addr().String())
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := s.dohSrv.ServeTLS(s.doh, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.ErrorContext(ctx, "dns-over-https stopped", "err", err)
			}
		}()
	}
}

// stopEncrypted closes the DoT listener and shuts the DoH server down,
// letting requests in flight finish (for up to 5 s).
func (s *Server) stopEncrypted() {
	if s.dot != nil {
		s.dot.Close()
	}
	if s.dohSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.dohSrv.Shutdown(ctx); err != nil {
			s.dohSrv.Close()
		}
	}
}

func (s *Server) serveDoT(ctx context.Context) {
	defer s.wg.Done()
	conf := s.tlsConfig("dot")
	for {
		c, err := s.dot.Accept()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.WarnContext(ctx, "dns-over-tls accept", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		// DoT answers every network (AllowNets is for plain DNS): only the
		// limits apply, before the handshake.
		client := remoteAddr(c)
		if !s.admit(s.dotConns, client, &s.Stats.DoTRejected) {
			refuseConn(c)
			continue
		}
		s.wg.Add(1)
		go s.serveDoTConn(ctx, tls.Server(c, conf), client)
	}
}

// serveDoTConn finishes the TLS handshake (within tcpRead, pressureIdle
// under pressure), chooses the
// connection's profile from the server name once, and answers like TCP.
func (s *Server) serveDoTConn(ctx context.Context, c *tls.Conn, client netip.Addr) {
	defer s.wg.Done()
	defer s.dotConns.release(client, c)
	// Under pressure a handshake gets pressureIdle too: a client that
	// opens connections and never finishes one holds them no longer.
	// A handshake waits for the client: idle, for the pressure sweep.
	raw := c.NetConn()
	s.dotConns.setIdle(raw, true)
	hctx, cancel := context.WithTimeout(ctx, s.dotConns.idleTimeout(tcpRead))
	err := c.HandshakeContext(hctx)
	cancel()
	s.dotConns.setIdle(raw, false)
	if err != nil {
		s.Stats.TLSHandshakeFailed.Add(1)
		s.log.DebugContext(ctx, "dns-over-tls handshake", "remote", c.RemoteAddr().String(), "err", err)
		c.Close()
		return
	}
	w := &worker{in: make([]byte, 512), out: make([]byte, 0, 4096), open: true, via: &s.Stats.DoTQueries}
	w.setProfile(s.profileFromHost(c.ConnectionState().ServerName))
	s.serveStream(ctx, c, client, s.dotConns, w, tlsIdle)
}
