package dnsserver

import (
	"encoding/binary"

	"manglanh/internal/dnswire"
	"manglanh/internal/filter"
)

// Extended DNS Error info codes (RFC 8914).
const (
	edeBlocked  = 15 // the operator's block list
	edeFiltered = 17 // filtered at the client's request (a parent's profile, a schedule)
)

// appendBlocked appends the answer to a blocked query without allocating:
// 0.0.0.0 for A, :: for AAAA, no records for other types (NODATA), or
// NXDOMAIN; with TTL BlockedTTL and, for EDNS clients, an Extended DNS Error
// naming the category ("manglanh: gambling").
// blockAddrs are the addresses of blocked A and AAAA answers (zero: the
// null addresses).
type blockAddrs struct {
	v4 [4]byte
	v6 [16]byte
}

func appendBlocked(dst []byte, q *dnswire.Query, d filter.Decision, nx bool, reg *filter.Registry, addrs *blockAddrs) []byte {
	rcode := uint16(dnswire.RcodeSuccess)
	var an uint16
	if nx {
		rcode = dnswire.RcodeNXDomain
	} else if q.QType == 1 || q.QType == 28 {
		an = 1
	}
	var ar uint16
	if q.EDNS {
		ar = 1
	}
	flags := uint16(dnswire.FlagQR|dnswire.FlagRA) | q.Flags&(dnswire.FlagRD|dnswire.FlagCD) | rcode
	dst = binary.BigEndian.AppendUint16(dst, q.ID)
	dst = binary.BigEndian.AppendUint16(dst, flags)
	dst = append(dst, 0, 1)
	dst = binary.BigEndian.AppendUint16(dst, an)
	dst = append(dst, 0, 0)
	dst = binary.BigEndian.AppendUint16(dst, ar)
	dst = append(dst, q.OrigName()...)
	dst = binary.BigEndian.AppendUint16(dst, q.QType)
	dst = binary.BigEndian.AppendUint16(dst, q.QClass)
	if an == 1 {
		dst = append(dst, 0xC0, dnswire.HeaderLen) // pointer to the question name
		dst = binary.BigEndian.AppendUint16(dst, q.QType)
		dst = append(dst, 0, 1) // class IN
		dst = binary.BigEndian.AppendUint32(dst, BlockedTTL)
		if q.QType == 1 {
			dst = append(dst, 0, 4)
			dst = append(dst, addrs.v4[:]...)
		} else {
			dst = append(dst, 0, 16)
			dst = append(dst, addrs.v6[:]...)
		}
	}
	if q.EDNS {
		code := uint16(edeBlocked)
		if d.Schedule != "" || d.Cause != filter.CauseRule || (d.Tag != filter.NoTag && reg.Info(d.Tag).Kind == filter.KindService) {
			code = edeFiltered
		}
		var text string
		switch {
		case d.Cause == filter.CauseBudget:
			text = "time budget"
		case d.Cause == filter.CausePause:
			text = "paused"
		case d.Cause == filter.CauseDeny:
			text = "blocked site"
		case d.Tag != filter.NoTag:
			text = reg.Name(d.Tag)
		}
		const prefix = "manglanh: "
		textLen := 0
		if text != "" {
			textLen = len(prefix) + len(text)
		}
		optLen := 4 + 2 + textLen
		var do byte
		if q.DO {
			do = 0x80
		}
		dst = append(dst, 0, 0, dnswire.TypeOPT, dnswire.DefaultUDPSize>>8, dnswire.DefaultUDPSize&0xFF, 0, 0, do, 0)
		dst = binary.BigEndian.AppendUint16(dst, uint16(optLen))
		dst = binary.BigEndian.AppendUint16(dst, dnswire.OptionEDE)
		dst = binary.BigEndian.AppendUint16(dst, uint16(2+textLen))
		dst = binary.BigEndian.AppendUint16(dst, code)
		if text != "" {
			dst = append(dst, prefix...)
			dst = append(dst, text...)
		}
	}
	return dst
}

// clampTTLs lowers every record TTL in the packed message resp to at most
// max, in place.
func clampTTLs(resp []byte, max uint32) {
	var buf [64]uint16
	offs, err := dnswire.TTLOffsets(resp, buf[:0])
	if err != nil {
		return
	}
	for _, o := range offs {
		if int(o)+4 <= len(resp) && binary.BigEndian.Uint32(resp[o:]) > max {
			binary.BigEndian.PutUint32(resp[o:], max)
		}
	}
}
