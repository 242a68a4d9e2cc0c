package program

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// IndicatorStore keeps a tenant's indicators (internal/store implements
// it in program_indicators.go).
type IndicatorStore interface {
	// Indicators lists the tenant's indicators by Order, then Code.
	Indicators(ctx context.Context, tenant int64) ([]Indicator, error)
	// SeedIndicators inserts defs for the tenant, skipping codes it
	// already has (two first reads at once seed once).
	SeedIndicators(ctx context.Context, tenant int64, defs []Indicator) error
	// UpdateIndicator writes the words, measure, unit and target of the
	// tenant's indicator ind.ID if its Version is current, and bumps
	// Version: ErrNotFound, ErrConflict.
	UpdateIndicator(ctx context.Context, ind *Indicator) error
}

// DefaultIndicators are the Decision 830 targets (T1–T3, 100 %) and the
// counts the ward report gives, seeded for a tenant on its first read.
// The full national target list is unverified: these are data, and the
// ward edits targets and words on /can-bo/chi-tieu.
func DefaultIndicators() []Indicator {
	def := []struct {
		code, measure string
		target        float64
		vi, en        string
	}{
		{"T1", "schools_with_activity_pct", 100, "100% trường tiểu học, THCS tổ chức giáo dục an toàn trên môi trường mạng định kỳ",
			"100% of primary and lower secondary schools run online-safety education periodically"},
		{"T2", "victims_supported_pct", 100, "100% trẻ em bị xâm hại trên môi trường mạng được hỗ trợ khi có yêu cầu",
			"100% of child victims of online abuse get support when they ask"},
		{"T3", "violations_handled_pct", 100, "100% hành vi vi phạm đối với trẻ em trên môi trường mạng được phản ánh, phát hiện được xử lý",
			"100% of reported or detected violations against children online are handled"},
		{"C1", "coverage_pct", 90, "Tỷ lệ học sinh tiểu học, THCS được tiếp cận giáo dục kỹ năng số", "Primary and lower secondary pupils reached by digital-skills education"},
		{"C2", "cases_in_time_pct", 100, "Vụ việc được xử lý đúng thời hạn Nghị định 56/2017", "Cases handled within the Decree 56/2017 deadlines"},
		{"N1", "communication_sessions", 12, "Số buổi truyền thông tại trường học, tổ dân phố", "Communication sessions at schools and residential groups"},
		{"N2", "themed_meetings", 21, "Số buổi sinh hoạt chuyên đề với phụ huynh, học sinh", "Themed meetings with parents and pupils"},
		{"N3", "special_sessions", 5, "Số buổi tuyên truyền chuyên đề", "Special awareness sessions"},
		{"N4", "pupils_reached", 350, "Số học sinh được tuyên truyền", "Pupils reached"},
		{"N5", "shop_violations_handled", 0, "Số trường hợp vi phạm tại cơ sở Internet, trò chơi đã xử lý, nhắc nhở", "Shop violations handled"},
		{"N6", "devices_protected", 0, "Số thiết bị của trẻ được bảo vệ bằng bộ lọc", "Children's devices protected by the filter"},
	}
	out := make([]Indicator, 0, len(def))
	for i, d := range def {
		m, _ := MeasureByKey(d.measure)
		out = append(out, Indicator{Code: d.code, NameVI: d.vi, NameEN: d.en, Measure: d.measure,
			Target: d.target, Unit: m.Unit, Order: (i + 1) * 10})
	}
	return out
}

// EvaluateIndicators evaluates defs on f, in Order. An indicator whose
// measure is unknown to the catalogue or has no data (a missing source, a
// ratio with no denominator) is not met and not Known ("chưa đo được"),
// never 0 %.
func EvaluateIndicators(f *Figures, defs []Indicator) []IndicatorResult {
	defs = slices.Clone(defs)
	slices.SortStableFunc(defs, func(a, b Indicator) int {
		if a.Order != b.Order {
			return a.Order - b.Order
		}
		return strings.Compare(a.Code, b.Code)
	})
	out := make([]IndicatorResult, 0, len(defs))
	for _, d := range defs {
		r := IndicatorResult{Code: d.Code, NameVI: d.NameVI, NameEN: d.NameEN, Measure: d.Measure, Unit: d.Unit, Target: d.Target}
		m, ok := MeasureByKey(d.Measure)
		if ok {
			r.Unit = m.Unit
			r.Value, r.Known = m.Value(f)
		}
		if r.Known {
			if r.Unit == UnitPercent {
				// Num/Den ≥ Target/100 without rounding: 99.99 % is not 100 %.
				r.Met = float64(r.Value.Num)*100 >= d.Target*float64(r.Value.Den)
			} else {
				r.Met = float64(r.Value.Num) >= d.Target
			}
		}
		out = append(out, r)
	}
	return out
}

