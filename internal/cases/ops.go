package cases

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// PublicStatus is all the public learns from a tracking code: the code and
// a coarse label. Never any content.
type PublicStatus struct {
	Code    string
	LabelVi string
	LabelEn string
	Closed  bool
}

// Label returns the label in lang ("vi" by default, or "en").
func (p PublicStatus) Label(lang string) string {
	if lang == "en" {
		return p.LabelEn
	}
	return p.LabelVi
}

// StatusByCode returns the public status of the case with tracking code
// (normalised with NormalizeCode). A malformed or unknown code gives
// ErrNotFound. The web layer must rate-limit this by client.
func (s *Service) StatusByCode(ctx context.Context, code string) (PublicStatus, error) {
	norm, err := NormalizeCode(code)
	if err != nil {
		return PublicStatus{}, ErrNotFound
	}
	c, err := s.store.GetCaseByCode(ctx, norm)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return PublicStatus{}, ErrNotFound
		}
		return PublicStatus{}, fmt.Errorf("looking up tracking code: %w", err)
	}
	return PublicStatus{Code: c.Code, LabelVi: StatusLabel(c.Status, "vi"),
		LabelEn: StatusLabel(c.Status, "en"), Closed: c.Status == StatusClosed}, nil
}

// Dashboard counts a scope's open cases with an overdue or due-soon
// deadline, by effective risk level, and lists them (most urgent first).
// A case counts once: as overdue if any deadline is overdue, else as due
// soon. Viewers get the counts over all cases and no list.
type Dashboard struct {
	Overdue map[string]int // by risk level
	DueSoon map[string]int // by risk level
	Cases   []Summary      // nil for viewers
}

// Dashboard computes the dashboard for a at now.
func (s *Service) Dashboard(ctx context.Context, a Actor, now time.Time) (Dashboard, error) {
	if err := checkActor(a); err != nil {
		return Dashboard{}, err
	}
	var cs []*Case
	var err error
	switch {
	case a.Role == RoleViewer:
		cs, err = s.allOpen(ctx, TenantOf(a))
	case hasCaseScope(a.Role):
		cs, err = s.scopedAll(ctx, a, Filter{OpenOnly: true})
	default:
		return Dashboard{}, ErrForbidden
	}
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Overdue: map[string]int{}, DueSoon: map[string]int{}}
	for _, c := range cs {
		sum := c.Summary(s.cal, now)
		overdue, soon := false, false
		for _, dl := range sum.Deadlines {
			overdue = overdue || dl.Overdue
			soon = soon || dl.DueSoon
		}
		switch {
		case overdue:
			d.Overdue[sum.RiskLevel]++
		case soon:
			d.DueSoon[sum.RiskLevel]++
		default:
			continue
		}
		if a.Role != RoleViewer {
			d.Cases = append(d.Cases, sum)
		}
	}
	slices.SortStableFunc(d.Cases, func(x, y Summary) int { return earliest(x).Compare(earliest(y)) })
	return d, nil
}

// earliest is the earliest due time among a summary's deadlines.
func earliest(s Summary) time.Time {
	var t time.Time
	for _, d := range s.Deadlines {
		if t.IsZero() || d.Due.Before(t) {
			t = d.Due
		}
	}
	return t
}

// allOpen pages through every open case of ward tenant (0: of every
// ward, for the deadline checker).
func (s *Service) allOpen(ctx context.Context, tenant int64) ([]*Case, error) {
	var out []*Case
	for off := 0; ; off += MaxList {
		cs, err := s.store.ListCases(ctx, Filter{OpenOnly: true, Limit: MaxList, Offset: off, TenantID: tenant})
		if err != nil {
			return nil, fmt.Errorf("listing open cases: %w", err)
		}
		out = append(out, cs...)
		if len(cs) < MaxList {
			return out, nil
		}
	}
}

// scopedAll pages through every case f selects in a's scope.
func (s *Service) scopedAll(ctx context.Context, a Actor, f Filter) ([]*Case, error) {
	if seesAllCases(a.Role) {
		return s.allOpen(ctx, TenantOf(a))
	}
	f.Limit = MaxList * 20 // a referred scope is small; bounded all the same
	return s.scoped(ctx, a, f)
}

