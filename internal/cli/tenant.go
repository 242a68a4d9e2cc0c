package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/program"
	"manglanh/internal/store"
)

// runTenant manages the wards (tenants) of a city deployment from the
// console: add, list, and set the code or name of one (tenant 1, the
// deployment's own ward, is created by the migration with code "1").
func runTenant(ctx context.Context, e *Env) int {
	if len(e.Args) == 0 {
		fmt.Fprintln(e.Stderr, "cách dùng / usage: manglanh tenant add|list|set [flags]")
		return 2
	}
	switch sub, args := e.Args[0], e.Args[1:]; sub {
	case "add":
		return tenantAdd(ctx, e, args)
	case "list":
		return tenantList(ctx, e, args)
	case "set":
		return tenantSet(ctx, e, args)
	default:
		fmt.Fprintf(e.Stderr, "lệnh con không biết %q / unknown subcommand %q\n", sub, sub)
		return 2
	}
}

// consoleProgram is the programme service over s for the operator, its
// changes recorded in the audit log.
func consoleProgram(e *Env, s *store.Store, loc *time.Location) (*program.Service, error) {
	log, err := audit.New(audit.Config{Store: s})
	if err != nil {
		return nil, err
	}
	return program.New(program.Options{Store: s, Location: loc, Audit: func(ctx context.Context, a program.Actor, action, kind string, id int64, detail string) {
		if err := log.RecordAction(ctx, audit.Actor{Name: "console", Role: "system"}, action, kind, strconv.FormatInt(id, 10), detail); err != nil {
			fmt.Fprintf(e.Stderr, "nhật ký kiểm toán lỗi / audit log failed: %v\n", err)
		}
	}})
}

var consoleActor = program.Actor{Name: "console", Role: program.RoleSystem}

// tenantFieldError prints the first field error of a programme call.
func tenantFieldError(e *Env, err error) int {
	var fe program.FieldErrors
	if !errors.As(err, &fe) {
		return errorf(e, "không lưu được phường, xã", "cannot save the ward", err)
	}
	words := map[string][2]string{
		"city.err.code":       {"--code: 1–16 chữ số, chữ cái hoặc dấu gạch (ví dụ 11506)", "--code: 1–16 digits, letters or dashes (e.g. 11506)"},
		"city.err.code_taken": {"--code: mã này đã có", "--code: this code is taken"},
		"city.err.name":       {"--name: cần tên phường, xã (tối đa 200 ký tự)", "--name: the ward's name is required (at most 200 characters)"},
		"city.err.province":   {"--province: tối đa 200 ký tự", "--province: at most 200 characters"},
		"city.err.key":        {"--key: không phải khoá công khai ed25519 base64", "--key: not a base64 ed25519 public key"},
	}
	for _, f := range []string{"code", "name", "province", "key"} {
		if k, ok := fe[f]; ok {
			w := words[k]
			fmt.Fprintf(e.Stderr, "%s / %s\n", w[0], w[1])
			return 2
		}
	}
	return errorf(e, "thông tin không hợp lệ", "invalid input", err)
}

func tenantAdd(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("tenant add", e)
	var t program.Tenant
	fs.StringVar(&t.Code, "code", "", "mã đơn vị hành chính / administrative code, e.g. 11506 (bắt buộc / required)")
	fs.StringVar(&t.Name, "name", "", "tên / name, e.g. \"Phường Phù Liễn\" (bắt buộc / required)")
	fs.StringVar(&t.Province, "province", "", "tỉnh, thành phố / province, e.g. \"Thành phố Hải Phòng\"")
	fs.StringVar(&t.PublicKey, "key", "", "khoá công khai base64 của phường (có thể đăng ký sau) / the ward's base64 public key (may come later)")
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	s, ok := storeAt(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	svc, err := consoleProgram(e, s, time.UTC)
	if err != nil {
		return errorf(e, "không mở được dịch vụ", "cannot start the service", err)
	}
	if err := svc.CreateTenant(ctx, consoleActor, &t); err != nil {
		return tenantFieldError(e, err)
	}
	fmt.Fprintf(e.Stdout, "đã thêm / added: #%d %s %s\n", t.ID, t.Code, t.Name)
	return 0
}

func tenantSet(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("tenant set", e)
	id := fs.Int64("id", 0, "số thứ tự phường (manglanh tenant list) / the ward's id (bắt buộc / required)")
	code := fs.String("code", "", "mã mới / new code")
	name := fs.String("name", "", "tên mới / new name")
	province := fs.String("province", "", "tỉnh, thành phố mới / new province")
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	if *id <= 0 {
		fmt.Fprintln(e.Stderr, "cần --id / --id is required")
		return 2
	}
	s, ok := storeAt(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	t, err := s.Tenant(ctx, *id)
	if err != nil {
		return errorf(e, fmt.Sprintf("không có phường #%d (manglanh tenant list)", *id), fmt.Sprintf("there is no ward #%d (manglanh tenant list)", *id), err)
	}
	if *code != "" {
		t.Code = *code
	}
	if *name != "" {
		t.Name = *name
	}
	if *province != "" {
		t.Province = *province
	}
	svc, err := consoleProgram(e, s, time.UTC)
	if err != nil {
		return errorf(e, "không mở được dịch vụ", "cannot start the service", err)
	}
	if err := svc.UpdateTenant(ctx, consoleActor, t); err != nil {
		return tenantFieldError(e, err)
	}
	fmt.Fprintf(e.Stdout, "đã lưu / saved: #%d %s %s\n", t.ID, t.Code, t.Name)
	return 0
}

func tenantList(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("tenant list", e)
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	s, ok := storeAt(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	ts, err := s.Tenants(ctx)
	if err != nil {
		return errorf(e, "không đọc được danh sách phường, xã", "cannot list the wards", err)
	}
	live, err := s.LiveTenants(ctx)
	if err != nil {
		return errorf(e, "không đọc được danh sách phường, xã", "cannot list the wards", err)
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMÃ/CODE\tTÊN/NAME\tTỈNH/PROVINCE\tKHOÁ/KEY\tTRÊN HỆ THỐNG/LIVE")
	for _, t := range ts {
		key := "-"
		if t.PublicKey != "" {
			key = t.PublicKey
		}
		l := "-"
		if live[t.ID] {
			l = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Code, t.Name, t.Province, key, l)
	}
	tw.Flush()
	return 0
}
