package web

import (
	"context"
	"testing"

	"manglanh/internal/cases"
	"manglanh/internal/store"
)

// Organisations of the test directory, created in this order so their ids
// are 1…6: the police (1) and school 5 have accounts in the fixtures;
// school 6 has none, so a referral to it reaches nobody.
var testDirectory = []cases.Organisation{
	{Name: "Công an phường Phù Liễn", Kind: cases.AgencyPolice, Phone: "0225 3 111 113", Active: true},
	{Name: "Hội LHPN phường", Kind: cases.AgencyWomensUnion, Active: true},
	{Name: "Đoàn Thanh niên phường", Kind: cases.AgencyYouthUnion, Active: true},
	{Name: "Trạm y tế phường", Kind: cases.AgencyHealth, Active: true},
	{Name: "Trường THCS Phù Liễn", Kind: cases.AgencySchool, Active: true},
	{Name: "Trường Tiểu học Lê Lợi", Kind: cases.AgencySchool, Phone: "0225 3 822 456", Active: true},
}

const (
	testPoliceOrg    = 1
	testSchoolOrg    = 5
	testNoAccountOrg = 6
)

func seedDirectory(t testing.TB, db *store.Store) {
	t.Helper()
	for i, o := range testDirectory {
		if err := db.CreateOrganisation(context.Background(), &o); err != nil || o.ID != int64(i+1) {
			t.Fatalf("seeding the directory: id %d, %v", o.ID, err)
		}
	}
}
