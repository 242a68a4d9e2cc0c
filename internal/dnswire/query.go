// Package dnswire holds allocation-free helpers for the DNS hot path: parsing a
// client query straight from the packet, building small error answers into a
// caller's buffer, and locating the TTL fields of a packed message so a cached
// answer can be served by patching bytes instead of re-packing.
//
// Nothing here allocates; the caller owns every buffer. The general-purpose
// message type stays miekg/dns for the slow path.
package dnswire

import (
	"encoding/binary"
	"errors"
)

// Wire-format limits and constants used by the parser and the builders.
const (
	// HeaderLen is the length of the fixed DNS header.
	HeaderLen = 12
	// MaxNameLen is the longest wire-format name, root label included.
	MaxNameLen = 255
	// MaxHostLen is the longest dotted presentation name without the trailing dot.
	MaxHostLen = 253
	// MaxMsgLen is the largest DNS message (TCP length prefix limit).
	MaxMsgLen = 65535
	// MinUDPSize is the size every UDP client can take (RFC 1035).
	MinUDPSize = 512
	// DefaultUDPSize is the EDNS buffer size we advertise and honour at most
	// (DNS flag day 2020), so answers are never fragmented.
	DefaultUDPSize = 1232

	// TypeOPT is the EDNS pseudo-RR type (RFC 6891).
	TypeOPT = 41
	// OptionECS is the EDNS Client Subnet option code (RFC 7871).
	OptionECS = 8
	// OptionEDE is the Extended DNS Error option code (RFC 8914).
	OptionEDE = 15
)

// Header flag bits, in the second 16-bit word of the header.
const (
	FlagQR = 1 << 15
	FlagAA = 1 << 10
	FlagTC = 1 << 9
	FlagRD = 1 << 8
	FlagRA = 1 << 7
	FlagAD = 1 << 5
	FlagCD = 1 << 4

	opcodeMask = 0xF << 11
	rcodeMask  = 0xF
)

// RCODEs used by the builders.
const (
	RcodeSuccess  = 0
	RcodeFormErr  = 1
	RcodeServFail = 2
	RcodeNXDomain = 3
	RcodeNotImp   = 4
	RcodeRefused  = 5
	RcodeBadVers  = 16 // extended: needs an OPT record
)

// Sentinel errors returned by ParseQuery. They are wrapped nowhere on the hot
// path (wrapping allocates), so compare with errors.Is or ==.
var (
	// ErrShort means the packet ends before the header, question or a record does.
	ErrShort = errors.New("dns message truncated")
	// ErrTooLong means the packet is longer than a DNS message can be.
	ErrTooLong = errors.New("dns message too long")
	// ErrResponse means the QR bit is set: a response sent to a server.
	ErrResponse = errors.New("dns message is a response, not a query")
	// ErrNotImplemented means the opcode is not QUERY; answer NOTIMP.
	ErrNotImplemented = errors.New("dns opcode not implemented")
	// ErrQuestionCount means the query does not carry exactly one question.
	ErrQuestionCount = errors.New("dns query must have exactly one question")
	// ErrCompression means the question name uses a compression pointer.
	ErrCompression = errors.New("compression pointer in query question")
	// ErrBadName means a name has a reserved label type or is too long.
	ErrBadName = errors.New("malformed dns name")
	// ErrBadOPT means the OPT record is duplicated, not at the root, or its options do not fit.
	ErrBadOPT = errors.New("malformed edns opt record")
	// ErrTrailingData means bytes follow the last record the header announced.
	ErrTrailingData = errors.New("trailing data after dns message")
)

