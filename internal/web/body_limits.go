package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// What a state-changing request may send, and how much of it the server
// reads before it knows the request is allowed:
//
//   - A declared Content-Length over the limit is refused with 413 before a
//     byte of the body is read.
//   - An url-encoded body is read whole (at most bodyLimit) for the CSRF
//     token, as before: it is small.
//   - A multipart body is not: only its first parts are read, up to
//     maxPrescan, until the "csrf" field (every form of the portal puts it
//     first); what was read is put back in front of the rest, so the
//     handler sees the body unchanged and parses it after its own checks
//     (the report form's rate limit comes first). The body stays bounded by
//     maxUploadBody for whoever reads it.
//   - What the handler then reads of a multipart body is bounded by
//     upload_form.go: per file, per body, per address and over all
//     uploads at once.
const (
	maxPrescan        = 64 << 10
	defaultUploadWait = 15 * time.Second
)

// bodyCheck is the outcome of reading a request's CSRF token.
type bodyCheck int

const (
	bodyOK        bodyCheck = iota
	bodyForged              // no token, a wrong one, or a foreign Origin
	bodyTooLarge            // over its limit (413)
	bodyMalformed           // a multipart body that cannot be read (400)
)

// errMalformedBody is a multipart body without a boundary or with a part
// that cannot be read.
var errMalformedBody = errors.New("web: malformed multipart body")

// isMultipart reports a multipart/form-data request.
func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data")
}

// bodyLimit is the most an url-encoded body of r may hold. The periodic
// report's editor sends up to 40 narratives of 20,000 characters, which
// percent-encoded Vietnamese can make nine bytes each.
func bodyLimit(r *http.Request) int64 {
	if strings.HasPrefix(r.URL.Path, "/can-bo/bao-cao-dinh-ky") {
		return 8 << 20
	}
	return MaxFormBytes
}

// declaredTooLarge reports a Content-Length over what r may send.
func declaredTooLarge(r *http.Request) bool {
	limit := bodyLimit(r)
	if isMultipart(r) {
		limit = maxUploadBody
	}
	return r.ContentLength > limit
}

// replayBody is a body of which the first bytes were read already and are
// given again before the rest.
type replayBody struct {
	io.Reader
	io.Closer
}

// multipartToken reads r's multipart body up to its "csrf" field (or its
// first file, or maxPrescan bytes) and puts what it read back, so the body
// reads the same afterwards. It returns the token sent ("" when none came
// before a file), errMalformedBody, or a too-large error.
func multipartToken(r *http.Request) (string, error) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return "", errMalformedBody
	}
	orig := r.Body
	var seen bytes.Buffer
	lim := &io.LimitedReader{R: orig, N: maxPrescan}
	mr := multipart.NewReader(io.TeeReader(lim, &seen), params["boundary"])
	sent := ""
	var readErr error
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		if p.FileName() != "" {
			break // the token comes before any file, or not at all
		}
		if p.FormName() == "csrf" {
			b, err := io.ReadAll(io.LimitReader(p, 128))
			if err != nil {
				readErr = err
			}
			sent = string(b)
			break
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			readErr = err
			break
		}
	}
	r.Body = http.MaxBytesReader(nil, replayBody{io.MultiReader(bytes.NewReader(seen.Bytes()), orig), orig}, maxUploadBody)
	if readErr != nil && sent == "" {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(readErr, &mbe):
			return "", readErr
		case lim.N == 0:
			return "", nil // the first parts were too long to hold the token
		}
		return "", errMalformedBody
	}
	return sent, nil
}

// busy answers 503 with Retry-After: the server is serving its quota of
// uploads.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	s.metrics.uploadsBusy.Inc()
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(s.uploads.wait.Seconds()))))
	s.renderError(w, r, http.StatusServiceUnavailable, "busy")
}

// refuseBody answers a body parseBody could not read: 413 too large, 400
// otherwise.
func (s *Server) refuseBody(w http.ResponseWriter, r *http.Request, tooLarge bool, err error) {
	switch {
	case tooLarge || isTooLarge(err):
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "toolarge")
	case errors.Is(err, errMalformedBody):
		s.renderError(w, r, http.StatusBadRequest, "malformed")
	default:
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
	}
}

// readsBodyLate reports the paths whose handlers check their rate limit
// before they read a multipart body (with parseBody): the public report
// and message-check forms. Every other multipart body is read by the
// middleware once its token is checked, so handlers find it in r.PostForm.
func readsBodyLate(path string) bool {
	switch path {
	case "/bao-cao", "/report", "/kiem-tra", "/check", "/kiem-tra/bao-cao":
		return true
	}
	return false
}
