package demo

import (
	"context"
	"testing"
	"time"

	"manglanh/internal/cases"
)

type memOrgs []cases.Organisation

func (m *memOrgs) Organisations(context.Context) ([]cases.Organisation, error) { return *m, nil }
func (m *memOrgs) CreateOrganisation(_ context.Context, o *cases.Organisation) error {
	o.ID = int64(len(*m) + 1)
	*m = append(*m, *o)
	return nil
}

func TestSeedDirectoryOnceAndValid(t *testing.T) {
	var m memOrgs
	n, err := SeedDirectory(context.Background(), &m, time.Now())
	if err != nil || n != len(Organisations()) || len(m) != n {
		t.Fatalf("seeded %d (%d stored), %v", n, len(m), err)
	}
	kinds := map[string]bool{}
	for _, o := range m {
		c := o
		if err := cases.ValidateOrganisation(&c); err != nil || !o.Active {
			t.Errorf("demo organisation %q: %v, active %t", o.Name, err, o.Active)
		}
		kinds[o.Kind] = true
	}
	for _, k := range cases.OrgKinds() {
		if !kinds[k] && k != cases.AgencyOther {
			t.Errorf("the demo directory has no %s", k)
		}
	}
	if n, err := SeedDirectory(context.Background(), &m, time.Now()); n != 0 || err != nil || len(m) != len(Organisations()) {
		t.Errorf("second seed added %d, %v", n, err)
	}
}
