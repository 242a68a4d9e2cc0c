package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Store keeps alerts and reads the blocked DNS events; *store.Store
// satisfies it.
type Store interface {
	SaveAlert(ctx context.Context, a *Alert) error // sets a.ID
	ListAlerts(ctx context.Context, limit int) ([]Alert, error)
	GetAlert(ctx context.Context, id int64) (Alert, error)
	SetAlertCase(ctx context.Context, id, caseID int64) error
	// BlockedEventsAfter returns up to limit blocked DNS events with an ID
	// above after, oldest first.
	BlockedEventsAfter(ctx context.Context, after int64, limit int) ([]DNSEvent, error)
	LastEventID(ctx context.Context) (int64, error)
}

// Config configures a Service. Store is required; the rest is optional.
type Config struct {
	Store Store
	// Rules are the alert rules; nil means DefaultRules.
	Rules []Rule
	// Bedtime says whether a profile's schedule is a bedtime window.
	Bedtime func(profile, schedule string) bool
	// Contacts are the e-mail addresses that receive a profile's alerts.
	Contacts map[string][]string
	// Mailer sends e-mail; nil sends none.
	Mailer Mailer
	// Webhook posts every alert as signed JSON; nil posts none.
	Webhook *Webhook
	// Parents, when set, routes alerts raised on family profiles to the
	// profile's parent (*Parents).
	Parents interface {
		Route(ctx context.Context, a Alert)
	}
	// BaseURL is the portal's address, for links in e-mails.
	BaseURL string
	// Location is the time zone of times in e-mails; default UTC.
	Location *time.Location
	// PollEvery is how often Run reads new blocked DNS events and sends
	// due digests; default 1 minute.
	PollEvery time.Duration
	// QueueSize bounds alerts waiting for delivery; default 256.
	QueueSize int
	Logger    *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Service raises, keeps and delivers alerts. It is safe for concurrent use.
type Service struct {
	cfg     Config
	mu      sync.Mutex // guards engine
	engine  *Engine
	queue   chan Alert
	cursor  atomic.Int64
	started atomic.Bool
	dropped atomic.Uint64
}

// New validates cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("alert: no store")
	}
	if cfg.Rules == nil {
		cfg.Rules = DefaultRules()
	}
	if cfg.Webhook != nil && (cfg.Webhook.URL == "" || len(cfg.Webhook.Secret) == 0) {
		return nil, errors.New("alert: the webhook needs a URL and a secret")
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = time.Minute
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 256
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	eng, err := NewEngine(cfg.Rules, cfg.Bedtime)
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, engine: eng, queue: make(chan Alert, cfg.QueueSize)}, nil
}

// Dropped counts alerts kept in the portal but not delivered by e-mail or
// webhook because the delivery queue was full.
func (s *Service) Dropped() uint64 { return s.dropped.Load() }

// Message feeds a checked or reported message; alerts it raises are stored
// and queued for delivery. Errors are logged: a signal never fails the
// request that carried it.
func (s *Service) Message(ctx context.Context, m Message) {
	if m.Time.IsZero() {
		m.Time = s.cfg.Now()
	}
	s.mu.Lock()
	alerts := s.engine.Message(m)
	s.mu.Unlock()
	s.raise(ctx, alerts)
}

// DNS feeds one blocked DNS event.
func (s *Service) DNS(ctx context.Context, ev DNSEvent) {
	s.mu.Lock()
	alerts := s.engine.DNS(ev)
	s.mu.Unlock()
	s.raise(ctx, alerts)
}

// Claimer is a store that lets one process of a deployment raise an alert
// of a rule, profile and category per throttle (*store.Store). Several
// processes read the same blocked DNS events from the database, and each
// folds its own checks: without a claim each would raise its own copy.
type Claimer interface {
	// ClaimAlert records an alert of key at at unless one of key was
	// recorded less than throttle before at (or at or after at); it
	// reports whether this caller got it.
	ClaimAlert(ctx context.Context, key string, at time.Time, throttle time.Duration) (bool, error)
}

