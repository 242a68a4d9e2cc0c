package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"manglanh/internal/skills"
)

// TestSkillsSessions: a session's code is unique among open ones,
// nicknames are unique case-folded, a phone answers each question once,
// ending is once, and 500 phones joining and answering at once (on
// PostgreSQL too) lose nothing.
func TestSkillsSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Now()
		codes := []string{"111111", "111111", "222222"}
		next := func() string { c := codes[0]; codes = codes[1:]; return c }
		a := &skills.Session{TenantID: 1, SchoolID: 7, SchoolName: "Trường TH Phù Liễn", Grade: 4, Class: "4A", Level: "primary",
			ItemIDs: []string{"p-scam-001", "p-luring-002"}, Current: -1, State: skills.StateOpen, CreatedBy: 3, CreatedAt: now}
		if err := s.CreateSkillsSession(ctx, a, next); err != nil || a.Code != "111111" {
			t.Fatalf("first session: %v %q", err, a.Code)
		}
		b := *a
		if err := s.CreateSkillsSession(ctx, &b, next); err != nil || b.Code != "222222" {
			t.Fatalf("second session took code %q (%v), want the next free one", b.Code, err)
		}
		got, err := s.SkillsSessionByCode(ctx, "111111")
		if err != nil || got.ID != a.ID || len(got.ItemIDs) != 2 || got.Current != -1 || got.SchoolName != a.SchoolName {
			t.Fatalf("by code: %+v %v", got, err)
		}
		if _, err := s.SkillsSessionByCode(ctx, "999999"); !errors.Is(err, skills.ErrNoSession) {
			t.Errorf("unknown code: %v", err)
		}
		p := &skills.Player{SessionID: a.ID, Nickname: "Mèo Con", JoinedAt: now}
		if err := s.AddSkillsPlayer(ctx, p, "h1", 3); err != nil {
			t.Fatal(err)
		}
		if err := s.AddSkillsPlayer(ctx, &skills.Player{SessionID: a.ID, Nickname: "mèo con", JoinedAt: now}, "h2", 3); !errors.Is(err, skills.ErrNicknameTaken) {
			t.Errorf("same nickname, other case: %v", err)
		}
		if err := s.AddSkillsPlayer(ctx, &skills.Player{SessionID: b.ID, Nickname: "Mèo Con", JoinedAt: now}, "h3", 3); err != nil {
			t.Errorf("the nickname in another session: %v", err)
		}
		if got, err := s.SkillsPlayerByToken(ctx, a.ID, "h1"); err != nil || got.ID != p.ID {
			t.Errorf("by token: %v %v", got, err)
		}
		if _, err := s.SkillsPlayerByToken(ctx, b.ID, "h1"); !errors.Is(err, skills.ErrNoPlayer) {
			t.Errorf("a token of another session: %v", err)
		}
		if err := s.AddSkillsAnswer(ctx, a.ID, skills.Answer{PlayerID: p.ID, Item: 0, Choice: 2, Correct: true, At: now}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddSkillsAnswer(ctx, a.ID, skills.Answer{PlayerID: p.ID, Item: 0, Choice: 1, At: now}); !errors.Is(err, skills.ErrAnswered) {
			t.Errorf("second answer: %v", err)
		}
		if err := s.SetSkillsCurrent(ctx, a.ID, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.EndSkillsSession(ctx, a.ID, now); err != nil {
			t.Fatal(err)
		}
		if err := s.EndSkillsSession(ctx, a.ID, now); !errors.Is(err, skills.ErrEnded) {
			t.Errorf("ending twice: %v", err)
		}
		if err := s.SetSkillsCurrent(ctx, a.ID, 0); !errors.Is(err, skills.ErrEnded) {
			t.Errorf("moving an ended session: %v", err)
		}
		// The ended session's code may be drawn again.
		codes = []string{"111111"}
		c := *a
		if err := s.CreateSkillsSession(ctx, &c, next); err != nil || c.Code != "111111" {
			t.Errorf("reusing an ended code: %v %q", err, c.Code)
		}
		if got, _ := s.SkillsSessionByCode(ctx, "111111"); got == nil || got.ID != c.ID {
			t.Errorf("the open session does not win its code")
		}
		list, err := s.SkillsSessions(ctx, 1, 7, 10)
		if err != nil || len(list) != 3 || list[0].ID != c.ID {
			t.Errorf("list: %d %v", len(list), err)
		}
		// 500 phones join and answer at once.
		var wg sync.WaitGroup
		errs := make(chan error, 500)
		for i := range 500 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pl := &skills.Player{SessionID: b.ID, Nickname: fmt.Sprintf("Bạn %d", i), JoinedAt: now}
				if err := s.AddSkillsPlayer(ctx, pl, fmt.Sprintf("t%d", i), 600); err != nil {
					errs <- err
					return
				}
				errs <- s.AddSkillsAnswer(ctx, b.ID, skills.Answer{PlayerID: pl.ID, Item: 0, Choice: i % 3, At: now})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("500 at once: %v", err)
			}
		}
		ans, _ := s.SkillsAnswers(ctx, b.ID)
		pls, _ := s.SkillsPlayers(ctx, b.ID)
		if len(ans) != 500 || len(pls) != 501 {
			t.Errorf("after 500 at once: %d answers, %d players", len(ans), len(pls))
		}
		if err := s.AddSkillsPlayer(ctx, &skills.Player{SessionID: b.ID, Nickname: "Muộn", JoinedAt: now}, "late", 501); !errors.Is(err, skills.ErrFull) {
			t.Errorf("past the limit: %v", err)
		}
	})
}
