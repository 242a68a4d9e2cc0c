package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/secret"
)

// testSealer is internal/secret's AES-256-GCM sealer with a random key.
func testSealer(t testing.TB) *secret.Sealer {
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	s, err := secret.New(map[byte][]byte{1: key}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func caseStore(t *testing.T, s *Store) *CaseStore {
	t.Helper()
	cs, err := s.Cases(testSealer(t), filepath.Join(t.TempDir(), "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

const (
	childName     = "Nguyễn Thị Bé Na"
	reporterPhone = "0912 345 678"
)

func sampleCase(code string, at time.Time) *cases.Case {
	return &cases.Case{Code: code, Status: cases.StatusReceived, Urgent: true, Category: cases.CategorySextortion,
		Channel: cases.ChannelQR, SourceID: 7, ReceivedAt: at, UpdatedAt: at, AgeBand: cases.AgeBand11to14,
		SuggestedCategory: cases.CategorySextortion, SuggestedLevel: cases.LevelHigh,
		SuggestedReasons: "đe doạ tung ảnh", Place: "Zalo, tổ dân phố 3", OccurredAt: at.Add(-24 * time.Hour),
		Sensitive: cases.Sensitive{ChildName: childName, ChildAge: 13, ChildSchool: "THCS Phù Liễn", ChildClass: "7A",
			Description: "Có người nhắn tin đòi tiền, doạ tung ảnh.", SuspectPhone: "0987654321",
			EvidenceLinks: []string{"https://example.com/x"}, ReporterName: "Trần Văn Mẹ", ReporterPhone: reporterPhone,
			ReporterRelation: "mẹ"},
		Steps: []cases.Step{{At: at, ActorRole: cases.RolePublic, Action: cases.ActionIntake, To: cases.StatusReceived,
			Note: "bí mật " + childName}},
	}
}

func TestCaseRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		at := time.Date(2026, 11, 27, 9, 30, 0, 123e6, time.UTC)
		c := sampleCase("ABCD2345", at)
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.Version != 1 || c.Steps[0].ID == 0 {
			t.Fatalf("ids not set: %+v", c)
		}
		got, err := cs.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sensitive.ChildName != childName || got.Sensitive.ReporterPhone != reporterPhone ||
			got.Place != c.Place || !got.ReceivedAt.Equal(at) || !got.Urgent || got.SourceID != 7 ||
			len(got.Steps) != 1 || got.Steps[0].Note != c.Steps[0].Note || got.Sensitive.EvidenceLinks[0] != "https://example.com/x" {
			t.Fatalf("round trip: %+v", got)
		}
		byCode, err := cs.GetCaseByCode(ctx, "ABCD2345")
		if err != nil || byCode.ID != c.ID {
			t.Fatalf("by code: %v %v", byCode, err)
		}
		if _, err := cs.GetCaseByCode(ctx, "ZZZZ2345"); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("unknown code: %v", err)
		}
		if _, err := cs.GetCase(ctx, 9999); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
		if err := cs.CreateCase(ctx, sampleCase("ABCD2345", at), nil); !errors.Is(err, cases.ErrCodeTaken) {
			t.Fatalf("duplicate code: %v", err)
		}
	})
}

// TestCaseRowIsEncrypted reads the raw rows and finds neither the child's
// name nor the reporter's phone in any column.
func TestCaseRowIsEncrypted(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		c := sampleCase("RAWR2345", time.Now())
		c.Referrals = []cases.Referral{{AgencyKind: cases.AgencyPolice, Status: cases.ReferralPending,
			OverrideReason: "vì " + childName, ReferredAt: time.Now()}}
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		needles := [][]byte{[]byte(childName), []byte(reporterPhone), []byte("Bé Na"), []byte("0912"), []byte("tổ dân phố")}
		for _, table := range []string{"cases", "case_steps", "case_referrals"} {
			rows, err := s.read.Query("SELECT * FROM " + table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			n := 0
			for rows.Next() {
				n++
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var raw []byte
					switch x := v.(type) {
					case []byte:
						raw = x
					case string:
						raw = []byte(x)
					}
					for _, nd := range needles {
						if bytes.Contains(raw, nd) {
							t.Errorf("%s.%s holds %q in clear", table, cols[i], nd)
						}
					}
				}
			}
			rows.Close()
			if n == 0 {
				t.Fatalf("no rows in %s", table)
			}
		}
	})
}

