package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"manglanh/internal/app"
	"manglanh/internal/cases"
	"manglanh/internal/config"
	"manglanh/internal/secret"
	"manglanh/internal/store"
)

// buildBinary builds manglanh into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "manglanh")
	cmd := exec.Command(goTool, "build", "-o", bin, "manglanh/cmd/manglanh")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running manglanh serve.
type process struct {
	cmd  *exec.Cmd
	base string
	mu   sync.Mutex
	tail []string // its last lines of output
	done chan error
}

var portalLine = regexp.MustCompile(`web portal: http://([0-9.:\[\]a-f]+)/`)

// startBinary runs bin serve with cfgPath and waits until it prints the
// portal's address. The process gets a minimal environment, so that no
// MANGLANH_ variable of the caller changes its configuration.
func startBinary(t *testing.T, bin, cfgPath string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, "serve", "--config", cfgPath), done: make(chan error, 1)}
	p.cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + os.TempDir(), "TZ=Asia/Ho_Chi_Minh"}
	out, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if m := portalLine.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
			p.mu.Lock()
			if p.tail = append(p.tail, line); len(p.tail) > 30 {
				p.tail = p.tail[1:]
			}
			p.mu.Unlock()
		}
		p.done <- p.cmd.Wait()
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	select {
	case a := <-addr:
		p.base = "http://" + a
	case err := <-p.done:
		t.Fatalf("manglanh serve exited before listening: %v\n%s", err, p.output())
	case <-time.After(60 * time.Second):
		t.Fatalf("manglanh serve did not listen within a minute\n%s", p.output())
	}
	return p
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-p.done
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("manglanh serve did not die of SIGKILL: %v", err)
	}
}

