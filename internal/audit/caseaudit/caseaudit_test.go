package caseaudit

import (
	"context"
	"testing"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
)

type recorder struct{ got []string }

func (r *recorder) RecordAction(ctx context.Context, a audit.Actor, action, objectType, objectID, detail string) error {
	r.got = append(r.got, a.Name, a.Role, action, objectType, objectID, detail, audit.ClientIP(ctx))
	return nil
}

func TestCaseEventsBecomeAuditEntries(t *testing.T) {
	r := &recorder{}
	var aud cases.Auditor = Auditor{Log: r}
	ctx := audit.WithClientIP(context.Background(), "192.0.2.4")
	if err := aud.Record(ctx, cases.Actor{UserID: 3, Name: "Cán bộ", Role: cases.RoleOfficer}, "case.view", 42, ""); err != nil {
		t.Fatal(err)
	}
	want := []string{"Cán bộ", "officer", "case.view", "case", "42", "", "192.0.2.4"}
	for i := range want {
		if r.got[i] != want[i] {
			t.Fatalf("got %q, want %q", r.got, want)
		}
	}
}
