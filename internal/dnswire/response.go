package dnswire

import "encoding/binary"

// AppendError appends a complete answer to q with the given RCODE and no
// records: header, the question as the client wrote it, and an OPT record if
// the client used EDNS (RFC 6891 asks for one). Extended RCODEs such as
// RcodeBadVers need EDNS; without it they are sent as SERVFAIL. QR and RA are
// set; RD and CD are mirrored from the query.
func AppendError(dst []byte, q *Query, rcode int) []byte {
	return appendShort(dst, q, rcode, 0)
}

// AppendRefused appends a REFUSED answer to q (see AppendError).
func AppendRefused(dst []byte, q *Query) []byte { return appendShort(dst, q, RcodeRefused, 0) }

// AppendServFail appends a SERVFAIL answer to q (see AppendError).
func AppendServFail(dst []byte, q *Query) []byte { return appendShort(dst, q, RcodeServFail, 0) }

// AppendTruncated appends an empty NOERROR answer to q with the TC bit set,
// telling a UDP client to retry over TCP.
func AppendTruncated(dst []byte, q *Query) []byte { return appendShort(dst, q, RcodeSuccess, FlagTC) }

func appendShort(dst []byte, q *Query, rcode int, extra uint16) []byte {
	if rcode > rcodeMask && !q.EDNS {
		rcode = RcodeServFail
	}
	flags := FlagQR | FlagRA | q.Flags&(FlagRD|FlagCD) | extra | uint16(rcode&rcodeMask)
	var ar uint16
	if q.EDNS {
		ar = 1
	}
	dst = binary.BigEndian.AppendUint16(dst, q.ID)
	dst = binary.BigEndian.AppendUint16(dst, flags)
	dst = append(dst, 0, 1, 0, 0, 0, 0)
	dst = binary.BigEndian.AppendUint16(dst, ar)
	dst = append(dst, q.OrigName()...)
	dst = binary.BigEndian.AppendUint16(dst, q.QType)
	dst = binary.BigEndian.AppendUint16(dst, q.QClass)
	if q.EDNS {
		dst = AppendOPT(dst, uint8(rcode>>4), q.DO)
	}
	return dst
}

// AppendOPT appends a bare OPT record advertising DefaultUDPSize, with the
// upper eight bits of an extended RCODE and the DO bit, and no options.
func AppendOPT(dst []byte, extRcode uint8, do bool) []byte {
	var doByte byte
	if do {
		doByte = 0x80
	}
	return append(dst, 0, 0, TypeOPT, DefaultUDPSize>>8, DefaultUDPSize&0xFF,
		extRcode, 0, doByte, 0, 0, 0)
}

// AppendFormErr appends a header-only FORMERR answer to the raw packet pkt,
// for queries ParseQuery rejected. It returns dst unchanged if pkt is shorter
// than a header or is itself a response (answering responses invites loops).
func AppendFormErr(dst []byte, pkt []byte) []byte { return appendHeaderOnly(dst, pkt, RcodeFormErr) }

// AppendNotImp appends a header-only NOTIMP answer to the raw packet pkt,
// for ErrNotImplemented. Like AppendFormErr it ignores short packets and responses.
func AppendNotImp(dst []byte, pkt []byte) []byte { return appendHeaderOnly(dst, pkt, RcodeNotImp) }

func appendHeaderOnly(dst []byte, pkt []byte, rcode int) []byte {
	if len(pkt) < HeaderLen {
		return dst
	}
	flags := binary.BigEndian.Uint16(pkt[2:])
	if flags&FlagQR != 0 {
		return dst
	}
	flags = FlagQR | flags&(opcodeMask|FlagRD|FlagCD) | uint16(rcode)
	dst = append(dst, pkt[0], pkt[1])
	dst = binary.BigEndian.AppendUint16(dst, flags)
	return append(dst, 0, 0, 0, 0, 0, 0, 0, 0)
}