// Query is a parsed client query. It is a plain value meant to be reused
// (for example from a sync.Pool or a per-goroutine variable): ParseQuery
// overwrites every field.
type Query struct {
	// ID is the client's message ID.
	ID uint16
	// Flags is the raw second header word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE).
	Flags uint16
	// Name holds the lower-cased wire-format question name in Name[:NameLen],
	// e.g. "\x03www\x06google\x03com\x00".
	Name    [MaxNameLen]byte
	NameLen int
	// QType and QClass are the question's type and class.
	QType, QClass uint16
	// EDNS reports an OPT record; UDPSize, DO and Version are only meaningful then.
	EDNS bool
	// UDPSize is the client's advertised EDNS buffer size, raised to 512 if lower.
	UDPSize uint16
	// DO is the DNSSEC OK bit.
	DO bool
	// Version is the EDNS version; anything but 0 deserves a BADVERS answer.
	Version uint8
	// HasECS reports an EDNS Client Subnet option.
	HasECS bool
	// QuestionEnd is the offset just after the question section.
	QuestionEnd int

	orig    [MaxNameLen]byte // question name as the client wrote it (case kept, for 0x20 clients)
	host    [MaxHostLen]byte // lower-case dotted name without trailing dot
	hostLen int
}

// WireName returns the lower-cased wire-format question name. The slice aliases q.
func (q *Query) WireName() []byte { return q.Name[:q.NameLen] }

// OrigName returns the question name exactly as the client sent it (letter
// case kept), for echoing in answers. The slice aliases q.
func (q *Query) OrigName() []byte { return q.orig[:q.NameLen] }

// Host returns the lower-case dotted name without the trailing dot, e.g.
// "www.google.com"; the root name gives an empty slice. The slice aliases q.
// Label bytes are copied as they are (no escaping): a label that contains a
// dot therefore splits into more labels here, which can only make a suffix
// matcher block more, never less.
func (q *Query) Host() []byte { return q.host[:q.hostLen] }

// RD reports the Recursion Desired bit.
func (q *Query) RD() bool { return q.Flags&FlagRD != 0 }

// CD reports the Checking Disabled bit.
func (q *Query) CD() bool { return q.Flags&FlagCD != 0 }

// AD reports the Authentic Data bit (a client may set it to ask for AD in the answer, RFC 6840).
func (q *Query) AD() bool { return q.Flags&FlagAD != 0 }

// MaxUDPSize is the largest answer the client accepts over UDP: 512 without
// EDNS, otherwise its advertised size capped at DefaultUDPSize.
func (q *Query) MaxUDPSize() int {
	if !q.EDNS {
		return MinUDPSize
	}
	return min(int(q.UDPSize), DefaultUDPSize)
}

// ParseQuery parses pkt into q without allocating. It accepts exactly one
// question with an uncompressed name, skips answer and authority records,
// and reads the OPT record from the additional section if there is one.
// On error q is partly filled (ID and Flags are set once the header is
// read, so the caller can answer FORMERR or NOTIMP with the right ID).
func ParseQuery(pkt []byte, q *Query) error {
	q.NameLen, q.hostLen, q.QuestionEnd = 0, 0, 0
	q.EDNS, q.DO, q.HasECS, q.UDPSize, q.Version = false, false, false, 0, 0
	q.QType, q.QClass = 0, 0
	if len(pkt) < HeaderLen {
		if len(pkt) >= 4 {
			q.ID = binary.BigEndian.Uint16(pkt)
			q.Flags = binary.BigEndian.Uint16(pkt[2:])
		}
		return ErrShort
	}
	q.ID = binary.BigEndian.Uint16(pkt)
	q.Flags = binary.BigEndian.Uint16(pkt[2:])
	if len(pkt) > MaxMsgLen {
		return ErrTooLong
	}
	if q.Flags&FlagQR != 0 {
		return ErrResponse
	}
	if q.Flags&opcodeMask != 0 {
		return ErrNotImplemented
	}
	if binary.BigEndian.Uint16(pkt[4:]) != 1 {
		return ErrQuestionCount
	}
	an := int(binary.BigEndian.Uint16(pkt[6:]))
	ns := int(binary.BigEndian.Uint16(pkt[8:]))
	ar := int(binary.BigEndian.Uint16(pkt[10:]))

	off, err := q.parseQuestionName(pkt, HeaderLen)
	if err != nil {
		return err
	}
	if off+4 > len(pkt) {
		return ErrShort
	}
	q.QType = binary.BigEndian.Uint16(pkt[off:])
	q.QClass = binary.BigEndian.Uint16(pkt[off+2:])
	off += 4
	q.QuestionEnd = off

	for i := 0; i < an+ns; i++ {
		if off, err = skipRecord(pkt, off); err != nil {
			return err
		}
	}
	for i := 0; i < ar; i++ {
		if off, err = q.parseAdditional(pkt, off); err != nil {
			return err
		}
	}
	if off != len(pkt) {
		return ErrTrailingData
	}
	return nil
}

