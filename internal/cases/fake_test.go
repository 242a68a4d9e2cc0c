package cases

import (
	"context"
	"crypto/rand"
	"errors"
	"reflect"
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
		if i >= len(c.Steps) || !reflect.DeepEqual(c.Steps[i], s) {
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
			f.TenantID != 0 && tenantID(c.TenantID) != f.TenantID ||
			!f.ClosedBefore.IsZero() && (c.Status != StatusClosed || !c.ClosedAt.Before(f.ClosedBefore)) ||
			!f.ReceivedFrom.IsZero() && c.ReceivedAt.Before(f.ReceivedFrom) ||
			!f.ReceivedTo.IsZero() && !c.ReceivedAt.Before(f.ReceivedTo) {
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

// memDirectory is an in-memory Directory.
type memDirectory struct {
	mu   sync.Mutex
	orgs map[int64]Organisation
	next int64
}

func newMemDirectory(orgs ...Organisation) *memDirectory {
	d := &memDirectory{orgs: map[int64]Organisation{}, next: 1000}
	for _, o := range orgs {
		d.orgs[o.ID] = o
	}
	return d
}

func (d *memDirectory) CreateOrganisation(_ context.Context, o *Organisation) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.next++
	o.ID = d.next
	d.orgs[o.ID] = *o
	return nil
}

func (d *memDirectory) UpdateOrganisation(_ context.Context, o *Organisation) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.orgs[o.ID]; !ok {
		return ErrOrgNotFound
	}
	d.orgs[o.ID] = *o
	return nil
}

func (d *memDirectory) Organisation(_ context.Context, id int64) (*Organisation, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	o, ok := d.orgs[id]
	if !ok {
		return nil, ErrOrgNotFound
	}
	return &o, nil
}

func (d *memDirectory) Organisations(context.Context) ([]Organisation, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Organisation
	for _, o := range d.orgs {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Organisation) int { return int(a.ID - b.ID) })
	return out, nil
}

// memPeople is an in-memory People.
type memPeople []StaffMember

func (p memPeople) StaffMember(_ context.Context, id int64) (StaffMember, error) {
	for _, m := range p {
		if m.ID == id {
			return m, nil
		}
	}
	return StaffMember{}, ErrNotFound
}

func (p memPeople) StaffMembers(context.Context) ([]StaffMember, error) { return slices.Clone(p), nil }

// testOrgs is the directory of the tests: the organisations of the test
// actors, and a school (80) nobody has an account for.
func testOrgs() []Organisation {
	return []Organisation{
		{ID: 40, Name: "Công an phường", Kind: AgencyPolice, Phone: "0225 3 111 113", Active: true},
		{ID: 50, Name: "Trường A", Kind: AgencySchool, Active: true},
		{ID: 51, Name: "Trường B", Kind: AgencySchool, Active: true},
		{ID: 70, Name: "Hội LHPN phường", Kind: AgencyWomensUnion, Active: true},
		{ID: 80, Name: "Trường C", Kind: AgencySchool, Phone: "0225 3 800 800", Active: true},
		{ID: 81, Name: "Trường D", Kind: AgencySchool, Email: "truongd@phuong.vn", Active: true},
		{ID: 90, Name: "Trường đã giải thể", Kind: AgencySchool, Active: false},
	}
}

// testPeople are the test actors' accounts, and a disabled officer (30).
func testPeople() memPeople {
	var p memPeople
	for _, a := range []Actor{admin, chairman, officer, police, school, otherSchool, union, viewer} {
		p = append(p, StaffMember{ID: a.UserID, Name: a.Name, Role: a.Role, OrgID: a.OrgID, Active: true})
	}
	for _, a := range []Actor{adminB, officerB, viewerB} {
		p = append(p, StaffMember{ID: a.UserID, Name: a.Name, Role: a.Role, OrgID: a.OrgID, Active: true, TenantID: a.TenantID})
	}
	return append(p, StaffMember{ID: 30, Name: "Cán bộ đã nghỉ", Role: RoleOfficer, Active: false})
}

// DeliverCaseEvent makes the recorder a DeliveryReporter: an event to an
// organisation reaches the test actors of that role and organisation, and
// the directory address counts as one e-mail.
func (r *recorder) DeliverCaseEvent(ctx context.Context, e Event) (Delivery, error) {
	if err := r.CaseEvent(ctx, e); err != nil {
		return Delivery{}, err
	}
	var d Delivery
	for _, m := range testPeople() {
		if m.Active && ((e.ToUserID != 0 && m.ID == e.ToUserID) ||
			(e.ToUserID == 0 && m.Role == e.ToRole && (e.ToOrgID == 0 || m.OrgID == e.ToOrgID))) {
			d.Accounts++
		}
	}
	if e.ToEmail != "" {
		d.Emails++
	}
	return d, nil
}
