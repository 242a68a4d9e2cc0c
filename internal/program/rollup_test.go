package program

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// memTenants is an in-memory TenantStore.
type memTenants struct {
	ts    []Tenant
	live  map[int64]bool
	files map[int64]FigureFile
}

func (m *memTenants) Tenants(context.Context) ([]Tenant, error) {
	return append([]Tenant(nil), m.ts...), nil
}
func (m *memTenants) Tenant(_ context.Context, id int64) (*Tenant, error) {
	for _, t := range m.ts {
		if t.ID == id {
			return &t, nil
		}
	}
	return nil, ErrNotFound
}
func (m *memTenants) TenantByCode(_ context.Context, code string) (*Tenant, error) {
	for _, t := range m.ts {
		if t.Code == code {
			return &t, nil
		}
	}
	return nil, ErrNotFound
}
func (m *memTenants) CreateTenant(_ context.Context, t *Tenant) error {
	if _, err := m.TenantByCode(context.Background(), t.Code); err == nil {
		return ErrConflict
	}
	t.ID = int64(len(m.ts) + 1)
	m.ts = append(m.ts, *t)
	return nil
}
func (m *memTenants) UpdateTenant(_ context.Context, t *Tenant) error {
	for i := range m.ts {
		if m.ts[i].ID == t.ID {
			m.ts[i] = *t
			return nil
		}
	}
	return ErrNotFound
}
func (m *memTenants) LiveTenants(context.Context) (map[int64]bool, error) { return m.live, nil }
func (m *memTenants) SaveFigureFile(_ context.Context, f *FigureFile) (bool, error) {
	old, ok := m.files[f.TenantID]
	replaced := ok && old.Period.From.Equal(f.Period.From) && old.Period.To.Equal(f.Period.To)
	m.files[f.TenantID] = *f
	return replaced, nil
}
func (m *memTenants) FigureFiles(_ context.Context, p Period) (map[int64]FigureFile, error) {
	out := map[int64]FigureFile{}
	for id, f := range m.files {
		if f.Period.From.Equal(p.From) && f.Period.To.Equal(p.To) {
			out[id] = f
		}
	}
	return out, nil
}

var (
	cityActor = Actor{UserID: 50, Name: "Sở", Role: RoleCity, TenantID: 1}
	wardAdmin = Actor{UserID: 2, Name: "QT", Role: RoleWardAdmin, TenantID: 2}
)

func cityService(t *testing.T) (*Service, *memTenants, *[]auditLine) {
	t.Helper()
	st := &memTenants{live: map[int64]bool{1: true}, files: map[int64]FigureFile{}}
	st.ts = []Tenant{{ID: 1, Code: "11500", Name: "Phường An Biên"}}
	var audits []auditLine
	s, err := New(Options{Store: st, Location: hcm, Now: func() time.Time { return time.Date(2026, 1, 10, 9, 0, 0, 0, hcm) },
		Audit: func(_ context.Context, _ Actor, action, _ string, _ int64, detail string) {
			audits = append(audits, auditLine{action, detail})
		}})
	if err != nil {
		t.Fatal(err)
	}
	return s, st, &audits
}

func pubOf(k ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(k.Public().(ed25519.PublicKey))
}

