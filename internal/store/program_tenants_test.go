package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/program"
)

func TestTenantsAndFigureFiles(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ts, err := s.Tenants(ctx)
		if err != nil || len(ts) != 1 || ts[0].ID != program.DefaultTenant {
			t.Fatalf("the migration's own ward: %+v %v", ts, err)
		}
		b := &program.Tenant{Code: "11506", Name: "Phường Phù Liễn", Province: "Thành phố Hải Phòng",
			PublicKey: "k", CreatedAt: time.Unix(1700000000, 0)}
		if err := s.CreateTenant(ctx, b); err != nil || b.ID != 2 {
			t.Fatalf("create: id %d %v", b.ID, err)
		}
		if err := s.CreateTenant(ctx, &program.Tenant{Code: "11506", Name: "x"}); !errors.Is(err, program.ErrConflict) {
			t.Fatalf("duplicate code: %v", err)
		}
		got, err := s.TenantByCode(ctx, "11506")
		if err != nil || got.ID != b.ID || got.Name != b.Name || got.Province != b.Province || got.PublicKey != "k" ||
			!got.CreatedAt.Equal(b.CreatedAt) {
			t.Fatalf("by code: %+v %v", got, err)
		}
		if _, err := s.Tenant(ctx, 99); !errors.Is(err, program.ErrNotFound) {
			t.Fatalf("missing tenant: %v", err)
		}
		got.PublicKey = "k2"
		if err := s.UpdateTenant(ctx, got); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Tenant(ctx, b.ID); again.PublicKey != "k2" {
			t.Fatalf("update: %+v", again)
		}

		// Live: tenants with a ward account; a city account does not count.
		now := time.Now()
		for i, u := range []auth.User{
			{Email: "city@hp.vn", Role: auth.RoleCity, TenantID: b.ID},
			{Email: "o@a.vn", Role: auth.RoleOfficer},
		} {
			u.Name, u.PasswordHash, u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt = "u", "h", now, now, now
			if err := s.CreateUser(ctx, &u); err != nil {
				t.Fatal(i, err)
			}
		}
		live, err := s.LiveTenants(ctx)
		if err != nil || !live[program.DefaultTenant] || live[b.ID] {
			t.Fatalf("live: %v %v", live, err)
		}
		if u, _ := s.UserByEmail(ctx, "city@hp.vn"); u.TenantID != b.ID {
			t.Fatalf("user tenant: %d", u.TenantID)
		}
		if u, _ := s.UserByEmail(ctx, "o@a.vn"); u.TenantID != program.DefaultTenant {
			t.Fatalf("default user tenant: %d", u.TenantID)
		}

		loc := time.FixedZone("ICT", 7*3600)
		p := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
		f := &program.FigureFile{TenantID: b.ID, Period: p, Data: []byte(`{"a":1}`), ImportedAt: now, ImportedBy: 7, ImportedByName: "Lê Thành"}
		if replaced, err := s.SaveFigureFile(ctx, f); err != nil || replaced {
			t.Fatalf("first file: %v %v", replaced, err)
		}
		f2 := *f
		f2.Data = []byte(`{"a":2}`)
		if replaced, err := s.SaveFigureFile(ctx, &f2); err != nil || !replaced {
			t.Fatalf("second file: %v %v", replaced, err)
		}
		other := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 3, 31, 0, 0, 0, 0, loc), loc)
		if _, err := s.SaveFigureFile(ctx, &program.FigureFile{TenantID: b.ID, Period: other, Data: []byte("q1"), ImportedAt: now}); err != nil {
			t.Fatal(err)
		}
		files, err := s.FigureFiles(ctx, p)
		if err != nil || len(files) != 1 || string(files[b.ID].Data) != `{"a":2}` || files[b.ID].ImportedByName != "Lê Thành" ||
			!files[b.ID].Period.From.Equal(p.From) || !files[b.ID].Period.To.Equal(p.To) {
			t.Fatalf("files of the year: %+v %v", files, err)
		}
		if q1, _ := s.FigureFiles(ctx, other); string(q1[b.ID].Data) != "q1" {
			t.Fatalf("files of Q1: %+v", q1)
		}
	})
}

func TestCasesAndSourcesByTenant(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		a, b := sampleCase("AAAA2345", at), sampleCase("BBBB2345", at.Add(time.Hour))
		b.TenantID = 2
		for _, c := range []*cases.Case{a, b} {
			if err := cs.CreateCase(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := cs.GetCase(ctx, a.ID); got.TenantID != program.DefaultTenant {
			t.Fatalf("an unset tenant is stored as the default: %d", got.TenantID)
		}
		if got, _ := cs.GetCaseByCode(ctx, "BBBB2345"); got.TenantID != 2 {
			t.Fatalf("tenant by code: %d", got.TenantID)
		}
		for tenant, want := range map[int64][]string{0: {"BBBB2345", "AAAA2345"}, 1: {"AAAA2345"}, 2: {"BBBB2345"}, 3: nil} {
			got, err := cs.ListCases(ctx, cases.Filter{TenantID: tenant, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, c := range got {
				codes = append(codes, c.Code)
			}
			if len(codes) != len(want) || len(want) > 0 && codes[0] != want[0] {
				t.Errorf("tenant %d: %v, want %v", tenant, codes, want)
			}
		}
		src := &Source{Name: "Trường THCS", Kind: "school", TenantID: 2}
		if err := s.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		if tn, err := cs.SourceTenant(ctx, src.ID); err != nil || tn != 2 {
			t.Fatalf("source tenant: %d %v", tn, err)
		}
		if _, err := cs.SourceTenant(ctx, 999); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("missing source: %v", err)
		}
		if got, _ := s.GetSource(ctx, src.ID); got.TenantID != 2 {
			t.Fatalf("get source tenant: %d", got.TenantID)
		}
	})
}
