package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"manglanh/internal/audit"
)

func newAuditLog(t *testing.T, s *Store, n int) *audit.Log {
	t.Helper()
	l, err := audit.New(audit.Config{Store: s})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := l.RecordAction(context.Background(), audit.Actor{ID: 7, Name: "Trần Văn B", Role: "officer"},
			"case.view", "case", fmt.Sprint(100+i), "lần "+fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// auditIDs returns the row ids in insertion order.
func auditIDs(t *testing.T, s *Store) []int64 {
	t.Helper()
	es, err := s.AuditEntries(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

func TestAuditChainOnBothEngines(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		l := newAuditLog(t, s, 4)
		r, err := l.Verify(context.Background())
		if err != nil || !r.OK || r.Entries != 4 || r.HeadSeq != 4 || len(r.HeadHash) != 64 {
			t.Fatalf("verify = %+v, %v", r, err)
		}
		recent, err := l.Recent(context.Background(), 2)
		if err != nil || len(recent) != 2 || recent[0].Seq != 4 || recent[0].ObjectID != "103" || recent[0].Time.IsZero() {
			t.Fatalf("recent = %+v, %v", recent, err)
		}
	})
}

func TestAuditConcurrentAppendsNeverFork(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		l := newAuditLog(t, s, 0)
		var wg sync.WaitGroup
		errs := make(chan error, 60)
		for w := range 6 {
			wg.Go(func() {
				for i := range 10 {
					errs <- l.RecordAction(context.Background(), audit.Actor{ID: int64(w)}, "x", "y", fmt.Sprint(i), "")
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		r, err := l.Verify(context.Background())
		if err != nil || !r.OK || r.Entries != 60 {
			t.Fatalf("verify = %+v, %v", r, err)
		}
	})
}

func TestAuditTamperingIsFound(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, s *Store, ids []int64)
		broken int // index into ids of the entry reported; -1 for the head
		reason string
	}{
		{"modified detail", func(t *testing.T, s *Store, ids []int64) {
			exec(t, s, "UPDATE audit_log SET detail = 'đã sửa' WHERE id = $1", ids[2])
		}, 2, "modified"},
		{"modified actor", func(t *testing.T, s *Store, ids []int64) {
			exec(t, s, "UPDATE audit_log SET actor_id = 1 WHERE id = $1", ids[0])
		}, 0, "modified"},
		{"deleted row", func(t *testing.T, s *Store, ids []int64) {
			exec(t, s, "DELETE FROM audit_log WHERE id = $1", ids[1])
		}, 2, "sequence"},
		{"deleted last row", func(t *testing.T, s *Store, ids []int64) {
			exec(t, s, "DELETE FROM audit_log WHERE id = $1", ids[4])
		}, -1, "head"},
		{"swapped rows", func(t *testing.T, s *Store, ids []int64) {
			// Swap every column but id between rows 1 and 2.
			cols := "seq, ts, actor_id, actor_name, actor_role, action, object_type, object_id, detail, ip, prev_hash, hash"
			a, b := ids[1], ids[2]
			exec(t, s, "CREATE TABLE swap_tmp AS SELECT id, "+cols+" FROM audit_log WHERE id IN ($1, $2)", a, b)
			exec(t, s, "UPDATE audit_log SET seq = -seq WHERE id IN ($1, $2)", a, b)
			set := []string{}
			for _, c := range strings.Split(cols, ", ") {
				set = append(set, c+" = (SELECT "+c+" FROM swap_tmp WHERE swap_tmp.id = $2)")
			}
			exec(t, s, "UPDATE audit_log SET "+strings.Join(set, ", ")+" WHERE id = $1", a, b)
			exec(t, s, "UPDATE audit_log SET "+strings.Join(set, ", ")+" WHERE id = $1", b, a)
			exec(t, s, "DROP TABLE swap_tmp")
		}, 1, "sequence"},
		{"row appended without the head", func(t *testing.T, s *Store, ids []int64) {
			exec(t, s, `INSERT INTO audit_log (seq, ts, actor_id, actor_name, actor_role, action, object_type, object_id, detail, ip, prev_hash, hash)
				SELECT seq + 1, ts, actor_id, actor_name, actor_role, action, object_type, object_id, detail, ip, hash, hash FROM audit_log WHERE id = $1`, ids[4])
		}, 5, "modified"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, s *Store) {
				l := newAuditLog(t, s, 5)
				ids := auditIDs(t, s)
				tc.tamper(t, s, ids)
				r, err := l.Verify(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				want := int64(0)
				if tc.broken >= 0 {
					all := auditIDs(t, s)
					want = ids[min(tc.broken, len(ids)-1)]
					if tc.broken >= len(ids) {
						want = all[len(all)-1]
					}
				}
				if r.OK || r.BrokenID != want || !strings.Contains(r.Reason, tc.reason) {
					t.Fatalf("report = %+v, want broken id %d (%s)", r, want, tc.reason)
				}
			})
		})
	}
}

func exec(t *testing.T, s *Store, q string, args ...any) {
	t.Helper()
	if _, err := s.write.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