// TestKillAfterAcknowledgedReports checks "nothing lost that was
// acknowledged": several clients send reports to the built binary, the
// server is killed with SIGKILL as soon as the first 201 arrives, and after
// a restart every tracking code any client was given answers its status.
func TestKillAfterAcknowledgedReports(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server: not with -short")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	cfgPath := wardConfig(t, dir, "")
	const rounds, clients = 4, 4
	var all []string
	for round := range rounds {
		p := startBinary(t, bin, cfgPath)
		ctx, stop := context.WithCancel(context.Background())
		var mu sync.Mutex
		var acked []string
		first := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				client := &http.Client{Timeout: 10 * time.Second}
				for n := 0; ctx.Err() == nil && n < 4; n++ {
					code, status, err := sendReport(ctx, client, p.base, fmt.Sprintf("Vòng %d, người gửi %d, lần %d: có kẻ đòi mã OTP của cháu.", round, c, n))
					if err != nil || status != http.StatusCreated {
						continue // killed under it, or rate-limited: not acknowledged
					}
					mu.Lock()
					acked = append(acked, code)
					mu.Unlock()
					once.Do(func() { close(first) })
				}
			})
		}
		select {
		case <-first:
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d: no report acknowledged\n%s", round, p.output())
		}
		p.kill(t)
		stop()
		wg.Wait()
		if len(acked) == 0 {
			t.Fatalf("round %d: no code recorded", round)
		}
		t.Logf("round %d: %d reports acknowledged before SIGKILL", round, len(acked))

		p = startBinary(t, bin, cfgPath)
		for _, code := range acked {
			if status, label := reportStatus(t, p.base, code); status != http.StatusOK || label != cases.StatusLabel(cases.StatusReceived, "vi") {
				t.Errorf("round %d: report %s acknowledged before the kill answers %d %q after the restart", round, code, status, label)
			}
		}
		p.kill(t) // the restarted server dies the same way; the next round starts it again
		all = append(all, acked...)
	}
	// Every acknowledged report of every round survived every kill.
	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := secret.LoadOrCreateKey(app.KeyPath(cfg))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Config{DataDir: cfg.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, err := db.Cases(sealer, filepath.Join(cfg.DataDir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range all {
		c, err := cs.GetCaseByCode(context.Background(), code)
		if err != nil || !strings.HasPrefix(c.Sensitive.Description, "Vòng ") {
			t.Errorf("acknowledged report %s after %d kills: %v", code, rounds*2, err)
		}
	}
}

// sendReport posts one public report to the JSON API and returns its code
// and the HTTP status.
func sendReport(ctx context.Context, client *http.Client, base, description string) (string, int, error) {
	body, _ := json.Marshal(map[string]any{"category": "scam", "description": description,
		"links": []string{"https://nhan-qua-free.example/otp"}, "reporter": map[string]any{"anonymous": true}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/reports", bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", resp.StatusCode, err
	}
	var out struct{ Code string }
	if resp.StatusCode == http.StatusCreated {
		if err := json.Unmarshal(raw, &out); err != nil || out.Code == "" {
			return "", resp.StatusCode, fmt.Errorf("201 without a code: %s", raw)
		}
	}
	return out.Code, resp.StatusCode, nil
}

// reportStatus asks GET /api/v1/reports/{code}/status and returns the HTTP
// status and the Vietnamese label.
func reportStatus(t *testing.T, base, code string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/reports/" + code + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		StatusVi string `json:"status_vi"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.StatusVi
}

// TestKillDuringReportsWithImages checks that a report and its images are
// one write: clients send the public form with two images each, the server
// is killed with SIGKILL soon after the first receipt, and after a restart
// every report in the database, acknowledged or not, has both its images
// readable, and every acknowledged one is there. Where the kill lands is
// left to chance: each run probes a different point of the write.
func TestKillDuringReportsWithImages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the server: not with -short")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	cfgPath := wardConfig(t, dir, "")
	img := noisePNG(t, 300, 300)
	const rounds, clients, perReport = 3, 3, 2
	var acked []string
	for round := range rounds {
		p := startBinary(t, bin, cfgPath)
		ctx, stop := context.WithCancel(context.Background())
		var mu sync.Mutex
		first := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				for n := 0; ctx.Err() == nil && n < 4; n++ {
					code, err := sendFormReport(ctx, p.base, fmt.Sprintf("Vòng %d, người gửi %d, lần %d: kẻ lạ doạ con qua Zalo.", round, c, n), img, perReport)
					if err != nil {
						continue // killed under it, or rate-limited: not acknowledged
					}
					mu.Lock()
					acked = append(acked, code)
					mu.Unlock()
					once.Do(func() { close(first) })
				}
			})
		}
		select {
		case <-first:
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d: no report acknowledged\n%s", round, p.output())
		}
		time.Sleep(time.Duration(round*15) * time.Millisecond) // others in flight
		p.kill(t)
		stop()
		wg.Wait()
		p = startBinary(t, bin, cfgPath) // the restart sweeps the uploads
		p.kill(t)
	}
	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := secret.LoadOrCreateKey(app.KeyPath(cfg))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Config{DataDir: cfg.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, err := db.Cases(sealer, filepath.Join(cfg.DataDir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	all, err := cs.ListCases(ctx, cases.Filter{Limit: cases.MaxList})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, c := range all {
		stored[c.Code] = true
		ev, err := cs.ListEvidence(ctx, c.ID)
		if err != nil || len(ev) != perReport {
			t.Errorf("report %s has %d images, want %d: %v", c.Code, len(ev), perReport, err)
			continue
		}
		for _, e := range ev {
			if _, data, err := cs.OpenEvidence(ctx, c.ID, e.ID); err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
				t.Errorf("report %s image %d unreadable: %v", c.Code, e.ID, err)
			}
		}
	}
	for _, code := range acked {
		if !stored[code] {
			t.Errorf("acknowledged report %s lost", code)
		}
	}
	t.Logf("%d reports stored, %d acknowledged, over %d kills", len(all), len(acked), rounds)
}

// noisePNG encodes a w×h PNG of pseudo-random pixels, which compresses
// badly and so takes a while to re-encode and write.
func noisePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	x := uint32(2463534242)
	for i := range m.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		m.Pix[i] = byte(x)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var (
	csrfField   = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	receiptCode = regexp.MustCompile(`id="code">([0-9A-Z]{4})-([0-9A-Z]{4})<`)
)

// sendFormReport sends the public form as a browser does (the form page
// for its CSRF token, then the multipart post) with n copies of img, and
// returns the tracking code on the receipt. Without a deadline on ctx the
// exchange may take 10 s.
func sendFormReport(ctx context.Context, base, description string, img []byte, n int) (string, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if _, ok := ctx.Deadline(); ok {
		client.Timeout = 0 // the caller's deadline governs
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/bao-cao", nil)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("form page %d without a token", resp.StatusCode)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf": string(m[1]), "category": "grooming", "urgent": "no", "description": description} {
		mw.WriteField(k, v)
	}
	for i := range n {
		fw, _ := mw.CreateFormFile("images", fmt.Sprintf("anh%d.png", i))
		fw.Write(img)
	}
	mw.Close()
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/bao-cao", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err = client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	page, err = io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	c := receiptCode.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || c == nil {
		return "", fmt.Errorf("no receipt: %d", resp.StatusCode)
	}
	return string(c[1]) + string(c[2]), nil
}
