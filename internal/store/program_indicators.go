package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"manglanh/internal/program"
)

var _ program.IndicatorStore = (*Store)(nil)

// Indicators implements program.IndicatorStore.
func (s *Store) Indicators(ctx context.Context, tenant int64) ([]program.Indicator, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, tenant_id, code, name_vi, name_en, measure, unit, target, position, version, updated_at
		FROM program_indicators WHERE tenant_id = $1 ORDER BY position, code`, tenant)
	if err != nil {
		return nil, fmt.Errorf("listing indicators: %w", err)
	}
	defer rows.Close()
	var out []program.Indicator
	for rows.Next() {
		var i program.Indicator
		var updated int64
		if err := rows.Scan(&i.ID, &i.TenantID, &i.Code, &i.NameVI, &i.NameEN, &i.Measure, &i.Unit, &i.Target,
			&i.Order, &i.Version, &updated); err != nil {
			return nil, fmt.Errorf("listing indicators: %w", err)
		}
		i.UpdatedAt = fromMS(updated)
		out = append(out, i)
	}
	return out, rows.Err()
}

// SeedIndicators implements program.IndicatorStore: codes the tenant has
// are kept as they are.
func (s *Store) SeedIndicators(ctx context.Context, tenant int64, defs []program.Indicator) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, d := range defs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO program_indicators
				(tenant_id, code, name_vi, name_en, measure, unit, target, position, version, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) ON CONFLICT (tenant_id, code) DO NOTHING`,
				tenant, d.Code, d.NameVI, d.NameEN, d.Measure, d.Unit, d.Target, d.Order, ms(d.UpdatedAt)); err != nil {
				return fmt.Errorf("seeding indicator %s: %w", d.Code, err)
			}
		}
		return nil
	})
}

// UpdateIndicator implements program.IndicatorStore.
func (s *Store) UpdateIndicator(ctx context.Context, ind *program.Indicator) error {
	res, err := s.write.ExecContext(ctx, `UPDATE program_indicators SET name_vi = $1, name_en = $2, measure = $3,
		unit = $4, target = $5, version = version + 1, updated_at = $6
		WHERE id = $7 AND tenant_id = $8 AND version = $9`,
		ind.NameVI, ind.NameEN, ind.Measure, ind.Unit, ind.Target, ms(ind.UpdatedAt), ind.ID, ind.TenantID, ind.Version)
	if err != nil {
		return fmt.Errorf("updating indicator %d: %w", ind.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		var one int
		err := s.read.QueryRowContext(ctx, "SELECT 1 FROM program_indicators WHERE id = $1 AND tenant_id = $2",
			ind.ID, ind.TenantID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return program.ErrNotFound
		}
		if err != nil {
			return err
		}
		return program.ErrConflict
	}
	ind.Version++
	return nil
}
