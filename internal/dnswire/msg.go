package dnswire

import "encoding/binary"

// TTLOffsets appends to dst the offset of the TTL field of every resource
// record in the packed message msg (answer, authority and additional
// sections), skipping OPT records whose TTL field holds EDNS flags. A cache
// stores these offsets once so a hit only patches four bytes per record.
func TTLOffsets(msg []byte, dst []uint16) ([]uint16, error) {
	if len(msg) < HeaderLen {
		return dst, ErrShort
	}
	if len(msg) > MaxMsgLen {
		return dst, ErrTooLong
	}
	qd := int(binary.BigEndian.Uint16(msg[4:]))
	rr := int(binary.BigEndian.Uint16(msg[6:])) +
		int(binary.BigEndian.Uint16(msg[8:])) +
		int(binary.BigEndian.Uint16(msg[10:]))
	off := HeaderLen
	var err error
	for i := 0; i < qd; i++ {
		if off, err = SkipName(msg, off); err != nil {
			return dst, err
		}
		if off += 4; off > len(msg) {
			return dst, ErrShort
		}
	}
	for i := 0; i < rr; i++ {
		if off, err = SkipName(msg, off); err != nil {
			return dst, err
		}
		if off+10 > len(msg) {
			return dst, ErrShort
		}
		if binary.BigEndian.Uint16(msg[off:]) != TypeOPT {
			dst = append(dst, uint16(off+4))
		}
		off += 10 + int(binary.BigEndian.Uint16(msg[off+8:]))
		if off > len(msg) {
			return dst, ErrShort
		}
	}
	return dst, nil
}

// QuestionEnd returns the offset after the question section of the packed
// message msg, which must hold at most one question.
func QuestionEnd(msg []byte) (int, error) {
	if len(msg) < HeaderLen {
		return 0, ErrShort
	}
	if binary.BigEndian.Uint16(msg[4:]) == 0 {
		return HeaderLen, nil
	}
	off, err := SkipName(msg, HeaderLen)
	if err != nil {
		return 0, err
	}
	if off+4 > len(msg) {
		return 0, ErrShort
	}
	return off + 4, nil
}
