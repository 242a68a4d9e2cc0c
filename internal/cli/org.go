package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
	"manglanh/internal/program"
)

// runOrg manages the directory of organisations from the console: a ward
// sets up its schools, police and unions before creating their accounts.
// The portal's /can-bo/to-chuc does the same for a ward admin.
func runOrg(ctx context.Context, e *Env) int {
	if len(e.Args) == 0 {
		fmt.Fprintln(e.Stderr, "cách dùng / usage: manglanh org add|list [flags]")
		return 2
	}
	switch sub, args := e.Args[0], e.Args[1:]; sub {
	case "add":
		return orgAdd(ctx, e, args)
	case "list":
		return orgList(ctx, e, args)
	default:
		fmt.Fprintf(e.Stderr, "lệnh con không biết %q / unknown subcommand %q\n", sub, sub)
		return 2
	}
}

func orgAdd(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("org add", e)
	o := cases.Organisation{Active: true}
	fs.StringVar(&o.Name, "name", "", "tên tổ chức / name (bắt buộc / required)")
	fs.StringVar(&o.Kind, "kind", "", "loại / kind: school, police, womens_union, youth_union, health, city_social_services, other")
	fs.StringVar(&o.Phone, "phone", "", "điện thoại / phone")
	fs.StringVar(&o.Email, "email", "", "thư điện tử / e-mail")
	fs.StringVar(&o.Address, "address", "", "địa chỉ / address")
	fs.StringVar(&o.Contact, "contact", "", "người liên hệ / contact person")
	levelsFlag := fs.String("levels", "", "cấp học của trường / a school's levels: preschool, primary, lower_secondary, upper_secondary (comma-separated)")
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	var levels []string
	for _, l := range strings.Split(*levelsFlag, ",") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if !slices.Contains(program.SchoolLevels(), l) {
			fmt.Fprintf(e.Stderr, "cấp học không hợp lệ %q (preschool, primary, lower_secondary, upper_secondary) / invalid level %q\n", l, l)
			return 2
		}
		levels = append(levels, l)
	}
	if len(levels) > 0 && o.Kind != cases.AgencySchool {
		fmt.Fprintln(e.Stderr, "--levels chỉ dùng cho trường học (--kind school) / --levels is for schools only (--kind school)")
		return 2
	}
	if err := cases.ValidateOrganisation(&o); err != nil {
		var ve *cases.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintf(e.Stderr, "%s / %s\n", ve.Vi, ve.En)
			return 2
		}
		return errorf(e, "thông tin không hợp lệ", "invalid input", err)
	}
	s, ok := storeAt(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	o.CreatedAt = time.Now()
	o.UpdatedAt = o.CreatedAt
	if err := s.CreateOrganisation(ctx, &o); err != nil {
		return errorf(e, "không thêm được tổ chức", "cannot add the organisation", err)
	}
	if len(levels) > 0 {
		if err := s.SetSchoolLevels(ctx, o.ID, levels); err != nil {
			return errorf(e, "đã thêm nhưng không ghi được cấp học", "added, but the levels were not saved", err)
		}
	}
	log, err := audit.New(audit.Config{Store: s})
	if err == nil {
		err = log.RecordAction(ctx, audit.Actor{Name: "console", Role: "system"}, "org.create", "organisation",
			strconv.FormatInt(o.ID, 10), fmt.Sprintf("%s (%s)", o.Name, o.Kind))
	}
	if err != nil {
		return errorf(e, "đã thêm nhưng không ghi được nhật ký", "added, but the audit log failed", err)
	}
	fmt.Fprintf(e.Stdout, "đã thêm / added: #%d %s (%s)\n", o.ID, o.Name, o.Kind)
	return 0
}

func orgList(ctx context.Context, e *Env, args []string) int {
	fs, path := flags("org list", e)
	if rc := parse(fs, args); rc >= 0 {
		return rc
	}
	s, ok := storeAt(ctx, e, *path)
	if !ok {
		return 1
	}
	defer s.Close()
	orgs, err := s.Organisations(ctx)
	if err != nil {
		return errorf(e, "không đọc được danh bạ", "cannot read the directory", err)
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "#\tTÊN / NAME\tLOẠI / KIND\tĐIỆN THOẠI / PHONE\tHOẠT ĐỘNG / ACTIVE")
	for _, o := range orgs {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%t\n", o.ID, o.Name, o.Kind, o.Phone, o.Active)
	}
	w.Flush()
	return 0
}
