package cli

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"

	"manglanh/internal/app"
	"manglanh/internal/program"
)

// runFigures is the console side of the signed figure files: the ward's
// public key (to register at the city), and the city's import of files
// (a city receiving 114 files a year imports them in one go).
func runFigures(ctx context.Context, e *Env) int {
	if len(e.Args) == 0 {
		fmt.Fprintln(e.Stderr, "cách dùng / usage: manglanh figures key | import FILE…")
		return 2
	}
	switch sub, args := e.Args[0], e.Args[1:]; sub {
	case "key":
		return figuresKey(e, args)
	case "import":
		return figuresImport(ctx, e, args)
	default:
		fmt.Fprintf(e.Stderr, "lệnh con không biết %q / unknown subcommand %q\n", sub, sub)
		return 2
	}
}

func figuresKey(e *Env, args []string) int {
	fs, path := flags("figures key", e)
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	cfg, ok := loadConfig(e, *path)
	if !ok {
		return 1
	}
	key, err := program.LoadOrCreateSigningKey(app.FiguresKeyPath(cfg))
	if err != nil {
		return errorf(e, "không đọc được khoá ký số liệu", "cannot read the figures signing key", err)
	}
	fmt.Fprintln(e.Stdout, base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)))
	return 0
}

// refusalWords are the console's words for each refusal of a file.
var refusalWords = map[string][2]string{
	program.RefuseTooLarge:    {"tệp quá 5 MB", "the file is over 5 MB"},
	program.RefuseJSON:        {"không phải tệp JSON số liệu hợp lệ", "not a valid JSON figure file"},
	program.RefuseFormat:      {"sai định dạng", "wrong format"},
	program.RefuseUnknownWard: {"phường chưa có hoặc chưa đăng ký khoá", "ward not listed or without a registered key"},
	program.RefuseKeyMismatch: {"ký bằng khoá khác khoá đã đăng ký", "signed with another key than the registered one"},
	program.RefuseSignature:   {"chữ ký không khớp: tệp đã bị sửa", "the signature does not match: the file was changed"},
	program.RefusePeriod:      {"kỳ số liệu không hợp lệ", "invalid period"},
	program.RefuseFigures:     {"số liệu không hợp lệ (số âm, tử số lớn hơn mẫu số)", "invalid figures (negative, numerator over denominator)"},
}

func figuresImport(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("figures import", e)
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	files := fs.Args()
	if len(files) == 0 {
		fmt.Fprintln(e.Stderr, "cần ít nhất một tệp / at least one file is required")
		return 2
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
	svc, err := consoleProgram(e, s, cfg.Location())
	if err != nil {
		return errorf(e, "không mở được dịch vụ", "cannot start the service", err)
	}
	rc := 0
	for _, name := range files {
		data, err := readBounded(name)
		if err != nil {
			fmt.Fprintf(e.Stderr, "%s: không đọc được / cannot read: %v\n", name, err)
			rc = 1
			continue
		}
		res, err := svc.ImportFigures(ctx, consoleActor, data)
		var fe *program.FileError
		switch {
		case errors.As(err, &fe):
			w := refusalWords[fe.Reason]
			fmt.Fprintf(e.Stderr, "%s: từ chối / refused: %s / %s (%s)\n", name, w[0], w[1], fe.Detail)
			rc = 1
		case err != nil:
			fmt.Fprintf(e.Stderr, "%s: lỗi / error: %v\n", name, err)
			rc = 1
		default:
			note := ""
			if res.Replaced {
				note = " (thay tệp trước / replaced the earlier file)"
			}
			if res.Live {
				note += " (phường có dữ liệu trực tiếp: tổng hợp dùng dữ liệu đó / a live ward: the roll-up uses its live data)"
			}
			fmt.Fprintf(e.Stdout, "%s: đã nhận / received %s %s%s\n", name, res.Tenant.Name, res.Period.String(), note)
		}
	}
	return rc
}

func readBounded(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, program.MaxSignedFile+1))
}
