package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// Multipart bodies are read into memory (never to a temporary file: an
// image sent with a report of sexual abuse must not touch the disk), so
// what they may hold is bounded:
//
//   - the body must declare its length (every browser does for a form; a
//     body without one gets 411), at most maxUploadBody (413);
//   - before a byte of it is read, the declared length is reserved from an
//     upload budget, and given back when the request is answered; one that
//     cannot get it within Server.uploadWait is told the server is busy
//     (503). Bodies up to smallUpload (a report with a photo or two) have a
//     budget of their own, so that large posts, even many at once, never
//     hold up an ordinary report;
//   - each file at most maxUploadFile bytes: past that it is read to its
//     end, dropped and marked too big, so the form can say which;
//   - one address sends at most maxUploadsPerAddr multipart bodies at once;
//     more wait their turn, within Server.uploadWait.
const (
	maxUploadFile     = 5 << 20
	smallUpload       = 3 << 20
	smallBudget       = 12 << 20
	largeBudget       = 32 << 20 // ≥ maxUploadBody, or the largest report could never be sent
	maxUploadFields   = 1 << 20  // all non-file fields of one body (the report editor: 200,000 characters)
	maxUploadsPerAddr = 4
	maxUploadFiles    = 8 // file parts of one body (a report has at most 5 images)
)

// errTooManyFiles: a body with more than maxUploadFiles file parts.
var errTooManyFiles = &http.MaxBytesError{Limit: maxUploadFiles}

// uploadFile is one file part, read.
type uploadFile struct {
	Field  string
	Data   []byte
	TooBig bool // over maxUploadFile: Data is empty
}

// uploads is the server's state of multipart bodies being received.
type uploads struct {
	small, large *semaphore.Weighted
	wait         time.Duration
	mu           sync.Mutex
	active       map[netip.Addr]int
}

func newUploads(wait time.Duration) *uploads {
	return &uploads{small: semaphore.NewWeighted(smallBudget), large: semaphore.NewWeighted(largeBudget),
		wait: wait, active: map[netip.Addr]int{}}
}

// enter counts a multipart body from addr, waiting up to u.wait while the
// address already sends maxUploadsPerAddr (a double tap, or several
// households behind one carrier-grade NAT); ok is false when no turn came.
func (u *uploads) enter(ctx context.Context, addr netip.Addr) (leave func(), ok bool) {
	deadline := time.Now().Add(u.wait)
	for !u.tryEnter(addr) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return func() {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.active[addr]--; u.active[addr] <= 0 {
			delete(u.active, addr)
		}
	}, true
}

func (u *uploads) tryEnter(addr netip.Addr) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.active[addr] >= maxUploadsPerAddr {
		return false
	}
	u.active[addr]++
	return true
}

// reserve takes n bytes (a declared body length) from the small or large
// budget, waiting up to u.wait; release gives them back.
func (u *uploads) reserve(ctx context.Context, n int64) (release func(), ok bool) {
	b := u.large
	if n <= smallUpload {
		b = u.small
	}
	ctx, cancel := context.WithTimeout(ctx, u.wait)
	defer cancel()
	if err := b.Acquire(ctx, n); err != nil {
		return nil, false
	}
	return func() { b.Release(n) }, true
}

// uploadRequest is what one request read of its files.
type uploadRequest struct {
	files  []uploadFile
	parsed bool
}

type ctxUploadKey struct{}

func uploadOf(r *http.Request) *uploadRequest {
	q, _ := r.Context().Value(ctxUploadKey{}).(*uploadRequest)
	return q
}

// readUploadForm parses r's multipart body into r.PostForm and r.Form,
// keeping its files (uploadedFiles) in memory. Errors: a too-large body
// (isTooLarge) or errMalformedBody.
func readUploadForm(r *http.Request) error {
	q := uploadOf(r)
	if q == nil {
		q = &uploadRequest{}
		*r = *r.WithContext(context.WithValue(r.Context(), ctxUploadKey{}, q))
	}
	if q.parsed {
		return nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return errMalformedBody
	}
	vals := url.Values{}
	fields := int64(0)
	var scratch []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return bodyError(err)
		}
		name := p.FormName()
		if name == "" {
			p.Close()
			continue
		}
		if p.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(p, maxUploadFields-fields+1))
			if err != nil {
				return bodyError(err)
			}
			if fields += int64(len(b)); fields > maxUploadFields {
				return &http.MaxBytesError{Limit: maxUploadFields}
			}
			vals.Add(name, string(b))
			continue
		}
		if len(q.files) == maxUploadFiles {
			return errTooManyFiles
		}
		if scratch == nil {
			size := int64(maxUploadFile + 1)
			if r.ContentLength >= 0 && r.ContentLength < size {
				size = r.ContentLength
			}
			scratch = make([]byte, size)
		}
		f, err := readUploadFile(p, scratch)
		if err != nil {
			return err
		}
		f.Field = name
		q.files = append(q.files, f)
	}
	r.PostForm = vals
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = append(r.Form[k], v...)
	}
	for k, v := range vals {
		r.Form[k] = append(r.Form[k], v...)
	}
	r.MultipartForm = &multipart.Form{Value: vals} // nobody parses it again
	q.parsed = true
	return nil
}

// readUploadFile reads one file part through scratch (one buffer per
// request, of min(declared length, maxUploadFile+1) bytes) into a slice of
// its own size; a part over maxUploadFile is read to its end (within the
// body's limit) and dropped.
func readUploadFile(p *multipart.Part, scratch []byte) (uploadFile, error) {
	buf := scratch
	n, err := io.ReadFull(p, buf)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return uploadFile{Data: bytes.Clone(buf[:n])}, nil
	case err != nil:
		return uploadFile{}, bodyError(err)
	case int64(n) <= maxUploadFile:
		// The declared length was exactly the part's: see whether more comes.
		var one [1]byte
		if m, _ := p.Read(one[:]); m == 0 {
			return uploadFile{Data: bytes.Clone(buf[:n])}, nil
		}
	}
	if _, err := io.Copy(io.Discard, p); err != nil {
		return uploadFile{}, bodyError(err)
	}
	return uploadFile{TooBig: true}, nil
}

// bodyError keeps a too-large error as it is and calls anything else a
// malformed body.
func bodyError(err error) error {
	if isTooLarge(err) {
		return err
	}
	return errMalformedBody
}

// uploadedFiles are the files of field read by readUploadForm (empty parts
// left out).
func uploadedFiles(r *http.Request, field string) []uploadFile {
	q := uploadOf(r)
	if q == nil {
		return nil
	}
	var out []uploadFile
	for _, f := range q.files {
		if f.Field == field && (f.TooBig || len(f.Data) > 0) {
			out = append(out, f)
		}
	}
	return out
}
