package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/program"
)

func TestReportVersions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		loc := time.FixedZone("ICT", 7*3600)
		p := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
		q := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 6, 30, 0, 0, 0, 0, loc), loc)
		mk := func(tenant int64, per program.Period, narr string) *program.ReportVersion {
			rv := &program.ReportVersion{TenantID: tenant, Period: per, Number: "05/BC-UBND", Place: "Phù Liễn",
				Date: time.Date(2026, 1, 5, 0, 0, 0, 0, loc), Title: "Kết quả năm 2025", Recipients: []string{"Như kính gửi;", "Lưu: VT."},
				Signature:  program.Signature{Capacity: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH", Name: "Nguyễn Văn A"},
				Narratives: map[string]string{"assessment": narr}, Status: program.ReportDraft, CreatedBy: 3, CreatedByName: "Cán bộ",
				CreatedAt: time.Now(), Figures: &program.Figures{Format: program.FiguresFormat, Period: per,
					Activities: program.ActivityFigures{Total: 12, ByKind: map[string]int{program.KindCommunication: 12}}}}
			if err := s.InsertReportVersion(ctx, rv); err != nil {
				t.Fatal(err)
			}
			return rv
		}
		v1 := mk(1, p, "bản một")
		v2 := mk(1, p, "bản hai")
		other := mk(2, p, "phường khác")
		half := mk(1, q, "nửa năm")
		if v1.Version != 1 || v2.Version != 2 || other.Version != 1 || half.Version != 1 {
			t.Fatalf("versions %d %d %d %d, want 1 2 1 1 (per tenant and period)", v1.Version, v2.Version, other.Version, half.Version)
		}
		list, err := s.ReportVersions(ctx, 1, p)
		if err != nil || len(list) != 2 || list[0].Version != 2 || list[0].Figures != nil {
			t.Fatalf("list %+v %v", list, err)
		}
		got, err := s.ReportVersion(ctx, 1, v1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Narratives["assessment"] != "bản một" || got.Figures == nil || got.Figures.Activities.ByKind[program.KindCommunication] != 12 ||
			!got.Period.From.Equal(p.From) || !got.Period.To.Equal(p.To) || got.Signature.Name != "Nguyễn Văn A" || len(got.Recipients) != 2 {
			t.Fatalf("round trip %+v", got)
		}
		if _, err := s.ReportVersion(ctx, 2, v1.ID); !errors.Is(err, program.ErrNotFound) {
			t.Fatalf("another tenant's version: %v, want ErrNotFound", err)
		}
		latest, err := s.LatestReportVersion(ctx, 1, p)
		if err != nil || latest.ID != v2.ID {
			t.Fatalf("latest %+v %v", latest, err)
		}
		if _, err := s.LatestReportVersion(ctx, 3, p); !errors.Is(err, program.ErrNotFound) {
			t.Fatalf("latest of an empty tenant: %v", err)
		}

		at := time.Now()
		if err := s.ApproveReportVersion(ctx, 1, v2.ID, 1, 9, "Chủ tịch", at); !errors.Is(err, program.ErrConflict) {
			t.Fatalf("approving with the wrong version number: %v, want ErrConflict", err)
		}
		if err := s.ApproveReportVersion(ctx, 2, v2.ID, 2, 9, "Chủ tịch", at); !errors.Is(err, program.ErrNotFound) {
			t.Fatalf("approving another tenant's version: %v, want ErrNotFound", err)
		}
		if err := s.ApproveReportVersion(ctx, 1, v2.ID, 2, 9, "Chủ tịch", at); err != nil {
			t.Fatal(err)
		}
		if err := s.ApproveReportVersion(ctx, 1, v2.ID, 2, 9, "Chủ tịch", at); !errors.Is(err, program.ErrConflict) {
			t.Fatalf("approving twice: %v, want ErrConflict", err)
		}
		got, _ = s.ReportVersion(ctx, 1, v2.ID)
		if got.Status != program.ReportApproved || got.ApprovedBy != 9 || got.ApprovedAt.IsZero() {
			t.Fatalf("approved %+v", got)
		}
		v3 := mk(1, p, "bản ba")
		if got, _ := s.ReportVersion(ctx, 1, v3.ID); v3.Version != 3 || got.Status != program.ReportDraft {
			t.Fatalf("a version after the approval: %d %s", v3.Version, got.Status)
		}
	})
}
