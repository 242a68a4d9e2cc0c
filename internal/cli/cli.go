// Package cli parses manglanh's command line and runs its subcommands. It
// holds no logic of its own beyond parsing and printing: serving is wired in
// internal/app, everything else lives in the domain packages.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"manglanh/internal/config"
)

// Env is what a subcommand gets: its arguments after the name, the standard
// streams, and the process environment (for MANGLANH_ overrides).
type Env struct {
	Args    []string
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Environ []string
}

type command struct {
	run   func(ctx context.Context, e *Env) int
	usage string
}

// commands is the table of subcommands. Each lives in its own file.
var commands = map[string]command{
	"serve":   {runServe, "chạy máy chủ (DNS, cổng web) / run the server"},
	"migrate": {runMigrate, "áp dụng các bản nâng cấp cơ sở dữ liệu / apply database migrations"},
	"config":  {runConfig, "kiểm tra tệp cấu hình, liệt kê khoá / validate the config, list keys"},
	"stats":   {runStats, "thống kê truy vấn DNS / DNS query statistics"},
	"lists":   {runLists, "danh sách chặn đã nạp / loaded block lists"},
	"version": {runVersion, "phiên bản / version"},
	"org":     {runOrg, "danh bạ tổ chức nhận chuyển gửi: add, list / organisation directory"},
	"figures": {runFigures, "tệp số liệu có chữ ký: key, import FILE… / signed figure files"},
	"tenant":  {runTenant, "phường, xã của thành phố: add, list, set / the wards of a city deployment"},
	"user":    {runUser, "tài khoản cán bộ: add, list, reset, totp-reset, disable, enable / staff accounts"},
	"audit":   {runAudit, "nhật ký kiểm toán: verify, tail / audit log: verify, tail"},
	"check":   {runCheck, "kiểm tra tin nhắn có nguy hiểm không / check whether a message looks dangerous"},
	"report":  {runReport, "báo cáo định kỳ DOCX/PDF: --from --to --format --out [--version] / the periodic report"},
	"risk":    {runRisk, "đo bộ đánh giá rủi ro: eval FILE.jsonl / measure the risk engine: eval FILE.jsonl"},
}

// Version is set at build time with -ldflags "-X manglanh/internal/cli.Version=…".
var Version = "dev"

// Run runs the subcommand named by args[0] and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lệnh không biết %q / unknown command %q\n\n", args[0], args[0])
		usage(stderr)
		return 2
	}
	ctx := context.Background()
	return c.run(ctx, &Env{Args: args[1:], Stdin: stdin, Stdout: stdout, Stderr: stderr, Environ: os.Environ()})
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Mạng Lành — bảo vệ trẻ em trên mạng / child online safety")
	fmt.Fprintln(w, "\nCách dùng / usage: manglanh <lệnh/command> [--config FILE] [flags]")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].usage)
	}
}

// flags starts a FlagSet for a subcommand with the --config flag every
// subcommand takes.
func flags(name string, e *Env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("manglanh "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	cfg := fs.String("config", "", "tệp cấu hình YAML / YAML config file")
	return fs, cfg
}

// parse parses the flags; it returns -1 to go on, or an exit code.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	return -1
}

// loadConfig reads and validates the configuration, printing errors.
func loadConfig(e *Env, path string) (*config.Config, bool) {
	cfg, err := config.Load(path, e.Environ)
	if err != nil {
		fmt.Fprintln(e.Stderr, err)
		return nil, false
	}
	return cfg, true
}

// newLogger builds the slog logger the configuration asks for.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	switch cfg.Log.Level {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func runVersion(_ context.Context, e *Env) int {
	fs, _ := flags("version", e)
	if rc := parse(fs, e.Args); rc >= 0 {
		return rc
	}
	fmt.Fprintln(e.Stdout, "manglanh", Version)
	return 0
}

func runConfig(_ context.Context, e *Env) int {
	fs, path := flags("config", e)
	keys := fs.Bool("keys", false, "liệt kê khoá và biến môi trường / list keys and env vars")
	if rc := parse(fs, e.Args); rc >= 0 {
		return rc
	}
	if *keys {
		for _, k := range config.Keys() {
			fmt.Fprintf(e.Stdout, "%-24s %s\n", k[0], k[1])
		}
		return 0
	}
	if _, ok := loadConfig(e, *path); !ok {
		return 1
	}
	src := *path
	if src == "" {
		src = "mặc định / defaults"
	}
	fmt.Fprintf(e.Stdout, "cấu hình hợp lệ / configuration valid: %s\n", src)
	return 0
}

// errorf prints a bilingual error line.
func errorf(e *Env, vi, en string, err error) int {
	msg := fmt.Sprintf("lỗi: %s / error: %s", vi, en)
	if err != nil {
		msg += ": " + strings.TrimSpace(err.Error())
	}
	fmt.Fprintln(e.Stderr, msg)
	return 1
}
