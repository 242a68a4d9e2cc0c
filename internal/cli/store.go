package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"manglanh/internal/config"
	"manglanh/internal/store"
)

// openStore opens (and migrates) the configured database.
func openStore(ctx context.Context, e *Env, cfg *config.Config) (*store.Store, bool) {
	s, err := store.Open(ctx, store.Config{DSN: cfg.Database, DataDir: cfg.DataDir, Logger: newLogger(cfg, e.Stderr)})
	if err != nil {
		errorf(e, "không mở được cơ sở dữ liệu", "cannot open the database", err)
		return nil, false
	}
	return s, true
}

// storeAt loads the configuration at path and opens its database, for
// console commands that need nothing else of the configuration.
func storeAt(ctx context.Context, e *Env, path string) (*store.Store, bool) {
	cfg, ok := loadConfig(e, path)
	if !ok {
		return nil, false
	}
	return openStore(ctx, e, cfg)
}

func runMigrate(ctx context.Context, e *Env) int {
	fs, path := flags("migrate", e)
	if rc := parse(fs, e.Args); rc >= 0 {
		return rc
	}
	cfg, ok := loadConfig(e, *path)
	if !ok {
		return 1
	}
	s, err := store.Connect(ctx, store.Config{DSN: cfg.Database, DataDir: cfg.DataDir, Logger: newLogger(cfg, e.Stderr)})
	if err != nil {
		return errorf(e, "không mở được cơ sở dữ liệu", "cannot open the database", err)
	}
	defer s.Close()
	done, err := s.Migrate(ctx)
	if err != nil {
		return errorf(e, "nâng cấp thất bại", "migration failed", err)
	}
	v, _ := s.Version(ctx)
	fmt.Fprintf(e.Stdout, "đã áp dụng / applied: %d; phiên bản / version: %d (%s)\n", len(done), v, s.Dialect())
	for _, d := range done {
		fmt.Fprintln(e.Stdout, "  "+d)
	}
	return 0
}

func runStats(ctx context.Context, e *Env) int {
	fs, path := flags("stats", e)
	since := fs.Duration("since", 24*time.Hour, "khoảng thời gian / period")
	profile := fs.String("profile", "", "chỉ một hồ sơ / one profile only")
	events := fs.Int("events", 20, "số sự kiện bị chặn gần nhất / recent blocked events to show")
	if rc := parse(fs, e.Args); rc >= 0 {
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
	rows, err := s.HourlySince(ctx, time.Now().Add(-*since))
	if err != nil {
		return errorf(e, "không đọc được thống kê", "cannot read statistics", err)
	}
	fmt.Fprintf(e.Stdout, "Truy vấn DNS trong %v / DNS queries in the last %v\n", *since, *since)
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HỒ SƠ/PROFILE\tDANH MỤC/CATEGORY\tXỬ LÝ/ACTION\tSỐ/QUERIES")
	var total, blocked int64
	for _, r := range rows {
		if *profile != "" && r.Profile != *profile {
			continue
		}
		cat := r.Category
		if cat == "" {
			cat = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", r.Profile, cat, r.Action, r.Queries)
		total += r.Queries
		if r.Action != "allowed" {
			blocked += r.Queries
		}
	}
	tw.Flush()
	fmt.Fprintf(e.Stdout, "Tổng / total: %d, bị chặn hoặc đổi hướng / blocked or rewritten: %d\n", total, blocked)
	if *events > 0 {
		ev, err := s.RecentEvents(ctx, *profile, *events)
		if err != nil {
			return errorf(e, "không đọc được sự kiện", "cannot read events", err)
		}
		fmt.Fprintf(e.Stdout, "\nSự kiện gần nhất / recent events (%d)\n", len(ev))
		tw = tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		loc := cfg.Location()
		for _, x := range ev {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", x.Time.In(loc).Format("02/01/2006 15:04:05"), x.Profile, x.Client, x.Name, x.Category, x.Action)
		}
		tw.Flush()
	}
	return 0
}
