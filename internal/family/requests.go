package family

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Decision is a parent's answer to a child's allow request.
type Decision string

// The decisions of the requests page.
const (
	DecideHour   Decision = "hour"   // allowed for one hour
	DecideDay    Decision = "day"    // allowed until midnight in the profile's time zone
	DecideAlways Decision = "always" // added to the profile's allowed sites
	DecideRefuse Decision = "refuse" // not allowed; the child may ask again later
)

var errNoRequestStore = errors.New("family: the store does not keep allow requests")

func (s *Service) requests() (RequestStore, error) {
	rs, ok := s.store.(RequestStore)
	if !ok {
		return nil, errNoRequestStore
	}
	return rs, nil
}

// profileLocation is the profile's time zone (Asia/Ho_Chi_Minh when it
// names none or an unknown one).
func profileLocation(p *Profile) *time.Location {
	name := p.TimeZone
	if name == "" {
		name = "Asia/Ho_Chi_Minh"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	return loc
}

// AskAllow records the child's "ask my parent to allow this site" from the
// child's page (token): domain must be a site name, category is why it was
// blocked ("" unknown). A second press for the same site returns the
// pending request (created false); more than MaxRequestsPerHour new
// requests within an hour is ErrTooManyRequests. An unknown token is
// ErrNotFound; a bad domain a *ValidationError on field "d".
func (s *Service) AskAllow(ctx context.Context, token, domain, category string) (*AllowRequest, bool, error) {
	p, err := s.ProfileByToken(ctx, token)
	if err != nil {
		return nil, false, err
	}
	d, ok := NormalizeDomain(domain)
	if !ok {
		var v ValidationError
		v.add("d", "Tên trang web không hợp lệ.", "That is not a valid site name.")
		return nil, false, &v
	}
	if len(category) > 40 {
		category = ""
	}
	rs, err := s.requests()
	if err != nil {
		return nil, false, err
	}
	now := s.now().UTC()
	r := &AllowRequest{ProfileID: p.ID, Domain: d, Category: category, Status: RequestPending, CreatedAt: now}
	created, err := rs.AddAllowRequest(ctx, r, now.Add(-time.Hour), MaxRequestsPerHour)
	if err != nil {
		return nil, false, err
	}
	if created {
		s.audit(ctx, Actor{}, "family.allow_requested", r.ID, fmt.Sprintf("profile=%d domain=%s", p.ID, d))
	}
	return r, created, nil
}

// AllowRequests returns the requests of the parent's children, newest
// first: the pending ones and the last decided ones (at most limit).
func (s *Service) AllowRequests(ctx context.Context, a Actor, limit int) ([]AllowRequest, error) {
	if !a.isParent() {
		return nil, ErrNotFound
	}
	profiles, err := s.store.ProfilesOfParent(ctx, a.Parent.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(profiles))
	for _, p := range profiles {
		if p.Kind == KindChild {
			ids = append(ids, p.ID)
		}
	}
	rs, err := s.requests()
	if err != nil {
		return nil, err
	}
	return rs.AllowRequests(ctx, ids, "", limit)
}

// PendingRequests is the requests of one profile the child is waiting on
// (the child's page shows them).
func (s *Service) PendingRequests(ctx context.Context, profileID int64) ([]AllowRequest, error) {
	rs, err := s.requests()
	if err != nil {
		return nil, err
	}
	return rs.AllowRequests(ctx, []int64{profileID}, RequestPending, 20)
}

// DecideRequest applies a parent's decision: an allow writes a temporary
// allow (hour, day) or an always-allowed site into the profile's rules in
// one transaction, which bumps the policy version so the DNS policy
// reloads; then the request is marked decided. Another family's request is
// ErrNotFound; a decided one ErrAlreadyDecided; a pending parent
// ErrPending.
func (s *Service) DecideRequest(ctx context.Context, a Actor, id int64, d Decision) (*AllowRequest, error) {
	rs, err := s.requests()
	if err != nil {
		return nil, err
	}
	r, err := rs.GetAllowRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FamilyProfile(ctx, r.ProfileID)
	if err != nil {
		return nil, err
	}
	if err := a.canChange(p); err != nil {
		return nil, err
	}
	if r.Status != RequestPending {
		return nil, ErrAlreadyDecided
	}
	now := s.now().UTC()
	var until time.Time
	status := RequestAllowed
	switch d {
	case DecideHour:
		until = now.Add(time.Hour)
	case DecideDay:
		loc := profileLocation(p)
		l := now.In(loc)
		until = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc).UTC()
	case DecideAlways:
	case DecideRefuse:
		status = RequestRefused
	default:
		var v ValidationError
		v.add("decision", "Hãy chọn một cách trả lời.", "Choose an answer.")
		return nil, &v
	}
	if status == RequestAllowed {
		if _, err := s.store.UpdateProfile(ctx, p.ID, func(p *Profile) error {
			if !a.canSee(p) {
				return ErrNotFound
			}
			allowSite(&p.Rules, r.Domain, until, now)
			p.UpdatedAt = now
			return nil
		}); err != nil {
			return nil, fmt.Errorf("allowing %s: %w", r.Domain, err)
		}
	}
	if err := rs.DecideAllowRequest(ctx, id, status, until, now); err != nil {
		return nil, err
	}
	s.audit(ctx, a, "family.allow_decided", id, fmt.Sprintf("profile=%d domain=%s decision=%s", p.ID, r.Domain, d))
	r.Status, r.Until, r.DecidedAt = status, until, now
	return r, nil
}

// allowSite adds domain to the rules: until zero means always (added to
// Allow, removed from Deny), otherwise a temporary allow replacing an
// earlier one of the same site. Temporary allows that ended are dropped,
// and when the list is full the one ending first makes room.
func allowSite(r *Rules, domain string, until, now time.Time) {
	if until.IsZero() {
		r.Deny = slices.DeleteFunc(r.Deny, func(d string) bool { return d == domain })
		if !slices.Contains(r.Allow, domain) {
			r.Allow = append(r.Allow, domain)
		}
		return
	}
	r.TempAllows = slices.DeleteFunc(r.TempAllows, func(t TempAllow) bool { return !t.Until.After(now) || t.Domain == domain })
	if len(r.TempAllows) >= maxTemp {
		slices.SortFunc(r.TempAllows, func(a, b TempAllow) int { return a.Until.Compare(b.Until) })
		r.TempAllows = r.TempAllows[1:]
	}
	r.TempAllows = append(r.TempAllows, TempAllow{Domain: domain, Until: until})
}