func TestImportAndRollUp(t *testing.T) {
	s, _, audits := cityService(t)
	ctx := context.Background()
	kB, kC := testKey(2), testKey(3)
	for _, tn := range []Tenant{{Code: "11506", Name: "Phường Phù Liễn", PublicKey: pubOf(kB)},
		{Code: "11507", Name: "Xã Kiến Thụy", PublicKey: pubOf(kC)}, {Code: "11508", Name: "Phường Đông Hải"}} {
		if err := s.CreateTenant(ctx, cityActor, &tn); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateTenant(ctx, wardAdmin, &Tenant{Code: "1", Name: "x"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a ward admin added a ward: %v", err)
	}
	var fe FieldErrors
	if err := s.CreateTenant(ctx, cityActor, &Tenant{Code: "11506", Name: "again"}); !errors.As(err, &fe) || fe["code"] != "city.err.code_taken" {
		t.Fatalf("duplicate code: %v", err)
	}

	fb := wardFigures("11506") // coverage 30/100, in time 3/4
	fc := wardFigures("11507")
	fc.Coverage.Pupils, fc.Cases.InTime = Ratio{50, 50}, Ratio{0, 0}
	dataB, _ := SignFigures(fb, kB)
	dataC, _ := SignFigures(fc, kC)
	res, err := s.ImportFigures(ctx, cityActor, dataB)
	if err != nil || res.Replaced || res.Tenant.Code != "11506" || res.Period.String() != "01/01/2025 – 31/12/2025" {
		t.Fatalf("import B: %+v %v", res, err)
	}
	if _, err := s.ImportFigures(ctx, cityActor, dataC); err != nil {
		t.Fatal(err)
	}
	if res, err := s.ImportFigures(ctx, cityActor, dataB); err != nil || !res.Replaced {
		t.Fatalf("second file for the same ward and period: %+v %v", res, err)
	}
	if _, err := s.ImportFigures(ctx, wardAdmin, dataB); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a ward imported: %v", err)
	}
	// A file signed by B's key but claiming ward 11508 (no key registered).
	wrong := wardFigures("11508")
	dataWrong, _ := SignFigures(wrong, kB)
	var ferr *FileError
	if _, err := s.ImportFigures(ctx, cityActor, dataWrong); !errors.As(err, &ferr) || ferr.Reason != RefuseUnknownWard {
		t.Fatalf("a ward without a key: %v", err)
	}

	liveA := wardFigures("11500")
	liveA.Coverage.Pupils = Ratio{10, 10}
	rows, total, err := s.rollUp(ctx, cityActor, year2025(), func(_ context.Context, tenant int64, p Period) (*Figures, error) {
		if tenant != 1 || !p.From.Equal(year2025().From) {
			t.Errorf("live figures asked for tenant %d, %v", tenant, p)
		}
		return liveA, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	src := map[string]string{}
	for _, r := range rows {
		src[r.Tenant.Code] = r.Source
	}
	if src["11500"] != FromLive || src["11506"] != FromFile || src["11507"] != FromFile || src["11508"] != FromNone {
		t.Fatalf("sources: %v", src)
	}
	// Ratios add numerators and denominators: 10/10 + 30/100 + 50/50 =
	// 90/160, never the mean of 100 %, 30 % and 100 %.
	if total.Coverage.Pupils != (Ratio{90, 160}) {
		t.Errorf("city coverage %+v, want 90/160", total.Coverage.Pupils)
	}
	if total.Cases.InTime != (Ratio{6, 8}) || total.Activities.ByKind[KindCommunication] != 36 || total.Shops.Handled != 39 ||
		total.DNS.DevicesProtected != 750 || len(total.Wards) != 3 {
		t.Errorf("city total: %+v", total)
	}
	// The period of another file does not count.
	q1 := Days(time.Date(2025, 1, 1, 0, 0, 0, 0, hcm), time.Date(2025, 3, 31, 0, 0, 0, 0, hcm), hcm)
	rows, total, _ = s.rollUp(ctx, cityActor, q1, func(context.Context, int64, Period) (*Figures, error) {
		return nil, errors.New("no live data")
	})
	for _, r := range rows {
		if r.Source == FromFile {
			t.Errorf("Q1 used the year's file of %s", r.Tenant.Code)
		}
		if r.Tenant.ID == 1 && (r.Source != FromError || r.Err == nil) {
			t.Errorf("a failed live computation: %+v", r)
		}
	}
	if total.Coverage.Pupils.Known() {
		t.Errorf("Q1 total %+v", total.Coverage.Pupils)
	}
	if _, _, err := s.RollUp(ctx, wardAdmin, year2025()); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a ward rolled up the city: %v", err)
	}
	var imports int
	for _, a := range *audits {
		if a.action == "figures.import" {
			imports++
			if !strings.Contains(a.detail, "01/01/2025 – 31/12/2025") {
				t.Errorf("import audit: %q", a.detail)
			}
		}
	}
	if imports != 3 {
		t.Errorf("%d imports audited, want 3", imports)
	}
}

func TestRollUpTwoWardsCoverage(t *testing.T) {
	// The brief's example: 30/100 + 50/50 = 80/150 (53 %), not 65 %.
	a, b := wardFigures("1"), wardFigures("2")
	b.Coverage.Pupils = Ratio{50, 50}
	total := &Figures{}
	total.Add(a)
	total.Add(b)
	if total.Coverage.Pupils != (Ratio{80, 150}) || int(total.Coverage.Pupils.Percent()) != 53 {
		t.Fatalf("%+v", total.Coverage.Pupils)
	}
}

func TestTenantKeyAndLiveImport(t *testing.T) {
	s, st, audits := cityService(t)
	ctx := context.Background()
	if _, _, err := s.SetTenantKey(ctx, cityActor, 1, "not base64"); err == nil {
		t.Fatal("a bad key was registered")
	}
	k := testKey(4)
	if _, replaced, err := s.SetTenantKey(ctx, cityActor, 1, pubOf(k)); err != nil || replaced {
		t.Fatalf("register: %v %v", replaced, err)
	}
	if _, replaced, err := s.SetTenantKey(ctx, cityActor, 1, pubOf(testKey(5))); err != nil || !replaced {
		t.Fatalf("replace: %v %v", replaced, err)
	}
	if _, _, err := s.SetTenantKey(ctx, wardAdmin, 1, pubOf(k)); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a ward admin set a key: %v", err)
	}
	if (*audits)[0].action != "tenant.key_register" || (*audits)[1].action != "tenant.key_replace" {
		t.Fatalf("audits %+v", *audits)
	}
	// The old key's file is refused now; the new key's is taken, and the
	// ward being live is said.
	old, _ := SignFigures(wardFigures("11500"), k)
	var fe *FileError
	if _, err := s.ImportFigures(ctx, cityActor, old); !errors.As(err, &fe) || fe.Reason != RefuseKeyMismatch {
		t.Fatalf("old key: %v", err)
	}
	fresh, _ := SignFigures(wardFigures("11500"), testKey(5))
	res, err := s.ImportFigures(ctx, cityActor, fresh)
	if err != nil || !res.Live {
		t.Fatalf("live ward's file: %+v %v", res, err)
	}
	if len(st.files) != 1 {
		t.Fatalf("files %v", st.files)
	}
}

func TestWardFiguresPermissions(t *testing.T) {
	s, _, _ := cityService(t)
	ctx := context.Background()
	for _, a := range []Actor{cityActor, {UserID: 9, Role: RoleViewer}, {UserID: 9, Role: RoleSchool, OrgID: 3}} {
		if _, err := s.WardFigures(ctx, a, year2025()); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s got the ward's figures: %v", a.Role, err)
		}
	}
	if _, err := s.WardPublicKey(Actor{Role: RoleOfficer}); !errors.Is(err, ErrNoSigningKey) {
		t.Errorf("no key configured: %v", err)
	}
	if ts, err := s.Tenants(ctx, Actor{UserID: 3, Role: RoleOfficer, TenantID: 1}); err != nil || len(ts) != 1 {
		t.Errorf("a ward's own tenant: %v %v", ts, err)
	}
	if _, err := s.Tenant(ctx, Actor{UserID: 3, Role: RoleOfficer, TenantID: 2}, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("another ward's tenant: %v", err)
	}
}