func TestCaseUpdateVersionStepsReferrals(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		now := time.Now().UTC().Truncate(time.Millisecond)
		c := sampleCase("UPDT2345", now)
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		stale, _ := cs.GetCase(ctx, c.ID)
		c.Status, c.RiskLevel = cases.StatusAssessed, cases.LevelHigh
		c.Assessment = &cases.Assessment{RiskLevel: cases.LevelHigh, Notes: "ghi chú", At: now, ByID: 3}
		c.Steps = append(c.Steps, cases.Step{At: now, ActorID: 3, Action: cases.ActionAssess, From: cases.StatusReceived, To: cases.StatusAssessed})
		c.Referrals = append(c.Referrals, cases.Referral{AgencyKind: cases.AgencySchool, OrgID: 4, Status: cases.ReferralPending, ConsentRecorded: true, ReferredAt: now})
		if err := cs.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.Version != 2 || c.Steps[1].ID == 0 || c.Referrals[0].ID == 0 {
			t.Fatalf("after update: v%d %+v %+v", c.Version, c.Steps, c.Referrals)
		}
		stale.ClosureNote = "late writer"
		if err := cs.UpdateCase(ctx, stale); !errors.Is(err, cases.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		c.Referrals[0].Status, c.Referrals[0].ResponseNote = cases.ReferralAccepted, "nhận"
		if err := cs.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, _ := cs.GetCase(ctx, c.ID)
		if got.Version != 3 || len(got.Steps) != 2 || got.Assessment == nil || got.Assessment.Notes != "ghi chú" ||
			len(got.Referrals) != 1 || got.Referrals[0].Status != cases.ReferralAccepted || got.Referrals[0].ResponseNote != "nhận" ||
			!got.Referrals[0].ConsentRecorded {
			t.Fatalf("reloaded: %+v", got)
		}
		ghost := *c
		ghost.ID = 424242
		if err := cs.UpdateCase(ctx, &ghost); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("missing case update: %v", err)
		}
	})
}

func TestListCasesFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		codes := []string{"AAAA2222", "BBBB2222", "CCCC2222", "DDDD2222"}
		var ids []int64
		for i, code := range codes {
			c := sampleCase(code, base.Add(time.Duration(i)*time.Hour))
			c.Urgent = i%2 == 0
			c.AssigneeID = int64(i % 2)
			if i == 3 {
				c.Status, c.ClosedAt, c.Category = cases.StatusClosed, base.Add(5*time.Hour), cases.CategoryScam
			}
			if i == 1 {
				c.Referrals = []cases.Referral{{AgencyKind: cases.AgencySchool, OrgID: 9, Status: cases.ReferralPending}}
			}
			if i == 2 {
				c.Referrals = []cases.Referral{{AgencyKind: cases.AgencySchool, OrgID: 9, Status: cases.ReferralRevoked}}
			}
			if err := cs.CreateCase(ctx, c, nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		codesOf := func(f cases.Filter) string {
			t.Helper()
			got, err := cs.ListCases(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range got {
				if c.Sensitive.ChildName != "" {
					t.Fatal("list carries sensitive content")
				}
				out = append(out, c.Code[:1])
			}
			return strings.Join(out, "")
		}
		tests := []struct {
			name string
			f    cases.Filter
			want string
		}{
			{"all newest first", cases.Filter{}, "DCBA"},
			{"open", cases.Filter{OpenOnly: true}, "CBA"},
			{"statuses", cases.Filter{Statuses: []cases.Status{cases.StatusClosed}}, "D"},
			{"urgent", cases.Filter{Urgent: true}, "CA"},
			{"category", cases.Filter{Category: cases.CategoryScam}, "D"},
			{"assignee", cases.Filter{AssigneeID: 1}, "DB"},
			{"referred live only", cases.Filter{ReferredKind: cases.AgencySchool, ReferredOrgID: 9}, "B"},
			{"referred other org", cases.Filter{ReferredKind: cases.AgencySchool, ReferredOrgID: 8}, ""},
			{"closed before", cases.Filter{ClosedBefore: base.Add(6 * time.Hour)}, "D"},
			{"closed before too early", cases.Filter{ClosedBefore: base.Add(5 * time.Hour)}, ""},
			{"received from", cases.Filter{ReceivedFrom: base.Add(time.Hour)}, "DCB"},
			{"received to excludes its instant", cases.Filter{ReceivedTo: base.Add(2 * time.Hour)}, "BA"},
			{"received in a window", cases.Filter{ReceivedFrom: base.Add(time.Hour), ReceivedTo: base.Add(3 * time.Hour)}, "CB"},
			{"received window and category", cases.Filter{ReceivedFrom: base, ReceivedTo: base.Add(4 * time.Hour), Category: cases.CategoryScam}, "D"},
			{"received in an empty window", cases.Filter{ReceivedFrom: base.Add(time.Hour), ReceivedTo: base.Add(time.Hour)}, ""},
			{"limit offset", cases.Filter{Limit: 2, Offset: 1}, "CB"},
			{"sql metacharacters", cases.Filter{Category: "x' OR '1'='1"}, ""},
		}
		for _, tt := range tests {
			if got := codesOf(tt.f); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
		got, _ := cs.ListCases(ctx, cases.Filter{ReferredKind: cases.AgencySchool})
		if len(got) != 1 || len(got[0].Referrals) != 1 || got[0].Place == "" {
			t.Fatalf("list must carry referrals and detail: %+v", got)
		}
		_ = ids
	})
}

func TestNoticesAndDeletion(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		c := sampleCase("DELE2345", time.Now())
		if err := cs.CreateCase(ctx, c, []cases.EvidenceItem{pretendImage(childName)}); err != nil {
			t.Fatal(err)
		}
		n := cases.Notice{Key: "k1", CaseID: c.ID, Kind: cases.EventOverdue, Deadline: cases.DeadlineEmergency, Due: time.Now(), SentAt: time.Now()}
		if ok, err := cs.ClaimNotice(ctx, n); !ok || err != nil {
			t.Fatalf("first claim: %v %v", ok, err)
		}
		if ok, err := cs.ClaimNotice(ctx, n); ok || err != nil {
			t.Fatalf("second claim: %v %v", ok, err)
		}
		if err := cs.ReleaseNotice(ctx, "k1"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := cs.ClaimNotice(ctx, n); !ok {
			t.Fatal("claim after release refused")
		}
		ev, err := cs.ListEvidence(ctx, c.ID)
		if err != nil || len(ev) != 1 {
			t.Fatalf("evidence of the new case: %v %v", ev, err)
		}
		path := filepath.Join(cs.uploads, ev[0].File)
		var raw []byte
		if s.dialect == Postgres {
			err = s.read.QueryRowContext(ctx, "SELECT data FROM case_evidence WHERE id = $1", ev[0].ID).Scan(&raw)
		} else {
			raw, err = os.ReadFile(path)
		}
		if err != nil || len(raw) == 0 || bytes.Contains(raw, []byte(childName)) {
			t.Fatalf("evidence at rest not sealed: %v", err)
		}
		_, data, err := cs.OpenEvidence(ctx, c.ID, ev[0].ID)
		if err != nil || !bytes.Contains(data, []byte(childName)) {
			t.Fatalf("open evidence: %v", err)
		}
		if _, _, err := cs.OpenEvidence(ctx, c.ID+1, ev[0].ID); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("evidence of another case: %v", err)
		}
		rec := cases.DeletionRecord{CaseID: c.ID, Code: c.Code, Category: c.Category, DeletedAt: time.Now(), Reason: "retention"}
		if err := cs.DeleteCase(ctx, c.ID, rec); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.GetCase(ctx, c.ID); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("deleted case still there: %v", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("evidence file survived deletion: %v", err)
		}
		if err := cs.CreateCase(ctx, sampleCase("DELE2345", time.Now()), nil); !errors.Is(err, cases.ErrCodeTaken) {
			t.Fatalf("code of a purged case reused: %v", err)
		}
		if err := cs.DeleteCase(ctx, c.ID, rec); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
	})
}

