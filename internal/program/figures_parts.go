package program

import (
	"context"
	"time"
)

// The parts of the figures that other branches own (activities,
// coverage, shops). On this branch their pure functions do not exist yet,
// so each adapter says "not available" and the figures list the source in
// Missing instead of printing zeros as if nothing happened. At merge the
// lead replaces each body by the one-line call in its comment.

// figuresActivities is what the figures read of activities and enrolment
// (ActivityStore on the activities branch has both methods).
type figuresActivities interface {
	ActivitiesInPeriod(ctx context.Context, tenant int64, p Period) ([]Activity, error)
	Enrolments(ctx context.Context, tenant int64, schoolYear int) ([]Enrolment, error)
}

// figuresShops is what the figures read of the shop registry.
type figuresShops interface {
	ShopsOf(ctx context.Context, tenant int64) ([]Shop, error)
	InspectionsUpTo(ctx context.Context, tenant int64, to time.Time) ([]Inspection, error)
}

// activitySource: at merge, prefer s.opt.Activities when set.
func (s *Service) activitySource() (figuresActivities, bool) {
	if s.opt.Activities != nil {
		if st, ok := s.opt.Activities.(figuresActivities); ok {
			return st, true
		}
	}
	st, ok := s.opt.Store.(figuresActivities)
	return st, ok
}

func (s *Service) shopSource() (figuresShops, bool) {
	st, ok := s.opt.Store.(figuresShops)
	return st, ok
}

// At merge: return CountActivities(acts, p, loc), true
func partCountActivities(acts []Activity, p Period, loc *time.Location) (ActivityFigures, bool) {
	return CountActivities(acts, p, loc), true
}

// At merge: return ComputeCoverage(acts, enrol, schools, p), true
func partComputeCoverage(acts []Activity, enrol []Enrolment, schools []School, p Period) (CoverageFigures, bool) {
	return ComputeCoverage(acts, enrol, schools, p), true
}

// At merge: return CountShops(shops, ins, p), true
func partCountShops(shops []Shop, ins []Inspection, p Period) (ShopFigures, bool) {
	return CountShops(shops, ins, p), true
}
