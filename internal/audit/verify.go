package audit

import (
	"context"
	"fmt"
)

// VerifyReport is what Verify found. When OK is false, BrokenID and
// BrokenSeq locate the first entry that does not fit (0 when the problem is
// the head: entries missing at the end), and Reason says why in English;
// ReasonVi says it in Vietnamese.
type VerifyReport struct {
	OK        bool
	Entries   int64  // entries read
	HeadSeq   int64  // the head's sequence number
	HeadHash  string // the head's hash: copy it elsewhere to anchor the chain
	BrokenID  int64
	BrokenSeq int64
	Reason    string
	ReasonVi  string
}

// verifyPage is how many entries Verify reads per query.
const verifyPage = 1000

// Verify walks the whole chain in insertion order and reports the first
// entry whose sequence number, previous hash or own hash is wrong, and a
// head that does not match the last entry. An error means the log could not
// be read, not that it is broken.
func (l *Log) Verify(ctx context.Context) (VerifyReport, error) {
	var r VerifyReport
	var err error
	if r.HeadSeq, r.HeadHash, err = l.store.AuditHead(ctx); err != nil {
		return r, fmt.Errorf("reading audit head: %w", err)
	}
	var lastID, seq int64
	prev := ""
	fail := func(e Entry, en, vi string) (VerifyReport, error) {
		r.BrokenID, r.BrokenSeq, r.Reason, r.ReasonVi = e.ID, e.Seq, en, vi
		return r, nil
	}
	// Entries appended while Verify runs are walked too: after the walk,
	// the head is read again, and while it has moved on, the walk goes on.
	for attempt := 0; ; attempt++ {
		for {
			page, err := l.store.AuditEntries(ctx, lastID, verifyPage)
			if err != nil {
				return r, fmt.Errorf("reading audit entries after %d: %w", lastID, err)
			}
			for _, e := range page {
				r.Entries++
				switch {
				case e.Seq != seq+1:
					return fail(e, fmt.Sprintf("entry id %d has sequence %d, expected %d: entries were deleted, inserted or reordered", e.ID, e.Seq, seq+1),
						fmt.Sprintf("bản ghi id %d có số thứ tự %d, lẽ ra là %d: có bản ghi bị xoá, chèn thêm hoặc đổi chỗ", e.ID, e.Seq, seq+1))
				case e.PrevHash != prev:
					return fail(e, fmt.Sprintf("entry id %d (sequence %d) does not link to the entry before it", e.ID, e.Seq),
						fmt.Sprintf("bản ghi id %d (số thứ tự %d) không nối với bản ghi trước nó", e.ID, e.Seq))
				case HashOf(e) != e.Hash:
					return fail(e, fmt.Sprintf("entry id %d (sequence %d) was modified: its hash does not match its content", e.ID, e.Seq),
						fmt.Sprintf("bản ghi id %d (số thứ tự %d) đã bị sửa: mã băm không khớp nội dung", e.ID, e.Seq))
				}
				seq, prev, lastID = e.Seq, e.Hash, e.ID
			}
			if len(page) < verifyPage {
				break
			}
		}
		if seq == r.HeadSeq && prev == r.HeadHash {
			break
		}
		if seq > r.HeadSeq && attempt < 3 {
			if r.HeadSeq, r.HeadHash, err = l.store.AuditHead(ctx); err != nil {
				return r, fmt.Errorf("reading audit head: %w", err)
			}
			continue
		}
		return fail(Entry{}, fmt.Sprintf("the log ends at sequence %d but its head says %d: entries at the end were deleted, or added or altered without moving the head", seq, r.HeadSeq),
			fmt.Sprintf("nhật ký kết thúc ở số thứ tự %d nhưng đầu chuỗi ghi %d: bản ghi cuối bị xoá, hoặc bị thêm hay sửa mà không cập nhật đầu chuỗi", seq, r.HeadSeq))
	}
	r.OK = true
	return r, nil
}
