package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
	"manglanh/internal/store"
)

// runUser manages staff accounts from the server's console: the first ward
// admin is created here, and a locked-out admin is rescued here.
func runUser(ctx context.Context, e *Env) int {
	if len(e.Args) == 0 {
		fmt.Fprintln(e.Stderr, "cách dùng / usage: manglanh user add|list|reset|totp-reset|disable|enable [flags]")
		return 2
	}
	sub, args := e.Args[0], e.Args[1:]
	switch sub {
	case "add":
		return userAdd(ctx, e, args)
	case "list":
		return userList(ctx, e, args)
	case "reset":
		return userReset(ctx, e, args)
	case "totp-reset", "disable", "enable":
		return userChange(ctx, e, sub, args)
	}
	fmt.Fprintf(e.Stderr, "lệnh con không biết %q / unknown subcommand %q\n", sub, sub)
	return 2
}

// authFor opens the store and builds the audit log and auth service the
// console acts through (as auth.SystemActor, recorded in the audit log).
func authFor(ctx context.Context, e *Env, path string) (*auth.Service, *store.Store, bool) {
	s, ok := storeAt(ctx, e, path)
	if !ok {
		return nil, nil, false
	}
	svc, err := newAuth(s)
	if err != nil {
		s.Close()
		errorf(e, "không khởi tạo được dịch vụ tài khoản", "cannot start the account service", err)
		return nil, nil, false
	}
	return svc, s, true
}

func newAuth(s *store.Store) (*auth.Service, error) {
	log, err := audit.New(audit.Config{Store: s})
	if err != nil {
		return nil, err
	}
	// No Sealer: the console never reads or writes a TOTP secret (it can
	// only clear one), so it needs no key; its logger is silent because
	// every outcome is printed.
	return auth.NewService(auth.Config{Store: s, Audit: log, Logger: slog.New(slog.DiscardHandler)})
}

// readSecretLine reads the first line of stdin (a password).
func readSecretLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}

// authMessage is a bilingual explanation of an auth error.
func authMessage(err error) (string, string) {
	switch {
	case errors.Is(err, auth.ErrPasswordTooShort):
		return "mật khẩu phải có ít nhất 10 ký tự", "the password must have at least 10 characters"
	case errors.Is(err, auth.ErrPasswordCommon):
		return "mật khẩu quá dễ đoán", "the password is too easy to guess"
	case errors.Is(err, auth.ErrEmailTaken):
		return "thư điện tử đã có tài khoản", "the e-mail already has an account"
	case errors.Is(err, auth.ErrNotFound):
		return "không có tài khoản này", "no such account"
	case errors.Is(err, auth.ErrInvalidInput):
		return "thông tin không hợp lệ (thư điện tử, họ tên, vai trò, --org chỉ cho school, teacher và org)", "invalid input (e-mail, name, role; --org only for school, teacher and org)"
	}
	return "thao tác thất bại", "the operation failed"
}

