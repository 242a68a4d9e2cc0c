package e2e

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/auth"
)

// twoProcConfig is the configuration of one of several processes of a
// city deployment: its own data directory (nothing on disk is shared), the
// one PostgreSQL database, and the deployment's keys in a directory every
// process reads (as a secret mounted on each machine would be).
func twoProcConfig(t *testing.T, dir, keys, dsn string) string {
	t.Helper()
	body := fmt.Sprintf(`data_dir: %q
database: %q
log: {level: warn}
web: {listen: "127.0.0.1:0"}
dns: {listen: ""}
ward: {name: "Phường Phù Liễn", city: "Hải Phòng"}
cases: {key_file: %q}
figures: {key_file: %q}
`, filepath.Join(dir, "data"), dsn, filepath.Join(keys, "secret.key"), filepath.Join(keys, "figures.key"))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "manglanh.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// staffClient is a cookie-keeping HTTP client that does not follow
// redirects, for one process's address.
type staffClient struct {
	t    *testing.T
	c    *http.Client
	base string
}

func newStaffClient(t *testing.T, base string) *staffClient {
	jar, _ := cookiejar.New(nil)
	return &staffClient{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// at moves the client to another process, keeping its cookies (the load
// balancer sending the next request elsewhere).
func (s *staffClient) at(base string) *staffClient {
	u, _ := url.Parse(s.base)
	v, _ := url.Parse(base)
	s.c.Jar.SetCookies(v, s.c.Jar.Cookies(u))
	return &staffClient{t: s.t, c: s.c, base: base}
}

func (s *staffClient) get(path string) (*http.Response, string) {
	s.t.Helper()
	resp, err := s.c.Get(s.base + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// post reads page for its token and posts form to action.
func (s *staffClient) post(page, action string, form url.Values) (*http.Response, string) {
	s.t.Helper()
	_, body := s.get(page)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no CSRF token on %s", page)
	}
	form.Set("csrf", m[1])
	resp, err := s.c.PostForm(s.base+action, form)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var totpKeyHTML = regexp.MustCompile(`id="totp-key"><code>((?:<span class="nowrap">[A-Z2-7]{1,4}</span> ?){5,})</code>`)

// signInHTTP signs a new staff member in with the password and enrols the
// authenticator (the secret read from the page, the code computed).
func (s *staffClient) signInHTTP(email, password string) {
	s.t.Helper()
	resp, _ := s.post("/dang-nhap", "/dang-nhap", url.Values{"email": {email}, "password": {password}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/dang-nhap/cai-ma") {
		s.t.Fatalf("sign-in of %s: %d → %q", email, resp.StatusCode, loc)
	}
	_, page := s.get("/dang-nhap/cai-ma")
	m := totpKeyHTML.FindStringSubmatch(page)
	if m == nil {
		s.t.Fatalf("no TOTP key on the enrolment page")
	}
	secret := regexp.MustCompile(`</?span[^>]*>| `).ReplaceAllString(m[1], "")
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		s.t.Fatal(err)
	}
	code := auth.HOTP(key, auth.TOTPStep(time.Now()), auth.TOTPDigits)
	resp, _ = s.post("/dang-nhap/cai-ma", "/dang-nhap/cai-ma", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/can-bo") {
		s.t.Fatalf("TOTP enrolment of %s: %d → %q", email, resp.StatusCode, resp.Header.Get("Location"))
	}
}

// caseID finds the case with tracking code code on the case list.
func (s *staffClient) caseID(code string) string {
	s.t.Helper()
	_, list := s.get("/can-bo/ho-so")
	re := regexp.MustCompile(`<a href="/can-bo/ho-so/(\d+)">` + code[:4] + `-?` + code[4:] + `<`)
	m := re.FindStringSubmatch(list)
	if m == nil {
		return ""
	}
	return m[1]
}

func auditVerify(t *testing.T, bin, cfgPath string) string {
	t.Helper()
	cmd := exec.Command(bin, "audit", "verify", "--config", cfgPath)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + os.TempDir()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
	return string(out)
}

// TestTwoProcessesOnePostgres runs a city's two `manglanh serve` processes,
// each with its own data directory, on one PostgreSQL: a report with
// images sent to one is read with its images by an officer on the other;
// five wrong passwords spread over both lock the account on both; a kill -9
// of one in the middle of reports loses none that was acknowledged; the
// audit chain stays whole with both writing.
func TestTwoProcessesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two servers: not with -short")
	}
	dsn := postgresDSN(t)
	bin := buildBinary(t)
	root := t.TempDir()
	keys := filepath.Join(root, "keys")
	if err := os.MkdirAll(keys, 0o700); err != nil {
		t.Fatal(err)
	}
	cfgA := twoProcConfig(t, filepath.Join(root, "a"), keys, dsn)
	cfgB := twoProcConfig(t, filepath.Join(root, "b"), keys, dsn)
	a := startBinary(t, bin, cfgA) // migrates and creates the keys
	b := startBinary(t, bin, cfgB)
	t.Cleanup(func() {
		for _, p := range []*process{a, b} {
			if p.cmd.ProcessState == nil {
				p.cmd.Process.Kill()
			}
		}
	})
	addUser(t, cfgA, "canbo@phuong.vn", "Cán bộ Lan", "officer", 0, "mat khau rat dai 1")
	addUser(t, cfgB, "khoa@phuong.vn", "Cán bộ Khoa", "officer", 0, "mat khau rat dai 2")

	// A report with two images through A …
	img := noisePNG(t, 200, 160)
	code, err := sendFormReport(context.Background(), a.base, "Có người lạ đòi con gửi ảnh qua Zalo, doạ tung ảnh lên mạng.", img, 2)
	if err != nil {
		t.Fatalf("report through A: %v\n%s", err, a.output())
	}
	// … is read with its images by an officer signed in on B.
	officer := newStaffClient(t, b.base)
	officer.signInHTTP("canbo@phuong.vn", "mat khau rat dai 1")
	id := officer.caseID(code)
	if id == "" {
		t.Fatalf("the report %s made on A is not on B's case list", code)
	}
	_, page := officer.get("/can-bo/ho-so/" + id)
	imgs := regexp.MustCompile(`<img src="(/can-bo/ho-so/`+id+`/anh/\d+)"`).FindAllStringSubmatch(page, -1)
	if len(imgs) != 2 {
		t.Fatalf("B shows %d images of the report, want 2", len(imgs))
	}
	for _, m := range imgs {
		resp, body := officer.get(m[1])
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") || len(body) < 100 {
			t.Fatalf("image %s on B: %d %s, %d bytes", m[1], resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
	}
	// The same session works on A too (the load balancer may send the
	// next request there): sessions live in the database.
	if resp, _ := officer.at(a.base).get("/can-bo/ho-so/" + id); resp.StatusCode != 200 {
		t.Fatalf("the session from B on A: %d", resp.StatusCode)
	}

	// Five wrong passwords, alternating between the processes, lock the
	// account: the right password is then refused on both.
	for i := range 5 {
		base := []string{a.base, b.base}[i%2]
		resp, _ := newStaffClient(t, base).post("/dang-nhap", "/dang-nhap",
			url.Values{"email": {"khoa@phuong.vn"}, "password": {fmt.Sprintf("sai mat khau %d", i)}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, resp.StatusCode)
		}
	}
	for _, base := range []string{a.base, b.base} {
		resp, body := newStaffClient(t, base).post("/dang-nhap", "/dang-nhap",
			url.Values{"email": {"khoa@phuong.vn"}, "password": {"mat khau rat dai 2"}})
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("after five failures over two processes, the right password on %s: %d %.200s", base, resp.StatusCode, body)
		}
	}

	// Reports to both processes; A is killed with SIGKILL after the first
	// acknowledgement from it. Every acknowledged report is on B's list.
	ctx, stop := context.WithCancel(context.Background())
	var mu sync.Mutex
	var acked []string
	firstA := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for c := range 4 {
		base := []string{a.base, b.base}[c%2]
		wg.Go(func() {
			for n := 0; ctx.Err() == nil && n < 3; n++ {
				code, err := sendFormReport(ctx, base, fmt.Sprintf("Người gửi %d, lần %d: có kẻ lạ dụ con chơi cá cược.", c, n), img, 1)
				if err != nil {
					continue // killed under it, or rate-limited: not acknowledged
				}
				mu.Lock()
				acked = append(acked, code)
				mu.Unlock()
				if base == a.base {
					once.Do(func() { close(firstA) })
				}
			}
		})
	}
	select {
	case <-firstA:
	case <-time.After(60 * time.Second):
		t.Fatalf("no report acknowledged by A\n%s", a.output())
	}
	a.kill(t)
	time.AfterFunc(20*time.Second, stop)
	wg.Wait()
	stop()
	if len(acked) < 2 {
		t.Fatalf("only %d reports acknowledged", len(acked))
	}
	for _, code := range acked {
		if officer.caseID(code) == "" {
			t.Errorf("acknowledged report %s is not on B's list after A was killed", code)
		}
	}

	// The audit chain, written by both, is whole.
	out := auditVerify(t, bin, cfgB)
	if !strings.Contains(out, "audit log intact") {
		t.Fatalf("audit verify: %s", out)
	}
	if bytes.Contains([]byte(out), []byte("BROKEN")) {
		t.Fatal(out)
	}
	t.Logf("%d reports acknowledged across two processes, A killed; %s", len(acked), strings.TrimSpace(strings.SplitN(out, "\n", 2)[0]))

	// Backup and restore as docs/deploy.md says: pg_dump of the live
	// database, the data lost (the schema dropped), pg_restore, and a new
	// process on the restored database serves the same cases, images and
	// sessions, with the audit chain whole.
	b.kill(t)
	restoreTested(t, dsn, func() {
		c := startBinary(t, bin, cfgB)
		defer c.kill(t)
		again := officer.at(c.base)
		for _, code := range append(acked, code) {
			if again.caseID(code) == "" {
				t.Errorf("report %s missing after the restore", code)
			}
		}
		if resp, body := again.get(imgs[0][1]); resp.StatusCode != 200 || len(body) < 100 {
			t.Errorf("image after the restore: %d, %d bytes", resp.StatusCode, len(body))
		}
		if out := auditVerify(t, bin, cfgB); !strings.Contains(out, "audit log intact") {
			t.Errorf("audit verify after the restore: %s", out)
		}
	})
}

// restoreTested dumps the schema of dsn with pg_dump (custom format),
// drops it, restores it with pg_restore and runs check.
func restoreTested(t *testing.T, dsn string, check func()) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	base := u.String()
	dump := filepath.Join(t.TempDir(), "manglanh.dump")
	run := func(name string, args ...string) {
		t.Helper()
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run("pg_dump", "--format=custom", "--schema="+schema, "--file="+dump, base)
	run("psql", "-q", "-v", "ON_ERROR_STOP=1", "-c", "DROP SCHEMA "+schema+" CASCADE", base)
	run("pg_restore", "--exit-on-error", "--no-owner", "--dbname="+base, dump)
	check()
}
