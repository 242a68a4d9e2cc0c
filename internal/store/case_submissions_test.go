package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"manglanh/internal/cases"
)

// TestSubmissionKeyMakesOneCase: on both engines, several concurrent
// CreateCase calls with one submission key keep exactly one case; the
// others get a DuplicateSubmissionError naming it, and keep no image.
func TestSubmissionKeyMakesOneCase(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		sub := &cases.Submission{KeyDigest: fmt.Sprintf("k-%d", time.Now().UnixNano()), ContentDigest: "c1"}
		const n = 6
		var wg sync.WaitGroup
		ids := make([]int64, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := sampleCase(fmt.Sprintf("SUB%dX%03d", i, time.Now().UnixNano()%1000), time.Now())
				c.Category, c.Submission = cases.CategoryScam, sub
				errs[i] = cs.CreateCase(ctx, c, []cases.EvidenceItem{pretendImage("x")})
				ids[i] = c.ID
			}()
		}
		wg.Wait()
		var created int64
		for i := range n {
			if errs[i] == nil {
				if created != 0 {
					t.Fatalf("two cases for one key: %d and %d", created, ids[i])
				}
				created = ids[i]
			}
		}
		if created == 0 {
			t.Fatalf("no case created: %v", errs)
		}
		for i := range n {
			if errs[i] == nil {
				continue
			}
			var dup *cases.DuplicateSubmissionError
			if !errors.As(errs[i], &dup) || dup.CaseID != created || !dup.SameContent {
				t.Fatalf("call %d: want a duplicate of case %d with the same content, got %v", i, created, errs[i])
			}
		}
		other := sampleCase("SUBOTHER", time.Now())
		other.Submission = &cases.Submission{KeyDigest: sub.KeyDigest, ContentDigest: "c2"}
		var dup *cases.DuplicateSubmissionError
		if err := cs.CreateCase(ctx, other, nil); !errors.As(err, &dup) || dup.SameContent {
			t.Fatalf("same key, other content: want a duplicate with other content, got %v", err)
		}
		var rows, images int
		s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_submissions WHERE key_digest = $1", sub.KeyDigest).Scan(&rows)
		s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_evidence WHERE case_id = $1", created).Scan(&images)
		if rows != 1 || images != 1 {
			t.Fatalf("kept %d key rows and %d images, want 1 and 1", rows, images)
		}
		if _, err := cs.GetCaseByCode(ctx, "SUBOTHER"); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("the refused case was kept: %v", err)
		}
	})
}
