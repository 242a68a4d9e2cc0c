package program

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// Figures computes every figure of period p for the actor's ward: the ONE
// place figures are computed (dashboard, report, signed file). School,
// teacher and organisation accounts see no ward figures.
func (s *Service) Figures(ctx context.Context, a Actor, p Period) (*Figures, error) {
	if !canSeeWard(a) {
		return nil, ErrForbidden
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return s.computeFigures(ctx, tenantOf(a), p)
}

// computeFigures computes tenant's figures for p without a permission
// check (the city part calls it for each ward of the database). A source
// that is not configured leaves its figures at zero and is named in
// Missing; a source that fails fails the whole computation (a report must
// not print half its figures as if they were whole).
func (s *Service) computeFigures(ctx context.Context, tenant int64, p Period) (*Figures, error) {
	f := &Figures{Format: FiguresFormat, Period: p, Generated: s.now().UTC(), Wards: []TenantRef{s.tenantRef(ctx, tenant)}}
	missing := func(src string) {
		if !slices.Contains(f.Missing, src) {
			f.Missing = append(f.Missing, src)
		}
	}

	// Activities and coverage.
	if st, ok := s.activitySource(); ok {
		acts, err := st.ActivitiesInPeriod(ctx, tenant, p)
		if err != nil {
			return nil, fmt.Errorf("reading activities: %w", err)
		}
		if af, ok := partCountActivities(acts, p, s.loc); ok {
			f.Activities = af
		} else {
			missing(SourceActivities)
		}
		enrol, err := st.Enrolments(ctx, tenant, SchoolYearOf(p.LastDay().In(s.loc)))
		if err != nil {
			return nil, fmt.Errorf("reading enrolment: %w", err)
		}
		schools, err := s.schools(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading schools: %w", err)
		}
		if cf, ok := partComputeCoverage(acts, enrol, schools, p); ok && s.opt.Schools != nil {
			f.Coverage = cf
			f.Coverage.ReachedByKind = ReachedByKind(acts, enrol, schools, p)
		} else {
			missing(SourceCoverage)
		}
	} else {
		missing(SourceActivities)
		missing(SourceCoverage)
	}

	// Cases.
	if s.opt.Cases != nil {
		cs, err := s.opt.Cases.CasesForPeriod(ctx, tenant, p)
		if err != nil {
			return nil, fmt.Errorf("reading cases: %w", err)
		}
		f.Cases = CountCases(cs, p, s.opt.Calendar, s.loc)
	} else {
		missing(SourceCases)
	}

	// Shops.
	if st, ok := s.shopSource(); ok {
		shops, err := st.ShopsOf(ctx, tenant)
		if err != nil {
			return nil, fmt.Errorf("reading shops: %w", err)
		}
		ins, err := st.InspectionsUpTo(ctx, tenant, p.To)
		if err != nil {
			return nil, fmt.Errorf("reading inspections: %w", err)
		}
		if sf, ok := partCountShops(shops, ins, p); ok {
			f.Shops = sf
		} else {
			missing(SourceShops)
		}
	} else {
		missing(SourceShops)
	}

	// Alerts.
	if s.opt.Alerts != nil {
		byCat, byLevel, err := s.opt.Alerts.AlertCounts(ctx, tenant, p)
		if err != nil {
			return nil, fmt.Errorf("counting alerts: %w", err)
		}
		f.Alerts = AlertFigures{ByCategory: byCat, ByLevel: byLevel}
		for _, n := range byLevel {
			f.Alerts.Raised += n
		}
	} else {
		missing(SourceAlerts)
	}

	// DNS.
	if s.opt.DNS != nil {
		d, err := s.dnsFigures(ctx, tenant, p)
		if err != nil {
			return nil, err
		}
		f.DNS = d
	} else {
		missing(SourceDNS)
	}

	defs, err := s.indicatorsOf(ctx, tenant)
	if err != nil {
		return nil, err
	}
	f.Indicators = EvaluateIndicators(f, defs)
	return f, nil
}

func (s *Service) dnsFigures(ctx context.Context, tenant int64, p Period) (DNSFigures, error) {
	var d DNSFigures
	byCat, err := s.opt.DNS.BlockedByMonth(ctx, tenant, p, s.loc)
	if err != nil {
		return d, fmt.Errorf("reading blocked look-ups: %w", err)
	}
	d.BlockedByCategory = map[string]int64{}
	months := map[string]int64{}
	for _, c := range slices.Sorted(maps.Keys(byCat)) {
		for _, m := range byCat[c] {
			d.BlockedByCategory[c] += m.Count
			d.Blocked += m.Count
			months[m.Month] += m.Count
		}
	}
	for _, m := range monthKeys(p, s.loc) {
		d.ByMonth = append(d.ByMonth, MonthCount{Month: m, Count: months[m]})
	}
	if d.DevicesProtected, err = s.opt.DNS.DevicesSeen(ctx, tenant, p); err != nil {
		return d, fmt.Errorf("counting devices: %w", err)
	}
	if d.Profiles, err = s.opt.DNS.ProfileCount(ctx, tenant); err != nil {
		return d, fmt.Errorf("counting profiles: %w", err)
	}
	return d, nil
}

// tenantName names tenant in figures. Until the city part adds the tenant
// table (and its tenantRef), the deployment's own ward is the default
// tenant; another tenant is named by its number.
func (s *Service) tenantName(tenant int64) TenantRef {
	if tenant == DefaultTenant {
		return s.opt.Ward
	}
	return TenantRef{Code: fmt.Sprint(tenant)}
}