// Indicators returns the actor's tenant's indicators, seeding the
// defaults on the first read.
func (s *Service) Indicators(ctx context.Context, a Actor) ([]Indicator, error) {
	if !canSeeWard(a) {
		return nil, ErrForbidden
	}
	return s.indicatorsOf(ctx, tenantOf(a))
}

func (s *Service) indicatorsOf(ctx context.Context, tenant int64) ([]Indicator, error) {
	st, err := storeAs[IndicatorStore](s)
	if err != nil {
		return nil, err
	}
	list, err := st.Indicators(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("reading indicators: %w", err)
	}
	if len(list) > 0 {
		return list, nil
	}
	defs := DefaultIndicators()
	for i := range defs {
		defs[i].UpdatedAt = s.now()
	}
	if err := st.SeedIndicators(ctx, tenant, defs); err != nil {
		return nil, fmt.Errorf("seeding indicators: %w", err)
	}
	list, err = st.Indicators(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("reading indicators: %w", err)
	}
	return list, nil
}

// Limits of an indicator's fields.
const (
	MaxIndicatorName  = 300
	MaxIndicatorCount = 1_000_000_000
)

// ValidateIndicator checks the editable fields of ind and sets its Unit
// from its measure.
func ValidateIndicator(ind *Indicator) error {
	fe := FieldErrors{}
	ind.NameVI, ind.NameEN = strings.TrimSpace(ind.NameVI), strings.TrimSpace(ind.NameEN)
	switch {
	case ind.NameVI == "":
		fe["name_vi"] = "program.err.required"
	case utf8.RuneCountInString(ind.NameVI) > MaxIndicatorName || !utf8.ValidString(ind.NameVI):
		fe["name_vi"] = "program.err.too_long"
	}
	if utf8.RuneCountInString(ind.NameEN) > MaxIndicatorName || !utf8.ValidString(ind.NameEN) {
		fe["name_en"] = "program.err.too_long"
	}
	m, ok := MeasureByKey(ind.Measure)
	if !ok {
		fe["measure"] = "program.err.measure_unknown"
	} else {
		ind.Unit = m.Unit
	}
	switch {
	case math.IsNaN(ind.Target) || math.IsInf(ind.Target, 0) || ind.Target < 0:
		fe["target"] = "program.err.target_range"
	case ok && m.Unit == UnitPercent && ind.Target > 100:
		fe["target"] = "program.err.target_percent"
	case ok && m.Unit == UnitCount && (ind.Target > MaxIndicatorCount || ind.Target != math.Trunc(ind.Target)):
		fe["target"] = "program.err.target_count"
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// SaveIndicator changes the words, measure and target of one of the
// actor's tenant's indicators (ward admin, officer, chairman), checking
// its Version.
func (s *Service) SaveIndicator(ctx context.Context, a Actor, ind *Indicator) error {
	if !canEditReport(a) {
		return ErrForbidden
	}
	if err := ValidateIndicator(ind); err != nil {
		return err
	}
	st, err := storeAs[IndicatorStore](s)
	if err != nil {
		return err
	}
	ind.TenantID, ind.UpdatedAt = tenantOf(a), s.now()
	if err := st.UpdateIndicator(ctx, ind); err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
			return err
		}
		return fmt.Errorf("saving indicator %d: %w", ind.ID, err)
	}
	s.audit(ctx, a, "indicator.update", "indicator", ind.ID,
		fmt.Sprintf("code=%s measure=%s target=%g", ind.Code, ind.Measure, ind.Target))
	return nil
}