func pretendImage(mark string) cases.EvidenceItem {
	return cases.EvidenceItem{ContentType: cases.EvidencePNG, Data: []byte("pretend png " + mark), Width: 1, Height: 1}
}

// uploadsFiles lists the names in the uploads directory.
func uploadsFiles(t *testing.T, cs *CaseStore) []string {
	t.Helper()
	es, err := os.ReadDir(cs.uploads)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestCreateCaseWithEvidenceIsAtomic(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		images := []cases.EvidenceItem{pretendImage("một"), pretendImage("hai"), pretendImage("ba")}
		c := sampleCase("ATOM2345", time.Now())
		if err := cs.CreateCase(ctx, c, images); err != nil {
			t.Fatal(err)
		}
		ev, err := cs.ListEvidence(ctx, c.ID)
		if err != nil || len(ev) != 3 {
			t.Fatalf("evidence: %v %v", ev, err)
		}
		for i, e := range ev {
			if _, data, err := cs.OpenEvidence(ctx, c.ID, e.ID); err != nil || !bytes.Equal(data, images[i].Data) {
				t.Errorf("image %d: %q %v", i, data, err)
			}
		}
		// SQLite: three sealed files. PostgreSQL: the sealed content in the
		// rows (every process on every machine reads it), no file.
		wantFiles, wantRows := 3, 0
		if s.dialect == Postgres {
			wantFiles, wantRows = 0, 3
		}
		inRows := func() int {
			var n int
			if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_evidence WHERE data IS NOT NULL").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if files := uploadsFiles(t, cs); len(files) != wantFiles || strings.HasPrefix(strings.Join(files, ""), tempPrefix) {
			t.Errorf("uploads after a good intake: %v", files)
		}
		if n := inRows(); n != wantRows {
			t.Errorf("%d images in rows, want %d", n, wantRows)
		}
		if s.dialect == Postgres {
			var data []byte
			s.read.QueryRowContext(ctx, "SELECT data FROM case_evidence WHERE case_id = $1 ORDER BY id LIMIT 1", c.ID).Scan(&data)
			if bytes.Contains(data, []byte("pretend png")) {
				t.Error("an image is stored in clear")
			}
		}

		// A refused transaction (the code is taken) leaves no file or row behind.
		if err := cs.CreateCase(ctx, sampleCase("ATOM2345", time.Now()), images); !errors.Is(err, cases.ErrCodeTaken) {
			t.Fatalf("taken code: %v", err)
		}
		if files := uploadsFiles(t, cs); len(files) != wantFiles {
			t.Errorf("uploads after a refused intake: %v", files)
		}
		if n := inRows(); n != wantRows {
			t.Errorf("%d images in rows after a refused intake, want %d", n, wantRows)
		}
		if s.dialect == Postgres {
			return // no uploads directory is written to
		}

		// An evidence write that fails leaves no case: here the uploads
		// directory is replaced by a file, which fails as root too.
		broken := caseStore(t, s)
		if err := os.Remove(broken.uploads); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(broken.uploads, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		lost := sampleCase("LOST2345", time.Now())
		if err := broken.CreateCase(ctx, lost, images); err == nil {
			t.Fatal("intake succeeded without a place for its images")
		}
		if _, err := cs.GetCaseByCode(ctx, "LOST2345"); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("a report whose images failed is visible: %v", err)
		}
		if err := cs.CreateCase(ctx, sampleCase("LOST2345", time.Now()), nil); err != nil {
			t.Fatalf("code of a failed intake not free: %v", err)
		}
	})
}

