package dnsserver

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strconv"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
)

// dohContentType is the media type of DNS messages over HTTPS (RFC 8484).
const dohContentType = "application/dns-message"

// maxDoHParam is the longest ?dns= value: a 65535-byte message in base64url.
var maxDoHParam = base64.URLEncoding.EncodedLen(dns.MaxMsgSize)

// dohHandler serves RFC 8484 at /dns-query (profile by the TLS server name
// or Host, else by client address) and /dns-query/<profile>.
func (s *Server) dohHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/dns-query", s.serveDoH)
	mux.HandleFunc("/dns-query/{profile}", s.serveDoH)
	return mux
}

// dohError answers a request that carries no usable DNS message. The texts
// are for whoever set the URL up (a parent, an officer), in both languages.
func dohError(rw http.ResponseWriter, code int, vi, en string) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(code)
	io.WriteString(rw, vi+"\n"+en+"\n")
}

func (s *Server) serveDoH(rw http.ResponseWriter, r *http.Request) {
	w := s.dohBufs.Get().(*worker)
	defer s.dohBufs.Put(w)
	var n int
	switch r.Method {
	case http.MethodGet:
		v := r.URL.Query().Get("dns")
		if v == "" || len(v) > maxDoHParam {
			dohError(rw, http.StatusBadRequest, "thiếu hoặc quá dài tham số dns (base64url)", "missing or over-long dns parameter (base64url)")
			return
		}
		// RFC 8484 sends base64url without padding; accept it with, too.
		for len(v) > 0 && v[len(v)-1] == '=' {
			v = v[:len(v)-1]
		}
		var err error
		if n, err = base64.RawURLEncoding.Decode(w.in, []byte(v)); err != nil {
			dohError(rw, http.StatusBadRequest, "tham số dns không phải base64url", "the dns parameter is not base64url")
			return
		}
	case http.MethodPost:
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != dohContentType {
			dohError(rw, http.StatusUnsupportedMediaType, "cần Content-Type: "+dohContentType, "Content-Type must be "+dohContentType)
			return
		}
		// w.in has room for one byte more than a message, so that a body
		// over the limit is seen as such.
		var err error
		n, err = io.ReadFull(http.MaxBytesReader(rw, r.Body, dns.MaxMsgSize), w.in)
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			dohError(rw, http.StatusRequestEntityTooLarge, "thông điệp DNS quá 65535 byte", "DNS message over 65535 bytes")
			return
		case err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
			dohError(rw, http.StatusBadRequest, "không đọc được nội dung yêu cầu", "cannot read the request body")
			return
		}
	default:
		rw.Header().Set("Allow", "GET, POST")
		dohError(rw, http.StatusMethodNotAllowed, "chỉ nhận GET và POST", "only GET and POST are accepted")
		return
	}
	pkt := w.in[:n]
	if err := dnswire.ParseQuery(pkt, &w.q); err != nil && !errors.Is(err, dnswire.ErrNotImplemented) {
		s.Stats.Queries.Add(1)
		s.Stats.DoHQueries.Add(1)
		s.Stats.Malformed.Add(1)
		dohError(rw, http.StatusBadRequest, "không phải một truy vấn DNS hợp lệ", "not a valid DNS query")
		return
	}

	w.open, w.via = true, &s.Stats.DoHQueries
	if name := r.PathValue("profile"); name != "" {
		if _, ok := s.policy.Load().p.ProfileIndex(name); !ok {
			// Not the address profile instead: a mistyped URL must show
			// at set-up, not filter a child with someone else's rules.
			dohError(rw, http.StatusNotFound, "không có hồ sơ lọc tên này", "no filtering profile has this name")
			return
		}
		w.setProfile(name)
	} else {
		host := r.Host
		if r.TLS != nil && r.TLS.ServerName != "" {
			host = r.TLS.ServerName
		} else if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		w.setProfile(s.profileFromHost(host))
	}
	ap, _ := netip.ParseAddrPort(r.RemoteAddr)
	client := ap.Addr().Unmap()

	resp, slow := s.handle(w, pkt, client, true)
	if slow != nil {
		done := make(chan struct{})
		var answer []byte
		s.goSlow(r.Context(), slow, func(b []byte) { answer = append(w.out[:0], b...) }, func() { close(done) })
		<-done
		if answer == nil {
			// Dropped (too many lookups in flight) or unanswerable: a DoH
			// client gets SERVFAIL rather than a silent timeout.
			s.Stats.ServFail.Add(1)
			answer = dnswire.AppendServFail(w.out[:0], &w.q)
		}
		resp = answer
	}
	if len(resp) == 0 {
		// handle drops only what the per-client rate limit refuses.
		rw.Header().Set("Retry-After", "1")
		dohError(rw, http.StatusTooManyRequests, "quá nhiều truy vấn, thử lại sau", "too many queries, try again later")
		return
	}
	h := rw.Header()
	h.Set("Content-Type", dohContentType)
	h.Set("Content-Length", strconv.Itoa(len(resp)))
	h.Set("Cache-Control", "max-age="+strconv.FormatUint(uint64(minTTL(resp)), 10))
	rw.WriteHeader(http.StatusOK)
	rw.Write(resp)
	if cap(resp) <= 4096 {
		w.out = resp[:0]
	}
}

// minTTL is the freshness an HTTP cache may give the answer msg (RFC 8484
// §5.1): the smallest TTL of its records (a negative answer's SOA included),
// 0 when it has none or cannot be read.
func minTTL(msg []byte) uint32 {
	var buf [64]uint16
	offs, err := dnswire.TTLOffsets(msg, buf[:0])
	if err != nil || len(offs) == 0 {
		return 0
	}
	ttl := ^uint32(0)
	for _, o := range offs {
		if int(o)+4 <= len(msg) {
			ttl = min(ttl, binary.BigEndian.Uint32(msg[o:]))
		}
	}
	if ttl == ^uint32(0) {
		return 0
	}
	return ttl
}
