package program

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ActivityStore keeps activities (with their places, participants and
// attendees) and the schools' enrolment. Every method is scoped to one
// tenant. Create and Update write the activity and its lines in one
// transaction. Update succeeds only when the stored Version equals
// act.Version (else ErrConflict) and increments it; a missing row is
// ErrNotFound.
type ActivityStore interface {
	CreateActivity(ctx context.Context, act *Activity) error
	UpdateActivity(ctx context.Context, act *Activity) error
	DeleteActivity(ctx context.Context, tenant, id int64) error
	Activity(ctx context.Context, tenant, id int64) (*Activity, error)
	// Activities is one page of the filtered list, newest first, and the
	// number of rows the filter matches.
	Activities(ctx context.Context, tenant int64, f ActivityFilter) ([]Activity, int, error)
	// ActivitiesInPeriod is every activity whose Date is in p (for
	// figures: no paging).
	ActivitiesInPeriod(ctx context.Context, tenant int64, p Period) ([]Activity, error)
	SetEnrolment(ctx context.Context, e Enrolment) error
	Enrolments(ctx context.Context, tenant int64, schoolYear int) ([]Enrolment, error)
}

// ActivityFilter selects activities. A zero Period is every date. SchoolID
// matches an activity with a place at the school or a participant line of
// the school. Group matches an activity with a participant line of the
// group. CreatedBy (set by the Service for organisation accounts) keeps an
// account's own records.
type ActivityFilter struct {
	Period    Period
	Kind      string
	SchoolID  int64
	Group     string
	CreatedBy int64
	Limit     int
	Offset    int
}

// MaxActivityPage bounds one page of the list.
const MaxActivityPage = 500

// Bounds of an activity's fields.
const (
	MaxTopic        = 500
	MaxNotes        = 5000
	MaxOrganiser    = 200
	MaxPlaceName    = 200
	MaxPlaces       = 20
	MaxParticipants = 100
	MaxAttendees    = 2000
	MaxAttendeeName = 200
	MaxCount        = 100_000
	MaxTotal        = 200_000
	MaxCopies       = 10_000_000
)

// PlaceKinds in the order forms show them.
func PlaceKinds() []string {
	return []string{PlaceSchool, PlaceResidential, PlaceCulturalHouse, PlaceWardOffice, PlaceOnline, PlaceOther}
}

// ParticipantGroups in the order forms and tables show them.
func ParticipantGroups() []string {
	return []string{GroupPupils, GroupParents, GroupTeachers, GroupResidents, GroupStaff}
}

// Levels in order.
func Levels() []string { return []string{LevelPrimary, LevelLowerSecondary} }

// hasCopies reports whether the kind counts copies (leaflets printed,
// broadcasts made).
func hasCopies(kind string) bool { return kind == KindLeaflet || kind == KindBroadcast }

// HasCopies reports whether an activity of kind records copies.
func HasCopies(kind string) bool { return hasCopies(kind) }

// AtSchool reports whether the activity was held at the school or had
// participants of it.
func (a *Activity) AtSchool(school int64) bool {
	if school == 0 {
		return false
	}
	for _, p := range a.Places {
		if p.Kind == PlaceSchool && p.OrgID == school {
			return true
		}
	}
	for _, p := range a.Participants {
		if p.SchoolID == school {
			return true
		}
	}
	return false
}

// cleanLine removes control characters from a one-line field (a tab or a
// line break becomes a space) and trims it.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || hiddenRune(r) || r == '\u2028' || r == '\u2029':
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// hiddenRune: bidirectional overrides and isolates, which can make a
// name read backwards in a table, and the byte-order mark.
func hiddenRune(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') || r == '\uFEFF'
}

// cleanText is cleanLine for a multi-line field: line breaks are kept
// (as \n), other control characters removed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r) || hiddenRune(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// earliestActivity is the first date an activity may have.
var earliestActivity = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// validateActivity cleans act in place and checks it; schools are the
// directory's. The returned FieldErrors' keys are the form's fields:
// kind, date, end_date, places, place.N, organiser, topic, notes, copies,
// participants, participant.N, attendees.
func (s *Service) validateActivity(act *Activity, schools []School) FieldErrors {
	fe := FieldErrors{}
	if !slices.Contains(ActivityKinds(), act.Kind) {
		fe["kind"] = "activity.err.kind"
	}
	today := s.now().In(s.loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, s.loc)
	latest := today.AddDate(1, 0, 0)
	day := func(t time.Time) time.Time {
		t = t.In(s.loc)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
	}
	switch {
	case act.Date.IsZero():
		fe["date"] = "activity.err.date_missing"
	case act.Date.Before(earliestActivity):
		fe["date"] = "activity.err.date_early"
	case day(act.Date).After(latest):
		fe["date"] = "activity.err.date_future"
	default:
		act.Date = day(act.Date)
	}
	if !act.EndDate.IsZero() {
		act.EndDate = day(act.EndDate)
		switch {
		case act.EndDate.Before(act.Date):
			fe["end_date"] = "activity.err.end_before"
		case act.EndDate.After(latest) || act.EndDate.Sub(act.Date) > 366*24*time.Hour:
			fe["end_date"] = "activity.err.end_far"
		case act.EndDate.Equal(act.Date):
			act.EndDate = time.Time{}
		}
	}
	byID := map[int64]string{}
	for _, sc := range schools {
		byID[sc.ID] = sc.Name
	}
	act.Organiser = cleanLine(act.Organiser)
	if utf8.RuneCountInString(act.Organiser) > MaxOrganiser {
		fe["organiser"] = "activity.err.too_long"
	}
	act.Topic = cleanLine(act.Topic)
	if utf8.RuneCountInString(act.Topic) > MaxTopic {
		fe["topic"] = "activity.err.too_long"
	}
	act.Notes = cleanText(act.Notes)
	if utf8.RuneCountInString(act.Notes) > MaxNotes {
		fe["notes"] = "activity.err.too_long"
	}
	switch {
	case act.Copies < 0 || act.Copies > MaxCopies:
		fe["copies"] = "activity.err.copies_range"
	case act.Copies > 0 && !hasCopies(act.Kind) && fe["kind"] == "":
		fe["copies"] = "activity.err.copies_kind"
	}

	switch {
	case len(act.Places) == 0:
		fe["places"] = "activity.err.places_missing"
	case len(act.Places) > MaxPlaces:
		fe["places"] = "activity.err.places_many"
	}
	seen := map[string]bool{}
	places := act.Places[:0:0]
	for i, p := range act.Places {
		key := "place." + strconv.Itoa(i)
		p.Name = cleanLine(p.Name)
		switch {
		case !slices.Contains(PlaceKinds(), p.Kind):
			fe[key] = "activity.err.place_kind"
		case p.Kind == PlaceSchool:
			name, ok := byID[p.OrgID]
			if !ok {
				fe[key] = "activity.err.place_school"
				break
			}
			p.Name = name
		default:
			p.OrgID = 0
			if p.Name == "" && p.Kind != PlaceWardOffice && p.Kind != PlaceOnline {
				fe[key] = "activity.err.place_name"
			} else if utf8.RuneCountInString(p.Name) > MaxPlaceName {
				fe[key] = "activity.err.too_long"
			}
		}
		dup := p.Kind + "\x00" + strconv.FormatInt(p.OrgID, 10) + "\x00" + strings.ToLower(p.Name)
		if seen[dup] {
			continue
		}
		seen[dup] = true
		places = append(places, p)
	}
	act.Places = places

	if len(act.Participants) > MaxParticipants {
		fe["participants"] = "activity.err.participants_many"
	}
	total := 0
	for i, p := range act.Participants {
		key := "participant." + strconv.Itoa(i)
		pe := ""
		switch {
		case !slices.Contains(ParticipantGroups(), p.Group):
			pe = "activity.err.group"
		case p.Count < 0 || p.Count > MaxCount:
			pe = "activity.err.count_range"
		case p.SchoolID != 0 && byID[p.SchoolID] == "":
			pe = "activity.err.participant_school"
		case p.Grade < 0 || p.Grade > 9:
			pe = "activity.err.grade"
		case p.Group == GroupPupils:
			if p.Grade > 0 {
				lv := LevelOfGrade(p.Grade)
				if p.Level != "" && p.Level != lv {
					pe = "activity.err.grade_level"
					break
				}
				p.Level = lv
			}
			if p.Level != "" && !slices.Contains(Levels(), p.Level) {
				pe = "activity.err.level"
			} else if p.SchoolID != 0 && p.Level == "" {
				pe = "activity.err.level_missing"
			}
		default:
			if p.Grade != 0 || p.Level != "" {
				pe = "activity.err.grade_adults"
			}
			if p.Group != GroupTeachers && p.SchoolID != 0 && pe == "" {
				pe = "activity.err.school_group"
			}
		}
		if pe != "" {
			fe[key] = pe
		}
		act.Participants[i] = p
		if pe == "" {
			total += p.Count
		}
	}
	if total > MaxTotal {
		fe["participants"] = "activity.err.total_range"
	}

	if len(act.Attendees) > MaxAttendees {
		fe["attendees"] = "activity.err.attendees_many"
	}
	names := act.Attendees[:0:0]
	for _, n := range act.Attendees {
		n = cleanLine(n)
		if n == "" {
			continue
		}
		if utf8.RuneCountInString(n) > MaxAttendeeName {
			fe["attendees"] = "activity.err.attendee_long"
		}
		names = append(names, n)
	}
	act.Attendees = names
	if len(fe) > 0 {
		return fe
	}
	return nil
}

func (s *Service) activities() (ActivityStore, error) {
	if s.opt.Activities != nil {
		return s.opt.Activities, nil
	}
	return storeAs[ActivityStore](s)
}

func (s *Service) schools(ctx context.Context) ([]School, error) {
	if s.opt.Schools == nil {
		return nil, nil
	}
	sc, err := s.opt.Schools.Schools(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing schools: %w", err)
	}
	if ls, ok := s.opt.Store.(SchoolLevelSource); ok {
		levels, err := ls.SchoolLevels(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading schools' levels: %w", err)
		}
		for i := range sc {
			if l, ok := levels[sc[i].ID]; ok && len(sc[i].Levels) == 0 {
				sc[i].Levels = l
			}
		}
	}
	return sc, nil
}

// Schools is the directory's active schools (the form's choices).
func (s *Service) Schools(ctx context.Context, a Actor) ([]School, error) {
	if !canRecordActivities(a) && !canSeeWard(a) {
		return nil, ErrForbidden
	}
	return s.schools(ctx)
}

// schoolScoped: a school or teacher account works on its own school only.
func schoolScoped(a Actor) bool { return a.Role == RoleSchool || a.Role == RoleTeacher }

// canSeeActivity: the ward's staff see every activity of the tenant; a
// school account those at its school; an organisation account those it
// recorded.
func canSeeActivity(a Actor, act *Activity) bool {
	switch {
	case canSeeWard(a):
		return true
	case schoolScoped(a):
		return a.OrgID != 0 && act.AtSchool(a.OrgID)
	case a.Role == RoleOrg:
		return act.CreatedBy == a.UserID
	}
	return false
}

// CanEditActivity reports whether a may change or delete act (pages show
// the buttons only then).
func CanEditActivity(a Actor, act *Activity) bool {
	return canRecordActivities(a) && canSeeActivity(a, act)
}

// CanRecordActivities reports whether a may record activities.
func CanRecordActivities(a Actor) bool { return canRecordActivities(a) }

func activityDetail(act *Activity) string {
	return fmt.Sprintf("kind=%s date=%s places=%d lines=%d participants=%d attendees=%d",
		act.Kind, act.Date.Format("2006-01-02"), len(act.Places), len(act.Participants), act.Total(), len(act.Attendees))
}

// prepare validates act for a and fills its tenant.
func (s *Service) prepare(ctx context.Context, a Actor, act *Activity) error {
	schools, err := s.schools(ctx)
	if err != nil {
		return err
	}
	if fe := s.validateActivity(act, schools); fe != nil {
		return fe
	}
	if schoolScoped(a) && !act.AtSchool(a.OrgID) {
		return FieldErrors{"places": "activity.err.own_school"}
	}
	act.TenantID = tenantOf(a)
	return nil
}

// CreateActivity validates and records act, setting its ID and Version.
func (s *Service) CreateActivity(ctx context.Context, a Actor, act *Activity) error {
	if !canRecordActivities(a) {
		return ErrForbidden
	}
	st, err := s.activities()
	if err != nil {
		return err
	}
	if err := s.prepare(ctx, a, act); err != nil {
		return err
	}
	now := s.now()
	act.CreatedBy, act.CreatedAt, act.UpdatedAt = a.UserID, now, now
	if err := st.CreateActivity(ctx, act); err != nil {
		return fmt.Errorf("recording an activity: %w", err)
	}
	s.audit(ctx, a, "activity.create", "activity", act.ID, activityDetail(act))
	return nil
}

// UpdateActivity saves act over the stored one whose Version it carries;
// a change since is ErrConflict.
func (s *Service) UpdateActivity(ctx context.Context, a Actor, act *Activity) error {
	if !canRecordActivities(a) {
		return ErrForbidden
	}
	st, err := s.activities()
	if err != nil {
		return err
	}
	old, err := st.Activity(ctx, tenantOf(a), act.ID)
	if err != nil {
		return err
	}
	if !canSeeActivity(a, old) {
		return ErrNotFound
	}
	if err := s.prepare(ctx, a, act); err != nil {
		return err
	}
	act.CreatedBy, act.CreatedAt, act.UpdatedAt = old.CreatedBy, old.CreatedAt, s.now()
	if err := st.UpdateActivity(ctx, act); err != nil {
		if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
			return err
		}
		return fmt.Errorf("saving activity %d: %w", act.ID, err)
	}
	s.audit(ctx, a, "activity.update", "activity", act.ID, activityDetail(act))
	return nil
}

