package program

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// ReportStore keeps the periodic report's versions. Versions are never
// changed once written, except an approval, which the store records only
// on a draft of the exact version asked for.
type ReportStore interface {
	// InsertReportVersion numbers rv (the tenant and period's highest
	// version + 1) and stores it, setting ID and Version; ErrConflict when
	// another save took the number at the same moment.
	InsertReportVersion(ctx context.Context, rv *ReportVersion) error
	// ReportVersions lists a tenant's versions of a period, newest first,
	// without their figures.
	ReportVersions(ctx context.Context, tenant int64, p Period) ([]ReportVersion, error)
	// ReportVersion returns one version of the tenant (ErrNotFound).
	ReportVersion(ctx context.Context, tenant, id int64) (*ReportVersion, error)
	// LatestReportVersion is the newest version of the period (ErrNotFound).
	LatestReportVersion(ctx context.Context, tenant int64, p Period) (*ReportVersion, error)
	// ApproveReportVersion marks version id approved when it is a draft
	// numbered version: ErrConflict otherwise, ErrNotFound when absent.
	ApproveReportVersion(ctx context.Context, tenant, id int64, version int, by int64, byName string, at time.Time) error
}

// figurer computes a period's figures: *Service's Figures (the dashboard
// part) once merged.
type figurer interface {
	Figures(ctx context.Context, a Actor, p Period) (*Figures, error)
}

// Limits of a report version.
const (
	MaxNarrative      = 20_000  // characters per section
	MaxNarrativeTotal = 200_000 // characters over all sections
	MaxNarratives     = 40      // sections
	MaxRecipients     = 20      // lines of "Nơi nhận"
	MaxReportNumber   = 40
)

var (
	reportNumberRe = regexp.MustCompile(`^[0-9]{0,5}/[\p{Lu}0-9]+(-[\p{Lu}0-9()]+)*$`)
	narrativeKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
)

// ErrNoFigures: the service has no figure computer (the dashboard part is
// missing) and a report cannot snapshot its figures.
var ErrNoFigures = errors.New("program: figures cannot be computed")

func (s *Service) figurer() figurer {
	if s.figs != nil {
		return s.figs
	}
	if f, ok := any(s).(figurer); ok {
		return f
	}
	return nil
}

