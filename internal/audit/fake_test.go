package audit

import (
	"context"
	"sync"
)

// memStore is an in-memory Store for the package's tests.
type memStore struct {
	mu       sync.Mutex
	rows     []Entry
	headSeq  int64
	headHash string
}

func (m *memStore) AppendAudit(_ context.Context, build func(int64, string) (Entry, error)) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := build(m.headSeq, m.headHash)
	if err != nil {
		return Entry{}, err
	}
	e.ID = int64(len(m.rows)) + 1
	m.rows = append(m.rows, e)
	m.headSeq, m.headHash = e.Seq, e.Hash
	return e, nil
}

func (m *memStore) AuditEntries(_ context.Context, afterID int64, limit int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, e := range m.rows {
		if e.ID > afterID && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memStore) AuditHead(context.Context) (int64, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.headSeq, m.headHash, nil
}

func (m *memStore) RecentAudit(_ context.Context, limit int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for i := len(m.rows) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, m.rows[i])
	}
	return out, nil
}
