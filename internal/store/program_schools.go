package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"manglanh/internal/program"
)

var _ program.SchoolLevelSource = (*Store)(nil)

// SchoolLevels implements program.SchoolLevelSource: the levels recorded
// for the directory's organisations that have any (a school without a
// record is absent).
func (s *Store) SchoolLevels(ctx context.Context) (map[int64][]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, school_levels FROM organisations WHERE school_levels <> ''`)
	if err != nil {
		return nil, fmt.Errorf("reading schools' levels: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var levels string
		if err := rows.Scan(&id, &levels); err != nil {
			return nil, fmt.Errorf("reading schools' levels: %w", err)
		}
		out[id] = strings.Split(levels, ",")
	}
	return out, rows.Err()
}

// SetSchoolLevels records the levels organisation id teaches (codes of
// program.SchoolLevels; none clears the record). An unknown code is an
// error and nothing is written.
func (s *Store) SetSchoolLevels(ctx context.Context, id int64, levels []string) error {
	var clean []string
	for _, l := range levels {
		if !slices.Contains(program.SchoolLevels(), l) {
			return fmt.Errorf("school level %q: not one of %v", l, program.SchoolLevels())
		}
		if !slices.Contains(clean, l) {
			clean = append(clean, l)
		}
	}
	res, err := s.write.ExecContext(ctx, `UPDATE organisations SET school_levels = $1 WHERE id = $2`, strings.Join(clean, ","), id)
	if err != nil {
		return fmt.Errorf("setting levels of organisation %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("setting levels of organisation %d: %w", id, program.ErrNotFound)
	}
	return nil
}