func userAdd(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("user add", e)
	email := fs.String("email", "", "thư điện tử / e-mail (bắt buộc / required)")
	name := fs.String("name", "", "họ tên / full name (bắt buộc / required)")
	role := fs.String("role", "", "vai trò / role: ward_admin, chairman, officer, police, school, teacher, org, viewer, city")
	tenantCode := fs.String("tenant", "", "mã phường của tài khoản (manglanh tenant list); mặc định phường của hệ thống / the account's ward code; default the deployment's own")
	org := fs.Int64("org", 0, "mã đơn vị cho school và org / organisation id for school and org")
	mustChange := fs.Bool("must-change", false, "bắt đổi mật khẩu khi đăng nhập lần đầu / force a change at first sign-in")
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	if *email == "" || *name == "" || *role == "" {
		fmt.Fprintln(e.Stderr, "cần --email, --name và --role / --email, --name and --role are required")
		return 2
	}
	pw, err := readSecretLine(e.Stdin)
	if err != nil {
		return errorf(e, "đọc mật khẩu từ đầu vào chuẩn (dòng đầu tiên)", "reading the password from standard input (first line)", err)
	}
	svc, s, ok := authFor(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	if *org != 0 {
		if _, err := s.Organisation(ctx, *org); err != nil {
			return errorf(e, fmt.Sprintf("không có tổ chức #%d trong danh bạ (manglanh org list)", *org),
				fmt.Sprintf("there is no organisation #%d in the directory (manglanh org list)", *org), err)
		}
	}
	var tenant int64
	if *tenantCode != "" {
		t, err := s.TenantByCode(ctx, *tenantCode)
		if err != nil {
			return errorf(e, fmt.Sprintf("không có phường mã %q (manglanh tenant list)", *tenantCode),
				fmt.Sprintf("there is no ward with code %q (manglanh tenant list)", *tenantCode), err)
		}
		tenant = t.ID
	}
	u, err := svc.AddUser(ctx, auth.SystemActor, auth.NewUser{Email: *email, Name: *name, Role: auth.Role(*role),
		OrgID: *org, TenantID: tenant, Password: pw, MustChangePassword: *mustChange})
	if err != nil {
		vi, en := authMessage(err)
		return errorf(e, vi, en, err)
	}
	fmt.Fprintf(e.Stdout, "đã tạo / created: #%d %s (%s)\n", u.ID, u.Email, u.Role)
	if u.Role.NeedsTOTP() {
		fmt.Fprintln(e.Stdout, "lần đăng nhập đầu sẽ yêu cầu cài xác thực hai lớp / the first sign-in will set up two-step verification")
	}
	return 0
}

func userList(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("user list", e)
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	svc, s, ok := authFor(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	us, err := svc.ListUsers(ctx, auth.SystemActor)
	if err != nil {
		return errorf(e, "không đọc được danh sách tài khoản", "cannot list accounts", err)
	}
	wards := map[int64]string{}
	if ts, err := s.Tenants(ctx); err == nil {
		for _, t := range ts {
			wards[t.ID] = t.Code
		}
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTHƯ/E-MAIL\tTÊN/NAME\tVAI TRÒ/ROLE\tĐƠN VỊ/ORG\tPHƯỜNG/WARD\tTRẠNG THÁI/STATUS\t2FA\tĐĂNG NHẬP/LAST SIGN-IN")
	for _, u := range us {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		if u.MustChangePassword {
			status += ",must-change"
		}
		totp := "-"
		if u.TOTPEnabled {
			totp = "on"
		}
		last := "-"
		if !u.LastLoginAt.IsZero() {
			last = u.LastLoginAt.Format("02/01/2006 15:04 MST")
		}
		org := "-"
		if u.OrgID != 0 {
			org = fmt.Sprint(u.OrgID)
		}
		ward := wards[auth.TenantOf(&u)]
		if ward == "" {
			ward = fmt.Sprint(auth.TenantOf(&u))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, org, ward, status, totp, last)
	}
	tw.Flush()
	return 0
}

func userReset(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("user reset", e)
	email := fs.String("email", "", "thư điện tử / e-mail (bắt buộc / required)")
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	if *email == "" {
		fmt.Fprintln(e.Stderr, "cần --email / --email is required")
		return 2
	}
	pw, err := readSecretLine(e.Stdin)
	if err != nil {
		return errorf(e, "đọc mật khẩu tạm từ đầu vào chuẩn (dòng đầu tiên)", "reading the temporary password from standard input (first line)", err)
	}
	svc, s, ok := authFor(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	u, err := svc.UserByEmail(ctx, auth.SystemActor, *email)
	if err == nil {
		err = svc.ResetPassword(ctx, auth.SystemActor, u.ID, pw)
	}
	if err != nil {
		vi, en := authMessage(err)
		return errorf(e, vi, en, err)
	}
	fmt.Fprintf(e.Stdout, "đã đặt lại mật khẩu của %s; phải đổi khi đăng nhập, mọi phiên đã kết thúc / password of %s reset; it must be changed at sign-in; all sessions ended\n", u.Email, u.Email)
	return 0
}

// userChange resets the second factor of, disables or enables an account.
func userChange(ctx context.Context, e *Env, sub string, args []string) int {
	fs, path := flags("user "+sub, e)
	email := fs.String("email", "", "thư điện tử / e-mail (bắt buộc / required)")
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	if *email == "" {
		fmt.Fprintln(e.Stderr, "cần --email / --email is required")
		return 2
	}
	svc, s, ok := authFor(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	u, err := svc.UserByEmail(ctx, auth.SystemActor, *email)
	if err == nil {
		switch sub {
		case "totp-reset":
			err = svc.ResetTOTP(ctx, auth.SystemActor, u.ID)
		default:
			err = svc.DisableUser(ctx, auth.SystemActor, u.ID, sub == "disable")
		}
	}
	if err != nil {
		vi, en := authMessage(err)
		return errorf(e, vi, en, err)
	}
	fmt.Fprintf(e.Stdout, "xong / done: %s %s\n", sub, u.Email)
	return 0
}
