package notify

import (
	"context"
	"errors"
	"log/slog"
	"net/mail"
	"sync"
	"sync/atomic"
	"time"
)

// MailerConfig configures a Mailer.
type MailerConfig struct {
	SMTP SMTPConfig
	// QueueSize bounds the messages waiting (new and to retry); 256 when 0.
	// Enqueue drops, and counts, what does not fit.
	QueueSize int
	// MaxAttempts is how often a message is tried before it is dropped; 6
	// when 0.
	MaxAttempts int
	// Backoff is the wait before the first retry, doubled after each
	// failure up to MaxBackoff; 30 s and 30 min when 0.
	Backoff    time.Duration
	MaxBackoff time.Duration
	Logger     *slog.Logger // discards when nil
}

// MailerStats counts what a Mailer did since it started.
type MailerStats struct {
	Sent, Retried, Failed, Dropped int64
}

type queued struct {
	msg      Message
	attempts int
	next     time.Time
}

// Mailer sends e-mail in the background, one message at a time, retrying
// failed sends with exponential backoff. Its queue is bounded: Enqueue
// never blocks. New starts its worker; Close stops it.
type Mailer struct {
	client  *smtpClient
	log     *slog.Logger
	maxQ    int
	maxTry  int
	backoff time.Duration
	maxBack time.Duration
	now     func() time.Time

	mu    sync.Mutex
	queue []queued
	wake  chan struct{}

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	sent, retried, failed, dropped atomic.Int64
}

// NewMailer validates cfg and starts the sending worker.
func NewMailer(cfg MailerConfig) (*Mailer, error) {
	from, err := cfg.SMTP.validate()
	if err != nil {
		return nil, err
	}
	m := &Mailer{client: &smtpClient{cfg: cfg.SMTP, from: from}, log: cfg.Logger, maxQ: cfg.QueueSize,
		maxTry: cfg.MaxAttempts, backoff: cfg.Backoff, maxBack: cfg.MaxBackoff, now: time.Now,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.maxQ <= 0 {
		m.maxQ = 256
	}
	if m.maxTry <= 0 {
		m.maxTry = 6
	}
	if m.backoff <= 0 {
		m.backoff = 30 * time.Second
	}
	if m.maxBack <= 0 {
		m.maxBack = 30 * time.Minute
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	go m.run()
	return m, nil
}

// Enqueue queues msg for sending and reports whether it fit. It never
// blocks and never fails the caller's work.
func (m *Mailer) Enqueue(msg Message) bool {
	if _, err := mail.ParseAddress(msg.To); err != nil {
		m.dropped.Add(1)
		return false
	}
	m.mu.Lock()
	if len(m.queue) >= m.maxQ || m.ctx.Err() != nil {
		m.mu.Unlock()
		m.dropped.Add(1)
		return false
	}
	m.queue = append(m.queue, queued{msg: msg, next: m.now()})
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return true
}

// Stats returns the counters.
func (m *Mailer) Stats() MailerStats {
	return MailerStats{Sent: m.sent.Load(), Retried: m.retried.Load(), Failed: m.failed.Load(), Dropped: m.dropped.Load()}
}

// Pending is the number of messages waiting.
func (m *Mailer) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queue)
}

// Close stops the worker after the message in flight; messages still
// queued are dropped and logged (their notices stay in the portal).
func (m *Mailer) Close() {
	m.cancel()
	<-m.done
	m.mu.Lock()
	n := len(m.queue)
	m.queue = nil
	m.mu.Unlock()
	if n > 0 {
		m.dropped.Add(int64(n))
		m.log.Warn("e-mails not sent before shutdown", "messages", n)
	}
}

// take removes and returns the first message due at now, or the time the
// earliest becomes due (zero when the queue is empty).
func (m *Mailer) take(now time.Time) (queued, bool, time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var earliest time.Time
	for i, q := range m.queue {
		if !q.next.After(now) {
			m.queue = append(m.queue[:i], m.queue[i+1:]...)
			return q, true, time.Time{}
		}
		if earliest.IsZero() || q.next.Before(earliest) {
			earliest = q.next
		}
	}
	return queued{}, false, earliest
}

func (m *Mailer) run() {
	defer close(m.done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		q, ok, next := m.take(m.now())
		if ok {
			m.attempt(q)
			continue
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(next.Sub(m.now()), time.Millisecond)
		}
		timer.Reset(wait)
		select {
		case <-m.ctx.Done():
			return
		case <-m.wake:
		case <-timer.C:
		}
	}
}

func (m *Mailer) attempt(q queued) {
	err := m.client.send(m.ctx, q.msg)
	q.attempts++
	if err == nil {
		m.sent.Add(1)
		return
	}
	var perm *PermanentError
	if errors.As(err, &perm) || q.attempts >= m.maxTry || m.ctx.Err() != nil {
		m.failed.Add(1)
		m.log.Error("e-mail not sent", "attempts", q.attempts, "smtp", m.client.cfg, "err", err)
		return
	}
	wait := m.backoff << (q.attempts - 1)
	if wait > m.maxBack || wait <= 0 {
		wait = m.maxBack
	}
	q.next = m.now().Add(wait)
	m.retried.Add(1)
	m.log.Warn("e-mail failed, will retry", "attempts", q.attempts, "retry_in", wait, "err", err)
	m.mu.Lock()
	m.queue = append(m.queue, q)
	m.mu.Unlock()
}
