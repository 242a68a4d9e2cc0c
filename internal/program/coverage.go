package program

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// ComputeCoverage computes pupils reached against pupils enrolled for the
// activities of p (Date in [From, To)), by school and level.
//
// The rule (written on the coverage page too): the pupils a school's
// activities reached at one level are, for each grade, the largest count
// of that grade at that school over the period's activities, summed over
// the grades; lines without a grade (grade 0) are a bucket of their own
// counted the same way. Two sessions for grade 7 with 40 and 35 pupils
// reach 40, not 75: the figure estimates distinct pupils, and never
// exceeds the school's enrolled count at that level (the cap). Coverage is
// reached / enrolled over the schools and levels that have an enrolled
// count; a school with none is "no enrolment" and outside the ratio, its
// pupils reached counted apart (ReachedNoEnrolment).
//
// Schools is T1's measure: the directory's primary and lower-secondary
// schools (School.InT1: a school recorded as teaching primary or
// lower-secondary pupils, or whose levels are not recorded) with at least
// one activity held at them or with their pupils or teachers, out of those
// schools. A kindergarten or an upper-secondary school is listed with its
// activities but counted in neither side of Schools. schools is the
// directory; a school that has activities or enrolment but is no longer in
// it is listed after, under the name its places gave, and not counted in
// Schools.
func ComputeCoverage(acts []Activity, enrol []Enrolment, schools []School, p Period) CoverageFigures {
	type key struct {
		level string
		grade int
	}
	type acc struct {
		name     string
		inDir    bool
		inT1     bool
		acts     int
		maxes    map[key]int
		enrolled map[string]int
	}
	bySchool := map[int64]*acc{}
	var order []int64
	get := func(id int64, name string) *acc {
		a, ok := bySchool[id]
		if !ok {
			a = &acc{name: name, maxes: map[key]int{}, enrolled: map[string]int{}}
			bySchool[id] = a
			order = append(order, id)
		}
		return a
	}
	for _, sc := range schools {
		a := get(sc.ID, sc.Name)
		a.inDir, a.inT1 = true, sc.InT1()
	}
	for i := range acts {
		act := &acts[i]
		if !p.Contains(act.Date) {
			continue
		}
		involved := map[int64]bool{}
		for _, pl := range act.Places {
			if pl.Kind == PlaceSchool && pl.OrgID != 0 {
				a := get(pl.OrgID, pl.Name)
				if a.name == "" {
					a.name = pl.Name
				}
				involved[pl.OrgID] = true
			}
		}
		for _, pt := range act.Participants {
			if pt.SchoolID == 0 {
				continue
			}
			a := get(pt.SchoolID, "")
			involved[pt.SchoolID] = true
			if pt.Group != GroupPupils || pt.Count <= 0 {
				continue
			}
			level := pt.Level
			if pt.Grade > 0 {
				level = LevelOfGrade(pt.Grade)
			}
			if level == "" {
				continue
			}
			k := key{level, pt.Grade}
			a.maxes[k] = max(a.maxes[k], pt.Count)
		}
		for id := range involved {
			bySchool[id].acts++
		}
	}
	for _, e := range enrol {
		if e.Pupils > 0 && slices.Contains(Levels(), e.Level) {
			get(e.SchoolID, "").enrolled[e.Level] += e.Pupils
		}
	}
	out := CoverageFigures{ByLevel: map[string]Ratio{}}
	for _, id := range order {
		a := bySchool[id]
		sc := SchoolCoverage{SchoolID: id, Name: a.name, Activities: a.acts,
			Reached: map[string]int{}, Enrolled: map[string]int{}}
		if sc.Name == "" {
			sc.Name = "#" + strconv.FormatInt(id, 10)
		}
		for k, n := range a.maxes {
			sc.Reached[k.level] += n
		}
		if len(a.enrolled) == 0 && (!a.inDir || a.inT1) {
			out.SchoolsNoEnrolment++
		}
		for _, lv := range Levels() {
			en, has := a.enrolled[lv]
			r := sc.Reached[lv]
			if !has {
				out.ReachedNoEnrolment += r
				continue
			}
			sc.Enrolled[lv] = en
			if r > en {
				r = en
				sc.Reached[lv] = en
				sc.Capped = append(sc.Capped, lv)
			}
			out.Pupils = out.Pupils.add(Ratio{Num: int64(r), Den: int64(en)})
			out.ByLevel[lv] = out.ByLevel[lv].add(Ratio{Num: int64(r), Den: int64(en)})
		}
		for lv, n := range sc.Reached {
			if n == 0 {
				delete(sc.Reached, lv)
			}
		}
		if a.inDir && a.inT1 {
			out.Schools.Den++
			if a.acts > 0 {
				out.Schools.Num++
			}
		}
		out.BySchool = append(out.BySchool, sc)
	}
	return out
}

