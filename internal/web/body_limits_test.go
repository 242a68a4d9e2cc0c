package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"
)

// countingBody counts what the server reads of a body: n bytes of 'x'
// after prefix.
type countingBody struct {
	prefix []byte
	n      int64 // bytes of filler after the prefix
	read   atomic.Int64
	tail   []byte
}

func (c *countingBody) Read(p []byte) (int, error) {
	off := c.read.Load()
	total := int64(len(c.prefix)) + c.n + int64(len(c.tail))
	if off >= total {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && off < total {
		switch {
		case off < int64(len(c.prefix)):
			p[k] = c.prefix[off]
		case off < int64(len(c.prefix))+c.n:
			p[k] = 'x'
		default:
			p[k] = c.tail[off-int64(len(c.prefix))-c.n]
		}
		k++
		off++
	}
	c.read.Add(int64(k))
	return k, nil
}

func (c *countingBody) Close() error { return nil }

// size is the body's length.
func (c *countingBody) size() int64 { return int64(len(c.prefix)) + c.n + int64(len(c.tail)) }

// portalRequest is a request to the fixture's portal host (another host
// gets the DNS block page).
func portalRequest(method, path string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, path, body)
	r.Host = "manglanh.example.vn"
	return r
}

// tokenOf loads the report form with a fresh cookie and returns the token
// and the cookie to send with it.
func tokenOf(t *testing.T, f *fixture) (string, *http.Cookie) {
	t.Helper()
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, portalRequest("GET", "/bao-cao", nil))
	m := csrfRe.FindStringSubmatch(rec.Body.String())
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "csrf" {
			cookie = c
		}
	}
	if m == nil || cookie == nil {
		t.Fatalf("no token on /bao-cao: %d", rec.Code)
	}
	return m[1], cookie
}

// multipartHead is a multipart body's first parts, up to the start of a
// file part whose content follows.
func multipartHead(t *testing.T, token string) (head, tail []byte, ctype string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if token != "" {
		mw.WriteField("csrf", token)
	}
	for k, v := range baseFields("") {
		if k != "csrf" {
			mw.WriteField(k, v)
		}
	}
	if _, err := mw.CreateFormFile("images", "a.png"); err != nil {
		t.Fatal(err)
	}
	head = bytes.Clone(buf.Bytes())
	buf.Reset()
	mw.Close()
	return head, buf.Bytes(), mw.FormDataContentType()
}

// TestBodyLimitsBeforeReading: a declared body over its limit gets 413
// without a byte read; a multipart body is read only up to its token
// before the handler's own checks, so a rate-limited client's 20 MB post
// costs the server a few kilobytes; a body over the limit without a
// declared length, a body that is not multipart, a token after the file,
// each get their own answer, with its message in Vietnamese.
func TestBodyLimitsBeforeReading(t *testing.T) {
	f := newFixture(t, ReportLimits{SubmitBurst: 1, SubmitEvery: time.Hour})
	token, cookie := tokenOf(t, f)
	send := func(path, ctype string, body *countingBody, length int64) (*httptest.ResponseRecorder, int64) {
		t.Helper()
		req := portalRequest("POST", path, body)
		req.ContentLength = length
		req.Header.Set("Content-Type", ctype)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		return rec, body.read.Load()
	}
	head, tail, ctype := multipartHead(t, token)
	big := int64(30 << 20)

	t.Run("declared too large", func(t *testing.T) {
		for _, c := range []struct{ path, ctype string }{
			{"/bao-cao", ctype},
			{"/bao-cao", "application/x-www-form-urlencoded"},
			{"/can-bo/nguon", "application/x-www-form-urlencoded"},
		} {
			body := &countingBody{prefix: head, n: big, tail: tail}
			rec, read := send(c.path, c.ctype, body, int64(len(head))+big+int64(len(tail)))
			if rec.Code != http.StatusRequestEntityTooLarge || read != 0 {
				t.Errorf("%s %s: %d after reading %d bytes, want 413 after none", c.path, c.ctype, rec.Code, read)
			}
			if !strings.Contains(rec.Body.String(), T("vi", "error.toolarge")) {
				t.Errorf("%s: the 413 page does not say it in Vietnamese: %s", c.path, rec.Body.String())
			}
		}
	})

	t.Run("undeclared length", func(t *testing.T) {
		body := &countingBody{prefix: head, n: big, tail: tail}
		rec, read := send("/bao-cao", ctype, body, -1)
		if rec.Code != http.StatusLengthRequired || read != 0 || !strings.Contains(rec.Body.String(), T("vi", "error.lengthrequired")) {
			t.Errorf("a 30 MB multipart body without a length: %d after reading %d bytes, want 411 after none, saying why", rec.Code, read)
		}
		body = &countingBody{prefix: []byte("csrf=" + token + "&description="), n: 1 << 20}
		if rec, _ := send("/bao-cao", "application/x-www-form-urlencoded", body, -1); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("a 1 MB url-encoded body without a length: %d, want 413", rec.Code)
		}
	})

	t.Run("rate-limited client", func(t *testing.T) {
		// The fixture's burst is one report: spend it, then post 20 MB.
		ok := &countingBody{prefix: head, n: 10, tail: tail}
		send("/bao-cao", ctype, ok, ok.size())
		body := &countingBody{prefix: head, n: 20 << 20, tail: tail}
		rec, read := send("/bao-cao", ctype, body, body.size())
		if rec.Code != http.StatusTooManyRequests {
			t.Fatalf("second report from the address: %d, want 429", rec.Code)
		}
		if read > 2*maxPrescan {
			t.Errorf("the rate-limited post made the server read %d bytes, want at most %d", read, 2*maxPrescan)
		}
	})

	t.Run("malformed", func(t *testing.T) {
		for name, c := range map[string]struct {
			ctype string
			body  string
		}{
			"no boundary":     {"multipart/form-data", "--x\r\n"},
			"broken part":     {"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\nbroken header without colon\r\n\r\nv\r\n--zz--"},
			"no closing line": {"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue that never ends"},
		} {
			rec, _ := send("/bao-cao", c.ctype, &countingBody{prefix: []byte(c.body)}, int64(len(c.body)))
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), T("vi", "error.malformed")) {
				t.Errorf("%s: %d %q, want 400 with the malformed-form message", name, rec.Code, rec.Body.String())
			}
		}
	})

	t.Run("token after the file", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("images", "a.png")
		fw.Write([]byte("png"))
		mw.WriteField("csrf", token)
		mw.Close()
		rec, _ := send("/bao-cao", mw.FormDataContentType(), &countingBody{prefix: buf.Bytes()}, int64(buf.Len()))
		if rec.Code != http.StatusForbidden {
			t.Errorf("a token after the file: %d, want 403", rec.Code)
		}
	})
}

