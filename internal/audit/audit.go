// Package audit keeps Mạng Lành's append-only, hash-chained audit log: who
// signed in, who changed which account, who viewed or changed which case.
//
// Each entry carries a sequence number and the hash of the entry before it;
// its own hash is SHA-256 over a canonical encoding of its fields followed by
// that previous hash. Verify walks the chain and names the first entry that
// was modified, deleted or moved. The chain head (last sequence number and
// hash) is kept in its own row and moved in the same transaction as each
// insert, under a lock, so concurrent writers on several processes never
// fork the chain and a truncated tail is noticed too.
//
// The chain proves integrity against anyone who changes rows without
// recomputing every later hash. Someone with full write access to the
// database can rebuild a whole consistent chain; to catch that, copy the
// head hash (manglanh audit tail prints it) somewhere else regularly.
//
// Details must not contain personal data: write ids, codes and state
// changes, never names, phones or narratives.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxDetail bounds an entry's detail text, in bytes.
const MaxDetail = 1000

// Entry is one audit record. Callers fill Actor*, Action, Object*, Detail
// and IP; Record sets ID, Seq, Time, PrevHash and Hash.
type Entry struct {
	ID        int64
	Seq       int64 // 1, 2, 3, … with no gaps
	Time      time.Time
	ActorID   int64 // 0 for the system or an anonymous member of the public
	ActorName string
	ActorRole string
	// Action is a dotted verb: "auth.login", "auth.login_failed",
	// "user.create", "case.view", …
	Action     string
	ObjectType string // "user", "case", "session", …
	ObjectID   string
	Detail     string // no personal data
	IP         string
	PrevHash   string // hex; "" for the first entry
	Hash       string // hex
}

// Store persists the chain. internal/store implements it.
type Store interface {
	// AppendAudit, in one transaction that excludes every other appender
	// (on any process), reads the chain head, calls build with the head's
	// sequence number and hash (0 and "" for an empty log), inserts the
	// entry build returns, and moves the head to it. It returns the entry
	// with its ID set. If build fails nothing is written.
	AppendAudit(ctx context.Context, build func(headSeq int64, headHash string) (Entry, error)) (Entry, error)
	// AuditEntries returns up to limit entries with ID > afterID, in ID order.
	AuditEntries(ctx context.Context, afterID int64, limit int) ([]Entry, error)
	// AuditHead returns the head's sequence number and hash.
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
	// RecentAudit returns the last limit entries, newest first.
	RecentAudit(ctx context.Context, limit int) ([]Entry, error)
}

// Config is what New needs. Store is required.
type Config struct {
	Store  Store
	Clock  func() time.Time // time.Now when nil
	Logger *slog.Logger
}

// Log records and verifies audit entries. It is safe for concurrent use.
type Log struct {
	store Store
	now   func() time.Time
	log   *slog.Logger
}

// New returns a Log.
func New(cfg Config) (*Log, error) {
	if cfg.Store == nil {
		return nil, errors.New("audit: config has no Store")
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Log{store: cfg.Store, now: cfg.Clock, log: cfg.Logger}, nil
}

// Record appends e to the chain. The time is the Log's clock, truncated to
// the millisecond the store keeps. When ctx carries a client address
// (WithClientIP) and e.IP is empty, that address is used.
func (l *Log) Record(ctx context.Context, e Entry) error {
	if e.Action == "" {
		return errors.New("audit: entry has no action")
	}
	if e.IP == "" {
		e.IP = ClientIP(ctx)
	}
	e.Detail = cleanDetail(e.Detail)
	e.Time = l.now().UTC().Truncate(time.Millisecond)
	_, err := l.store.AppendAudit(ctx, func(headSeq int64, headHash string) (Entry, error) {
		e.Seq = headSeq + 1
		e.PrevHash = headHash
		e.Hash = HashOf(e)
		return e, nil
	})
	if err != nil {
		return fmt.Errorf("recording audit entry %s: %w", e.Action, err)
	}
	return nil
}

// Recent returns the last n entries, newest first.
func (l *Log) Recent(ctx context.Context, n int) ([]Entry, error) {
	return l.store.RecentAudit(ctx, n)
}

// cleanDetail drops control characters (a detail is one line in every
// viewer) and bounds its length on a rune boundary.
func cleanDetail(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if len(s) > MaxDetail {
		s = s[:MaxDetail]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// HashOf computes an entry's hash: SHA-256 over the canonical encoding of
// its fields (every field but ID and Hash) followed by PrevHash. The
// canonical encoding is a version tag, then each field as a uvarint length
// and its bytes; integers and the time (Unix milliseconds) in decimal.
func HashOf(e Entry) string {
	h := sha256.New()
	var lenBuf [binary.MaxVarintLen64]byte
	field := func(s string) {
		n := binary.PutUvarint(lenBuf[:], uint64(len(s)))
		h.Write(lenBuf[:n])
		h.Write([]byte(s))
	}
	field("manglanh-audit-v1")
	field(strconv.FormatInt(e.Seq, 10))
	field(strconv.FormatInt(e.Time.UnixMilli(), 10))
	field(strconv.FormatInt(e.ActorID, 10))
	field(e.ActorName)
	field(e.ActorRole)
	field(e.Action)
	field(e.ObjectType)
	field(e.ObjectID)
	field(e.Detail)
	field(e.IP)
	field(e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

type ctxKey struct{}

// WithClientIP returns a context whose audit entries default to client ip;
// the web middleware sets it so that domain services need not pass it.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, ctxKey{}, ip)
}

// ClientIP returns the address set by WithClientIP, or "".
func ClientIP(ctx context.Context) string {
	ip, _ := ctx.Value(ctxKey{}).(string)
	return ip
}
