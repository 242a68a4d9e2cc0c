package program

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// memReports is a ReportStore in memory.
type memReports struct{ rows []ReportVersion }

func (m *memReports) InsertReportVersion(_ context.Context, rv *ReportVersion) error {
	n := 0
	for _, r := range m.rows {
		if r.TenantID == rv.TenantID && r.Period == rv.Period {
			n = max(n, r.Version)
		}
	}
	rv.Version, rv.ID = n+1, int64(len(m.rows)+1)
	m.rows = append(m.rows, *rv)
	return nil
}

func (m *memReports) ReportVersions(_ context.Context, tenant int64, p Period) ([]ReportVersion, error) {
	var out []ReportVersion
	for i := len(m.rows) - 1; i >= 0; i-- {
		if r := m.rows[i]; r.TenantID == tenant && r.Period == p {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memReports) ReportVersion(_ context.Context, tenant, id int64) (*ReportVersion, error) {
	for _, r := range m.rows {
		if r.TenantID == tenant && r.ID == id {
			return &r, nil
		}
	}
	return nil, ErrNotFound
}

func (m *memReports) LatestReportVersion(ctx context.Context, tenant int64, p Period) (*ReportVersion, error) {
	vs, _ := m.ReportVersions(ctx, tenant, p)
	if len(vs) == 0 {
		return nil, ErrNotFound
	}
	return &vs[0], nil
}

func (m *memReports) ApproveReportVersion(_ context.Context, tenant, id int64, version int, by int64, name string, at time.Time) error {
	for i, r := range m.rows {
		if r.TenantID == tenant && r.ID == id {
			if r.Version != version || r.Status != ReportDraft {
				return ErrConflict
			}
			m.rows[i].Status, m.rows[i].ApprovedBy, m.rows[i].ApprovedAt = ReportApproved, by, at
			return nil
		}
	}
	return ErrNotFound
}

type fakeFigures struct{ calls int }

func (f *fakeFigures) Figures(_ context.Context, _ Actor, p Period) (*Figures, error) {
	f.calls++
	return &Figures{Format: FiguresFormat, Period: p, Activities: ActivityFigures{Total: 12}}, nil
}

func TestReportVersionsService(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	st := &memReports{}
	var audited []string
	s, err := New(Options{Store: st, Location: loc, Audit: func(_ context.Context, a Actor, action, kind string, id int64, detail string) {
		audited = append(audited, action)
	}})
	if err != nil {
		t.Fatal(err)
	}
	figs := &fakeFigures{}
	s.figs = figs
	ctx := context.Background()
	officer := Actor{UserID: 3, Name: "Cán bộ", Role: RoleOfficer}
	chair := Actor{UserID: 9, Name: "Chủ tịch", Role: RoleChairman}
	p := Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
	draft := func() *ReportVersion {
		return &ReportVersion{Period: p, Number: "05/BC-UBND", Place: "Phù Liễn", Date: time.Date(2026, 1, 5, 0, 0, 0, 0, loc),
			Title: "Báo cáo năm 2025", Recipients: []string{"Như kính gửi;", " ", "Lưu: VT."},
			Signature:  Signature{Capacity: "TM. ỦY BAN NHÂN DÂN", Title: "CHỦ TỊCH"},
			Narratives: map[string]string{"assessment": "Đánh giá."}}
	}

	for _, c := range []struct {
		name  string
		edit  func(*ReportVersion)
		field string
	}{
		{"50 MB narrative", func(r *ReportVersion) { r.Narratives["assessment"] = strings.Repeat("ạ", 50<<20/3) }, "narr_assessment"},
		{"20,001 characters", func(r *ReportVersion) { r.Narratives["assessment"] = strings.Repeat("ư", MaxNarrative+1) }, "narr_assessment"},
		{"total over 200,000", func(r *ReportVersion) {
			for _, k := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "b1", "b2"} {
				r.Narratives[k] = strings.Repeat("x", MaxNarrative)
			}
		}, "narratives"},
		{"control character in a narrative", func(r *ReportVersion) { r.Narratives["assessment"] = "Đánh\x07 giá" }, "narr_assessment"},
		{"NUL in a recipient", func(r *ReportVersion) { r.Recipients = []string{"Lưu\x00 VT"} }, "recipients"},
		{"bad number", func(r *ReportVersion) { r.Number = "số năm" }, "number"},
		{"long number", func(r *ReportVersion) { r.Number = "05/" + strings.Repeat("A", 40) }, "number"},
		{"21 recipients", func(r *ReportVersion) { r.Recipients = make([]string, 21) }, "recipients"},
		{"no place", func(r *ReportVersion) { r.Place = " " }, "place"},
		{"no date", func(r *ReportVersion) { r.Date = time.Time{} }, "date"},
		{"no signer title", func(r *ReportVersion) { r.Signature.Title = "" }, "sig_title"},
		{"reversed period", func(r *ReportVersion) { r.Period = Period{From: p.To, To: p.From} }, "period"},
	} {
		rv := draft()
		c.edit(rv)
		err := s.SaveReport(ctx, officer, rv)
		var fe FieldErrors
		if !errors.As(err, &fe) || fe[c.field] == "" {
			t.Errorf("%s: %v, want a field error on %s", c.name, err, c.field)
		}
	}
	if len(st.rows) != 0 || figs.calls != 0 {
		t.Fatalf("refused saves stored %d rows, computed figures %d times", len(st.rows), figs.calls)
	}
	if err := s.SaveReport(ctx, Actor{Role: RoleTeacher}, draft()); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a teacher saved a report: %v", err)
	}

	v1 := draft()
	if err := s.SaveReport(ctx, officer, v1); err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.Figures == nil || v1.Figures.Activities.Total != 12 || v1.Status != ReportDraft || len(v1.Recipients) != 2 {
		t.Fatalf("saved %+v", v1)
	}
	latest, err := s.LatestReport(ctx, officer, p)
	if err != nil || latest.Narratives["assessment"] != "Đánh giá." {
		t.Fatalf("latest %+v %v", latest, err)
	}
	// The next draft starts from the latest: narratives kept.
	latest.Narratives["difficulties"] = "Khó khăn."
	if err := s.SaveReport(ctx, officer, latest); err != nil {
		t.Fatal(err)
	}
	v2, _ := s.Report(ctx, officer, latest.ID)
	if v2.Version != 2 || v2.Narratives["assessment"] != "Đánh giá." || v2.Narratives["difficulties"] != "Khó khăn." {
		t.Fatalf("v2 %+v", v2)
	}

	if err := s.ApproveReport(ctx, officer, v2.ID, 2); !errors.Is(err, ErrForbidden) {
		t.Fatalf("an officer approved: %v", err)
	}
	if err := s.ApproveReport(ctx, chair, v2.ID, 1); !errors.Is(err, ErrConflict) {
		t.Fatalf("approving a version number the chairman did not read: %v", err)
	}
	if err := s.ApproveReport(ctx, chair, v2.ID, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.ApproveReport(ctx, chair, v2.ID, 2); !errors.Is(err, ErrConflict) {
		t.Fatalf("an approved version approved again: %v", err)
	}
	v3 := draft()
	if err := s.SaveReport(ctx, officer, v3); err != nil || v3.Status != ReportDraft || v3.Version != 3 {
		t.Fatalf("v3 %v %+v", err, v3)
	}
	if _, err := s.Report(ctx, Actor{Role: RoleOfficer, TenantID: 2}, v2.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another ward read the version: %v", err)
	}
	if strings.Join(audited, ",") != "report.save,report.save,report.approve,report.save" {
		t.Fatalf("audit %v", audited)
	}
}
