package notify

import (
	"context"
	"testing"

	"manglanh/internal/cases"
)

// TestRoleEventStaysInItsWard: an event addressed to a role reaches that
// role's accounts in the case's ward only; an account named by id is told
// whatever its ward (the case service names only its own ward's staff).
func TestRoleEventStaysInItsWard(t *testing.T) {
	users := fakeUsers{byRole: map[string][]Recipient{cases.RoleWardAdmin: {
		{ID: 1, Email: "a1@hp.vn", TenantID: 1}, {ID: 2, Email: "b1@hp.vn", TenantID: 2}, {ID: 3, Email: "old@hp.vn"}}}}
	notices := &fakeNotices{}
	n, err := New(Config{Users: users, Notices: notices, BaseURL: "https://ml.example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	e := testEvent()
	e.ToUserID, e.ToRole, e.TenantID = 0, cases.RoleWardAdmin, 2
	d, err := n.DeliverCaseEvent(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]bool{}
	for _, no := range notices.ns {
		got[no.UserID] = true
	}
	if d.Accounts != 2 || !got[2] || !got[3] || got[1] {
		t.Fatalf("ward 2's event told %v (%d accounts), want ward 2's admin and the account without a ward", got, d.Accounts)
	}
}
