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
	"time"

	"manglanh/internal/cases"
)

// EvidenceFile is an image to keep with a case: already decoded and
// re-encoded by the caller (so no metadata survives), never the uploaded
// bytes nor the uploaded name.
type EvidenceFile struct {
	Data        []byte
	ContentType string // image/jpeg or image/png
	Width       int
	Height      int
}

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
}

// maxEvidenceFiles bounds the images of one SaveEvidence call.
const maxEvidenceFiles = 10

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

func (cs *CaseStore) removeFile(name string) error {
	if !validFileName(name) {
		return fmt.Errorf("refusing to remove %q: not an evidence file name", name)
	}
	err := os.Remove(filepath.Join(cs.uploads, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// writeSealed writes data sealed under a new random name: to a temporary
// file, synced, then renamed, so a file either exists whole or not at all.
func (cs *CaseStore) writeSealed(data []byte) (string, int64, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", 0, err
	}
	name := hex.EncodeToString(b)
	sealed, err := cs.sealer.Seal(data)
	if err != nil {
		return "", 0, fmt.Errorf("sealing evidence: %w", err)
	}
	f, err := os.CreateTemp(cs.uploads, ".tmp-*")
	if err != nil {
		return "", 0, fmt.Errorf("writing evidence: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(sealed)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(cs.uploads, name))
	}
	if err != nil {
		os.Remove(tmp)
		return "", 0, fmt.Errorf("writing evidence: %w", err)
	}
	return name, int64(len(data)), nil
}

// SaveEvidence seals the files to disk and records them for case caseID in
// one transaction; if recording fails, the files are removed again.
func (cs *CaseStore) SaveEvidence(ctx context.Context, caseID int64, files []EvidenceFile) ([]Evidence, error) {
	if len(files) > maxEvidenceFiles {
		return nil, fmt.Errorf("saving evidence: %d files, at most %d", len(files), maxEvidenceFiles)
	}
	var out []Evidence
	cleanup := func() {
		for _, e := range out {
			cs.removeFile(e.File)
		}
	}
	now := cs.now().UTC().Truncate(time.Millisecond)
	for _, f := range files {
		if f.ContentType != "image/jpeg" && f.ContentType != "image/png" {
			cleanup()
			return nil, fmt.Errorf("saving evidence: content type %q not accepted", f.ContentType)
		}
		name, size, err := cs.writeSealed(f.Data)
		if err != nil {
			cleanup()
			return nil, err
		}
		out = append(out, Evidence{CaseID: caseID, File: name, ContentType: f.ContentType, Size: size,
			Width: f.Width, Height: f.Height, CreatedAt: now})
	}
	err := cs.db.tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM cases WHERE id = $1", caseID).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return cases.ErrNotFound
			}
			return err
		}
		for i := range out {
			e := &out[i]
			id, err := insertID(ctx, tx, `INSERT INTO case_evidence (case_id, file, content_type, size, width, height, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, caseID, e.File, e.ContentType, e.Size, e.Width, e.Height, ms(e.CreatedAt))
			if err != nil {
				return err
			}
			e.ID = id
		}
		return nil
	})
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("saving evidence of case %d: %w", caseID, err)
	}
	return out, nil
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
	err := cs.db.read.QueryRowContext(ctx, `SELECT id, case_id, file, content_type, size, width, height, created_at
		FROM case_evidence WHERE id = $1 AND case_id = $2`, id, caseID).
		Scan(&e.ID, &e.CaseID, &e.File, &e.ContentType, &e.Size, &e.Width, &e.Height, &at)
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
	sealed, err := os.ReadFile(filepath.Join(cs.uploads, e.File))
	if err != nil {
		return e, nil, fmt.Errorf("reading evidence %d: %w", id, err)
	}
	data, err := cs.sealer.Open(sealed)
	if err != nil {
		return e, nil, fmt.Errorf("opening evidence %d: %w", id, err)
	}
	return e, data, nil
}