// TestCrashDuringIntakeIsRecovered plays the two crashes CreateCase can
// meet, by running its steps by hand and stopping where a crash would.
func TestCrashDuringIntakeIsRecovered(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		if s.dialect == Postgres {
			// The images are in the case's transaction: nothing on disk to
			// finish or undo (TestCreateCaseWithEvidenceIsAtomic).
			return
		}
		ctx := context.Background()
		sealer := testSealer(t)
		dir := filepath.Join(t.TempDir(), "uploads")
		cs, err := s.Cases(sealer, dir)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)

		// Crash after the commit, before the rename.
		c := sampleCase("CRSH2345", now)
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		committed, err := cs.stageEvidence([]cases.EvidenceItem{pretendImage("sau commit")}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.tx(ctx, func(tx *sql.Tx) error { return insertEvidence(ctx, tx, c.ID, committed) }); err != nil {
			t.Fatal(err)
		}
		// The image is readable before any recovery.
		if _, data, err := cs.OpenEvidence(ctx, c.ID, committed[0].ID); err != nil || !bytes.Contains(data, []byte("sau commit")) {
			t.Fatalf("committed image under its temporary name: %q %v", data, err)
		}

		// Crash before the commit: a fresh orphan and a stale one.
		fresh, err := cs.stageEvidence([]cases.EvidenceItem{pretendImage("mới")}, now)
		if err != nil {
			t.Fatal(err)
		}
		stale, err := cs.stageEvidence([]cases.EvidenceItem{pretendImage("cũ")}, now)
		if err != nil {
			t.Fatal(err)
		}
		old := now.Add(-2 * staleTemp)
		if err := os.Chtimes(filepath.Join(dir, tempPrefix+stale[0].File), old, old); err != nil {
			t.Fatal(err)
		}

		// The restart sweeps.
		if _, err := s.Cases(sealer, dir); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{committed[0].File: true, tempPrefix + fresh[0].File: true}
		files := uploadsFiles(t, cs)
		if len(files) != len(want) {
			t.Errorf("after the sweep: %v, want %v", files, want)
		}
		for _, f := range files {
			if !want[f] {
				t.Errorf("after the sweep: unexpected %s", f)
			}
		}
		if _, data, err := cs.OpenEvidence(ctx, c.ID, committed[0].ID); err != nil || !bytes.Contains(data, []byte("sau commit")) {
			t.Fatalf("committed image after the sweep: %q %v", data, err)
		}
	})
}

func TestSources(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		src := Source{Name: "Trường THCS Phù Liễn", Kind: "school", Address: "Số 1, phố X", CreatedBy: 2}
		if err := s.CreateSource(ctx, &src); err != nil || src.ID == 0 {
			t.Fatalf("create: %v", err)
		}
		got, err := s.GetSource(ctx, src.ID)
		if err != nil || got.Name != src.Name || got.Address != src.Address {
			t.Fatalf("get: %+v %v", got, err)
		}
		if _, err := s.GetSource(ctx, 999); !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing: %v", err)
		}
		all, err := s.ListSources(ctx)
		if err != nil || len(all) != 1 {
			t.Fatalf("list: %v %v", all, err)
		}
	})
}

type nopEvents struct{}

func (nopEvents) CaseEvent(context.Context, cases.Event) error { return nil }
func (nopEvents) Record(context.Context, cases.Actor, string, int64, string) error {
	return nil
}

// TestServiceOnRealStore runs the workflow service on the real store: a
// public intake, the status by code, and an assessment.
func TestServiceOnRealStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		svc, err := cases.NewService(cases.Config{Store: caseStore(t, s), Notifier: nopEvents{}, Audit: nopEvents{}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := svc.Intake(ctx, cases.Actor{Role: cases.RolePublic}, cases.Intake{Category: cases.CategoryScam,
			Sensitive: cases.Sensitive{Description: "Bị lừa nạp thẻ", ChildName: childName}})
		if err != nil {
			t.Fatal(err)
		}
		st, err := svc.StatusByCode(ctx, strings.ToLower(c.Code))
		if err != nil || st.Code != c.Code {
			t.Fatalf("status: %+v %v", st, err)
		}
		officer := cases.Actor{UserID: 5, Role: cases.RoleOfficer, Name: "Cán bộ"}
		if err := svc.Assess(ctx, officer, c.ID, cases.Assessment{RiskLevel: cases.LevelMedium}); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, officer, c.ID)
		if err != nil || got.Status != cases.StatusAssessed || got.Sensitive.ChildName != childName || len(got.Steps) != 2 {
			t.Fatalf("after assess: %+v %v", got, err)
		}
		list, err := svc.List(ctx, officer, cases.Filter{})
		if err != nil || len(list) != 1 || list[0].RiskLevel != cases.LevelMedium {
			t.Fatalf("list: %+v %v", list, err)
		}
	})
}

var _ Sealer = (*secret.Sealer)(nil)