// claimKey names the throttle an alert falls under.
func (s *Service) claimKey(a *Alert) (string, time.Duration) {
	for _, r := range s.cfg.Rules {
		if r.ID == a.Rule {
			cat := ""
			if r.PerCategory {
				cat = a.Category
			}
			return r.ID + "|" + a.Profile + "|" + cat, r.Throttle
		}
	}
	return a.Rule + "|" + a.Profile + "|" + a.Category, 0
}

func (s *Service) raise(ctx context.Context, alerts []Alert) {
	claimer, _ := s.cfg.Store.(Claimer)
	for i := range alerts {
		a := &alerts[i]
		if claimer != nil {
			key, throttle := s.claimKey(a)
			ok, err := claimer.ClaimAlert(ctx, key, a.Time, throttle)
			if err != nil {
				// Better twice than never: raise it.
				s.cfg.Logger.ErrorContext(ctx, "claiming an alert", "rule", a.Rule, "err", err)
			} else if !ok {
				s.cfg.Logger.DebugContext(ctx, "alert raised by another process", "rule", a.Rule, "profile", a.Profile)
				continue
			}
		}
		if err := s.cfg.Store.SaveAlert(ctx, a); err != nil {
			s.cfg.Logger.ErrorContext(ctx, "saving alert", "rule", a.Rule, "err", err)
			continue
		}
		s.cfg.Logger.InfoContext(ctx, "alert raised", "id", a.ID, "rule", a.Rule, "profile", a.Profile,
			"category", a.Category, "level", a.Level, "count", a.Count, "folded", a.Folded, "digest", a.Digest)
		select {
		case s.queue <- *a:
		default:
			s.dropped.Add(1)
			s.cfg.Logger.WarnContext(ctx, "alert delivery queue full", "id", a.ID)
		}
	}
}

// Recent returns the newest alerts, newest first.
func (s *Service) Recent(ctx context.Context, limit int) ([]Alert, error) {
	return s.cfg.Store.ListAlerts(ctx, limit)
}

// Get returns one alert.
func (s *Service) Get(ctx context.Context, id int64) (Alert, error) {
	return s.cfg.Store.GetAlert(ctx, id)
}

// MarkCase records the case opened from an alert.
func (s *Service) MarkCase(ctx context.Context, id, caseID int64) error {
	return s.cfg.Store.SetAlertCase(ctx, id, caseID)
}

// PollDNS reads the blocked DNS events stored since the last poll and
// feeds them to the rules. The first poll starts from the newest event, so
// a restart does not alert on old history. It returns the events read.
func (s *Service) PollDNS(ctx context.Context) (int, error) {
	if !s.started.Load() {
		last, err := s.cfg.Store.LastEventID(ctx)
		if err != nil {
			return 0, fmt.Errorf("reading the last DNS event: %w", err)
		}
		s.cursor.Store(last)
		s.started.Store(true)
		return 0, nil
	}
	total := 0
	for {
		evs, err := s.cfg.Store.BlockedEventsAfter(ctx, s.cursor.Load(), 1000)
		if err != nil {
			return total, fmt.Errorf("reading blocked DNS events: %w", err)
		}
		for _, ev := range evs {
			s.DNS(ctx, ev)
			s.cursor.Store(ev.ID)
		}
		total += len(evs)
		if len(evs) < 1000 {
			return total, nil
		}
	}
}

// SendDigests raises the digests that are due at now.
func (s *Service) SendDigests(ctx context.Context, now time.Time) {
	s.mu.Lock()
	alerts := s.engine.Digests(now)
	s.mu.Unlock()
	s.raise(ctx, alerts)
}

// Run polls DNS events, sends digests and delivers queued alerts until ctx
// ends.
func (s *Service) Run(ctx context.Context) {
	tick := time.NewTicker(s.cfg.PollEvery)
	defer tick.Stop()
	if _, err := s.PollDNS(ctx); err != nil {
		s.cfg.Logger.ErrorContext(ctx, "polling DNS events", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := s.PollDNS(ctx); err != nil {
				s.cfg.Logger.ErrorContext(ctx, "polling DNS events", "err", err)
			}
			s.SendDigests(ctx, s.cfg.Now())
		case a := <-s.queue:
			s.Deliver(ctx, a)
		}
	}
}

