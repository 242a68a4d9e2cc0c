package cases

import (
	"context"
	"errors"
	"testing"
)

// Ward B's staff, on the same database as the test actors' ward (1).
var (
	adminB   = Actor{UserID: 101, Role: RoleWardAdmin, Name: "Quản trị B", TenantID: 2}
	officerB = Actor{UserID: 103, Role: RoleOfficer, Name: "Cán bộ B", TenantID: 2}
	viewerB  = Actor{UserID: 108, Role: RoleViewer, Name: "Thống kê B", TenantID: 2}
)

func TestTenantScoping(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	inA, inB := sampleIntake(), sampleIntake()
	inA.Urgent, inB.Urgent = true, true
	cA, err := h.svc.Intake(ctx, public, inA) // no ward source: the default ward
	if err != nil {
		t.Fatal(err)
	}
	idA := cA.ID
	cB, err := h.svc.Intake(ctx, officerB, inB)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.store.cases[idA].TenantID; got != DefaultTenant {
		t.Fatalf("public report tenant %d", got)
	}
	if got := h.store.cases[cB.ID].TenantID; got != 2 {
		t.Fatalf("staff report tenant %d, want the officer's 2", got)
	}

	for _, tc := range []struct {
		name string
		a    Actor
		id   int64
	}{{"officer A asks for B's case", officer, cB.ID}, {"officer B asks for A's case", officerB, idA},
		{"admin B asks for A's case", adminB, idA}} {
		if _, err := h.svc.Get(ctx, tc.a, tc.id); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want not found", tc.name, err)
		}
		if err := h.svc.Assess(ctx, tc.a, tc.id, Assessment{RiskLevel: LevelLow}); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: assess %v, want not found", tc.name, err)
		}
	}
	if h.rec.countAudit("case.denied", idA) != 4 {
		t.Errorf("denied look-ups of A's case audited %d times", h.rec.countAudit("case.denied", idA))
	}
	if _, err := h.svc.Get(ctx, officerB, cB.ID); err != nil {
		t.Fatalf("own ward's case: %v", err)
	}

	ids := func(a Actor) []int64 {
		ss, err := h.svc.List(ctx, a, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	if got := ids(officer); len(got) != 1 || got[0] != idA {
		t.Errorf("ward A's list: %v", got)
	}
	if got := ids(officerB); len(got) != 1 || got[0] != cB.ID {
		t.Errorf("ward B's list: %v", got)
	}

	// The deadline dashboard and the to-do lists count the ward's own.
	h.clock.Add(48 * 3600e9)
	for _, a := range []Actor{officer, viewer} {
		d, err := h.svc.Dashboard(ctx, a, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Cases {
			if c.ID == cB.ID {
				t.Errorf("%s sees B's case on the dashboard", a.Role)
			}
		}
		n := 0
		for _, v := range d.Overdue {
			n += v
		}
		if n != 1 {
			t.Errorf("%s: overdue count %d, want A's one case", a.Role, n)
		}
	}
	if d, _ := h.svc.Dashboard(ctx, viewerB, h.clock.Now()); sum(d.Overdue) != 1 {
		t.Errorf("viewer B overdue %v", d.Overdue)
	}
	td, err := h.svc.Todo(ctx, officer, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []TodoList{td.New, td.Urgent, td.Overdue, td.DueToday} {
		for _, c := range l.Cases {
			if c.ID == cB.ID {
				t.Errorf("officer A's to-do lists hold B's case")
			}
		}
	}

	// Assigning: ward B's admin cannot name ward A's officer.
	if err := h.svc.Assign(ctx, adminB, cB.ID, officer.UserID); err == nil {
		t.Error("ward B's case assigned to ward A's officer")
	}
	as, err := h.svc.Assignees(ctx, adminB)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range as {
		if m.TenantID != 2 {
			t.Errorf("ward B's assignees list %+v", m)
		}
	}

	// Events about B's case carry its ward, so role notices stay in it.
	for _, e := range h.rec.events {
		if e.CaseID == cB.ID && e.TenantID != 2 || e.CaseID == idA && e.TenantID != DefaultTenant {
			t.Errorf("event %s of case %d has tenant %d", e.Kind, e.CaseID, e.TenantID)
		}
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// sourceStore is a memStore that knows its sources' wards.
type sourceStore struct {
	*memStore
	wards map[int64]int64
}

func (s sourceStore) SourceTenant(_ context.Context, id int64) (int64, error) {
	if t, ok := s.wards[id]; ok {
		return t, nil
	}
	return 0, ErrNotFound
}

func TestPublicReportTakesItsSourcesWard(t *testing.T) {
	st := sourceStore{memStore: newMemStore(), wards: map[int64]int64{9: 2}}
	rec := &recorder{}
	svc, err := NewService(Config{Store: st, Notifier: rec, Audit: rec, People: testPeople()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		source int64
		want   int64
	}{{9, 2}, {8, DefaultTenant}, {0, DefaultTenant}} {
		in := sampleIntake()
		in.SourceID = tc.source
		c, err := svc.Intake(ctx, public, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.cases[c.ID].TenantID; got != tc.want {
			t.Errorf("source %d: tenant %d, want %d", tc.source, got, tc.want)
		}
	}
}
