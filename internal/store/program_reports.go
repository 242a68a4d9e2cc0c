package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"time"

	"manglanh/internal/program"
)

var _ program.ReportStore = (*Store)(nil)

const reportCols = `id, tenant_id, period_from, period_to, version, number, place, doc_date, title, basis,
	recipients, signature, narratives, status, created_by, created_by_name, created_at,
	approved_by, approved_by_name, approved_at`

// InsertReportVersion numbers and stores a new version in one
// transaction; a concurrent save of the same number is ErrConflict.
func (s *Store) InsertReportVersion(ctx context.Context, rv *program.ReportVersion) error {
	recips, err := json.Marshal(rv.Recipients)
	if err != nil {
		return err
	}
	sig, err := json.Marshal(rv.Signature)
	if err != nil {
		return err
	}
	narr, err := json.Marshal(rv.Narratives)
	if err != nil {
		return err
	}
	figs, err := json.Marshal(rv.Figures)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var last int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM report_versions
			WHERE tenant_id = $1 AND period_from = $2 AND period_to = $3`,
			rv.TenantID, ms(rv.Period.From), ms(rv.Period.To)).Scan(&last); err != nil {
			return err
		}
		rv.Version = last + 1
		id, err := insertID(ctx, tx, `INSERT INTO report_versions (tenant_id, period_from, period_to, version, number, place,
			doc_date, title, basis, recipients, signature, narratives, figures, status, created_by, created_by_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			rv.TenantID, ms(rv.Period.From), ms(rv.Period.To), rv.Version, rv.Number, rv.Place, ms(rv.Date), rv.Title, rv.Basis,
			string(recips), string(sig), string(narr), string(figs), rv.Status, rv.CreatedBy, rv.CreatedByName, ms(rv.CreatedAt))
		rv.ID = id
		return err
	})
	if IsUniqueViolation(err) {
		return program.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("storing report version: %w", err)
	}
	return nil
}

func scanReport(r scanner, rv *program.ReportVersion, figs *string) error {
	var from, to, date, created, approved int64
	var recips, sig, narr string
	dst := []any{&rv.ID, &rv.TenantID, &from, &to, &rv.Version, &rv.Number, &rv.Place, &date, &rv.Title, &rv.Basis,
		&recips, &sig, &narr, &rv.Status, &rv.CreatedBy, &rv.CreatedByName, &created,
		&rv.ApprovedBy, &rv.ApprovedByName, &approved}
	if figs != nil {
		dst = append(dst, figs)
	}
	if err := r.Scan(dst...); err != nil {
		return err
	}
	rv.Period = program.Period{From: fromMS(from), To: fromMS(to)}
	rv.Date, rv.CreatedAt, rv.ApprovedAt = fromMS(date), fromMS(created), fromMS(approved)
	if err := json.Unmarshal([]byte(recips), &rv.Recipients); err != nil {
		return fmt.Errorf("report %d recipients: %w", rv.ID, err)
	}
	if err := json.Unmarshal([]byte(sig), &rv.Signature); err != nil {
		return fmt.Errorf("report %d signature: %w", rv.ID, err)
	}
	if err := json.Unmarshal([]byte(narr), &rv.Narratives); err != nil {
		return fmt.Errorf("report %d narratives: %w", rv.ID, err)
	}
	if figs != nil && *figs != "" && *figs != "null" {
		rv.Figures = &program.Figures{}
		if err := json.Unmarshal([]byte(*figs), rv.Figures); err != nil {
			return fmt.Errorf("report %d figures: %w", rv.ID, err)
		}
	}
	return nil
}

// ReportVersions lists a period's versions, newest first, without figures.
func (s *Store) ReportVersions(ctx context.Context, tenant int64, p program.Period) ([]program.ReportVersion, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+reportCols+` FROM report_versions
		WHERE tenant_id = $1 AND period_from = $2 AND period_to = $3 ORDER BY version DESC`, tenant, ms(p.From), ms(p.To))
	if err != nil {
		return nil, fmt.Errorf("listing report versions: %w", err)
	}
	defer rows.Close()
	var out []program.ReportVersion
	for rows.Next() {
		var rv program.ReportVersion
		if err := scanReport(rows, &rv, nil); err != nil {
			return nil, fmt.Errorf("listing report versions: %w", err)
		}
		out = append(out, rv)
	}
	return out, rows.Err()
}

func (s *Store) oneReport(ctx context.Context, where string, args ...any) (*program.ReportVersion, error) {
	var rv program.ReportVersion
	var figs string
	err := scanReport(s.read.QueryRowContext(ctx, `SELECT `+reportCols+`, figures FROM report_versions WHERE `+where, args...), &rv, &figs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, program.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading report version: %w", err)
	}
	return &rv, nil
}

// ReportVersion returns a version of the tenant, with its figures.
func (s *Store) ReportVersion(ctx context.Context, tenant, id int64) (*program.ReportVersion, error) {
	return s.oneReport(ctx, `tenant_id = $1 AND id = $2`, tenant, id)
}

// LatestReportVersion returns the newest version of the period.
func (s *Store) LatestReportVersion(ctx context.Context, tenant int64, p program.Period) (*program.ReportVersion, error) {
	return s.oneReport(ctx, `tenant_id = $1 AND period_from = $2 AND period_to = $3 ORDER BY version DESC LIMIT 1`,
		tenant, ms(p.From), ms(p.To))
}

// ApproveReportVersion approves a draft of the exact version.
func (s *Store) ApproveReportVersion(ctx context.Context, tenant, id int64, version int, by int64, byName string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE report_versions SET status = $1, approved_by = $2, approved_by_name = $3, approved_at = $4
		WHERE tenant_id = $5 AND id = $6 AND version = $7 AND status = $8`,
		program.ReportApproved, by, byName, ms(at), tenant, id, version, program.ReportDraft)
	if err != nil {
		return fmt.Errorf("approving report version %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var one int
	err = s.read.QueryRowContext(ctx, `SELECT 1 FROM report_versions WHERE tenant_id = $1 AND id = $2`, tenant, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return program.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("approving report version %d: %w", id, err)
	}
	return program.ErrConflict
}