// DeleteActivity removes an activity.
func (s *Service) DeleteActivity(ctx context.Context, a Actor, id int64) error {
	if !canRecordActivities(a) {
		return ErrForbidden
	}
	st, err := s.activities()
	if err != nil {
		return err
	}
	old, err := st.Activity(ctx, tenantOf(a), id)
	if err != nil {
		return err
	}
	if !canSeeActivity(a, old) {
		return ErrNotFound
	}
	if err := st.DeleteActivity(ctx, tenantOf(a), id); err != nil {
		return err
	}
	s.audit(ctx, a, "activity.delete", "activity", id, activityDetail(old))
	return nil
}

// Activity returns one activity a may see; another tenant's, or another
// school's for a school account, is ErrNotFound.
func (s *Service) Activity(ctx context.Context, a Actor, id int64) (*Activity, error) {
	if !canRecordActivities(a) && !canSeeWard(a) {
		return nil, ErrForbidden
	}
	st, err := s.activities()
	if err != nil {
		return nil, err
	}
	act, err := st.Activity(ctx, tenantOf(a), id)
	if err != nil {
		return nil, err
	}
	if !canSeeActivity(a, act) {
		return nil, ErrNotFound
	}
	return act, nil
}

// Activities returns one page of the activities a may see and the number
// the filter matches. A school account's filter is its school, whatever
// it asked.
func (s *Service) Activities(ctx context.Context, a Actor, f ActivityFilter) ([]Activity, int, error) {
	if !canRecordActivities(a) && !canSeeWard(a) {
		return nil, 0, ErrForbidden
	}
	if !f.Period.From.IsZero() && !f.Period.To.IsZero() && !f.Period.From.Before(f.Period.To) {
		return nil, 0, FieldErrors{"to": "activity.err.period_order"}
	}
	if f.Kind != "" && !slices.Contains(ActivityKinds(), f.Kind) {
		return nil, 0, FieldErrors{"kind": "activity.err.kind"}
	}
	if f.Group != "" && !slices.Contains(ParticipantGroups(), f.Group) {
		return nil, 0, FieldErrors{"group": "activity.err.group"}
	}
	switch {
	case canSeeWard(a):
	case schoolScoped(a):
		if a.OrgID == 0 {
			return nil, 0, nil
		}
		f.SchoolID = a.OrgID
	default:
		f.CreatedBy = a.UserID
	}
	if f.Limit <= 0 || f.Limit > MaxActivityPage {
		f.Limit = 50
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	st, err := s.activities()
	if err != nil {
		return nil, 0, err
	}
	return st.Activities(ctx, tenantOf(a), f)
}
