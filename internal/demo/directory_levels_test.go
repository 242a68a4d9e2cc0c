package demo

import (
	"context"
	"slices"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

type memOrgsLevels struct {
	memOrgs
	levels map[int64][]string
}

func (m *memOrgsLevels) SetSchoolLevels(_ context.Context, id int64, l []string) error {
	m.levels[id] = l
	return nil
}

// The demo's kindergarten is recorded as one, so T1 counts 2 schools, not 3.
func TestSeedDirectoryRecordsSchoolLevels(t *testing.T) {
	m := &memOrgsLevels{levels: map[int64][]string{}}
	if _, err := SeedDirectory(context.Background(), m, time.Now()); err != nil {
		t.Fatal(err)
	}
	var inT1, schools int
	for _, o := range m.memOrgs {
		if o.Kind != cases.AgencySchool {
			continue
		}
		schools++
		if (program.School{ID: o.ID, Name: o.Name, Levels: m.levels[o.ID]}).InT1() {
			inT1++
		}
		if len(m.levels[o.ID]) == 0 {
			t.Errorf("school %q has no levels recorded", o.Name)
		}
	}
	if schools != 3 || inT1 != 2 {
		t.Errorf("%d schools, %d in T1; want 3 and 2", schools, inT1)
	}
	for id, l := range m.levels {
		for _, x := range l {
			if !slices.Contains(program.SchoolLevels(), x) {
				t.Errorf("organisation %d: level %q", id, x)
			}
		}
	}
}
