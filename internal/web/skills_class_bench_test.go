package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/secret"
	"manglanh/internal/skills"
)

var benchCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// BenchmarkClassSession500: one class session on SQLite (a file on disk)
// with 500 pupils' phones, each a client of its own over loopback HTTP.
// All 500 join, the question opens, and all 500 load it and answer at the
// same moment. Reported: the answers phase's wall time, answers recorded
// per second, and the p50 and p99 of one answer's POST (CSRF check, the
// session and player lookups, the insert, the redirect). The clients run
// on the same cores as the server.
//
//	go test -run XXX -bench BenchmarkClassSession500 -benchtime 1x ./internal/web
//
// One iteration: more would be more joins from one address than the join
// limit lets through.
func BenchmarkClassSession500(b *testing.B) {
	const pupils = 500
	base := newFixture(b, ReportLimits{})
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	sealer, _ := secret.New(map[byte][]byte{1: key}, 1)
	acts, err := base.db.Activities(sealer)
	if err != nil {
		b.Fatal(err)
	}
	prog, err := program.New(program.Options{Store: base.db, Activities: acts, Location: cases.DefaultLocation(),
		Schools: fixedSchoolList{{ID: testSchoolOrg, Name: "Trường THCS Phù Liễn"}}})
	if err != nil {
		b.Fatal(err)
	}
	svc := &skills.Service{Store: base.db, Program: prog, Location: cases.DefaultLocation()}
	s, err := New(Config{Ward: Ward{Name: "Phường Phù Liễn"}, Program: prog, SkillsSessions: svc, Location: cases.DefaultLocation()})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	b.Cleanup(ts.Close)
	transport := &http.Transport{MaxIdleConnsPerHost: pupils, MaxConnsPerHost: pupils}
	teacher := program.Actor{UserID: 1, Role: program.RoleWardAdmin, TenantID: program.DefaultTenant}
	ctx := context.Background()
	var lastRate, lastP50, lastP99, lastWall float64
	for b.Loop() {
		se, err := svc.Start(ctx, teacher, program.School{ID: testSchoolOrg, Name: "Trường THCS Phù Liễn"}, 7, "7A")
		if err != nil {
			b.Fatal(err)
		}
		lobby := ts.URL + "/ky-nang-so/lop/" + se.Code
		clients := make([]*http.Client, pupils)
		var wg sync.WaitGroup
		errs := make(chan error, 2*pupils)
		for i := range pupils {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			clients[i] = c
			wg.Add(1)
			go func() {
				defer wg.Done()
				token, err := formToken(c, ts.URL+"/ky-nang-so/lop?ma="+se.Code)
				if err != nil {
					errs <- err
					return
				}
				resp, err := c.PostForm(ts.URL+"/ky-nang-so/lop", url.Values{"csrf": {token}, "code": {se.Code}, "nickname": {fmt.Sprintf("Bạn %d", i)}})
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					errs <- fmt.Errorf("join %d: %d", i, resp.StatusCode)
				}
			}()
		}
		wg.Wait()
		if _, err := svc.Next(ctx, teacher, se.ID); err != nil {
			b.Fatal(err)
		}
		lat := make([]time.Duration, pupils)
		start := time.Now()
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				token, err := formToken(c, lobby)
				if err != nil {
					errs <- err
					return
				}
				t0 := time.Now()
				resp, err := c.PostForm(lobby, url.Values{"csrf": {token}, "item": {"0"}, "chon": {fmt.Sprint(i % 3)}})
				lat[i] = time.Since(t0)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					errs <- fmt.Errorf("answer %d: %d", i, resp.StatusCode)
				}
			}()
		}
		wg.Wait()
		wall := time.Since(start)
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		ans, _ := base.db.SkillsAnswers(ctx, se.ID)
		if len(ans) != pupils {
			b.Fatalf("%d answers recorded, want %d", len(ans), pupils)
		}
		slices.Sort(lat)
		lastWall, lastRate = wall.Seconds(), float64(pupils)/wall.Seconds()
		lastP50, lastP99 = float64(lat[pupils/2].Milliseconds()), float64(lat[pupils*99/100].Milliseconds())
		if _, err := svc.End(ctx, teacher, se.ID); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(lastWall, "s-answering")
	b.ReportMetric(lastRate, "answers/s")
	b.ReportMetric(lastP50, "ms-p50")
	b.ReportMetric(lastP99, "ms-p99")
}

// formToken loads page and returns its CSRF token.
func formToken(c *http.Client, page string) (string, error) {
	resp, err := c.Get(page)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := benchCSRF.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no token on %s (%d)", page, resp.StatusCode)
	}
	return string(m[1]), nil
}
