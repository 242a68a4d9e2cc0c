package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"manglanh/internal/cases"
)

// Evidence describes a stored evidence image. File is the random name on
// disk; the content is sealed there with the case store's key.
type Evidence struct {
	ID          int64
	CaseID      int64
	File        string
	ContentType string
	Size        int64
	Width       int
	Height      int
	CreatedAt   time.Time

	// sealed is the sealed content kept in the row (PostgreSQL), nil for a
	// file.
	sealed []byte
}

func mkdirPrivate(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating uploads directory: %w", err)
	}
	return nil
}

// validFileName accepts only the names this store makes: 32 hex digits.
func validFileName(name string) bool {
	if len(name) != 32 {
		return false
	}
	_, err := hex.DecodeString(name)
	return err == nil
}

// tempPrefix starts the name of an evidence file that is written but not
// yet known to be committed: ".tmp-" and the final name.
const tempPrefix = ".tmp-"

// staleTemp is how old an uncommitted temporary file must be before the
// start-up sweep removes it: older than any intake in flight in another
// process sharing the directory.
const staleTemp = 10 * time.Minute

// removeFile removes evidence file name, under its final or its temporary
// name.
func (cs *CaseStore) removeFile(name string) error {
	if !validFileName(name) {
		return fmt.Errorf("refusing to remove %q: not an evidence file name", name)
	}
	var errs []error
	for _, n := range []string{name, tempPrefix + name} {
		if err := os.Remove(filepath.Join(cs.uploads, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// syncDir makes the directory entries of the uploads directory durable
// (creations and renames).
func (cs *CaseStore) syncDir() error {
	d, err := os.Open(cs.uploads)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// stageEvidence seals each item and writes it under the temporary name of
// a new random final name, each file and then the directory synced, so the
// files are on disk before any row names them. It returns the evidence
// rows to insert; on error nothing is left behind.
//
// How a report stays whole (see CreateCase): stage, then insert the case
// and the evidence rows in one transaction, then rename each file to its
// final name. A crash before the commit leaves only temporary files that no
// row names: invisible, removed by the start-up sweep. A crash after it
// leaves rows whose files are still under their temporary names:
// OpenEvidence reads them there, and the sweep renames them.
//
// On PostgreSQL the sealed content goes in the row itself (case_evidence.data),
// in the same transaction as the case, so every process of a deployment,
// on any machine, reads it; nothing is written to disk.
func (cs *CaseStore) stageEvidence(items []cases.EvidenceItem, now time.Time) ([]Evidence, error) {
	var out []Evidence
	fail := func(err error) ([]Evidence, error) {
		cs.discardStaged(out)
		return nil, fmt.Errorf("writing evidence: %w", err)
	}
	for _, it := range items {
		if it.ContentType != cases.EvidenceJPEG && it.ContentType != cases.EvidencePNG {
			return fail(fmt.Errorf("content type %q not accepted", it.ContentType))
		}
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return fail(err)
		}
		name := hex.EncodeToString(b)
		sealed, err := cs.sealer.Seal(it.Data)
		if err != nil {
			return fail(fmt.Errorf("sealing: %w", err))
		}
		if cs.inDB() {
			out = append(out, Evidence{File: name, ContentType: it.ContentType, Size: int64(len(it.Data)),
				Width: it.Width, Height: it.Height, CreatedAt: now, sealed: sealed})
			continue
		}
		f, err := os.OpenFile(filepath.Join(cs.uploads, tempPrefix+name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fail(err)
		}
		out = append(out, Evidence{File: name, ContentType: it.ContentType, Size: int64(len(it.Data)),
			Width: it.Width, Height: it.Height, CreatedAt: now})
		_, err = f.Write(sealed)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(err)
		}
	}
	if len(out) > 0 && !cs.inDB() {
		if err := cs.syncDir(); err != nil {
			return fail(err)
		}
	}
	return out, nil
}

// discardStaged removes staged files whose rows were not committed.
func (cs *CaseStore) discardStaged(ev []Evidence) {
	if cs.inDB() {
		return
	}
	for _, e := range ev {
		os.Remove(filepath.Join(cs.uploads, tempPrefix+e.File))
	}
}

// discardUncommitted removes the staged files of a transaction that
// failed. When the failure may have come after the commit (a connection
// lost during COMMIT), it first asks whether a row names them, and leaves
// named or unknown ones to the start-up sweep.
func (cs *CaseStore) discardUncommitted(ctx context.Context, ev []Evidence, rolledBack bool) {
	if len(ev) == 0 {
		return
	}
	if !rolledBack {
		var n int
		err := cs.db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_evidence WHERE file = $1", ev[0].File).Scan(&n)
		if err != nil || n > 0 {
			return
		}
	}
	cs.discardStaged(ev)
}

// insertEvidence inserts the rows of ev for case caseID and sets their IDs.
func insertEvidence(ctx context.Context, tx *sql.Tx, caseID int64, ev []Evidence) error {
	for i := range ev {
		e := &ev[i]
		e.CaseID = caseID
		id, err := insertID(ctx, tx, `INSERT INTO case_evidence (case_id, file, content_type, size, width, height, created_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, caseID, e.File, e.ContentType, e.Size, e.Width, e.Height, ms(e.CreatedAt), e.sealed)
		if err != nil {
			return fmt.Errorf("inserting evidence: %w", err)
		}
		e.ID = id
	}
	return nil
}

// publishEvidence renames committed files to their final names. A file
// already renamed (by the sweep of another process) is not an error.
func (cs *CaseStore) publishEvidence(ev []Evidence) error {
	if cs.inDB() {
		return nil
	}
	var errs []error
	for _, e := range ev {
		final := filepath.Join(cs.uploads, e.File)
		if err := os.Rename(filepath.Join(cs.uploads, tempPrefix+e.File), final); err != nil {
			if _, serr := os.Stat(final); serr != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(ev) > 0 {
		if err := cs.syncDir(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// sweepUploads finishes what a crash interrupted: a temporary file whose
// row was committed is renamed into place; one that no row names and that
// is older than staleTemp is removed (younger ones may belong to an intake
// in flight in another process). It returns how many files it renamed and
// removed.
func (cs *CaseStore) sweepUploads(ctx context.Context) (renamed, removed int, err error) {
	entries, err := os.ReadDir(cs.uploads)
	if err != nil {
		return 0, 0, fmt.Errorf("sweeping uploads: %w", err)
	}
	cutoff := cs.now().Add(-staleTemp)
	for _, de := range entries {
		tmp, ok := strings.CutPrefix(de.Name(), tempPrefix)
		if !ok || !de.Type().IsRegular() {
			continue
		}
		if validFileName(tmp) {
			var n int
			if err := cs.db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_evidence WHERE file = $1", tmp).Scan(&n); err != nil {
				return renamed, removed, fmt.Errorf("sweeping uploads: %w", err)
			}
			if n > 0 {
				if err := cs.publishEvidence([]Evidence{{File: tmp}}); err != nil {
					return renamed, removed, fmt.Errorf("sweeping uploads: %w", err)
				}
				renamed++
				continue
			}
		}
		info, err := de.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(cs.uploads, de.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			return renamed, removed, fmt.Errorf("sweeping uploads: %w", err)
		}
		removed++
	}
	return renamed, removed, nil
}

// ListEvidence returns the evidence images of case caseID, oldest first.
func (cs *CaseStore) ListEvidence(ctx context.Context, caseID int64) ([]Evidence, error) {
	rows, err := cs.db.read.QueryContext(ctx, `SELECT id, case_id, file, content_type, size, width, height, created_at
		FROM case_evidence WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("listing evidence of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []Evidence
	for rows.Next() {
		var e Evidence
		var at int64
		if err := rows.Scan(&e.ID, &e.CaseID, &e.File, &e.ContentType, &e.Size, &e.Width, &e.Height, &at); err != nil {
			return nil, err
		}
		e.CreatedAt = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// OpenEvidence returns evidence image id of case caseID, decrypted. It
// returns cases.ErrNotFound when the image does not belong to that case.
func (cs *CaseStore) OpenEvidence(ctx context.Context, caseID, id int64) (Evidence, []byte, error) {
	var e Evidence
	var at int64
	var inRow []byte
	err := cs.db.read.QueryRowContext(ctx, `SELECT id, case_id, file, content_type, size, width, height, created_at, data
		FROM case_evidence WHERE id = $1 AND case_id = $2`, id, caseID).
		Scan(&e.ID, &e.CaseID, &e.File, &e.ContentType, &e.Size, &e.Width, &e.Height, &at, &inRow)
	if errors.Is(err, sql.ErrNoRows) {
		return e, nil, cases.ErrNotFound
	}
	if err != nil {
		return e, nil, fmt.Errorf("reading evidence %d: %w", id, err)
	}
	e.CreatedAt = fromMS(at)
	if !validFileName(e.File) {
		return e, nil, fmt.Errorf("evidence %d: bad file name in database", id)
	}
	sealed := inRow
	if sealed == nil {
		// A file (SQLite, or a PostgreSQL deployment from before 0700).
		sealed, err = os.ReadFile(filepath.Join(cs.uploads, e.File))
		if errors.Is(err, os.ErrNotExist) {
			// Committed, not yet renamed: see stageEvidence.
			sealed, err = os.ReadFile(filepath.Join(cs.uploads, tempPrefix+e.File))
		}
		if err != nil {
			return e, nil, fmt.Errorf("reading evidence %d: %w", id, err)
		}
	}
	data, err := cs.sealer.Open(sealed)
	if err != nil {
		return e, nil, fmt.Errorf("opening evidence %d: %w", id, err)
	}
	return e, data, nil
}

// inDB reports whether evidence is kept in the database's rows
// (PostgreSQL) rather than as files in the uploads directory (SQLite).
func (cs *CaseStore) inDB() bool { return cs.db.dialect == Postgres }