// noticeKey identifies one stage of one deadline of one case.
func noticeKey(c *Case, d Deadline, stage EventKind) string {
	return fmt.Sprintf("%d:%s:%d:%s", c.ID, d.Kind, d.Due.Unix(), stage)
}

// CheckDeadlines finds open deadlines that are due soon or overdue at now
// and notifies them once each: due-soon to the assignee (the ward admins
// when there is none); overdue to the assignee and, as an escalation, to
// the ward admins. A notice is claimed in the store before it is sent and
// released if delivery fails, so it is retried on the next run and never
// sent twice. It returns the events sent.
func (s *Service) CheckDeadlines(ctx context.Context, now time.Time) ([]Event, error) {
	cs, err := s.allOpen(ctx, 0)
	if err != nil {
		return nil, err
	}
	var sent []Event
	var errs []error
	for _, c := range cs {
		for _, d := range c.Deadlines(s.cal, now) {
			var evs []Event
			stage := EventDueSoon
			switch {
			case d.Overdue:
				stage = EventOverdue
				esc := eventFor(c, EventEscalation)
				esc.ToRole = RoleWardAdmin
				evs = []Event{toAssignee(c, eventFor(c, EventOverdue)), esc}
				if c.AssigneeID == 0 {
					evs = evs[1:] // the ward admins are told once
				}
			case d.DueSoon:
				evs = []Event{toAssignee(c, eventFor(c, EventDueSoon))}
			default:
				continue
			}
			key := noticeKey(c, d, stage)
			first, err := s.store.ClaimNotice(ctx, Notice{Key: key, CaseID: c.ID, Kind: stage,
				Deadline: d.Kind, Due: d.Due, SentAt: now})
			if err != nil {
				errs = append(errs, fmt.Errorf("claiming notice %s: %w", key, err))
				continue
			}
			if !first {
				continue
			}
			for _, e := range evs {
				e.Deadline, e.Due, e.At = d.Kind, d.Due, now
				if err := s.notifier.CaseEvent(ctx, e); err != nil {
					errs = append(errs, fmt.Errorf("notifying %s for case %d: %w", e.Kind, c.ID, err))
					if rerr := s.store.ReleaseNotice(ctx, key); rerr != nil {
						errs = append(errs, fmt.Errorf("releasing notice %s: %w", key, rerr))
					}
					break
				}
				sent = append(sent, e)
			}
		}
	}
	return sent, errors.Join(errs...)
}

// MinRetention is the shortest retention Purge accepts, a guard against a
// configuration typo wiping the ward's files.
const MinRetention = 30 * 24 * time.Hour

// Purge deletes the cases closed before now-retention, leaving for each a
// DeletionRecord (code, dates, category; no personal data). It returns how
// many it deleted.
func (s *Service) Purge(ctx context.Context, now time.Time, retention time.Duration) (int, error) {
	if retention < MinRetention {
		return 0, fmt.Errorf("retention %s is shorter than the minimum %s", retention, MinRetention)
	}
	cutoff := now.Add(-retention)
	system := Actor{Role: "system", Name: "purge"}
	n := 0
	for {
		cs, err := s.store.ListCases(ctx, Filter{Statuses: []Status{StatusClosed}, ClosedBefore: cutoff, Limit: MaxList})
		if err != nil {
			return n, fmt.Errorf("listing cases to purge: %w", err)
		}
		deleted := 0
		for _, c := range cs {
			if c.Status != StatusClosed || c.ClosedAt.IsZero() || !c.ClosedAt.Before(cutoff) {
				continue // the store over-matched; never delete an open case
			}
			rec := DeletionRecord{CaseID: c.ID, Code: c.Code, Category: c.Category, Channel: c.Channel,
				RiskLevel: c.RiskLevel, ReceivedAt: c.ReceivedAt, ClosedAt: c.ClosedAt, DeletedAt: now,
				Reason: fmt.Sprintf("retention %s", retention)}
			if err := s.store.DeleteCase(ctx, c.ID, rec); err != nil {
				return n, fmt.Errorf("purging case %d: %w", c.ID, err)
			}
			if err := s.audit.Record(ctx, system, "case.purge", c.ID, c.Code); err != nil {
				s.log.ErrorContext(ctx, "audit failed", "case", c.ID, "err", err)
			}
			n++
			deleted++
		}
		if len(cs) < MaxList || deleted == 0 {
			return n, nil
		}
	}
}
