package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"manglanh/internal/audit"
)

// runAudit verifies and shows the audit log.
func runAudit(ctx context.Context, e *Env) int {
	if len(e.Args) == 0 || (e.Args[0] != "verify" && e.Args[0] != "tail") {
		fmt.Fprintln(e.Stderr, "cách dùng / usage: manglanh audit verify|tail [flags]")
		return 2
	}
	sub := e.Args[0]
	fs, path := flags("audit "+sub, e)
	n := fs.Int("n", 20, "số bản ghi (tail) / entries to show (tail)")
	if rc := parse(fs, e.Args[1:]); rc >= 0 {
		return rc
	}
	cfg, ok := loadConfig(e, *path)
	if !ok {
		return 1
	}
	s, ok := openStore(ctx, e, cfg)
	if !ok {
		return 1
	}
	defer s.Close()
	log, err := audit.New(audit.Config{Store: s})
	if err != nil {
		return errorf(e, "không mở được nhật ký", "cannot open the audit log", err)
	}
	if sub == "verify" {
		r, err := log.Verify(ctx)
		if err != nil {
			return errorf(e, "không đọc được nhật ký", "cannot read the audit log", err)
		}
		if !r.OK {
			fmt.Fprintf(e.Stdout, "HỎNG / BROKEN after %d entries\n  %s\n  %s\n", r.Entries, r.ReasonVi, r.Reason)
			return 1
		}
		fmt.Fprintf(e.Stdout, "nhật ký nguyên vẹn / audit log intact: %d bản ghi / entries\nđầu chuỗi / head: %d %s\n", r.Entries, r.HeadSeq, r.HeadHash)
		return 0
	}
	entries, err := log.Recent(ctx, *n)
	if err != nil {
		return errorf(e, "không đọc được nhật ký", "cannot read the audit log", err)
	}
	loc := cfg.Location()
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SỐ/SEQ\tTHỜI GIAN/TIME\tNGƯỜI/ACTOR\tVAI TRÒ/ROLE\tHÀNH ĐỘNG/ACTION\tĐỐI TƯỢNG/OBJECT\tIP\tCHI TIẾT/DETAIL")
	for i := len(entries) - 1; i >= 0; i-- { // oldest first, like tail
		x := entries[i]
		actor := x.ActorName
		if x.ActorID != 0 {
			actor = fmt.Sprintf("#%d %s", x.ActorID, x.ActorName)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s %s\t%s\t%s\n", x.Seq, x.Time.In(loc).Format("02/01/2006 15:04:05"),
			actor, x.ActorRole, x.Action, x.ObjectType, x.ObjectID, x.IP, x.Detail)
	}
	tw.Flush()
	if len(entries) > 0 {
		fmt.Fprintf(e.Stdout, "đầu chuỗi / head hash: %s\n", entries[0].Hash)
	}
	return 0
}
