package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"manglanh/internal/app"
	"manglanh/internal/config"
	"manglanh/internal/demo"
)

func runServe(ctx context.Context, e *Env) int {
	fs, path := flags("serve", e)
	withDemo := fs.Bool("demo", false, "thêm dữ liệu mẫu (danh sách hostsVN, hồ sơ mẫu) / add demo data (hostsVN lists, example profiles)")
	if rc := parse(fs, e.Args); rc >= 0 {
		return rc
	}
	cfg, ok := loadConfigDemo(e, *path, *withDemo)
	if !ok {
		return 1
	}
	log := newLogger(cfg, e.Stderr)
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return errorf(e, "không khởi động được", "cannot start", err)
	}
	if *withDemo {
		if err := a.SeedDemo(ctx); err != nil {
			a.Close()
			return errorf(e, "không tạo được danh bạ mẫu", "cannot add the demo directory", err)
		}
	}
	if err := a.Listen(); err != nil {
		a.Close()
		return errorf(e, "không mở được cổng", "cannot listen", err)
	}
	if addr := a.WebAddr(); addr != nil {
		fmt.Fprintf(e.Stderr, "Cổng web / web portal: http://%s/\n", addr)
	}
	if addr := a.DNSAddr(); addr != nil {
		fmt.Fprintf(e.Stderr, "Bộ lọc DNS / DNS filter: %s (UDP, TCP)\n", addr)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				failed := a.ReloadLists(ctx)
				log.InfoContext(ctx, "lists reloaded on SIGHUP", "failed", failed)
				if err := a.ReloadCertificate(); err != nil {
					log.ErrorContext(ctx, "certificate reload on SIGHUP failed; the old one stays", "err", err)
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	if err := a.Run(ctx); err != nil {
		return errorf(e, "máy chủ dừng vì lỗi", "server stopped on an error", err)
	}
	return 0
}

// loadConfigDemo loads the configuration and, with withDemo, adds the demo
// lists and profiles and validates again.
func loadConfigDemo(e *Env, path string, withDemo bool) (*config.Config, bool) {
	cfg, ok := loadConfig(e, path)
	if !ok || !withDemo {
		return cfg, ok
	}
	if err := demo.Apply(cfg); err != nil {
		errorf(e, "không tạo được dữ liệu mẫu", "cannot write demo data", err)
		return nil, false
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(e.Stderr, err)
		return nil, false
	}
	return cfg, true
}
