package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

func TestSchoolLevels(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Now()
		var ids []int64
		for _, name := range []string{"THCS Mẫu", "Mầm non Hoa Sen", "Tiểu học Mẫu"} {
			o := cases.Organisation{Name: name, Kind: cases.AgencySchool, Active: true, CreatedAt: now, UpdatedAt: now}
			if err := s.CreateOrganisation(ctx, &o); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, o.ID)
		}
		if err := s.SetSchoolLevels(ctx, ids[0], []string{program.LevelLowerSecondary, program.LevelLowerSecondary}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSchoolLevels(ctx, ids[1], []string{program.LevelPreschool}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSchoolLevels(ctx, ids[2], []string{"college"}); err == nil {
			t.Fatal("an unknown level was accepted")
		}
		if err := s.SetSchoolLevels(ctx, 9999, nil); !errors.Is(err, program.ErrNotFound) {
			t.Fatalf("missing organisation: %v", err)
		}
		got, err := s.SchoolLevels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || !slices.Equal(got[ids[0]], []string{program.LevelLowerSecondary}) ||
			!slices.Equal(got[ids[1]], []string{program.LevelPreschool}) {
			t.Fatalf("levels = %v", got)
		}
		if err := s.SetSchoolLevels(ctx, ids[1], nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SchoolLevels(ctx); len(got) != 1 {
			t.Fatalf("cleared levels still there: %v", got)
		}
	})
}
