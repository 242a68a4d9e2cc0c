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

// TCP limits: an idle connection is closed after tcpIdle; a client that
// starts a message must finish it within tcpRead.
const (
	tcpIdle = 10 * time.Second
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
		if s.tcpConns.Add(1) > int64(s.cfg.MaxTCPConns) {
			s.tcpConns.Add(-1)
			s.Stats.TCPRejected.Add(1)
			c.Close()
			continue
		}
		s.wg.Add(1)
		go s.serveTCPConn(ctx, c)
	}
}

// serveTCPConn answers length-prefixed queries on one connection, several
// in flight at once (RFC 7766 pipelining); writes are serialised.
func (s *Server) serveTCPConn(ctx context.Context, c net.Conn) {
	defer s.wg.Done()
	defer s.tcpConns.Add(-1)
	var wmu sync.Mutex
	var pending sync.WaitGroup
	defer func() {
		pending.Wait()
		c.Close()
	}()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	ap, _ := netip.ParseAddrPort(c.RemoteAddr().String())
	client := ap.Addr().Unmap()
	write := func(b []byte) {
		wmu.Lock()
		defer wmu.Unlock()
		c.SetWriteDeadline(time.Now().Add(tcpRead))
		var l [2]byte
		binary.BigEndian.PutUint16(l[:], uint16(len(b)))
		bufs := net.Buffers{l[:], b}
		bufs.WriteTo(c)
	}
	w := &worker{out: make([]byte, 0, 4096)}
	var lenBuf [2]byte
	for {
		c.SetReadDeadline(time.Now().Add(tcpIdle))
		if _, err := io.ReadFull(c, lenBuf[:]); err != nil {
			return
		}
		n := int(binary.BigEndian.Uint16(lenBuf[:]))
		if n == 0 {
			return
		}
		c.SetReadDeadline(time.Now().Add(tcpRead))
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
