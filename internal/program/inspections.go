package program

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// InspectionFilter selects inspections: dated in Period (zero: all), of
// ShopID (0: all). Article and Handled ("", "yes", "no") select the
// violations shown; with either set, an inspection without a matching
// violation is left out.
type InspectionFilter struct {
	Period  Period
	ShopID  int64
	Article string
	Handled string
}

// Bounds of the inspection form.
const (
	maxTeam        = 200
	maxFindings    = 5000
	maxDescription = 1000
	maxViolations  = 20
	maxFineVND     = 100_000_000 // what a ward chairman may fine an organisation
)

// RecordInspection stores an inspection of one of the actor's shops with
// its violations, all or nothing. A violation's fine range is copied from
// the catalogue. Errors name the field: "date", "team", "v2.article".
func (s *Service) RecordInspection(ctx context.Context, a Actor, in *Inspection) error {
	st, err := s.shopStore(a, true)
	if err != nil {
		return err
	}
	sh, err := st.ShopByID(ctx, tenantOf(a), in.ShopID)
	if err != nil {
		return err
	}
	fe := FieldErrors{}
	in.Team, in.Findings = strings.TrimSpace(in.Team), strings.TrimSpace(in.Findings)
	switch {
	case in.Date.IsZero():
		fe["date"] = "shop.err.date"
	case in.Date.After(s.now()):
		fe["date"] = "shop.err.future"
	}
	checkLine(fe, "team", in.Team, true, maxTeam)
	if utf8.RuneCountInString(in.Findings) > maxFindings || !utf8.ValidString(in.Findings) {
		fe["findings"] = "shop.err.long"
	}
	if len(in.Violations) > maxViolations {
		fe["violations"] = "shop.err.too_many"
	}
	for i := range in.Violations {
		v := &in.Violations[i]
		p := fmt.Sprintf("v%d.", i)
		art, ok := ArticleByCode(v.Article)
		switch {
		case !ok:
			fe[p+"article"] = "shop.err.article"
		case art.ShopKind != sh.Kind:
			fe[p+"article"] = "shop.err.article_kind"
		}
		v.Description = strings.TrimSpace(v.Description)
		if utf8.RuneCountInString(v.Description) > maxDescription || !utf8.ValidString(v.Description) {
			fe[p+"description"] = "shop.err.long"
		}
		v.ShopID, v.FineMinVND, v.FineMaxVND = sh.ID, art.FineMinVND, art.FineMaxVND
	}
	if len(fe) > 0 {
		return fe
	}
	in.TenantID, in.CreatedBy, in.CreatedAt = tenantOf(a), a.UserID, s.now()
	if err := st.CreateInspection(ctx, in); err != nil {
		return fmt.Errorf("recording inspection of shop %d: %w", sh.ID, err)
	}
	s.audit(ctx, a, "shop.inspect", "inspection", in.ID, fmt.Sprintf("shop %d, %d violations", sh.ID, len(in.Violations)))
	return nil
}

// ValidateAction checks an action against its violation: a known kind, a
// date, a fine within the catalogue's range unless Note gives the reason,
// a follow-up date not before the action.
func ValidateAction(v *Violation, ac *Action) error {
	fe := FieldErrors{}
	ac.Note = strings.TrimSpace(ac.Note)
	switch ac.Kind {
	case ActionReminder, ActionFine, ActionFollowUp, ActionClosed:
	default:
		fe["kind"] = "shop.err.action_kind"
	}
	if ac.Date.IsZero() {
		fe["date"] = "shop.err.date"
	}
	if utf8.RuneCountInString(ac.Note) > maxDescription || !utf8.ValidString(ac.Note) {
		fe["note"] = "shop.err.long"
	}
	switch ac.Kind {
	case ActionFine:
		switch {
		case ac.FineVND <= 0 || ac.FineVND > maxFineVND:
			fe["fine"] = "shop.err.fine"
		case (ac.FineVND < v.FineMinVND || ac.FineVND > v.FineMaxVND) && ac.Note == "":
			fe["fine"] = "shop.err.fine_range"
		}
	case ActionFollowUp:
		switch {
		case ac.FollowUp.IsZero():
			fe["follow_up"] = "shop.err.date"
		case !ac.Date.IsZero() && ac.FollowUp.Before(ac.Date):
			fe["follow_up"] = "shop.err.follow_order"
		}
	}
	if ac.Kind != ActionFine {
		ac.FineVND = 0
	}
	if ac.Kind != ActionFollowUp {
		ac.FollowUp = time.Time{}
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// AddAction records what was done about a violation of the actor's tenant.
func (s *Service) AddAction(ctx context.Context, a Actor, violationID int64, ac *Action) error {
	st, err := s.shopStore(a, true)
	if err != nil {
		return err
	}
	v, err := st.ViolationByID(ctx, tenantOf(a), violationID)
	if err != nil {
		return err
	}
	if err := ValidateAction(v, ac); err != nil {
		return err
	}
	ac.ViolationID, ac.CreatedBy = v.ID, a.UserID
	if err := st.CreateAction(ctx, tenantOf(a), ac); err != nil {
		return fmt.Errorf("recording action on violation %d: %w", v.ID, err)
	}
	s.audit(ctx, a, "shop.action", "violation", v.ID, ac.Kind)
	return nil
}

// Violation returns one violation of the actor's tenant (with its actions).
func (s *Service) Violation(ctx context.Context, a Actor, id int64) (*Violation, error) {
	st, err := s.shopStore(a, false)
	if err != nil {
		return nil, err
	}
	return st.ViolationByID(ctx, tenantOf(a), id)
}

// Inspections lists inspections, newest first, filtered.
func (s *Service) Inspections(ctx context.Context, a Actor, f InspectionFilter) ([]Inspection, error) {
	st, err := s.shopStore(a, false)
	if err != nil {
		return nil, err
	}
	to := farFuture
	if !f.Period.To.IsZero() {
		to = f.Period.To
	}
	all, err := st.InspectionsUpTo(ctx, tenantOf(a), to)
	if err != nil {
		return nil, err
	}
	return FilterInspections(all, f), nil
}

// FilterInspections applies f to ins (pure; the list and the dashboard's
// links share it), newest first.
func FilterInspections(ins []Inspection, f InspectionFilter) []Inspection {
	var out []Inspection
	for _, in := range ins {
		if !f.Period.From.IsZero() && !f.Period.Contains(in.Date) {
			continue
		}
		if f.ShopID != 0 && in.ShopID != f.ShopID {
			continue
		}
		if f.Article != "" || f.Handled != "" {
			var vs []Violation
			for _, v := range in.Violations {
				if f.Article != "" && v.Article != f.Article {
					continue
				}
				if h := len(v.Actions) > 0; (f.Handled == "yes" && !h) || (f.Handled == "no" && h) {
					continue
				}
				vs = append(vs, v)
			}
			if len(vs) == 0 {
				continue
			}
			in.Violations = vs
		}
		out = append(out, in)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.After(out[j].Date)
		}
		return out[i].ID > out[j].ID
	})
	return out
}