// Deliver hands a family profile's alert to Parents, and sends it by
// e-mail to its profile's contacts and to the webhook; failures are logged
// (the alert stays in the portal).
func (s *Service) Deliver(ctx context.Context, a Alert) {
	if s.cfg.Parents != nil {
		s.cfg.Parents.Route(ctx, a)
	}
	if to := s.cfg.Contacts[a.Profile]; a.Profile != "" && len(to) > 0 && s.cfg.Mailer != nil {
		subj, body := s.mail(a)
		if err := s.cfg.Mailer.Send(ctx, to, subj, body); err != nil {
			s.cfg.Logger.ErrorContext(ctx, "sending alert e-mail", "id", a.ID, "err", err)
		}
	}
	if s.cfg.Webhook != nil {
		body, err := json.Marshal(WebhookPayload(a))
		if err == nil {
			err = s.cfg.Webhook.Send(ctx, body)
		}
		if err != nil {
			s.cfg.Logger.ErrorContext(ctx, "sending alert webhook", "id", a.ID, "err", err)
		}
	}
}

// Payload is the webhook's JSON body.
type Payload struct {
	ID        int64    `json:"id"`
	Rule      string   `json:"rule"`
	Source    string   `json:"source"`
	Profile   string   `json:"profile,omitempty"`
	Category  string   `json:"category"`
	Level     string   `json:"level"`
	Time      string   `json:"time"` // RFC 3339
	Count     int      `json:"count"`
	Folded    int      `json:"folded"`
	Digest    bool     `json:"digest"`
	Critical  bool     `json:"critical"`
	Snippet   string   `json:"snippet,omitempty"`
	TitleVi   string   `json:"title_vi"`
	TitleEn   string   `json:"title_en"`
	ActionsVi []string `json:"actions_vi"`
	ActionsEn []string `json:"actions_en"`
}

// WebhookPayload is what the webhook receives for a. A message's text never
// leaves the portal: only a DNS alert's domain is sent as a snippet.
func WebhookPayload(a Alert) Payload {
	p := Payload{ID: a.ID, Rule: a.Rule, Source: a.Source, Profile: a.Profile, Category: a.Category, Level: a.Level,
		Time: a.Time.UTC().Format(time.RFC3339), Count: a.Count, Folded: a.Folded, Digest: a.Digest, Critical: a.Critical(),
		TitleVi: a.Title("vi"), TitleEn: a.Title("en"), ActionsVi: a.Actions("vi"), ActionsEn: a.Actions("en")}
	if a.Source == SourceDNS {
		p.Snippet = a.Snippet
	}
	return p
}

// mail is the e-mail for a profile's contacts, Vietnamese then English.
func (s *Service) mail(a Alert) (string, string) {
	var b strings.Builder
	at := a.Time.In(s.cfg.Location).Format("15:04 02/01/2006")
	fmt.Fprintf(&b, "%s\n%s: %s\n", a.Title("vi"), "Thời gian", at)
	if a.Source == SourceDNS && a.Snippet != "" {
		fmt.Fprintf(&b, "Tên miền: %s\n", a.Snippet)
	}
	b.WriteString("\nNên làm:\n")
	for _, x := range a.Actions("vi") {
		fmt.Fprintf(&b, "- %s\n", x)
	}
	fmt.Fprintf(&b, "\n---\n%s\nTime: %s\n", a.Title("en"), at)
	if a.Source == SourceDNS && a.Snippet != "" {
		fmt.Fprintf(&b, "Domain: %s\n", a.Snippet)
	}
	b.WriteString("\nWhat to do:\n")
	for _, x := range a.Actions("en") {
		fmt.Fprintf(&b, "- %s\n", x)
	}
	if s.cfg.BaseURL != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimRight(s.cfg.BaseURL, "/"))
	}
	b.WriteString("\nTổng đài bảo vệ trẻ em / child helpline: 111\n")
	return "[Mạng Lành] " + a.Title("vi"), b.String()
}
