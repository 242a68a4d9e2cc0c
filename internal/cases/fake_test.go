package cases

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"sync"
	"time"
)

// memStore is an in-memory Store for unit tests.
type memStore struct {
	mu        sync.Mutex
	cases     map[int64]*Case
	nextID    int64
	nextSub   int64
	notices   map[string]Notice
	deletions []DeletionRecord
	evidence  map[int64][]EvidenceItem
	failList  error
	// failEvidence makes CreateCase with images fail, as a full disk would.
	failEvidence error
}

func newMemStore() *memStore {
	return &memStore{cases: map[int64]*Case{}, notices: map[string]Notice{}, evidence: map[int64][]EvidenceItem{}}
}

var _ Store = (*memStore)(nil)

func (m *memStore) assignSubIDs(c *Case) {
	for i := range c.Steps {
		if c.Steps[i].ID == 0 {
			m.nextSub++
			c.Steps[i].ID = m.nextSub
		}
	}
	for i := range c.Referrals {
		if c.Referrals[i].ID == 0 {
			m.nextSub++
			c.Referrals[i].ID = m.nextSub
		}
	}
}

func (m *memStore) CreateCase(_ context.Context, c *Case, evidence []EvidenceItem) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(evidence) > 0 && m.failEvidence != nil {
		return m.failEvidence
	}
	for _, o := range m.cases {
		if o.Code == c.Code {
			return ErrCodeTaken
		}
	}
	for _, d := range m.deletions {
		if d.Code == c.Code {
			return ErrCodeTaken
		}
	}
	m.nextID++
	c.ID, c.Version = m.nextID, 1
	m.assignSubIDs(c)
	m.cases[c.ID] = c.clone()
	if len(evidence) > 0 {
		m.evidence[c.ID] = slices.Clone(evidence)
	}
	return nil
}

func (m *memStore) GetCase(_ context.Context, id int64) (*Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.cases[id]
	if !ok {
		return nil, ErrNotFound
	}
	return c.clone(), nil
}

func (m *memStore) GetCaseByCode(_ context.Context, code string) (*Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.cases {
		if c.Code == code {
			return c.clone(), nil
		}
	}
	return nil, ErrNotFound
}

func (m *memStore) UpdateCase(_ context.Context, c *Case) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.cases[c.ID]
	if !ok {
		return ErrNotFound
	}
	if old.Version != c.Version {
		return ErrConflict
	}
	for i, s := range old.Steps { // steps are append-only
		if i >= len(c.Steps) || c.Steps[i] != s {
			return errors.New("memstore: existing step changed")
		}
	}
	m.assignSubIDs(c)
	c.Version++
	m.cases[c.ID] = c.clone()
	return nil
}

func (m *memStore) ListCases(_ context.Context, f Filter) ([]*Case, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failList != nil {
		return nil, m.failList
	}
	var out []*Case
	for _, c := range m.cases {
		if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, c.Status) ||
			f.OpenOnly && c.Status == StatusClosed ||
			f.Category != "" && c.Category != f.Category ||
			f.Urgent && !c.Urgent ||
			f.AssigneeID != 0 && c.AssigneeID != f.AssigneeID ||
			!f.ClosedBefore.IsZero() && (c.Status != StatusClosed || !c.ClosedAt.Before(f.ClosedBefore)) {
			continue
		}
		if f.ReferredKind != "" && !slices.ContainsFunc(c.Referrals, func(r Referral) bool {
			return r.AgencyKind == f.ReferredKind && (f.ReferredOrgID == 0 || r.OrgID == f.ReferredOrgID) && r.Status.grantsAccess()
		}) {
			continue
		}
		d := c.clone()
		d.Sensitive, d.Steps = Sensitive{}, nil // as a real store may
		out = append(out, d)
	}
	sortNewestFirst(out)
	if f.Offset >= len(out) {
		return nil, nil
	}
	out = out[f.Offset:]
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

func (m *memStore) ClaimNotice(_ context.Context, n Notice) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.notices[n.Key]; ok {
		return false, nil
	}
	m.notices[n.Key] = n
	return true, nil
}

func (m *memStore) ReleaseNotice(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.notices, key)
	return nil
}

func (m *memStore) DeleteCase(_ context.Context, id int64, rec DeletionRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.cases[id]; !ok {
		return ErrNotFound
	}
	delete(m.cases, id)
	delete(m.evidence, id)
	for k, n := range m.notices {
		if n.CaseID == id {
			delete(m.notices, k)
		}
	}
	m.deletions = append(m.deletions, rec)
	return nil
}

// recorder is a Notifier and an Auditor that remembers what it was told.
type recorder struct {
	mu        sync.Mutex
	events    []Event
	audits    []auditEntry
	failEvent error
	failAudit error
}

type auditEntry struct {
	Actor  Actor
	Action string
	CaseID int64
	Detail string
}

func (r *recorder) CaseEvent(_ context.Context, e Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failEvent != nil {
		return r.failEvent
	}
	r.events = append(r.events, e)
	return nil
}

func (r *recorder) Record(_ context.Context, a Actor, action string, id int64, detail string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failAudit != nil {
		return r.failAudit
	}
	r.audits = append(r.audits, auditEntry{a, action, id, detail})
	return nil
}

func (r *recorder) countAudit(action string, id int64) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, a := range r.audits {
		if a.Action == action && a.CaseID == id {
			n++
		}
	}
	return n
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func cryptoRead(p []byte) (int, error) { return rand.Read(p) }
