package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Login is the result of a sign-in step: the cookie token to set (it
// replaces any earlier one) and the stage the session is at.
type Login struct {
	Token string
	Stage Stage
	User  *User // without hash or secret
}

// TokenHash is the stored form of a session token.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newSession stores a session for u at stage and returns its token: 32
// random bytes, base64url.
func (s *Service) newSession(ctx context.Context, u *User, stage Stage, ip string) (*Login, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("drawing session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.now().UTC()
	if err := s.store.CreateSession(ctx, &Session{TokenHash: TokenHash(token), UserID: u.ID, Stage: stage,
		CreatedAt: now, LastSeen: now, IP: ip}); err != nil {
		return nil, fmt.Errorf("creating session: %w", err)
	}
	return &Login{Token: token, Stage: stage, User: sanitized(u)}, nil
}

// Lookup returns the live session named by token and its user, at any
// stage. Expired sessions and sessions of disabled users are deleted and
// reported as ErrNoSession. A full session's LastSeen is moved forward
// (at most once a minute, to spare the database).
func (s *Service) Lookup(ctx context.Context, token string) (*Session, *User, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, ErrNoSession
	}
	hash := TokenHash(token)
	sess, err := s.store.SessionByHash(ctx, hash)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading session: %w", err)
	}
	now := s.now()
	expired := now.Sub(sess.CreatedAt) > s.cfg.AbsoluteTimeout || now.Sub(sess.LastSeen) > s.cfg.IdleTimeout
	if sess.Stage != StageFull {
		expired = now.Sub(sess.CreatedAt) > s.cfg.PendingTimeout
	}
	var u *User
	if !expired {
		u, err = s.store.UserByID(ctx, sess.UserID)
		if errors.Is(err, ErrNotFound) {
			expired = true
		} else if err != nil {
			return nil, nil, fmt.Errorf("reading session user: %w", err)
		}
	}
	if expired || u.Disabled {
		if err := s.store.DeleteSession(ctx, hash); err != nil {
			s.log.WarnContext(ctx, "deleting expired session", "err", err)
		}
		return nil, nil, ErrNoSession
	}
	if sess.Stage == StageFull && now.Sub(sess.LastSeen) > time.Minute {
		if err := s.store.TouchSession(ctx, hash, now.UTC()); err != nil {
			return nil, nil, fmt.Errorf("touching session: %w", err)
		}
		sess.LastSeen = now.UTC()
	}
	return sess, u, nil
}

// Session returns the user of a fully signed-in session (password and,
// for every role but viewer, TOTP), or ErrNoSession. The user may still
// have MustChangePassword set: the web sends them to change it.
func (s *Service) Session(ctx context.Context, token string) (*User, error) {
	sess, u, err := s.Lookup(ctx, token)
	if err != nil {
		return nil, err
	}
	if sess.Stage != StageFull {
		return nil, ErrNoSession
	}
	return sanitized(u), nil
}

// Logout ends the session named by token. An unknown token is not an error.
func (s *Service) Logout(ctx context.Context, token, ip string) error {
	sess, u, err := s.Lookup(ctx, token)
	if errors.Is(err, ErrNoSession) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.store.DeleteSession(ctx, sess.TokenHash); err != nil {
		return fmt.Errorf("deleting session: %w", err)
	}
	return s.record(ctx, ActorOf(u, ip), "auth.logout", u.ID, "")
}

// PurgeSessions deletes expired sessions; run it now and then (hourly).
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.now()
	// Pending sessions are never touched, so the idle cut-off catches them
	// once PendingTimeout (shorter than IdleTimeout) has passed as well.
	return s.store.PurgeSessions(ctx, now.Add(-s.cfg.IdleTimeout), now.Add(-s.cfg.AbsoluteTimeout))
}
