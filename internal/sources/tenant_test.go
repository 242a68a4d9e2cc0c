package sources

import (
	"context"
	"errors"
	"testing"

	"manglanh/internal/cases"
)

// TestSourcesAreTheirWards: a QR source is its creator's ward's; another
// ward's officer neither lists it nor prints its poster.
func TestSourcesAreTheirWards(t *testing.T) {
	t.Parallel()
	st, rec := &memStore{}, &recorder{}
	svc, err := NewService(Config{Store: st, Audit: rec, BaseURL: "https://phuong.example.vn/"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	officerB := cases.Actor{UserID: 13, Role: cases.RoleOfficer, Name: "Cán bộ B", TenantID: 2}
	a, err := svc.Create(ctx, officer, Source{Name: "Nhà văn hoá tổ 1", Kind: "cultural_house"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.Create(ctx, officerB, Source{Name: "Trường THCS B", Kind: "school"})
	if err != nil {
		t.Fatal(err)
	}
	if a.TenantID != cases.DefaultTenant || b.TenantID != 2 {
		t.Fatalf("tenants %d %d", a.TenantID, b.TenantID)
	}
	for _, tc := range []struct {
		who  cases.Actor
		want int64
	}{{officer, a.ID}, {officerB, b.ID}} {
		got, err := svc.List(ctx, tc.who)
		if err != nil || len(got) != 1 || got[0].ID != tc.want {
			t.Errorf("%s lists %+v %v", tc.who.Name, got, err)
		}
	}
	if _, _, err := svc.Poster(ctx, officerB, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("ward B printed ward A's poster: %v", err)
	}
}
