package skills

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"manglanh/internal/program"
)

// Recorder records a programme activity (program.Service).
type Recorder interface {
	CreateActivity(ctx context.Context, a program.Actor, act *program.Activity) error
}

// Service runs class sessions.
type Service struct {
	Store    Store
	Bank     *Bank
	Program  Recorder
	Location *time.Location
	Now      func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// CanRun reports whether a may start and run class sessions: the roles
// that record programme activities.
func CanRun(a program.Actor) bool {
	switch a.Role {
	case program.RoleWardAdmin, program.RoleOfficer, program.RoleChairman, program.RolePolice,
		program.RoleSchool, program.RoleTeacher, program.RoleOrg:
		return true
	}
	return false
}

// canManage: the session's creator, staff of its school, and ward staff.
func canManage(a program.Actor, se *Session) bool {
	if !CanRun(a) || (a.TenantID != 0 && se.TenantID != 0 && a.TenantID != se.TenantID) {
		return false
	}
	switch a.Role {
	case program.RoleSchool, program.RoleTeacher:
		return a.UserID == se.CreatedBy || a.OrgID == se.SchoolID
	case program.RoleOrg:
		return a.UserID == se.CreatedBy
	}
	return true
}

// LevelOfGrade is the item level for grades 1–9 ("" otherwise).
func LevelOfGrade(grade int) string {
	switch program.LevelOfGrade(grade) {
	case program.LevelPrimary:
		return LevelPrimary
	case program.LevelLowerSecondary:
		return LevelSecondary
	}
	return ""
}

// Start opens a session for a class of school (chosen from the
// directory): GameLength items of the grade's level, drawn afresh.
func (s *Service) Start(ctx context.Context, a program.Actor, school program.School, grade int, class string) (*Session, error) {
	if !CanRun(a) {
		return nil, ErrForbidden
	}
	if (a.Role == program.RoleSchool || a.Role == program.RoleTeacher) && a.OrgID != 0 && a.OrgID != school.ID {
		return nil, ErrForbidden
	}
	class = strings.Join(strings.Fields(class), " ")
	level := LevelOfGrade(grade)
	if level == "" || class == "" || len([]rune(class)) > 20 {
		return nil, ErrClass
	}
	seed := uint64(s.now().UnixNano())
	var ids []string
	for _, it := range s.Bank.Draw(level, seed, GameLength) {
		ids = append(ids, it.ID)
	}
	se := &Session{TenantID: a.TenantID, SchoolID: school.ID, SchoolName: school.Name, Grade: grade, Class: class,
		Level: level, ItemIDs: ids, Current: -1, State: StateOpen, CreatedBy: a.UserID, CreatedAt: s.now()}
	if err := s.Store.CreateSkillsSession(ctx, se, NewCode); err != nil {
		return nil, fmt.Errorf("starting a class session: %w", err)
	}
	return se, nil
}

// Manage returns session id for a, who must be allowed to run it.
func (s *Service) Manage(ctx context.Context, a program.Actor, id int64) (*Session, error) {
	se, err := s.Store.SkillsSession(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canManage(a, se) {
		return nil, ErrForbidden
	}
	return se, nil
}

// Sessions lists the latest sessions a may see.
func (s *Service) Sessions(ctx context.Context, a program.Actor) ([]Session, error) {
	if !CanRun(a) {
		return nil, ErrForbidden
	}
	school := int64(0)
	if a.Role == program.RoleSchool || a.Role == program.RoleTeacher {
		school = a.OrgID
	}
	return s.Store.SkillsSessions(ctx, a.TenantID, school, 50)
}

// Item returns the session's item i, or nil.
func (s *Service) Item(se *Session, i int) *Item {
	if i < 0 || i >= len(se.ItemIDs) {
		return nil
	}
	return s.Bank.Item(se.ItemIDs[i])
}

// Next shows the next question; past the last it ends the session.
func (s *Service) Next(ctx context.Context, a program.Actor, id int64) (*Session, error) {
	se, err := s.Manage(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if se.State != StateOpen {
		return se, ErrEnded
	}
	if se.Current+1 >= len(se.ItemIDs) {
		return s.End(ctx, a, id)
	}
	if err := s.Store.SetSkillsCurrent(ctx, id, se.Current+1); err != nil {
		return nil, err
	}
	se.Current++
	return se, nil
}

// End ends the session and records it as a digital-skills activity at
// its school: the pupils who answered at least once, at its grade. A
// session nobody answered in records nothing. Ending twice is ErrEnded,
// and an end whose activity could not be recorded records it on the
// next End.
func (s *Service) End(ctx context.Context, a program.Actor, id int64) (*Session, error) {
	se, err := s.Manage(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if se.State == StateOpen {
		if err := s.Store.EndSkillsSession(ctx, id, s.now()); err != nil {
			return nil, err
		}
		se.State, se.EndedAt = StateEnded, s.now()
	} else if se.ActivityID != 0 {
		return se, ErrEnded
	}
	res, err := s.Result(ctx, se)
	if err != nil {
		return nil, err
	}
	if res.Active == 0 || s.Program == nil {
		return se, nil
	}
	act := s.activity(se, res)
	if err := s.Program.CreateActivity(ctx, a, act); err != nil {
		return se, fmt.Errorf("counting the session into the programme: %w", err)
	}
	if err := s.Store.SetSkillsActivity(ctx, id, act.ID); err != nil {
		return se, err
	}
	se.ActivityID = act.ID
	return se, nil
}

func (s *Service) activity(se *Session, res *Result) *program.Activity {
	loc := s.Location
	if loc == nil {
		loc = time.Local
	}
	end := se.EndedAt.In(loc)
	var topics []string
	seen := map[string]bool{}
	for _, q := range res.Questions {
		if q.Item != nil && !seen[q.Item.Topic] {
			seen[q.Item.Topic] = true
			topics = append(topics, q.Item.Topic)
		}
	}
	return &program.Activity{
		TenantID:  se.TenantID,
		Kind:      program.KindDigitalSkills,
		Date:      time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc),
		Places:    []program.Place{{Kind: program.PlaceSchool, OrgID: se.SchoolID, Name: se.SchoolName}},
		Organiser: se.SchoolName,
		Topic:     fmt.Sprintf("Trò chơi kỹ năng số lớp %s (mã %s): %d câu hỏi tình huống", se.Class, se.Code, len(se.ItemIDs)),
		Notes:     "Ghi tự động khi buổi chơi kết thúc. Chủ đề: " + strings.Join(topics, ", ") + ".",
		Participants: []program.Participant{{Group: program.GroupPupils, SchoolID: se.SchoolID,
			Level: program.LevelOfGrade(se.Grade), Grade: se.Grade, Count: res.Active}},
	}
}

// Join adds a pupil's phone to the open session with code.
func (s *Service) Join(ctx context.Context, code, nickname string) (*Session, *Player, string, error) {
	se, err := s.Store.SkillsSessionByCode(ctx, strings.TrimSpace(code))
	if err != nil {
		return nil, nil, "", err
	}
	if se.State != StateOpen {
		return se, nil, "", ErrEnded
	}
	nick, err := CleanNickname(nickname)
	if err != nil {
		return se, nil, "", err
	}
	token, hash := NewToken()
	p := &Player{SessionID: se.ID, Nickname: nick, JoinedAt: s.now()}
	if err := s.Store.AddSkillsPlayer(ctx, p, hash, MaxPlayers); err != nil {
		return se, nil, "", err
	}
	return se, p, token, nil
}

// Player returns the phone whose token this is.
func (s *Service) Player(ctx context.Context, se *Session, token string) (*Player, error) {
	if token == "" {
		return nil, ErrNoPlayer
	}
	return s.Store.SkillsPlayerByToken(ctx, se.ID, HashToken(token))
}

// Answer records a pupil's answer to question item, which must be the
// one on the screen of an open session.
func (s *Service) Answer(ctx context.Context, se *Session, p *Player, item, choice int) (bool, error) {
	if se.State != StateOpen {
		return false, ErrEnded
	}
	if item != se.Current {
		return false, ErrNotShown
	}
	it := s.Item(se, item)
	if it == nil || choice < 0 || choice >= len(it.Choices) {
		return false, ErrNotShown
	}
	a := Answer{PlayerID: p.ID, Item: item, Choice: choice, Correct: choice == it.Correct(), At: s.now()}
	if err := s.Store.AddSkillsAnswer(ctx, se.ID, a); err != nil {
		return false, err
	}
	return a.Correct, nil
}

// MyAnswer is p's answer to question item, or -1.
func (s *Service) MyAnswer(ctx context.Context, se *Session, p *Player, item int) (int, error) {
	ans, err := s.Store.SkillsAnswers(ctx, se.ID)
	if err != nil {
		return -1, err
	}
	for _, a := range ans {
		if a.PlayerID == p.ID && a.Item == item {
			return a.Choice, nil
		}
	}
	return -1, nil
}

// Result computes the session's figures.
func (s *Service) Result(ctx context.Context, se *Session) (*Result, error) {
	players, err := s.Store.SkillsPlayers(ctx, se.ID)
	if err != nil {
		return nil, err
	}
	answers, err := s.Store.SkillsAnswers(ctx, se.ID)
	if err != nil {
		return nil, err
	}
	res := &Result{Players: len(players)}
	for i := range se.ItemIDs {
		it := s.Item(se, i)
		q := Question{Index: i, Item: it}
		if it != nil {
			q.Counts = make([]int, len(it.Choices))
		}
		res.Questions = append(res.Questions, q)
	}
	per := map[int64]*PupilScore{}
	names := map[int64]string{}
	for _, p := range players {
		names[p.ID] = p.Nickname
	}
	topics := map[string]*TopicScore{}
	for _, a := range answers {
		if a.Item < 0 || a.Item >= len(res.Questions) {
			continue
		}
		q := &res.Questions[a.Item]
		q.Answered++
		if a.Choice >= 0 && a.Choice < len(q.Counts) {
			q.Counts[a.Choice]++
		}
		ps := per[a.PlayerID]
		if ps == nil {
			ps = &PupilScore{Nickname: names[a.PlayerID]}
			per[a.PlayerID] = ps
		}
		ps.Answered++
		if q.Item != nil {
			ts := topics[q.Item.Topic]
			if ts == nil {
				ts = &TopicScore{Topic: q.Item.Topic}
				topics[q.Item.Topic] = ts
			}
			ts.Items++
			if a.Correct {
				q.Right++
				ps.Right++
			} else {
				ts.Wrong++
			}
		}
	}
	res.Active = len(per)
	for _, ps := range per {
		res.Pupils = append(res.Pupils, *ps)
	}
	slices.SortFunc(res.Pupils, func(a, b PupilScore) int {
		return cmp.Or(cmp.Compare(b.Right, a.Right), strings.Compare(a.Nickname, b.Nickname))
	})
	for _, tp := range Topics() {
		if ts := topics[tp]; ts != nil {
			res.Topics = append(res.Topics, *ts)
		}
	}
	slices.SortStableFunc(res.Topics, func(a, b TopicScore) int {
		// wrong share, most first
		return cmp.Compare(b.Wrong*a.Items, a.Wrong*b.Items)
	})
	return res, nil
}

// IsUserError reports the errors a pupil or teacher can act on.
func IsUserError(err error) bool {
	for _, e := range []error{ErrNoSession, ErrEnded, ErrNicknameTaken, ErrNickname, ErrFull, ErrAnswered, ErrNotShown, ErrNoPlayer, ErrClass} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
