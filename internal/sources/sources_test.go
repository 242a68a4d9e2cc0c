package sources

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
)

func TestCheckPublicURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url    string
		reason string // "" = accepted
	}{
		{"https://phuongmau.manglanh.vn", ""},
		{"http://ubnd-phulien.example.vn:8080/", ""},
		{"https://203.0.113.7", ""},
		{"https://[2001:db8::1]", ""},
		{"", "unset"},
		{"   ", "unset"},
		{"http://127.0.0.1:8080", "loopback"},
		{"http://127.1.2.3", "loopback"},
		{"http://[::1]:8080", "loopback"},
		{"http://[::ffff:127.0.0.1]", "loopback"},
		{"http://localhost:8080", "localhost"},
		{"http://LocalHost.", "localhost"},
		{"http://portal.localhost", "localhost"},
		{"http://10.1.2.3", "private"},
		{"http://172.16.0.9", "private"},
		{"http://172.31.255.255", "private"},
		{"http://192.168.1.10:8080", "private"},
		{"http://[fd12:3456::1]", "private"},
		{"http://169.254.10.20", "private"},
		{"http://[fe80::1]", "private"},
		{"http://0.0.0.0:8080", "private"},
		{"http://manglanh.local", "private"},
		{"http://manglanh:8080", "private"},
		{"ftp://phuong.example.vn", "invalid"},
		{"phuong.example.vn", "invalid"},
		{"https://user:pw@phuong.example.vn", "invalid"},
	} {
		err := CheckPublicURL(tc.url)
		var be *BaseURLError
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("%q refused: %v", tc.url, err)
		case tc.reason == "":
		case !errors.As(err, &be) || be.Reason != tc.reason || !errors.Is(err, ErrNoPublicURL):
			t.Errorf("%q: err %v, want reason %s", tc.url, err, tc.reason)
		default:
			for _, lang := range []string{"vi", "en"} {
				if m := be.Message(lang); !strings.Contains(m, "web.base_url") || !strings.Contains(m, "MANGLANH_WEB_BASE_URL") {
					t.Errorf("%q %s message does not name the setting: %s", tc.url, lang, m)
				}
			}
			if be.Message("vi") == be.Message("en") {
				t.Errorf("%q: the Vietnamese message is the English one", tc.url)
			}
		}
	}
}

type memStore struct {
	srcs []Source
	fail error
}

func (m *memStore) CreateSource(_ context.Context, src *Source) error {
	if m.fail != nil {
		return m.fail
	}
	src.ID = int64(len(m.srcs) + 1)
	m.srcs = append(m.srcs, *src)
	return nil
}

func (m *memStore) GetSource(_ context.Context, id int64) (Source, error) {
	if id < 1 || int(id) > len(m.srcs) {
		return Source{}, ErrNotFound
	}
	return m.srcs[id-1], nil
}

func (m *memStore) ListSources(context.Context) ([]Source, error) { return m.srcs, nil }

type entry struct{ actor, action, object, detail string }

type recorder struct {
	entries []entry
	fail    error
}

func (r *recorder) RecordAction(_ context.Context, a audit.Actor, action, objectType, objectID, detail string) error {
	if r.fail != nil {
		return r.fail
	}
	r.entries = append(r.entries, entry{a.Role, action, objectType + ":" + objectID, detail})
	return nil
}

var (
	officer = cases.Actor{UserID: 3, Role: cases.RoleOfficer, Name: "Cán bộ"}
	school  = cases.Actor{UserID: 5, Role: cases.RoleSchool, OrgID: 50, Name: "Trường"}
)

func TestCreateValidatesAndAudits(t *testing.T) {
	t.Parallel()
	st, rec := &memStore{}, &recorder{}
	svc, err := NewService(Config{Store: st, Audit: rec, BaseURL: "https://phuong.example.vn/",
		Clock: func() time.Time { return time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = svc.Create(ctx, officer, Source{Name: "  ", Kind: "mall", Address: "a\x00b"})
	var es ValidationErrors
	if !errors.As(err, &es) || len(es) != 3 || es[0].Field != "name" || es[1].Field != "kind" || es[2].Field != "address" {
		t.Fatalf("invalid source: %v", err)
	}
	if len(st.srcs) != 0 || len(rec.entries) != 0 {
		t.Fatal("an invalid source was stored or audited")
	}
	if _, err := svc.Create(ctx, school, Source{Name: "Trường", Kind: "school"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("school creates a source: %v", err)
	}
	src, err := svc.Create(ctx, officer, Source{Name: " Nhà văn hoá tổ 3 ", Kind: "cultural_house", Address: "Ngõ 12"})
	if err != nil {
		t.Fatal(err)
	}
	if src.ID != 1 || src.Name != "Nhà văn hoá tổ 3" || src.CreatedBy != officer.UserID || src.CreatedAt.IsZero() {
		t.Fatalf("stored %+v", src)
	}
	if len(rec.entries) != 1 || rec.entries[0] != (entry{"officer", "source.create", "source:1", "cultural_house: Nhà văn hoá tổ 3"}) {
		t.Fatalf("audit %+v", rec.entries)
	}
	_, link, err := svc.Poster(ctx, officer, src.ID)
	if err != nil || link != "https://phuong.example.vn/bao-cao?nguon=1" {
		t.Fatalf("poster link %q, %v", link, err)
	}
	if len(rec.entries) != 2 || rec.entries[1].action != "source.poster" {
		t.Fatalf("poster not audited: %+v", rec.entries)
	}
	if _, _, err := svc.Poster(ctx, officer, 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("poster of a missing source: %v", err)
	}
	// An audit log that cannot record refuses the action.
	rec.fail = errors.New("disk full")
	if _, _, err := svc.Poster(ctx, officer, src.ID); err == nil {
		t.Fatal("a poster was handed out without an audit entry")
	}
}

func TestPosterRefusedWithoutPublicURL(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "http://127.0.0.1:8080", "http://192.168.1.5"} {
		st, rec := &memStore{}, &recorder{}
		svc, err := NewService(Config{Store: st, Audit: rec, BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		src, err := svc.Create(context.Background(), officer, Source{Name: "Trường THCS", Kind: "school"})
		if err != nil {
			t.Fatal(err)
		}
		_, link, err := svc.Poster(context.Background(), officer, src.ID)
		if !errors.Is(err, ErrNoPublicURL) || link != "" {
			t.Errorf("base %q: link %q, err %v; want ErrNoPublicURL", base, link, err)
		}
		if len(rec.entries) != 1 {
			t.Errorf("base %q: a refused poster was audited as downloaded: %+v", base, rec.entries)
		}
	}
}