// validateReport checks a version's fields; the keys are i18n keys.
func validateReport(rv *ReportVersion) error {
	fe := FieldErrors{}
	if err := rv.Period.Validate(); err != nil {
		fe["period"] = "report.err.period"
	}
	control := func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f }
	long := func(field, v string, max int, required bool) {
		v = strings.TrimSpace(v)
		switch {
		case required && v == "":
			fe[field] = "report.err.required"
		case utf8.RuneCountInString(v) > max:
			fe[field] = "report.err.too_long"
		case strings.ContainsFunc(v, control):
			fe[field] = "report.err.control"
		}
	}
	rv.Number = strings.TrimSpace(rv.Number)
	switch {
	case utf8.RuneCountInString(rv.Number) > MaxReportNumber:
		fe["number"] = "report.err.number_long"
	case rv.Number != "" && !reportNumberRe.MatchString(rv.Number):
		fe["number"] = "report.err.number"
	}
	long("place", rv.Place, 100, true)
	if rv.Date.IsZero() {
		fe["date"] = "report.err.required"
	}
	long("title", rv.Title, 600, true)
	long("basis", rv.Basis, 5000, false)
	if len(rv.Recipients) > MaxRecipients {
		fe["recipients"] = "report.err.recipients"
	}
	for _, r := range rv.Recipients {
		switch {
		case utf8.RuneCountInString(r) > 200:
			fe["recipients"] = "report.err.too_long"
		case strings.ContainsFunc(r, control):
			fe["recipients"] = "report.err.control"
		}
	}
	long("sig_capacity", rv.Signature.Capacity, 100, true)
	long("sig_deputy", rv.Signature.Deputy, 100, false)
	long("sig_title", rv.Signature.Title, 100, true)
	long("sig_name", rv.Signature.Name, 100, false)
	if len(rv.Narratives) > MaxNarratives {
		fe["narratives"] = "report.err.narratives"
	}
	total := 0
	for k, v := range rv.Narratives {
		if !narrativeKeyRe.MatchString(k) {
			fe["narratives"] = "report.err.narrative_key"
			continue
		}
		// Count bytes first: a 50 MB narrative is refused without
		// walking it rune by rune.
		n := len(v)
		if n > 4*MaxNarrative || utf8.RuneCountInString(v) > MaxNarrative {
			fe["narr_"+k] = "report.err.narrative_long"
		}
		total += min(n, 4*MaxNarrative+1)
		if _, long := fe["narr_"+k]; !long && (!utf8.ValidString(v) || strings.ContainsFunc(v, control)) {
			// A pasted BEL or NUL would vanish from the printout
			// silently: say so instead.
			fe["narr_"+k] = "report.err.control"
		}
	}
	if total > 4*MaxNarrativeTotal {
		fe["narratives"] = "report.err.narratives_total"
	} else {
		runes := 0
		for _, v := range rv.Narratives {
			runes += utf8.RuneCountInString(v)
		}
		if runes > MaxNarrativeTotal {
			fe["narratives"] = "report.err.narratives_total"
		}
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// SaveReport saves rv as a new version of its period (the previous
// version + 1), a draft, with the figures computed now as its snapshot.
// Nothing is saved when a field is invalid (FieldErrors) or the figures
// cannot be computed.
func (s *Service) SaveReport(ctx context.Context, a Actor, rv *ReportVersion) error {
	if !canEditReport(a) {
		return ErrForbidden
	}
	st, err := storeAs[ReportStore](s)
	if err != nil {
		return err
	}
	if err := validateReport(rv); err != nil {
		return err
	}
	fg := s.figurer()
	if fg == nil {
		return ErrNoFigures
	}
	figs, err := fg.Figures(ctx, a, rv.Period)
	if err != nil {
		return fmt.Errorf("computing the report's figures: %w", err)
	}
	var recips []string
	for _, r := range rv.Recipients {
		if r = strings.TrimSpace(r); r != "" {
			recips = append(recips, r)
		}
	}
	rv.Recipients = recips
	rv.ID, rv.Version = 0, 0
	rv.TenantID = tenantOf(a)
	rv.Figures = figs
	rv.Status = ReportDraft
	rv.CreatedBy, rv.CreatedByName, rv.CreatedAt = a.UserID, a.Name, s.now()
	rv.ApprovedBy, rv.ApprovedByName, rv.ApprovedAt = 0, "", time.Time{}
	if err := st.InsertReportVersion(ctx, rv); err != nil {
		return fmt.Errorf("saving the report: %w", err)
	}
	s.audit(ctx, a, "report.save", "report_version", rv.ID,
		fmt.Sprintf("period %s version %d", rv.Period, rv.Version))
	return nil
}

func (s *Service) localise(rv *ReportVersion) {
	rv.Period.From = rv.Period.From.In(s.loc)
	rv.Period.To = rv.Period.To.In(s.loc)
	rv.Date = rv.Date.In(s.loc)
}

// Reports lists the versions of a period, newest first (no figures).
func (s *Service) Reports(ctx context.Context, a Actor, p Period) ([]ReportVersion, error) {
	if !canSeeWard(a) {
		return nil, ErrForbidden
	}
	st, err := storeAs[ReportStore](s)
	if err != nil {
		return nil, err
	}
	vs, err := st.ReportVersions(ctx, tenantOf(a), p)
	for i := range vs {
		s.localise(&vs[i])
	}
	return vs, err
}

// Report returns one version with its figures; another ward's version is
// ErrNotFound.
func (s *Service) Report(ctx context.Context, a Actor, id int64) (*ReportVersion, error) {
	if !canSeeWard(a) {
		return nil, ErrForbidden
	}
	st, err := storeAs[ReportStore](s)
	if err != nil {
		return nil, err
	}
	rv, err := st.ReportVersion(ctx, tenantOf(a), id)
	if err != nil {
		return nil, err
	}
	s.localise(rv)
	return rv, nil
}

// LatestReport is the newest version of a period, from which a new draft
// starts (its header fields and narratives are kept between versions);
// ErrNotFound when the period has none yet.
func (s *Service) LatestReport(ctx context.Context, a Actor, p Period) (*ReportVersion, error) {
	if !canSeeWard(a) {
		return nil, ErrForbidden
	}
	st, err := storeAs[ReportStore](s)
	if err != nil {
		return nil, err
	}
	rv, err := st.LatestReportVersion(ctx, tenantOf(a), p)
	if err != nil {
		return nil, err
	}
	s.localise(rv)
	return rv, nil
}

// ApproveReport records the chairman's approval of version id, numbered
// version (the one the chairman read: a newer save is not approved by
// it). An approved version is frozen; a later version is a draft that
// needs its own approval. ErrConflict when id is not a draft numbered
// version.
func (s *Service) ApproveReport(ctx context.Context, a Actor, id int64, version int) error {
	if !canApproveReport(a) {
		return ErrForbidden
	}
	st, err := storeAs[ReportStore](s)
	if err != nil {
		return err
	}
	if err := st.ApproveReportVersion(ctx, tenantOf(a), id, version, a.UserID, a.Name, s.now()); err != nil {
		return err
	}
	s.audit(ctx, a, "report.approve", "report_version", id, fmt.Sprintf("version %d", version))
	return nil
}

// ReportRows are the rows a report's annex lists: the period's activities
// and inspections, and the inspected shops' names. A store without the
// activities or shops tables (a part not installed) gives none.
func (s *Service) ReportRows(ctx context.Context, a Actor, p Period) ([]Activity, []Inspection, map[int64]string, error) {
	if !canSeeWard(a) {
		return nil, nil, nil, ErrForbidden
	}
	t := tenantOf(a)
	var acts []Activity
	if st, ok := s.opt.Store.(interface {
		ActivitiesInPeriod(ctx context.Context, tenant int64, p Period) ([]Activity, error)
	}); ok {
		var err error
		if acts, err = st.ActivitiesInPeriod(ctx, t, p); err != nil {
			return nil, nil, nil, fmt.Errorf("listing the report's activities: %w", err)
		}
	}
	var ins []Inspection
	names := map[int64]string{}
	if st, ok := s.opt.Store.(interface {
		InspectionsUpTo(ctx context.Context, tenant int64, to time.Time) ([]Inspection, error)
		ShopsOf(ctx context.Context, tenant int64) ([]Shop, error)
	}); ok {
		all, err := st.InspectionsUpTo(ctx, t, p.To)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("listing the report's inspections: %w", err)
		}
		for _, x := range all {
			if p.Contains(x.Date) {
				ins = append(ins, x)
			}
		}
		shops, err := st.ShopsOf(ctx, t)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("listing the report's shops: %w", err)
		}
		for _, sh := range shops {
			names[sh.ID] = sh.Name
		}
	}
	return acts, ins, names, nil
}

// ReportFigures computes a period's figures for a report not yet saved
// (the page's preview, `manglanh report` without --version);
// ErrNoFigures when this build cannot compute them.
func (s *Service) ReportFigures(ctx context.Context, a Actor, p Period) (*Figures, error) {
	if !canSeeWard(a) {
		return nil, ErrForbidden
	}
	fg := s.figurer()
	if fg == nil {
		return nil, ErrNoFigures
	}
	return fg.Figures(ctx, a, p)
}