// FollowUp is a follow-up visit that is due: the latest action of a
// violation is a follow-up dated on or before the day asked about.
type FollowUp struct {
	ShopID       int64
	InspectionID int64
	ViolationID  int64
	Article      string
	Date         time.Time
	Overdue      bool // before the day asked about
}

// FollowUpsDue lists the follow-ups due on day (a local midnight) or
// overdue, oldest first.
func (s *Service) FollowUpsDue(ctx context.Context, a Actor, day time.Time) ([]FollowUp, error) {
	st, err := s.shopStore(a, false)
	if err != nil {
		return nil, err
	}
	ins, err := st.InspectionsUpTo(ctx, tenantOf(a), farFuture)
	if err != nil {
		return nil, err
	}
	return followUpsDue(ins, day), nil
}

func followUpsDue(ins []Inspection, day time.Time) []FollowUp {
	end := day.AddDate(0, 0, 1)
	var out []FollowUp
	for _, in := range ins {
		for _, v := range in.Violations {
			if len(v.Actions) == 0 {
				continue
			}
			last := v.Actions[len(v.Actions)-1]
			if last.Kind != ActionFollowUp || !last.FollowUp.Before(end) {
				continue
			}
			out = append(out, FollowUp{ShopID: in.ShopID, InspectionID: in.ID, ViolationID: v.ID, Article: v.Article,
				Date: last.FollowUp, Overdue: last.FollowUp.Before(day)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// CountShops computes the shop figures of period p from the registry and
// the inspections (with violations and actions) dated before p.To.
//
// The rules, so the figures of a period never change once it is over:
//   - Registered: shops added before p.To and not closed before it
//     (Shop.OpenAt(p.To)): a shop closed since p ended still counts in p.
//     A shop marked closed without a closing day is not counted.
//   - Inspections, ShopsInspected, Violations, ByArticle: inspections dated
//     in p, and their violations.
//   - Handled: violations found in p with at least one action dated before
//     p.To. A violation found in p and handled after p.To is unhandled in
//     p's figures and is not counted as handled in a later period either:
//     a later period counts its own violations. ByAction and FinesVND count
//     the same actions (those of p's violations dated before p.To).
//   - RepeatOffenders: shops with violations at two or more inspections
//     dated before p.To (their whole history, not only p).
func CountShops(shops []Shop, ins []Inspection, p Period) ShopFigures {
	f := ShopFigures{ByArticle: map[string]int{}, ByAction: map[string]int{}}
	for _, sh := range shops {
		if sh.OpenAt(p.To) {
			f.Registered++
		}
	}
	seen := map[int64]bool{}
	for _, in := range ins {
		if !p.Contains(in.Date) {
			continue
		}
		f.Inspections++
		if !seen[in.ShopID] {
			seen[in.ShopID] = true
			f.ShopsInspected++
		}
		for _, v := range in.Violations {
			f.Violations++
			f.ByArticle[v.Article]++
			handled := false
			for _, ac := range v.Actions {
				if !ac.Date.Before(p.To) {
					continue
				}
				handled = true
				f.ByAction[ac.Kind]++
				if ac.Kind == ActionFine {
					f.FinesVND += ac.FineVND
				}
			}
			if handled {
				f.Handled++
			}
		}
	}
	f.RepeatOffenders = len(repeatOffenders(ins, p.To))
	return f
}
