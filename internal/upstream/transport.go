package upstream

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Upstream sends one query to one upstream server and returns its verified
// answer: same ID, QR set, and the same question (name compared without
// case). Implementations are safe for concurrent use and never modify req.
type Upstream interface {
	Exchange(ctx context.Context, req *dns.Msg) (*dns.Msg, error)
	// Address returns the canonical address (Address.String).
	Address() string
}

// Errors an Exchange may return (wrapped with the upstream's address).
var (
	// ErrIDMismatch means the answer carries another message ID.
	ErrIDMismatch = errors.New("answer id does not match the query")
	// ErrQuestionMismatch means the answer is for another question.
	ErrQuestionMismatch = errors.New("answer question does not match the query")
	// ErrNotResponse means the QR bit of the answer is clear.
	ErrNotResponse = errors.New("upstream sent a message that is not a response")
	// ErrHTTPStatus means a DoH server answered with a status other than 200.
	ErrHTTPStatus = errors.New("doh server answered with an http error")
)

// Pool and size limits of the transports.
const (
	maxIdleConns   = 4                // idle TCP/DoT connections kept per upstream
	maxIdleAge     = 20 * time.Second // older idle connections are closed, not reused
	maxMessageSize = dns.MaxMsgSize
)

// NewUpstream returns the Upstream for a. timeout bounds each exchange in
// addition to the context. tlsConfig (may be nil) is cloned and given the
// address's server name; it lets tests trust their own CA.
func NewUpstream(a Address, timeout time.Duration, tlsConfig *tls.Config) (Upstream, error) {
	if timeout <= 0 {
		return nil, fmt.Errorf("upstream %s: timeout must be positive", a)
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if tlsConfig != nil {
		tc = tlsConfig.Clone()
	}
	tc.ServerName = a.ServerName
	switch a.Transport {
	case TransportUDP:
		return &udpUpstream{addr: a.String(), hostPort: a.HostPort(), timeout: timeout,
			pool: newUDPPool(a.HostPort()), tcp: newStream(a, timeout, nil)}, nil
	case TransportTCP:
		return newStream(a, timeout, nil), nil
	case TransportTLS:
		return newStream(a, timeout, tc), nil
	case TransportHTTPS:
		return newHTTPS(a, timeout, tc), nil
	}
	return nil, fmt.Errorf("upstream %s: unknown transport %d", a, a.Transport)
}

// verify checks that resp answers req.
func verify(req, resp *dns.Msg) error {
	if resp.Id != req.Id {
		return ErrIDMismatch
	}
	if !resp.Response {
		return ErrNotResponse
	}
	if len(req.Question) == 0 {
		return nil
	}
	if len(resp.Question) == 0 && resp.Rcode != dns.RcodeSuccess {
		return nil // FORMERR/SERVFAIL/REFUSED answers often drop the question
	}
	if len(resp.Question) != 1 {
		return ErrQuestionMismatch
	}
	rq, q := resp.Question[0], req.Question[0]
	if rq.Qtype != q.Qtype || rq.Qclass != q.Qclass || !strings.EqualFold(rq.Name, q.Name) {
		return ErrQuestionMismatch
	}
	return nil
}

// deadline returns the earlier of now+timeout and the context's deadline.
func deadline(ctx context.Context, timeout time.Duration) time.Time {
	d := time.Now().Add(timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// udpUpstream sends queries over a small pool of long-lived UDP sockets
// (see udpPool) and retries over TCP when the answer is truncated.
type udpUpstream struct {
	addr     string
	hostPort string
	timeout  time.Duration
	pool     *udpPool
	tcp      *streamUpstream
}

func (u *udpUpstream) Address() string { return u.addr }

func (u *udpUpstream) Exchange(ctx context.Context, req *dns.Msg) (*dns.Msg, error) {
	resp, err := u.exchange(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("udp exchange with %s: %w", u.hostPort, err)
	}
	if resp.Truncated {
		return u.tcp.Exchange(ctx, req)
	}
	return resp, nil
}

func (u *udpUpstream) exchange(ctx context.Context, req *dns.Msg) (*dns.Msg, error) {
	var qb [512]byte
	pkt, err := req.PackBuffer(qb[:])
	if err != nil {
		return nil, fmt.Errorf("packing query: %w", err)
	}
	b, err := u.pool.exchange(ctx, pkt, u.timeout)
	if err != nil {
		return nil, err
	}
	resp := new(dns.Msg)
	if err := resp.Unpack(b); err != nil {
		return nil, fmt.Errorf("unpacking answer: %w", err)
	}
	// The pool matched the answer by the ID it chose: give the caller
	// the answer under the ID it asked with.
	resp.Id = req.Id
	if err := verify(req, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// streamUpstream is DNS over TCP or, with tlsConf set, over TLS. It keeps a
// few idle connections for reuse; each carries one query at a time.
type streamUpstream struct {
	addr     string
	hostPort string
	timeout  time.Duration
	tlsConf  *tls.Config
	idle     chan idleConn
}

type idleConn struct {
	co    *dns.Conn
	since time.Time
}

func newStream(a Address, timeout time.Duration, tc *tls.Config) *streamUpstream {
	s := &streamUpstream{hostPort: a.HostPort(), timeout: timeout, tlsConf: tc, idle: make(chan idleConn, maxIdleConns)}
	s.addr = a.String()
	if a.Transport == TransportUDP {
		s.addr = "tcp://" + a.HostPort()
	}
	return s
}

func (s *streamUpstream) Address() string { return s.addr }

func (s *streamUpstream) Exchange(ctx context.Context, req *dns.Msg) (*dns.Msg, error) {
	for attempt := 0; ; attempt++ {
		co, reused, err := s.get(ctx)
		if err != nil {
			return nil, fmt.Errorf("connecting to %s: %w", s.addr, err)
		}
		resp, err := s.exchangeOn(ctx, co, req)
		if err == nil {
			s.put(co)
			return resp, nil
		}
		co.Close()
		// An idle connection may have been closed by the server meanwhile:
		// retry once on a fresh one.
		if reused && attempt == 0 && ctx.Err() == nil && !errors.Is(err, ErrQuestionMismatch) && !errors.Is(err, ErrIDMismatch) {
			continue
		}
		return nil, fmt.Errorf("exchange with %s: %w", s.addr, err)
	}
}

func (s *streamUpstream) exchangeOn(ctx context.Context, co *dns.Conn, req *dns.Msg) (*dns.Msg, error) {
	stop := context.AfterFunc(ctx, func() { _ = co.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := co.SetDeadline(deadline(ctx, s.timeout)); err != nil {
		return nil, err
	}
	if err := co.WriteMsg(req); err != nil {
		return nil, err
	}
	resp, err := co.ReadMsg()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if err := verify(req, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

func (s *streamUpstream) get(ctx context.Context) (*dns.Conn, bool, error) {
	for {
		select {
		case ic := <-s.idle:
			if time.Since(ic.since) < maxIdleAge {
				return ic.co, true, nil
			}
			ic.co.Close()
			continue
		default:
		}
		break
	}
	dctx, cancel := context.WithDeadline(ctx, deadline(ctx, s.timeout))
	defer cancel()
	var (
		c   net.Conn
		err error
	)
	if s.tlsConf != nil {
		d := tls.Dialer{Config: s.tlsConf}
		c, err = d.DialContext(dctx, "tcp", s.hostPort)
	} else {
		var d net.Dialer
		c, err = d.DialContext(dctx, "tcp", s.hostPort)
	}
	if err != nil {
		return nil, false, err
	}
	return &dns.Conn{Conn: c}, false, nil
}

func (s *streamUpstream) put(co *dns.Conn) {
	_ = co.SetDeadline(time.Time{})
	select {
	case s.idle <- idleConn{co: co, since: time.Now()}:
	default:
		co.Close()
	}
}

// httpsUpstream is DNS over HTTPS (RFC 8484): POST application/dns-message,
// message ID 0 on the wire for cacheability, HTTP/2 when the server offers it.
type httpsUpstream struct {
	addr    string
	client  *http.Client
	timeout time.Duration
}

func newHTTPS(a Address, timeout time.Duration, tc *tls.Config) *httpsUpstream {
	dialAddr := a.HostPort()
	dialer := &net.Dialer{Timeout: timeout}
	tr := &http.Transport{
		Proxy: nil, // never send DNS through an environment proxy
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, dialAddr)
		},
		TLSClientConfig:     tc,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: maxIdleConns,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: timeout,
	}
	return &httpsUpstream{addr: a.URL, client: &http.Client{Transport: tr}, timeout: timeout}
}

func (h *httpsUpstream) Address() string { return h.addr }

func (h *httpsUpstream) Exchange(ctx context.Context, req *dns.Msg) (*dns.Msg, error) {
	resp, err := h.exchange(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("doh exchange with %s: %w", h.addr, err)
	}
	return resp, nil
}

func (h *httpsUpstream) exchange(ctx context.Context, req *dns.Msg) (*dns.Msg, error) {
	pkt, err := req.Pack()
	if err != nil {
		return nil, fmt.Errorf("packing query: %w", err)
	}
	pkt[0], pkt[1] = 0, 0
	ctx, cancel := context.WithDeadline(ctx, deadline(ctx, h.timeout))
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, h.addr, bytes.NewReader(pkt))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/dns-message")
	hreq.Header.Set("Accept", "application/dns-message")
	hresp, err := h.client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer hresp.Body.Close()
	if hresp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(hresp.Body, 4096))
		return nil, fmt.Errorf("%w: %s", ErrHTTPStatus, hresp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(hresp.Body, maxMessageSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if len(body) > maxMessageSize {
		return nil, errors.New("answer larger than a dns message")
	}
	resp := new(dns.Msg)
	if err := resp.Unpack(body); err != nil {
		return nil, fmt.Errorf("unpacking answer: %w", err)
	}
	if resp.Id != 0 {
		return nil, ErrIDMismatch
	}
	resp.Id = req.Id
	if err := verify(req, resp); err != nil {
		return nil, err
	}
	return resp, nil
}
