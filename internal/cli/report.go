package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"manglanh/internal/app"
	"manglanh/internal/cases"
	"manglanh/internal/config"
	"manglanh/internal/program"
	"manglanh/internal/report"
	"manglanh/internal/secret"
	"manglanh/internal/store"
)

// runReport writes the periodic report of a period as DOCX or PDF: the
// latest saved version's header and narratives with the figures computed
// now, or with --version N that version as saved (its figure snapshot).
func runReport(ctx context.Context, e *Env) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	cfgPath := fs.String("config", "", "tệp cấu hình / config file")
	from := fs.String("from", "", "từ ngày dd/mm/yyyy / first day")
	to := fs.String("to", "", "đến ngày dd/mm/yyyy / last day")
	format := fs.String("format", "", "docx | pdf (mặc định theo đuôi --out / default from --out)")
	out := fs.String("out", "", "tệp kết quả / output file")
	version := fs.Int("version", 0, "phiên bản đã lưu / saved version number")
	if rc := parse(fs, e.Args); rc >= 0 {
		return rc
	}
	if *out == "" {
		return errorf(e, "thiếu --out", "--out is required", nil)
	}
	f := strings.ToLower(*format)
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	}
	if f != "docx" && f != "pdf" {
		return errorf(e, "--format phải là docx hoặc pdf", "--format must be docx or pdf", nil)
	}
	cfg, ok := loadConfig(e, *cfgPath)
	if !ok {
		return 1
	}
	loc := cfg.Location()
	fd, err1 := parseDay(*from, loc)
	td, err2 := parseDay(*to, loc)
	if err1 != nil || err2 != nil {
		return errorf(e, "--from và --to là ngày dd/mm/yyyy", "--from and --to are dates dd/mm/yyyy", errors.Join(err1, err2))
	}
	p := program.Days(fd, td, loc)
	if err := p.Validate(); err != nil {
		return errorf(e, "kỳ báo cáo không hợp lệ (--from phải trước --to, tối đa 10 năm)", "invalid period (--from before --to, at most 10 years)", nil)
	}
	st, ok := openStore(ctx, e, cfg)
	if !ok {
		return 1
	}
	defer st.Close()
	svc, err := reportService(ctx, cfg, st)
	if err != nil {
		return errorf(e, "không khởi tạo được dịch vụ chương trình", "cannot start the programme service", err)
	}
	actor := program.Actor{Name: "manglanh report", Role: program.RoleWardAdmin, TenantID: program.DefaultTenant}

	var rv *program.ReportVersion
	if *version > 0 {
		vs, err := svc.Reports(ctx, actor, p)
		if err != nil {
			return errorf(e, "không đọc được các phiên bản", "cannot list the versions", err)
		}
		for i := range vs {
			if vs[i].Version == *version {
				rv, err = svc.Report(ctx, actor, vs[i].ID)
				if err != nil {
					return errorf(e, "không đọc được phiên bản", "cannot read the version", err)
				}
			}
		}
		if rv == nil {
			return errorf(e, fmt.Sprintf("kỳ %s không có phiên bản %d", p, *version), fmt.Sprintf("the period %s has no version %d", p, *version), nil)
		}
	} else {
		latest, err := svc.LatestReport(ctx, actor, p)
		switch {
		case errors.Is(err, program.ErrNotFound):
			rv = &program.ReportVersion{Period: p, Place: strings.TrimPrefix(cfg.Ward.Name, "Phường "), Narratives: report.DefaultNarratives()}
		case err != nil:
			return errorf(e, "không đọc được phiên bản mới nhất", "cannot read the latest version", err)
		default:
			rv = latest
		}
		rv.Figures, err = svc.ReportFigures(ctx, actor, p)
		if err != nil {
			return errorf(e, "không tính được số liệu của kỳ", "cannot compute the period's figures", err)
		}
	}
	acts, ins, shops, err := svc.ReportRows(ctx, actor, p)
	if err != nil {
		return errorf(e, "không đọc được hoạt động, kiểm tra", "cannot read the activities and inspections", err)
	}
	doc := report.Build(report.Input{Version: rv, Figures: rv.Figures, Activities: acts, Inspections: ins, Shops: shops})
	var buf bytes.Buffer
	if f == "docx" {
		err = doc.WriteDOCX(&buf)
	} else {
		err = doc.WritePDF(&buf)
	}
	if err != nil {
		return errorf(e, "không tạo được báo cáo", "cannot write the report", err)
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return errorf(e, "không ghi được tệp", "cannot write the file", err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return errorf(e, "không ghi được tệp", "cannot write the file", err)
	}
	v := "chưa lưu / unsaved"
	if rv.Version > 0 {
		v = fmt.Sprintf("phiên bản / version %d (%s)", rv.Version, rv.Status)
	}
	fmt.Fprintf(e.Stdout, "%s: %s, %s, %d byte\n", *out, p, v, buf.Len())
	return 0
}

func parseDay(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date dd/mm/yyyy", s)
}

// reportService builds the programme service with the figure sources the
// server uses (cases are read through the sealed case store).
func reportService(ctx context.Context, c *config.Config, st *store.Store) (*program.Service, error) {
	key, err := secret.LoadOrCreateKey(app.KeyPath(c))
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	caseData, err := st.Cases(key, filepath.Join(c.DataDir, "uploads"))
	if err != nil {
		return nil, err
	}
	holidays := cases.DefaultHolidays()
	if c.Ward.HolidayFile != "" {
		f, err := os.Open(c.Ward.HolidayFile)
		if err != nil {
			return nil, fmt.Errorf("holiday file: %w", err)
		}
		holidays, err = cases.ParseHolidays(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("holiday file %s: %w", c.Ward.HolidayFile, err)
		}
	}
	o := program.Options{Store: st, Location: c.Location(), Calendar: cases.NewCalendar(c.Location(), holidays),
		Ward: program.TenantRef{Name: c.Ward.Name}, Schools: cliSchools{st}}
	if cs, ok := any(caseData).(program.CaseSource); ok {
		o.Cases = cs
	}
	// *store.Store is not itself a DNSSource (its DevicesSeen means
	// something else): the server uses ProgramDNS, and so does the report.
	o.DNS = st.ProgramDNS()
	if al, ok := any(st).(program.AlertSource); ok {
		o.Alerts = al
	}
	return program.New(o)
}

type cliSchools struct{ st *store.Store }

func (s cliSchools) Schools(ctx context.Context) ([]program.School, error) {
	orgs, err := s.st.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	var out []program.School
	for _, o := range orgs {
		if o.Kind == cases.AgencySchool && o.Active {
			out = append(out, program.School{ID: o.ID, Name: o.Name})
		}
	}
	return out, nil
}