// TestUploadsWithinTheirBudget: an address already sending its quota of
// uploads waits, then is told the server is busy (503, Retry-After) before
// its body is read; so is a post whose budget stays spent, while an
// url-encoded post, and a small report while the large budget is spent,
// are not held up; once the budget is back the report goes through and
// gives its share back; an image over 5 MB is refused beside its field.
func TestUploadsWithinTheirBudget(t *testing.T) {
	f := newFixture(t, ReportLimits{})
	f.srv.uploads.wait = 200 * time.Millisecond
	token, cookie := tokenOf(t, f)
	head, tail, ctype := multipartHead(t, token)
	post := func(filler int64) (*httptest.ResponseRecorder, int64) {
		body := &countingBody{prefix: head, n: filler, tail: tail}
		req := portalRequest("POST", "/bao-cao", body)
		req.ContentLength = body.size()
		req.Header.Set("Content-Type", ctype)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		return rec, body.read.Load()
	}
	busy := func(what string, rec *httptest.ResponseRecorder, read int64) {
		t.Helper()
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
			!strings.Contains(rec.Body.String(), T("vi", "error.busy")) || read != 0 {
			t.Errorf("%s: %d, Retry-After %q, %d bytes read; want 503 saying the server is busy, with a Retry-After, nothing read",
				what, rec.Code, rec.Header().Get("Retry-After"), read)
		}
	}
	report := func() *httptest.ResponseRecorder {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", token)
		for k, v := range baseFields("") {
			if k != "csrf" {
				mw.WriteField(k, v)
			}
		}
		fw, _ := mw.CreateFormFile("images", "a.png")
		fw.Write(testPNG(t, "budget"))
		mw.Close()
		req := portalRequest("POST", "/bao-cao", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		return rec
	}

	addr := netip.MustParseAddr("192.0.2.1") // httptest's client address
	for range maxUploadsPerAddr {
		if !f.srv.uploads.tryEnter(addr) {
			t.Fatal("the address's quota is smaller than maxUploadsPerAddr")
		}
	}
	rec, read := post(100)
	busy("an address over its quota", rec, read)
	f.srv.uploads.active = map[netip.Addr]int{}

	ctx := context.Background()
	if err := f.srv.uploads.small.Acquire(ctx, smallBudget); err != nil {
		t.Fatal(err)
	}
	rec, read = post(100)
	busy("with the small budget spent", rec, read)
	// An ordinary form is not an upload and does not wait.
	req := portalRequest("POST", "/tra-cuu", strings.NewReader("csrf="+token+"&code=ABCD1234"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	rec2 := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec2, req)
	if rec2.Code == http.StatusServiceUnavailable {
		t.Errorf("an url-encoded post waited for the upload budget")
	}
	f.srv.uploads.small.Release(smallBudget)

	// Large posts holding their whole budget do not hold up a report.
	if err := f.srv.uploads.large.Acquire(ctx, largeBudget); err != nil {
		t.Fatal(err)
	}
	rec, read = post(4 << 20)
	busy("a 4 MB post with the large budget spent", rec, read)
	if rec := report(); rec.Code != http.StatusSeeOther {
		t.Errorf("a report with a photo while the large budget is spent: %d %s", rec.Code, rec.Body.String())
	}
	f.srv.uploads.large.Release(largeBudget)
	for _, b := range []*semaphore.Weighted{f.srv.uploads.small, f.srv.uploads.large} {
		if !b.TryAcquire(smallBudget) {
			t.Errorf("after the requests their share of the budget was not given back")
		}
	}

	rec, read = post(8 << 20)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Ảnh lớn hơn 5 MB.") {
		t.Errorf("an 8 MB image: %d, want 400 with the image's error beside its field", rec.Code)
	}
	if read < 8<<20 {
		t.Errorf("the 8 MB image was read %d bytes: the body should be read to its end", read)
	}
}