// parseQuestionName copies the name at off into q (lower-cased, original and
// dotted forms) and returns the offset after it.
func (q *Query) parseQuestionName(pkt []byte, off int) (int, error) {
	n := 0
	for {
		if off >= len(pkt) {
			return 0, ErrShort
		}
		l := int(pkt[off])
		switch {
		case l&0xC0 == 0xC0:
			return 0, ErrCompression
		case l&0xC0 != 0:
			return 0, ErrBadName
		}
		if n+1+l+1 > MaxNameLen && l != 0 { // leave room for the root label
			return 0, ErrBadName
		}
		if off+1+l > len(pkt) {
			return 0, ErrShort
		}
		q.Name[n], q.orig[n] = byte(l), byte(l)
		n++
		off++
		if l == 0 {
			q.NameLen = n
			return off, nil
		}
		if q.hostLen > 0 {
			q.host[q.hostLen] = '.'
			q.hostLen++
		}
		for _, c := range pkt[off : off+l] {
			q.orig[n] = c
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			q.Name[n] = c
			q.host[q.hostLen] = c
			n++
			q.hostLen++
		}
		off += l
	}
}

// parseAdditional reads one additional record, remembering EDNS details if it is an OPT.
func (q *Query) parseAdditional(pkt []byte, off int) (int, error) {
	start := off
	off, err := SkipName(pkt, off)
	if err != nil {
		return 0, err
	}
	if off+10 > len(pkt) {
		return 0, ErrShort
	}
	typ := binary.BigEndian.Uint16(pkt[off:])
	rdlen := int(binary.BigEndian.Uint16(pkt[off+8:]))
	rdata := off + 10
	end := rdata + rdlen
	if end > len(pkt) {
		return 0, ErrShort
	}
	if typ != TypeOPT {
		return end, nil
	}
	if q.EDNS || off != start+1 || pkt[start] != 0 {
		return 0, ErrBadOPT
	}
	q.EDNS = true
	q.UDPSize = max(binary.BigEndian.Uint16(pkt[off+2:]), MinUDPSize)
	q.Version = pkt[off+5]
	q.DO = pkt[off+6]&0x80 != 0
	for o := rdata; o < end; {
		if o+4 > end {
			return 0, ErrBadOPT
		}
		code := binary.BigEndian.Uint16(pkt[o:])
		l := int(binary.BigEndian.Uint16(pkt[o+2:]))
		o += 4 + l
		if o > end {
			return 0, ErrBadOPT
		}
		if code == OptionECS {
			q.HasECS = true
		}
	}
	return end, nil
}

// SkipName returns the offset after the (possibly compressed) name at off.
// It does not follow pointers, so it is bounded by the packet length.
func SkipName(msg []byte, off int) (int, error) {
	total := 0
	for {
		if off >= len(msg) {
			return 0, ErrShort
		}
		l := int(msg[off])
		switch {
		case l&0xC0 == 0xC0:
			if off+2 > len(msg) {
				return 0, ErrShort
			}
			return off + 2, nil
		case l&0xC0 != 0:
			return 0, ErrBadName
		case l == 0:
			return off + 1, nil
		}
		total += l + 1
		if total >= MaxNameLen {
			return 0, ErrBadName
		}
		off += l + 1
	}
}

// skipRecord returns the offset after the resource record at off.
func skipRecord(msg []byte, off int) (int, error) {
	off, err := SkipName(msg, off)
	if err != nil {
		return 0, err
	}
	if off+10 > len(msg) {
		return 0, ErrShort
	}
	end := off + 10 + int(binary.BigEndian.Uint16(msg[off+8:]))
	if end > len(msg) {
		return 0, ErrShort
	}
	return end, nil
}
