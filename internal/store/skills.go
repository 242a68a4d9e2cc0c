package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"manglanh/internal/skills"
)

var _ skills.Store = (*Store)(nil)

const skillsSessionCols = `id, tenant_id, code, school_id, school_name, grade, class_name, level, items,
	current_item, state, created_by, created_at, ended_at, activity_id`

func scanSkillsSession(row interface{ Scan(...any) error }) (*skills.Session, error) {
	var se skills.Session
	var items string
	var created, ended int64
	err := row.Scan(&se.ID, &se.TenantID, &se.Code, &se.SchoolID, &se.SchoolName, &se.Grade, &se.Class, &se.Level, &items,
		&se.Current, &se.State, &se.CreatedBy, &created, &ended, &se.ActivityID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, skills.ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	if items != "" {
		se.ItemIDs = strings.Split(items, ",")
	}
	se.CreatedAt, se.EndedAt = fromMS(created), fromMS(ended)
	return &se, nil
}

// CreateSkillsSession inserts se under a code no open session uses. The
// check and the insert share a transaction (SQLite has one writer; on
// PostgreSQL two processes drawing the same code at the same instant is a
// one-in-a-million chance each time, and the code is checked again when
// pupils join: an open code names the newest session).
func (s *Store) CreateSkillsSession(ctx context.Context, se *skills.Session, code func() string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for try := 0; ; try++ {
			if try == 20 {
				return errors.New("no free session code")
			}
			c := code()
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM skills_sessions WHERE code = $1 AND state = $2", c, skills.StateOpen).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				se.Code = c
				break
			}
		}
		id, err := insertID(ctx, tx, `INSERT INTO skills_sessions (tenant_id, code, school_id, school_name, grade, class_name, level, items,
			current_item, state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			se.TenantID, se.Code, se.SchoolID, se.SchoolName, se.Grade, se.Class, se.Level, strings.Join(se.ItemIDs, ","),
			se.Current, se.State, se.CreatedBy, ms(se.CreatedAt))
		se.ID = id
		return err
	})
}

// SkillsSession returns session id.
func (s *Store) SkillsSession(ctx context.Context, id int64) (*skills.Session, error) {
	return scanSkillsSession(s.read.QueryRowContext(ctx, "SELECT "+skillsSessionCols+" FROM skills_sessions WHERE id = $1", id))
}

// SkillsSessionByCode returns the newest session with code, open ones
// first.
func (s *Store) SkillsSessionByCode(ctx context.Context, code string) (*skills.Session, error) {
	return scanSkillsSession(s.read.QueryRowContext(ctx, "SELECT "+skillsSessionCols+` FROM skills_sessions WHERE code = $1
		ORDER BY CASE WHEN state = 'open' THEN 0 ELSE 1 END, id DESC LIMIT 1`, code))
}

// SkillsSessions lists the newest sessions of a tenant (one school's when
// school is not 0).
func (s *Store) SkillsSessions(ctx context.Context, tenant, school int64, limit int) ([]skills.Session, error) {
	q := "SELECT " + skillsSessionCols + " FROM skills_sessions WHERE tenant_id = $1"
	args := []any{tenant}
	if school != 0 {
		q += " AND school_id = $2"
		args = append(args, school)
	}
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing class sessions: %w", err)
	}
	defer rows.Close()
	var out []skills.Session
	for rows.Next() {
		se, err := scanSkillsSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *se)
	}
	return out, rows.Err()
}

// SetSkillsCurrent moves an open session to question current.
func (s *Store) SetSkillsCurrent(ctx context.Context, id int64, current int) error {
	res, err := s.write.ExecContext(ctx, "UPDATE skills_sessions SET current_item = $1 WHERE id = $2 AND state = $3", current, id, skills.StateOpen)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return skills.ErrEnded
	}
	return nil
}

// EndSkillsSession ends an open session.
func (s *Store) EndSkillsSession(ctx context.Context, id int64, at time.Time) error {
	res, err := s.write.ExecContext(ctx, "UPDATE skills_sessions SET state = $1, ended_at = $2 WHERE id = $3 AND state = $4",
		skills.StateEnded, ms(at), id, skills.StateOpen)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return skills.ErrEnded
	}
	return nil
}

// SetSkillsActivity records the activity an ended session counts as.
func (s *Store) SetSkillsActivity(ctx context.Context, id, activityID int64) error {
	_, err := s.write.ExecContext(ctx, "UPDATE skills_sessions SET activity_id = $1 WHERE id = $2", activityID, id)
	return err
}

// AddSkillsPlayer adds a phone to a session.
func (s *Store) AddSkillsPlayer(ctx context.Context, p *skills.Player, tokenHash string, limit int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM skills_players WHERE session_id = $1", p.SessionID).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return skills.ErrFull
		}
		id, err := insertID(ctx, tx, `INSERT INTO skills_players (session_id, nickname, nick_fold, token_hash, joined_at)
			VALUES ($1, $2, $3, $4, $5)`, p.SessionID, p.Nickname, skills.FoldNickname(p.Nickname), tokenHash, ms(p.JoinedAt))
		if IsUniqueViolation(err) {
			return skills.ErrNicknameTaken
		}
		p.ID = id
		return err
	})
}

// SkillsPlayerByToken returns the phone with this token in a session.
func (s *Store) SkillsPlayerByToken(ctx context.Context, session int64, tokenHash string) (*skills.Player, error) {
	var p skills.Player
	var joined int64
	err := s.read.QueryRowContext(ctx, "SELECT id, session_id, nickname, joined_at FROM skills_players WHERE session_id = $1 AND token_hash = $2",
		session, tokenHash).Scan(&p.ID, &p.SessionID, &p.Nickname, &joined)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, skills.ErrNoPlayer
	}
	if err != nil {
		return nil, err
	}
	p.JoinedAt = fromMS(joined)
	return &p, nil
}

// SkillsPlayers lists a session's phones in joining order.
func (s *Store) SkillsPlayers(ctx context.Context, session int64) ([]skills.Player, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT id, session_id, nickname, joined_at FROM skills_players WHERE session_id = $1 ORDER BY id", session)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []skills.Player
	for rows.Next() {
		var p skills.Player
		var joined int64
		if err := rows.Scan(&p.ID, &p.SessionID, &p.Nickname, &joined); err != nil {
			return nil, err
		}
		p.JoinedAt = fromMS(joined)
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddSkillsAnswer records one answer; a second to the same question is
// skills.ErrAnswered.
func (s *Store) AddSkillsAnswer(ctx context.Context, session int64, a skills.Answer) error {
	correct := 0
	if a.Correct {
		correct = 1
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO skills_answers (session_id, player_id, item, choice, correct, answered_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, session, a.PlayerID, a.Item, a.Choice, correct, ms(a.At))
	if IsUniqueViolation(err) {
		return skills.ErrAnswered
	}
	return err
}

// SkillsAnswers lists a session's answers.
func (s *Store) SkillsAnswers(ctx context.Context, session int64) ([]skills.Answer, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT player_id, item, choice, correct, answered_at FROM skills_answers WHERE session_id = $1", session)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []skills.Answer
	for rows.Next() {
		var a skills.Answer
		var c int
		var at int64
		if err := rows.Scan(&a.PlayerID, &a.Item, &a.Choice, &c, &at); err != nil {
			return nil, err
		}
		a.Correct, a.At = c == 1, fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
