package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"manglanh/internal/cases"
)

// errSubmissionTaken: inside CreateCase's transaction, the submission key
// is already kept. The transaction is rolled back before the earlier case
// is looked up (on PostgreSQL an aborted transaction reads nothing).
var errSubmissionTaken = errors.New("submission key taken")

// insertSubmission keeps sub for case caseID; nil keeps nothing. On
// PostgreSQL a concurrent transaction inserting the same key waits for this
// one and then fails on the primary key; SQLite has one writer.
func insertSubmission(ctx context.Context, tx *sql.Tx, caseID int64, sub *cases.Submission) error {
	if sub == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_submissions (key_digest, case_id, content_digest)
		VALUES ($1, $2, $3)`, sub.KeyDigest, caseID, sub.ContentDigest)
	if IsUniqueViolation(err) {
		return errSubmissionTaken
	}
	if err != nil {
		return fmt.Errorf("inserting submission key: %w", err)
	}
	return nil
}

// duplicateSubmission describes the case already kept for sub's key.
func (cs *CaseStore) duplicateSubmission(ctx context.Context, sub *cases.Submission) error {
	var id int64
	var content string
	err := cs.db.write.QueryRowContext(ctx, `SELECT case_id, content_digest FROM case_submissions
		WHERE key_digest = $1`, sub.KeyDigest).Scan(&id, &content)
	if err != nil {
		return fmt.Errorf("reading the case of a repeated submission: %w", err)
	}
	return &cases.DuplicateSubmissionError{CaseID: id, SameContent: content == sub.ContentDigest}
}
