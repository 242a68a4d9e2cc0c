package auth

import (
	"bytes"
	"context"
	"sort"
	"sync"
	"time"

	"manglanh/internal/audit"
)

// memStore is an in-memory Store for the package's tests.
type memStore struct {
	mu       sync.Mutex
	users    map[int64]User
	sessions map[string]Session
	nextID   int64
	// recovery holds each user's recovery code hashes: true once used.
	recovery map[int64]map[string]bool
}

func newMemStore() *memStore {
	return &memStore{users: map[int64]User{}, sessions: map[string]Session{}, recovery: map[int64]map[string]bool{}}
}

func (m *memStore) ReplaceRecoveryCodes(_ context.Context, id int64, hashes []string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	set := map[string]bool{}
	for _, h := range hashes {
		set[h] = false
	}
	m.recovery[id] = set
	return nil
}

func (m *memStore) UseRecoveryCode(_ context.Context, id int64, hash string, _ time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	used, ok := m.recovery[id][hash]
	if !ok || used {
		return false, nil
	}
	m.recovery[id][hash] = true
	return true, nil
}

func (m *memStore) RecoveryCodesLeft(_ context.Context, id int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, used := range m.recovery[id] {
		if !used {
			n++
		}
	}
	return n, nil
}

func (m *memStore) CreateUser(_ context.Context, u *User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.users {
		if x.Email == u.Email {
			return ErrEmailTaken
		}
	}
	m.nextID++
	u.ID = m.nextID
	c := *u
	c.TOTPSecret = bytes.Clone(u.TOTPSecret)
	m.users[u.ID] = c
	return nil
}

func (m *memStore) UpdateUser(_ context.Context, u *User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.users[u.ID]
	if !ok {
		return ErrNotFound
	}
	c := *u
	c.Email, c.CreatedAt = old.Email, old.CreatedAt
	c.TOTPSecret = bytes.Clone(u.TOTPSecret)
	m.users[u.ID] = c
	return nil
}

func (m *memStore) UserByID(_ context.Context, id int64) (*User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.users[id]
	if !ok {
		return nil, ErrNotFound
	}
	u.TOTPSecret = bytes.Clone(u.TOTPSecret)
	return &u, nil
}

func (m *memStore) UserByEmail(ctx context.Context, email string) (*User, error) {
	m.mu.Lock()
	var id int64
	for _, u := range m.users {
		if u.Email == email {
			id = u.ID
		}
	}
	m.mu.Unlock()
	return m.UserByID(ctx, id)
}

func (m *memStore) ListUsers(context.Context) ([]User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []User
	for _, u := range m.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out, nil
}

func (m *memStore) UseTOTPStep(_ context.Context, id, step int64) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.users[id]
	if u.TOTPLastStep >= step {
		return false, nil
	}
	u.TOTPLastStep = step
	m.users[id] = u
	return true, nil
}

func (m *memStore) CreateSession(_ context.Context, s *Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.TokenHash] = *s
	return nil
}

func (m *memStore) SessionByHash(_ context.Context, h string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[h]
	if !ok {
		return nil, ErrNotFound
	}
	return &s, nil
}

func (m *memStore) TouchSession(_ context.Context, h string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sessions[h]
	s.LastSeen = at
	m.sessions[h] = s
	return nil
}

func (m *memStore) DeleteSession(_ context.Context, h string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, h)
	return nil
}

func (m *memStore) DeleteUserSessions(_ context.Context, id int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for h, s := range m.sessions {
		if s.UserID == id {
			delete(m.sessions, h)
			n++
		}
	}
	return n, nil
}

func (m *memStore) PurgeSessions(_ context.Context, idle, created time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for h, s := range m.sessions {
		if s.LastSeen.Before(idle) || s.CreatedAt.Before(created) {
			delete(m.sessions, h)
			n++
		}
	}
	return n, nil
}

func (m *memStore) sessionCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions)
}

// memAudit remembers entries.
type memAudit struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (a *memAudit) Record(_ context.Context, e audit.Entry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.entries = append(a.entries, e)
	return nil
}

func (a *memAudit) count(action string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, e := range a.entries {
		if e.Action == action {
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

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
