package dnsserver

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Stream limits: an idle TCP connection is closed after tcpIdle, an idle
// DoT connection after tlsIdle (longer: a phone keeps its Private DNS
// connection open, and a new TLS handshake costs both sides); a client that
// starts a message (or a TLS handshake) must finish it within tcpRead.
const (
	tcpIdle = 10 * time.Second
	tlsIdle = 30 * time.Second
	tcpRead = 5 * time.Second
)

func (s *Server) serveTCP(ctx context.Context) {
	defer s.wg.Done()
	for {
		c, err := s.tcp.Accept()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.WarnContext(ctx, "tcp accept", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		client := remoteAddr(c)
		// Outside AllowNets: closed before a byte is read or a goroutine
		// started (no answer over TCP for a network plain DNS refuses).
		if !s.allowedClient(client) {
			s.Stats.TCPNotAllowed.Add(1)
			s.Stats.TCPRejected.Add(1)
			refuseConn(c)
			continue
		}
		if !s.admit(s.tcpConns, client, &s.Stats.TCPRejected) {
			refuseConn(c)
			continue
		}
		s.wg.Add(1)
		go s.serveTCPConn(ctx, c, client)
	}
}

func (s *Server) serveTCPConn(ctx context.Context, c net.Conn, client netip.Addr) {
	defer s.wg.Done()
	defer s.tcpConns.release(client, c)
	s.serveStream(ctx, c, client, s.tcpConns, &worker{in: make([]byte, 512), out: make([]byte, 0, 4096)}, tcpIdle)
}

// serveStream answers length-prefixed queries on one connection (TCP or
// DoT), several in flight at once (RFC 7766 pipelining), with w's buffers
// and client view; writes are serialised. It closes c when the client is
// idle for idle (pressureIdle while the transport's tracker is under
// pressure), stalls inside a message, closes, or ctx ends.
func (s *Server) serveStream(ctx context.Context, c net.Conn, client netip.Addr, tr *connTracker, w *worker, idle time.Duration) {
	var wmu sync.Mutex
	var pending sync.WaitGroup
	defer func() {
		pending.Wait()
		c.Close()
	}()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	_, plain := c.(*net.TCPConn)
	var wbuf []byte // under wmu
	write := func(b []byte) {
		wmu.Lock()
		defer wmu.Unlock()
		c.SetWriteDeadline(time.Now().Add(tcpRead))
		var l [2]byte
		binary.BigEndian.PutUint16(l[:], uint16(len(b)))
		if plain {
			bufs := net.Buffers{l[:], b}
			bufs.WriteTo(c)
			return
		}
		// TLS would send the length and the message as two records: one
		// write, one record.
		wbuf = append(append(wbuf[:0], l[:]...), b...)
		c.Write(wbuf)
		if cap(wbuf) > 4096 {
			wbuf = nil
		}
	}
	var lenBuf [2]byte
	for {
		tr.setIdle(c, true)
		c.SetReadDeadline(time.Now().Add(tr.idleTimeout(idle)))
		if _, err := io.ReadFull(c, lenBuf[:]); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() && tr.pressured() {
				s.Stats.PressureClosed.Add(1)
			}
			return
		}
		tr.setIdle(c, false)
		n := int(binary.BigEndian.Uint16(lenBuf[:]))
		if n == 0 {
			return
		}
		c.SetReadDeadline(time.Now().Add(tcpRead))
		if n > len(w.in) {
			// Grown to what the client sends, not 64 KiB up front: a
			// thousand open connections hold their buffers.
			w.in = make([]byte, n)
		}
		if _, err := io.ReadFull(c, w.in[:n]); err != nil {
			return
		}
		resp, slow := s.handle(w, w.in[:n], client, true)
		if slow != nil {
			pending.Add(1)
			s.goSlow(ctx, slow, write, pending.Done)
			continue
		}
		if len(resp) > 0 {
			write(resp)
		}
	}
}