// ReachedByKind applies ComputeCoverage to each kind's activities of p
// alone: the pupils each kind reached, by level (capped at the enrolled
// count where there is one, counted as they are where there is none).
func ReachedByKind(acts []Activity, enrol []Enrolment, schools []School, p Period) map[string]map[string]int {
	byKind := map[string][]Activity{}
	for i := range acts {
		if p.Contains(acts[i].Date) {
			byKind[acts[i].Kind] = append(byKind[acts[i].Kind], acts[i])
		}
	}
	out := map[string]map[string]int{}
	for kind, list := range byKind {
		for _, sc := range ComputeCoverage(list, enrol, schools, p).BySchool {
			for lv, n := range sc.Reached {
				if out[kind] == nil {
					out[kind] = map[string]int{}
				}
				out[kind][lv] += n
			}
		}
	}
	return out
}

// CountActivities counts the activities of p (Date in [From, To)): by
// kind, participations by group, pupil participations by level, copies by
// kind, activities by place kind and by month of loc (every month of the
// period, zeros included).
func CountActivities(acts []Activity, p Period, loc *time.Location) ActivityFigures {
	if loc == nil {
		loc = time.UTC
	}
	f := ActivityFigures{ByKind: map[string]int{}, Participants: map[string]int{}, PupilsByLevel: map[string]int{},
		Copies: map[string]int{}, ByPlace: map[string]int{}, ParticipantsByKind: map[string]map[string]int{}}
	months := map[string]int64{}
	for i := range acts {
		act := &acts[i]
		if !p.Contains(act.Date) {
			continue
		}
		f.Total++
		f.ByKind[act.Kind]++
		for _, pt := range act.Participants {
			f.Participants[pt.Group] += pt.Count
			if f.ParticipantsByKind[act.Kind] == nil {
				f.ParticipantsByKind[act.Kind] = map[string]int{}
			}
			f.ParticipantsByKind[act.Kind][pt.Group] += pt.Count
			if pt.Group == GroupPupils {
				lv := pt.Level
				if pt.Grade > 0 {
					lv = LevelOfGrade(pt.Grade)
				}
				f.PupilsByLevel[lv] += pt.Count
			}
		}
		if act.Copies > 0 {
			f.Copies[act.Kind] += act.Copies
		}
		kinds := map[string]bool{}
		for _, pl := range act.Places {
			kinds[pl.Kind] = true
		}
		for k := range kinds {
			f.ByPlace[k]++
		}
		months[act.Date.In(loc).Format("2006-01")]++
	}
	if !p.From.IsZero() && p.From.Before(p.To) {
		from := p.From.In(loc)
		for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc); m.Before(p.To); m = m.AddDate(0, 1, 0) {
			k := m.Format("2006-01")
			f.ByMonth = append(f.ByMonth, MonthCount{Month: k, Count: months[k]})
		}
	}
	return f
}

// Coverage is the coverage of p: every school's for the ward's staff, the
// own school's for a school account. Enrolment is the school year that
// contains p's last day (PeriodSchoolYear).
func (s *Service) Coverage(ctx context.Context, a Actor, p Period) (CoverageFigures, error) {
	if !canSeeWard(a) && !schoolScoped(a) {
		return CoverageFigures{}, ErrForbidden
	}
	if err := p.Validate(); err != nil {
		return CoverageFigures{}, err
	}
	st, err := s.activities()
	if err != nil {
		return CoverageFigures{}, err
	}
	acts, err := st.ActivitiesInPeriod(ctx, tenantOf(a), p)
	if err != nil {
		return CoverageFigures{}, err
	}
	enrol, err := st.Enrolments(ctx, tenantOf(a), PeriodSchoolYear(p))
	if err != nil {
		return CoverageFigures{}, err
	}
	schools, err := s.schools(ctx)
	if err != nil {
		return CoverageFigures{}, err
	}
	if schoolScoped(a) {
		schools = slices.DeleteFunc(schools, func(sc School) bool { return sc.ID != a.OrgID })
		enrol = slices.DeleteFunc(enrol, func(e Enrolment) bool { return e.SchoolID != a.OrgID })
		acts = slices.DeleteFunc(acts, func(x Activity) bool { return !x.AtSchool(a.OrgID) })
		for i := range acts {
			acts[i].Participants = slices.DeleteFunc(slices.Clone(acts[i].Participants),
				func(pt Participant) bool { return pt.SchoolID != a.OrgID })
			acts[i].Places = slices.DeleteFunc(slices.Clone(acts[i].Places),
				func(pl Place) bool { return pl.Kind == PlaceSchool && pl.OrgID != a.OrgID })
		}
	}
	return ComputeCoverage(acts, enrol, schools, p), nil
}
