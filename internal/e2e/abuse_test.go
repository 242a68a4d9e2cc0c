package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// procMemory reads a process's resident set (VmRSS) and its peak (VmHWM),
// in bytes, from /proc.
func procMemory(t *testing.T, pid int) (rss, peak int64) {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return rss, peak
}

// fromAddress is an HTTP client whose connections leave from a loopback
// address of its own (127.0.0.0/8 is all local on Linux), so that each
// looks like another household to the server's per-address limits.
func fromAddress(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 60 * time.Second,
		Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}

// oversizedPost sends the public report form with an "image" of filler
// bytes, the body streamed without a declared length (declared=false) or
// with it, and
// returns the status (0 when the server cut the connection, which is a
// refusal too).
func oversizedPost(ctx context.Context, c *http.Client, base string, filler int, declared bool) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/bao-cao", nil)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return 0, fmt.Errorf("form page %d without a token", resp.StatusCode)
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	head := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"+
		"--%s\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nẢnh cháu bị phát tán.\r\n"+
		"--%s\r\nContent-Disposition: form-data; name=\"images\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n",
		mw.Boundary(), m[1], mw.Boundary(), mw.Boundary())
	tail := fmt.Sprintf("\r\n--%s--\r\n", mw.Boundary())
	go func() {
		buf := make([]byte, 64<<10)
		for i := range buf {
			buf[i] = byte(i * 7)
		}
		if _, err := io.WriteString(pw, head); err != nil {
			return
		}
		for sent := 0; sent < filler; sent += len(buf) {
			if _, err := pw.Write(buf); err != nil {
				return
			}
		}
		io.WriteString(pw, tail)
		pw.Close()
	}()
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/bao-cao", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if declared {
		req.ContentLength = int64(len(head) + filler + len(tail))
	}
	resp, err = c.Do(req)
	pr.CloseWithError(io.ErrClosedPipe)
	if err != nil {
		return 0, nil // the server stopped reading and closed: refused
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestOversizedPostsKeepMemoryBounded: fifty households at once each post
// a report of 26 or 30 MB (a third without a declared length); the server,
// the built binary, stays under 150 MB resident, refuses every one (length
// required, too large, the image too big, busy, or the connection cut), and still takes a real
// report with an image sent in the middle of it (the time it waited is
// logged: the upload budget is shared first come, first served).
func TestOversizedPostsKeepMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and sends 1.5 GB: not with -short")
	}
	bin := buildBinary(t)
	cfgPath := wardConfig(t, t.TempDir(), "")
	p := startBinary(t, bin, cfgPath)
	pid := p.cmd.Process.Pid
	before, _ := procMemory(t, pid)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const attackers = 50
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range attackers {
		wg.Go(func() {
			// A third stream 30 MB without a length, a third declare it, a
			// third send 26 MB, just within the body's limit, as the issue's
			// attack did (its image is over 5 MB: refused beside the field).
			filler := 30 << 20
			if i%3 == 2 {
				filler = 26 << 20
			}
			st, err := oversizedPost(ctx, fromAddress(fmt.Sprintf("127.0.1.%d", i+2)), p.base, filler, i%3 != 0)
			if err != nil {
				t.Errorf("attacker %d: %v", i, err)
				return
			}
			mu.Lock()
			statuses[st]++
			mu.Unlock()
		})
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	code, err := sendFormReport(ctx, p.base, "Có người tung ảnh của cháu lên nhóm Zalo lớp.", noisePNG(t, 64, 64), 1)
	if err != nil {
		t.Errorf("a real report during the attack: %v", err)
	}
	took := time.Since(start)
	wg.Wait()
	after, peak := procMemory(t, pid)
	t.Logf("RSS %d MB before, %d MB after, peak %d MB; answers %v; real report %q in %.1f s",
		before>>20, after>>20, peak>>20, statuses, code, took.Seconds())
	for st, n := range statuses {
		switch st {
		case http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable, http.StatusLengthRequired, http.StatusBadRequest, 0:
		default:
			t.Errorf("%d oversized posts answered %d", n, st)
		}
	}
	if peak > 150<<20 {
		t.Errorf("peak resident memory %d MB under 50 oversized posts, want under 150 MB", peak>>20)
	}
}
