package skills

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A class session: a teacher starts it for one class, pupils join with a
// nickname and the session's code, the teacher's screen moves from
// question to question, and each pupil answers the question shown. When
// the teacher ends it, the session counts as a digital-skills activity at
// the school (pupils who answered at least once, by grade), and nobody is
// identified: a nickname lives only in the session.

// Session states.
const (
	StateOpen  = "open"
	StateEnded = "ended"
)

// Session is one class session.
type Session struct {
	ID         int64
	TenantID   int64
	Code       string // six digits, unique among open sessions
	SchoolID   int64
	SchoolName string
	Grade      int // 3–9
	Class      string
	Level      string
	ItemIDs    []string
	Current    int // index of the question on the screen; -1 before the first
	State      string
	CreatedBy  int64
	CreatedAt  time.Time
	EndedAt    time.Time
	ActivityID int64 // the programme activity recorded at the end, 0 before
}

// Player is one pupil's phone in a session.
type Player struct {
	ID        int64
	SessionID int64
	Nickname  string
	JoinedAt  time.Time
}

// Answer is one pupil's answer to one question.
type Answer struct {
	PlayerID int64
	Item     int // index in the session's items
	Choice   int
	Correct  bool
	At       time.Time
}

// Store keeps sessions (internal/store implements it on SQLite and
// PostgreSQL).
type Store interface {
	// CreateSkillsSession inserts s with a fresh code: it calls code()
	// until one is not used by an open session. It sets s.ID and s.Code.
	CreateSkillsSession(ctx context.Context, s *Session, code func() string) error
	SkillsSession(ctx context.Context, id int64) (*Session, error)
	SkillsSessionByCode(ctx context.Context, code string) (*Session, error)
	SkillsSessions(ctx context.Context, tenant, school int64, limit int) ([]Session, error)
	// SetSkillsCurrent moves an open session to question current.
	SetSkillsCurrent(ctx context.Context, id int64, current int) error
	// EndSkillsSession ends an open session; ErrEnded when it had ended
	// already.
	EndSkillsSession(ctx context.Context, id int64, at time.Time) error
	// SetSkillsActivity records the programme activity an ended session
	// was counted as.
	SetSkillsActivity(ctx context.Context, id, activityID int64) error
	// AddSkillsPlayer adds a player; ErrNicknameTaken when the nickname
	// (compared case-folded) is used in the session; ErrFull past limit.
	AddSkillsPlayer(ctx context.Context, p *Player, tokenHash string, limit int) error
	SkillsPlayerByToken(ctx context.Context, session int64, tokenHash string) (*Player, error)
	SkillsPlayers(ctx context.Context, session int64) ([]Player, error)
	// AddSkillsAnswer records a's answer once: a second answer to the
	// same question is ErrAnswered.
	AddSkillsAnswer(ctx context.Context, session int64, a Answer) error
	SkillsAnswers(ctx context.Context, session int64) ([]Answer, error)
}

// Errors of sessions, worded for people by the web layer.
var (
	ErrNoSession     = errors.New("skills: no such session")
	ErrEnded         = errors.New("skills: the session has ended")
	ErrNicknameTaken = errors.New("skills: nickname already used in this session")
	ErrNickname      = errors.New("skills: nickname not allowed")
	ErrFull          = errors.New("skills: the session is full")
	ErrAnswered      = errors.New("skills: already answered")
	ErrNotShown      = errors.New("skills: that question is not on the screen")
	ErrNoPlayer      = errors.New("skills: not joined")
	ErrForbidden     = errors.New("skills: not allowed")
	ErrClass         = errors.New("skills: class not valid")
)

// MaxPlayers is the most phones one session takes.
const MaxPlayers = 600

// NewCode is six random digits.
func NewCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// NewToken is a pupil phone's secret (kept in its cookie) and its hash
// (kept in the database).
func NewToken() (token, hash string) {
	var b [16]byte
	rand.Read(b[:])
	token = hex.EncodeToString(b[:])
	return token, HashToken(token)
}

// HashToken is the stored form of a token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CleanNickname checks a nickname and returns it in NFC, trimmed and with
// single spaces: 2–20 letters, digits and spaces, at most three words (a
// nickname, not a full name), no links.
func CleanNickname(s string) (string, error) {
	s = strings.Join(strings.Fields(norm.NFC.String(s)), " ")
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 20 || len(strings.Fields(s)) > 3 {
		return "", ErrNickname
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || unicode.Is(unicode.Mn, r)) {
			return "", ErrNickname
		}
	}
	return s, nil
}

// FoldNickname is the form two nicknames are compared in.
func FoldNickname(s string) string { return strings.ToLower(norm.NFC.String(s)) }

// Question is one question of a session with the class's answers.
type Question struct {
	Index    int
	Item     *Item
	Counts   []int // answers per choice
	Answered int
	Right    int
}

// Result is a session's figures: per question, per topic, per pupil.
type Result struct {
	Players   int // joined
	Active    int // answered at least once: the pupils reached
	Questions []Question
	Topics    []TopicScore // wrong answers per topic, most wrong first
	Pupils    []PupilScore // nickname and right answers, best first
}

// PupilScore is one nickname's score.
type PupilScore struct {
	Nickname string
	Right    int
	Answered int
}
