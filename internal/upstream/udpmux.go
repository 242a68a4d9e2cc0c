package upstream

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"manglanh/internal/dnswire"
)

// Shape of the UDP socket pool of one upstream.
const (
	udpSockets   = 8    // long-lived connected sockets per upstream
	udpSocketUse = 4096 // queries after which a socket is replaced by one on a new port
)

// errSocketClosed means the socket a query was waiting on was closed.
var errSocketClosed = errors.New("upstream socket closed")

// udpPool sends queries to one upstream over a few long-lived connected UDP
// sockets, matching answers to queries by message ID. Opening and closing a
// socket per query cost more than the rest of a cache miss together
// (socket, connect, epoll registration, close: a quarter of the CPU of a
// miss in profiles).
//
// Spoofing: each query gets a random ID that is free on its socket, and each
// socket is replaced by one on a fresh random source port after
// udpSocketUse queries, so an off-path attacker must still guess the ID
// among 65,536 and the port among the pool's; an answer must also repeat
// the question (compared case-insensitively) or it is ignored, and the
// query keeps waiting for the real one.
type udpPool struct {
	hostPort string
	next     atomic.Uint32
	mu       sync.Mutex
	socks    [udpSockets]*muxSocket
	closed   bool
}

// muxSocket is one connected socket with its reader goroutine.
type muxSocket struct {
	conn    *net.UDPConn
	uses    atomic.Int64
	mu      sync.Mutex
	pending map[uint16]*muxCall
	dead    bool
}

// muxCall is one query waiting for its answer.
type muxCall struct {
	question []byte         // the query's question section, to check answers against
	answer   chan muxResult // buffered 1; closed if the socket closes first
}

// muxResult is an answer (owned by the receiver) or why none will come.
type muxResult struct {
	msg []byte
	err error
}

func newUDPPool(hostPort string) *udpPool { return &udpPool{hostPort: hostPort} }

// socket returns a socket to send on, opening or replacing one as needed.
func (p *udpPool) socket() (*muxSocket, error) {
	i := p.next.Add(1) % udpSockets
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, net.ErrClosed
	}
	s := p.socks[i]
	if s != nil && !s.isDead() && s.uses.Add(1) <= udpSocketUse {
		return s, nil
	}
	if s != nil {
		s.retire()
	}
	conn, err := net.Dial("udp", p.hostPort)
	if err != nil {
		p.socks[i] = nil
		return nil, err
	}
	s = &muxSocket{conn: conn.(*net.UDPConn), pending: make(map[uint16]*muxCall)}
	_ = s.conn.SetReadBuffer(1 << 20)
	s.uses.Store(1)
	p.socks[i] = s
	go s.read()
	return s, nil
}

// exchange sends pkt (a packed query; its ID is overwritten) and returns the
// packed answer whose ID and question match.
func (p *udpPool) exchange(ctx context.Context, pkt []byte, timeout time.Duration) ([]byte, error) {
	qEnd, err := dnswire.QuestionEnd(pkt)
	if err != nil {
		return nil, err
	}
	s, err := p.socket()
	if err != nil {
		return nil, err
	}
	call := &muxCall{question: pkt[dnswire.HeaderLen:qEnd], answer: make(chan muxResult, 1)}
	id, err := s.register(call)
	if err != nil {
		return nil, err
	}
	defer s.unregister(id, call)
	binary.BigEndian.PutUint16(pkt, id)
	if _, err := s.conn.Write(pkt); err != nil {
		return nil, err
	}
	t := time.NewTimer(time.Until(deadline(ctx, timeout)))
	defer t.Stop()
	select {
	case res, ok := <-call.answer:
		if !ok {
			return nil, errSocketClosed
		}
		return res.msg, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, errTimeout
	}
}

// errTimeout is returned when no matching answer arrived in time.
var errTimeout = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout waiting for the upstream's answer" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func (p *udpPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for i, s := range p.socks {
		if s != nil {
			s.retire()
			p.socks[i] = nil
		}
	}
}

func (s *muxSocket) isDead() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dead
}

// register gives call a random ID free on s.
func (s *muxSocket) register(call *muxCall) (uint16, error) {
	var b [2]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead {
		return 0, errSocketClosed
	}
	for range 64 {
		_, _ = rand.Read(b[:])
		id := binary.BigEndian.Uint16(b[:])
		if _, busy := s.pending[id]; !busy {
			s.pending[id] = call
			return id, nil
		}
	}
	return 0, errors.New("no free query id on the upstream socket")
}

// unregister removes call, unless its answer already did: then id may
// belong to another query by now.
func (s *muxSocket) unregister(id uint16, call *muxCall) {
	s.mu.Lock()
	if s.pending[id] == call {
		delete(s.pending, id)
	}
	last := s.dead && len(s.pending) == 0
	s.mu.Unlock()
	if last {
		s.conn.Close()
	}
}

// retire stops new queries on s; it is closed when the last query waiting
// on it has its answer or gives up.
func (s *muxSocket) retire() {
	s.mu.Lock()
	s.dead = true
	idle := len(s.pending) == 0
	s.mu.Unlock()
	if idle {
		s.conn.Close()
	}
}

// read delivers answers to their queries until the socket is closed.
func (s *muxSocket) read() {
	buf := make([]byte, maxMessageSize)
	for {
		n, err := s.conn.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				break
			}
			// ICMP port unreachable and the like: nobody listens on the
			// upstream's port, so fail the queries waiting now instead of
			// letting them time out (the caller marks the upstream down).
			s.failPending(err)
			continue
		}
		if n < dnswire.HeaderLen || buf[2]&0x80 == 0 {
			continue // not a response
		}
		id := binary.BigEndian.Uint16(buf)
		s.mu.Lock()
		call := s.pending[id]
		if call != nil && matchesQuestion(buf[:n], call.question) {
			delete(s.pending, id)
		} else {
			call = nil
		}
		s.mu.Unlock()
		if call != nil {
			call.answer <- muxResult{msg: bytes.Clone(buf[:n])}
		}
	}
	s.mu.Lock()
	s.dead = true
	for id, c := range s.pending {
		close(c.answer)
		delete(s.pending, id)
	}
	s.mu.Unlock()
}

// failPending ends every query waiting on s with err.
func (s *muxSocket) failPending(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, c := range s.pending {
		c.answer <- muxResult{err: err}
		delete(s.pending, id)
	}
}

// matchesQuestion reports whether the answer msg repeats the question
// section q (name compared without ASCII case); an error answer without a
// question also matches, as verify accepts it.
func matchesQuestion(msg, q []byte) bool {
	qd := binary.BigEndian.Uint16(msg[4:])
	if qd == 0 {
		return msg[3]&0xF != 0
	}
	if qd != 1 || len(msg) < dnswire.HeaderLen+len(q) {
		return false
	}
	a := msg[dnswire.HeaderLen : dnswire.HeaderLen+len(q)]
	for i, c := range a {
		if lowerASCII(c) != lowerASCII(q[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Close releases the resolver's long-lived upstream sockets. Queries in
// flight fail; the Resolver must not be used afterwards.
func (r *Resolver) Close() {
	for _, u := range r.ups {
		if uu, ok := u.u.(*udpUpstream); ok {
			uu.pool.close()
		}
	}
}
