package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook headers. The signature covers the timestamp and the body, so a
// captured request cannot be replayed later with a new timestamp.
const (
	HeaderSignature = "X-Manglanh-Signature" // "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
	HeaderTimestamp = "X-Manglanh-Timestamp" // Unix seconds
)

// Sign returns the signature header value for body sent at ts.
func Sign(secret []byte, ts int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// ErrBadSignature is returned by Verify for a request that is not signed
// with the secret or is too old.
var ErrBadSignature = errors.New("alert: bad webhook signature")

// Verify checks a webhook request's headers against body: the signature
// must match and the timestamp lie within tolerance of now. Receivers (a
// Zalo or SMS gateway) do the same in their own language.
func Verify(secret []byte, sigHeader, tsHeader string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %d is outside %v", ErrBadSignature, ts, tolerance)
	}
	want := Sign(secret, ts, body)
	if !hmac.Equal([]byte(want), []byte(sigHeader)) {
		return ErrBadSignature
	}
	return nil
}

// Webhook posts alerts as signed JSON. Zero fields take defaults.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client // default: 10 s timeout
	// Attempts is how many times a delivery is tried (default 5); Backoff
	// the first wait between tries, doubled each time (default 2 s).
	Attempts int
	Backoff  time.Duration
	Now      func() time.Time
}

// retryable is an error worth another try: the network or a 5xx/429.
type retryable struct{ err error }

func (r retryable) Error() string { return r.err.Error() }
func (r retryable) Unwrap() error { return r.err }

// Send posts body, retrying with backoff on network errors, 429 and 5xx.
// Each try is signed afresh with its own timestamp.
func (w *Webhook) Send(ctx context.Context, body []byte) error {
	attempts, backoff := w.Attempts, w.Backoff
	if attempts <= 0 {
		attempts = 5
	}
	if backoff <= 0 {
		backoff = 2 * time.Second
	}
	var err error
	for i := range attempts {
		if i > 0 {
			t := time.NewTimer(backoff << (i - 1))
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("webhook: %w (last error: %w)", ctx.Err(), err)
			case <-t.C:
			}
		}
		err = w.try(ctx, body)
		var rt retryable
		if err == nil || !errors.As(err, &rt) {
			return err
		}
	}
	return fmt.Errorf("webhook: giving up after %d tries: %w", attempts, err)
}

func (w *Webhook) try(ctx context.Context, body []byte) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	ts := now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "manglanh-alerts")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return retryable{fmt.Errorf("webhook post: %w", err)}
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return retryable{fmt.Errorf("webhook answered %s", resp.Status)}
	}
	return fmt.Errorf("webhook answered %s", strings.TrimSpace(resp.Status))
}
