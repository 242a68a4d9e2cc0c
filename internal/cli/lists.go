package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"text/tabwriter"
	"time"

	"manglanh/internal/app"
	"manglanh/internal/filter"
)

func runLists(ctx context.Context, e *Env) int {
	fs, path := flags("lists", e)
	withDemo := fs.Bool("demo", false, "dùng danh sách mẫu / use the demo lists")
	check := fs.String("check", "", "tên miền cần kiểm tra / a domain to check")
	client := fs.String("client", "127.0.0.1", "địa chỉ thiết bị (chọn hồ sơ) / client address (picks the profile)")
	services := fs.Bool("services", false, "liệt kê dịch vụ có thể chặn / list blockable services")
	if rc := parse(fs, e.Args); rc >= 0 {
		return rc
	}
	cfg, ok := loadConfigDemo(e, *path, *withDemo)
	if !ok {
		return 1
	}
	reg, pol, loader, err := app.NewFilter(cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		return errorf(e, "cấu hình bộ lọc sai", "invalid filter configuration", err)
	}
	if *services {
		tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TÊN/NAME\tTIẾNG VIỆT\tENGLISH\tTÊN MIỀN/DOMAINS")
		for _, s := range reg.Services() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Vi, s.En, strings.Join(s.Domains, " "))
		}
		tw.Flush()
		return 0
	}
	if err := loader.Load(ctx); err != nil {
		return errorf(e, "không nạp được danh sách", "cannot load the lists", err)
	}
	m := loader.Current()
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DANH MỤC/CATEGORY\tNGUỒN/SOURCE\tTÊN MIỀN/DOMAINS\tNGOẠI LỆ/ALLOWS\tDÒNG LỖI/JUNK\tLỖI/ERROR")
	for _, s := range loader.Statuses() {
		errText := s.LastError
		if errText == "" {
			errText = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", s.Category, s.Location, s.Domains, s.Allows, s.Junk, errText)
		for _, j := range s.Samples {
			fmt.Fprintf(tw, "\t  dòng/line %d: %s\t%q\t\t\t\n", j.Line, j.Reason, j.Text)
		}
	}
	tw.Flush()
	fmt.Fprintf(e.Stdout, "Tổng số tên trong bộ so khớp / names in the matcher: %d (%.1f MB)\n", m.Len(), float64(m.SizeBytes())/1e6)
	if *check != "" {
		name := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(*check)), ".")
		tags := m.Lookup(name)
		fmt.Fprintf(e.Stdout, "\n%s: %s\n", name, strings.Join(orDash(reg.Names(tags)), ", "))
		addr, err := netip.ParseAddr(*client)
		if err != nil {
			return errorf(e, "địa chỉ thiết bị không hợp lệ", "invalid client address", err)
		}
		p := pol.ProfileFor(addr)
		d := pol.Decide(m, p, name, time.Now())
		info := pol.Profiles()[p]
		fmt.Fprintf(e.Stdout, "hồ sơ / profile %q: %s", info.Name, d.Action)
		if d.Tag != filter.NoTag {
			fmt.Fprintf(e.Stdout, " (%s)", reg.Name(d.Tag))
		}
		if d.Target != "" {
			fmt.Fprintf(e.Stdout, " → %s", d.Target)
		}
		if d.Schedule != "" {
			fmt.Fprintf(e.Stdout, " [%s]", d.Schedule)
		}
		fmt.Fprintln(e.Stdout)
	}
	return 0
}

func orDash(s []string) []string {
	if len(s) == 0 {
		return []string{"-"}
	}
	return s
}
