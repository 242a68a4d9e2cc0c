package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/program"
	"manglanh/internal/skills"
)

// Class sessions (issue 12): the teacher's pages under /can-bo/ky-nang-so
// and the pupils' under /ky-nang-so/lop. The teacher's screen may use
// JavaScript (it polls a small JSON state and reloads when the class has
// moved on) and refreshes itself without it; pupils' phones need none.

func (s *Server) skillsClassRoutes() {
	if s.cfg.SkillsSessions == nil {
		return
	}
	if s.cfg.Auth != nil && s.cfg.Program != nil {
		staff := s.requireRole()
		s.handle("GET /can-bo/ky-nang-so", staff(s.classList))
		s.handle("POST /can-bo/ky-nang-so", staff(s.classStart))
		s.handle("GET /can-bo/ky-nang-so/{id}", staff(s.classShow))
		s.handle("GET /can-bo/ky-nang-so/{id}/trang-thai", staff(s.classState))
		s.handle("GET /can-bo/ky-nang-so/{id}/in", staff(s.classPrint))
		s.handle("POST /can-bo/ky-nang-so/{id}/{action}", staff(s.classAction))
	}
	s.handle("GET /ky-nang-so/lop", s.joinShow)
	s.handle("POST /ky-nang-so/lop", s.joinSubmit)
	s.handle("GET /ky-nang-so/lop/{code}", s.pupilShow)
	s.handle("POST /ky-nang-so/lop/{code}", s.pupilAnswer)
}

// classCookie holds a pupil phone's token for one session.
func classCookie(code string) string { return "ml_lop_" + code }

// validCode: six digits.
func validCode(c string) bool {
	if len(c) != 6 {
		return false
	}
	for _, r := range c {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

type classListPage struct {
	Sessions []classRow
	Schools  []program.School
	Grades   []int
	Form     url.Values
	Errors   map[string]string
	CanRun   bool
}

type classRow struct {
	ID                int64
	Code, Class, When string
	School, State     string
	Open              bool
}

func (s *Server) classList(w http.ResponseWriter, r *http.Request) {
	s.renderClassList(w, r, http.StatusOK, url.Values{"grade": {"4"}}, nil)
}

func (s *Server) renderClassList(w http.ResponseWriter, r *http.Request, status int, form url.Values, errs map[string]string) {
	ctx, lang := r.Context(), langOf(r)
	a := programActor(userFrom(ctx))
	p := classListPage{Form: form, Errors: errs, CanRun: skills.CanRun(a), Grades: []int{3, 4, 5, 6, 7, 8, 9}}
	if !p.CanRun {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	list, err := s.cfg.SkillsSessions.Sessions(ctx, a)
	if err != nil {
		s.log.ErrorContext(ctx, "listing class sessions", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	for _, se := range list {
		p.Sessions = append(p.Sessions, classRow{ID: se.ID, Code: se.Code, Class: se.Class, School: se.SchoolName,
			When: se.CreatedAt.In(s.cfg.Location).Format("15:04 02/01/2006"), State: T(lang, "class.state."+se.State), Open: se.State == skills.StateOpen})
	}
	if p.Schools, err = s.classSchools(r); err != nil {
		s.log.ErrorContext(ctx, "listing schools", "err", err)
	}
	s.render(w, r, status, "skills_class_list", T(lang, "class.title"), p)
}

// classSchools are the schools the signed-in person may start a session
// for: a school or teacher account its own, ward staff every school.
func (s *Server) classSchools(r *http.Request) ([]program.School, error) {
	a := programActor(userFrom(r.Context()))
	all, err := s.cfg.Program.Schools(r.Context(), a)
	if err != nil || (a.Role != program.RoleSchool && a.Role != program.RoleTeacher) || a.OrgID == 0 {
		return all, err
	}
	var own []program.School
	for _, sc := range all {
		if sc.ID == a.OrgID {
			own = append(own, sc)
		}
	}
	return own, nil
}

// classStart opens a session for the class chosen on the form.
func (s *Server) classStart(w http.ResponseWriter, r *http.Request) {
	ctx, lang := r.Context(), langOf(r)
	a := programActor(userFrom(ctx))
	form := url.Values{"school": {r.PostFormValue("school")}, "grade": {r.PostFormValue("grade")}, "class": {r.PostFormValue("class")}}
	errs := map[string]string{}
	schools, _ := s.classSchools(r)
	var school *program.School
	id, _ := strconv.ParseInt(form.Get("school"), 10, 64)
	for i := range schools {
		if schools[i].ID == id {
			school = &schools[i]
		}
	}
	if school == nil {
		errs["school"] = T(lang, "class.error.school")
	}
	grade, err := strconv.Atoi(form.Get("grade"))
	if err != nil || grade < 3 || grade > 9 {
		errs["grade"] = T(lang, "class.error.grade")
	}
	class := strings.Join(strings.Fields(form.Get("class")), " ")
	if class == "" || len([]rune(class)) > 20 {
		errs["class"] = T(lang, "class.error.class")
	}
	if len(errs) > 0 {
		s.renderClassList(w, r, http.StatusBadRequest, form, errs)
		return
	}
	se, err := s.cfg.SkillsSessions.Start(ctx, a, *school, grade, class)
	switch {
	case errors.Is(err, skills.ErrForbidden):
		errs["school"] = T(lang, "class.error.notyours")
		s.renderClassList(w, r, http.StatusForbidden, form, errs)
		return
	case err != nil:
		s.log.ErrorContext(ctx, "starting a class session", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/ky-nang-so/%d", se.ID), http.StatusSeeOther)
}

// classSession loads the session of the path for the signed-in person.
func (s *Server) classSession(w http.ResponseWriter, r *http.Request) (*skills.Session, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return nil, false
	}
	se, err := s.cfg.SkillsSessions.Manage(r.Context(), programActor(userFrom(r.Context())), id)
	switch {
	case errors.Is(err, skills.ErrNoSession):
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return nil, false
	case errors.Is(err, skills.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return nil, false
	case err != nil:
		s.log.ErrorContext(r.Context(), "reading a class session", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return nil, false
	}
	return se, true
}

type classBar struct {
	Text    string
	Count   int
	Percent int
	Correct bool
}

type classQuestion struct {
	N, Of    int
	Item     skillsItem
	Bars     []classBar
	Answered int
	Right    int
	Percent  int // right of answered
}

type classTopic struct {
	Label        string
	Answers      int
	WrongPercent int
}

type classShowPage struct {
	ID                    int64
	Code, JoinURL, School string
	JoinPage              string // the address to type: the join page
	Class                 string
	QR                    template.HTML
	Open, Started, Last   bool
	Players               int
	Active                int
	Nicknames             []string
	Current               *classQuestion
	Questions             []classQuestion
	Topics                []classTopic
	Pupils                []skills.PupilScore
	ActivityID            int64
	Version               string
	Notice                string
	Prior                 []classTopicCompare
	Counted               string
}

// classTopicCompare: a topic this class played in an earlier session and
// in this one (pre/post).
type classTopicCompare struct {
	Label         string
	Before, After int // percent right
	BeforeWhen    string
}

func (s *Server) classShowData(r *http.Request, se *skills.Session) (classShowPage, error) {
	ctx, lang := r.Context(), langOf(r)
	res, err := s.cfg.SkillsSessions.Result(ctx, se)
	if err != nil {
		return classShowPage{}, err
	}
	join := strings.TrimRight(s.cfg.BaseURL, "/") + "/ky-nang-so/lop/" + se.Code
	if s.cfg.BaseURL == "" {
		join = "/ky-nang-so/lop/" + se.Code
	}
	p := classShowPage{ID: se.ID, Code: se.Code, JoinURL: join, School: se.SchoolName, Class: se.Class, Open: se.State == skills.StateOpen,
		Started: se.Current >= 0, Last: se.Current+1 >= len(se.ItemIDs), Players: res.Players, Active: res.Active, ActivityID: se.ActivityID}
	p.JoinPage = strings.TrimSuffix(join, "/"+se.Code)
	p.QR, _ = qrSVG(join, T(lang, "class.qr", se.Code))
	players, _ := s.cfg.SkillsSessions.Store.SkillsPlayers(ctx, se.ID)
	for _, pl := range players {
		p.Nicknames = append(p.Nicknames, pl.Nickname)
	}
	answered := 0
	for i, q := range res.Questions {
		if q.Item == nil {
			continue
		}
		cq := classQuestion{N: i + 1, Of: len(res.Questions), Item: showItem(q.Item, i+1, lang, -1), Answered: q.Answered, Right: q.Right}
		if q.Answered > 0 {
			cq.Percent = 100 * q.Right / q.Answered
		}
		for j, c := range cq.Item.Choices {
			b := classBar{Text: c.Text, Count: q.Counts[j], Correct: c.Correct}
			if q.Answered > 0 {
				b.Percent = 100 * q.Counts[j] / q.Answered
			}
			cq.Bars = append(cq.Bars, b)
		}
		answered += q.Answered
		if i == se.Current && p.Open {
			c := cq
			p.Current = &c
		}
		if i <= se.Current {
			p.Questions = append(p.Questions, cq)
		}
	}
	for _, ts := range res.Topics {
		p.Topics = append(p.Topics, classTopic{Label: T(lang, "skills.topic."+ts.Topic), Answers: ts.Items, WrongPercent: 100 * ts.Wrong / max(1, ts.Items)})
	}
	p.Pupils = res.Pupils
	p.Version = fmt.Sprintf("%d-%d-%d-%s", se.Current, res.Players, answered, se.State)
	if !p.Open {
		if se.ActivityID != 0 {
			p.Counted = T(lang, "class.counted", res.Active, se.Grade, se.SchoolName)
		} else if res.Active == 0 {
			p.Counted = T(lang, "class.notcounted")
		}
		p.Prior = s.classCompare(r, se, res)
	}
	return p, nil
}

// classCompare finds the class's previous ended session (same school,
// grade and class name) and compares the topics both played.
func (s *Server) classCompare(r *http.Request, se *skills.Session, res *skills.Result) []classTopicCompare {
	ctx, lang := r.Context(), langOf(r)
	list, err := s.cfg.SkillsSessions.Store.SkillsSessions(ctx, se.TenantID, se.SchoolID, 50)
	if err != nil {
		return nil
	}
	for _, old := range list {
		if old.ID >= se.ID || old.State != skills.StateEnded || old.Grade != se.Grade || !strings.EqualFold(old.Class, se.Class) {
			continue
		}
		oldRes, err := s.cfg.SkillsSessions.Result(ctx, &old)
		if err != nil {
			return nil
		}
		before := map[string]skills.TopicScore{}
		for _, t := range oldRes.Topics {
			before[t.Topic] = t
		}
		var out []classTopicCompare
		for _, t := range res.Topics {
			b, ok := before[t.Topic]
			if !ok || b.Items == 0 || t.Items == 0 {
				continue
			}
			out = append(out, classTopicCompare{Label: T(lang, "skills.topic."+t.Topic), Before: 100 * (b.Items - b.Wrong) / b.Items,
				After: 100 * (t.Items - t.Wrong) / t.Items, BeforeWhen: old.CreatedAt.In(s.cfg.Location).Format("02/01/2006")})
		}
		return out
	}
	return nil
}

func (s *Server) classShow(w http.ResponseWriter, r *http.Request) {
	se, ok := s.classSession(w, r)
	if !ok {
		return
	}
	p, err := s.classShowData(r, se)
	if err != nil {
		s.log.ErrorContext(r.Context(), "class session figures", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	if n := r.URL.Query().Get("ok"); n != "" {
		p.Notice = T(langOf(r), "class.ok."+n)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "skills_class_show", T(langOf(r), "class.show.title", se.Class, se.Code), p)
}

// classState is the teacher screen's poll: a version that changes when a
// pupil joins or answers or the question moves.
func (s *Server) classState(w http.ResponseWriter, r *http.Request) {
	se, ok := s.classSession(w, r)
	if !ok {
		return
	}
	p, err := s.classShowData(r, se)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal"})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"version": p.Version, "players": p.Players, "open": p.Open})
}

// classPrint is the printable version for a class without phones: the
// session's questions with their answers lettered, and a key.
func (s *Server) classPrint(w http.ResponseWriter, r *http.Request) {
	se, ok := s.classSession(w, r)
	if !ok {
		return
	}
	lang := langOf(r)
	var items []skillsItem
	for i := range se.ItemIDs {
		if it := s.cfg.SkillsSessions.Item(se, i); it != nil {
			items = append(items, showItem(it, i+1, lang, -1))
		}
	}
	s.render(w, r, http.StatusOK, "skills_class_print", T(lang, "class.print.title", se.Class), map[string]any{"Items": items, "Class": se.Class, "School": se.SchoolName})
}

func (s *Server) classAction(w http.ResponseWriter, r *http.Request) {
	se, ok := s.classSession(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	a := programActor(userFrom(ctx))
	var err error
	notice := ""
	switch r.PathValue("action") {
	case "tiep":
		_, err = s.cfg.SkillsSessions.Next(ctx, a, se.ID)
		notice = "next"
	case "ket-thuc":
		_, err = s.cfg.SkillsSessions.End(ctx, a, se.ID)
		notice = "ended"
	default:
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	switch {
	case errors.Is(err, skills.ErrEnded):
		notice = "already"
	case err != nil:
		s.log.ErrorContext(ctx, "class session action", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/ky-nang-so/%d?ok=%s", se.ID, notice), http.StatusSeeOther)
}

// Pupils.

type joinPage struct {
	Code, Nickname string
	Errors         map[string]string
}

func (s *Server) joinShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "skills_class_join", T(langOf(r), "class.join.title"), joinPage{Code: r.URL.Query().Get("ma")})
}

func (s *Server) joinSubmit(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	p := joinPage{Code: strings.TrimSpace(r.PostFormValue("code")), Nickname: r.PostFormValue("nickname"), Errors: map[string]string{}}
	// A whole class joins from one school network at once: the limit
	// admits a school's classes in a burst (2,000), then twenty joins a second.
	if ok, wait := s.joinLimit.allow(clientIP(r)); !ok {
		setRetryAfter(w, wait)
		p.Errors["code"] = T(lang, "class.error.wait")
		s.render(w, r, http.StatusTooManyRequests, "skills_class_join", T(lang, "class.join.title"), p)
		return
	}
	fail := func(status int, field, key string) {
		p.Errors[field] = T(lang, key)
		s.render(w, r, status, "skills_class_join", T(lang, "class.join.title"), p)
	}
	if !validCode(p.Code) {
		fail(http.StatusBadRequest, "code", "class.error.code")
		return
	}
	se, _, token, err := s.cfg.SkillsSessions.Join(r.Context(), p.Code, p.Nickname)
	switch {
	case errors.Is(err, skills.ErrNoSession):
		fail(http.StatusNotFound, "code", "class.error.nosession")
	case errors.Is(err, skills.ErrEnded):
		fail(http.StatusGone, "code", "class.error.ended")
	case errors.Is(err, skills.ErrNickname):
		fail(http.StatusBadRequest, "nickname", "class.error.nickname")
	case errors.Is(err, skills.ErrNicknameTaken):
		fail(http.StatusConflict, "nickname", "class.error.taken")
	case errors.Is(err, skills.ErrFull):
		fail(http.StatusConflict, "code", "class.error.full")
	case err != nil:
		s.log.ErrorContext(r.Context(), "joining a class session", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
	default:
		http.SetCookie(w, &http.Cookie{Name: classCookie(se.Code), Value: token, Path: "/ky-nang-so/lop/" + se.Code,
			MaxAge: int((12 * time.Hour).Seconds()), HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/ky-nang-so/lop/"+se.Code, http.StatusSeeOther)
	}
}

type pupilPage struct {
	Code, Nickname string
	Waiting        bool
	Ended          bool
	Question       *skillsItem
	Item           int
	Of             int
	Answered       *skillsItem // the answer given to the question on the screen
	Right, Total   int
	Error          string
}

// pupilContext finds the session of the path and the phone's player.
func (s *Server) pupilContext(w http.ResponseWriter, r *http.Request) (*skills.Session, *skills.Player, bool) {
	code := r.PathValue("code")
	lang := langOf(r)
	if !validCode(code) {
		s.render(w, r, http.StatusNotFound, "skills_class_join", T(lang, "class.join.title"), joinPage{Errors: map[string]string{"code": T(lang, "class.error.code")}})
		return nil, nil, false
	}
	se, err := s.cfg.SkillsSessions.Store.SkillsSessionByCode(r.Context(), code)
	if err != nil {
		s.render(w, r, http.StatusNotFound, "skills_class_join", T(lang, "class.join.title"), joinPage{Code: code, Errors: map[string]string{"code": T(lang, "class.error.nosession")}})
		return nil, nil, false
	}
	token := ""
	if c, err := r.Cookie(classCookie(code)); err == nil {
		token = c.Value
	}
	pl, err := s.cfg.SkillsSessions.Player(r.Context(), se, token)
	if err != nil {
		if se.State != skills.StateOpen {
			s.render(w, r, http.StatusGone, "skills_class_join", T(lang, "class.join.title"), joinPage{Code: code, Errors: map[string]string{"code": T(lang, "class.error.ended")}})
			return nil, nil, false
		}
		s.render(w, r, http.StatusOK, "skills_class_join", T(lang, "class.join.title"), joinPage{Code: code})
		return nil, nil, false
	}
	return se, pl, true
}

func (s *Server) pupilShow(w http.ResponseWriter, r *http.Request) {
	se, pl, ok := s.pupilContext(w, r)
	if !ok {
		return
	}
	s.renderPupil(w, r, http.StatusOK, se, pl, "")
}

func (s *Server) renderPupil(w http.ResponseWriter, r *http.Request, status int, se *skills.Session, pl *skills.Player, errMsg string) {
	ctx, lang := r.Context(), langOf(r)
	p := pupilPage{Code: se.Code, Nickname: pl.Nickname, Item: se.Current, Of: len(se.ItemIDs), Error: errMsg}
	switch {
	case se.State != skills.StateOpen:
		p.Ended = true
		ans, _ := s.cfg.SkillsSessions.Store.SkillsAnswers(ctx, se.ID)
		p.Total = len(se.ItemIDs)
		for _, a := range ans {
			if a.PlayerID == pl.ID && a.Correct {
				p.Right++
			}
		}
	case se.Current < 0:
		p.Waiting = true
	default:
		it := s.cfg.SkillsSessions.Item(se, se.Current)
		mine, err := s.cfg.SkillsSessions.MyAnswer(ctx, se, pl, se.Current)
		if err != nil || it == nil {
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
		v := showItem(it, se.Current+1, lang, mine)
		if mine >= 0 {
			p.Answered = &v
		} else {
			p.Question = &v
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "skills_class_play", T(lang, "class.play.title", se.Code), p)
}

func (s *Server) pupilAnswer(w http.ResponseWriter, r *http.Request) {
	se, pl, ok := s.pupilContext(w, r)
	if !ok {
		return
	}
	lang := langOf(r)
	item, err1 := strconv.Atoi(r.PostFormValue("item"))
	choice, err2 := strconv.Atoi(r.PostFormValue("chon"))
	if err1 != nil || err2 != nil {
		s.renderPupil(w, r, http.StatusBadRequest, se, pl, T(lang, "skills.error.choice"))
		return
	}
	_, err := s.cfg.SkillsSessions.Answer(r.Context(), se, pl, item, choice)
	switch {
	case err == nil, errors.Is(err, skills.ErrAnswered):
		// Answered (or a second tap): show the answer given.
	case errors.Is(err, skills.ErrEnded):
		s.renderPupil(w, r, http.StatusConflict, se, pl, T(lang, "class.error.tooLate"))
		return
	case errors.Is(err, skills.ErrNotShown):
		s.renderPupil(w, r, http.StatusConflict, se, pl, T(lang, "class.error.moved"))
		return
	default:
		s.log.ErrorContext(r.Context(), "recording an answer", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, "/ky-nang-so/lop/"+se.Code, http.StatusSeeOther)
}

var classMessages = map[string]msg{
	"class.title":           {"Kỹ năng số: chơi cùng cả lớp", "Digital skills: play as a class"},
	"class.nav":             {"Kỹ năng số (lớp học)", "Digital skills (class)"},
	"class.start":           {"Bắt đầu một buổi chơi cho lớp", "Start a session for a class"},
	"class.start.hint":      {"Mỗi buổi có 10 tình huống theo cấp học của khối lớp. Học sinh vào bằng mã hoặc mã QR trên màn hình, chỉ dùng biệt danh, không cần tài khoản. Khi kết thúc, số học sinh đã trả lời được tính vào độ bao phủ của trường.", "Each session has 10 situations for the grade's level. Pupils join with the code or QR code on the screen, with a nickname only, no account. When it ends, the pupils who answered count toward the school's coverage."},
	"class.school":          {"Trường", "School"},
	"class.grade":           {"Khối lớp", "Grade"},
	"class.gradeN":          {"Lớp %d", "Grade %d"},
	"class.class":           {"Tên lớp", "Class"},
	"class.class.hint":      {"Ví dụ 4A, 7A2", "For example 4A, 7A2"},
	"class.go":              {"Tạo buổi chơi", "Create the session"},
	"class.list":            {"Các buổi chơi gần đây", "Recent sessions"},
	"class.none":            {"Chưa có buổi chơi nào.", "No sessions yet."},
	"class.col.when":        {"Lúc", "When"},
	"class.col.class":       {"Lớp", "Class"},
	"class.col.code":        {"Mã", "Code"},
	"class.col.state":       {"Trạng thái", "State"},
	"class.state.open":      {"Đang chơi", "Open"},
	"class.state.ended":     {"Đã kết thúc", "Ended"},
	"class.noschools":       {"Chưa có trường nào trong danh bạ. Hãy thêm trường ở trang Tổ chức.", "No school in the directory yet. Add one on the Organisations page."},
	"class.error.school":    {"Hãy chọn trường trong danh sách.", "Choose a school from the list."},
	"class.error.notyours":  {"Bạn chỉ tạo được buổi chơi cho trường của mình.", "You can only start sessions for your own school."},
	"class.error.grade":     {"Hãy chọn khối lớp từ 3 đến 9.", "Choose a grade from 3 to 9."},
	"class.error.class":     {"Hãy ghi tên lớp (tối đa 20 ký tự), ví dụ 4A.", "Write the class name (at most 20 characters), e.g. 4A."},
	"class.show.title":      {"Lớp %s · mã %s", "Class %s · code %s"},
	"class.qr":              {"Mã QR để vào buổi chơi %s", "QR code to join session %s"},
	"class.joinhow":         {"Vào trang %s và nhập mã", "Go to %s and enter the code"},
	"class.players":         {"Đã vào: %d học sinh", "Joined: %d pupils"},
	"class.waitfirst":       {"Khi cả lớp đã vào, bấm “Bắt đầu câu 1”.", "When the class has joined, press “Start question 1”."},
	"class.begin":           {"Bắt đầu câu 1", "Start question 1"},
	"class.next":            {"Câu tiếp theo", "Next question"},
	"class.finish":          {"Xem kết quả và kết thúc", "See results and finish"},
	"class.end":             {"Kết thúc buổi chơi", "End the session"},
	"class.end.hint":        {"Kết thúc thì học sinh không trả lời được nữa, và số học sinh đã trả lời được tính vào số liệu của trường.", "Ending stops answers, and the pupils who answered are counted into the school's figures."},
	"class.question":        {"Câu %d/%d", "Question %d of %d"},
	"class.answered":        {"Đã trả lời: %d/%d", "Answered: %d of %d"},
	"class.rightpct":        {"Đúng %d%%", "%d%% right"},
	"class.bar":             {"%d em (%d%%)", "%d pupils (%d%%)"},
	"class.isright":         {"đáp án an toàn", "the safe answer"},
	"class.refresh":         {"Làm mới", "Refresh"},
	"class.live":            {"Trang tự cập nhật khi có học sinh vào hoặc trả lời.", "The page updates itself when pupils join or answer."},
	"class.results":         {"Kết quả của lớp", "The class's results"},
	"class.reached":         {"%d học sinh đã trả lời (trong %d em đã vào).", "%d pupils answered (of %d who joined)."},
	"class.byq":             {"Từng câu", "Each question"},
	"class.topics":          {"Chủ đề lớp sai nhiều nhất (nên dạy thêm)", "Topics the class got wrong most (teach next)"},
	"class.topicline":       {"%s: sai %d%% trong %d câu trả lời", "%s: %d%% wrong of %d answers"},
	"class.pupils":          {"Điểm theo biệt danh", "Scores by nickname"},
	"class.pupilline":       {"%s: đúng %d/%d", "%s: %d of %d right"},
	"class.counted":         {"Đã tính vào số liệu chương trình: %d học sinh lớp %d, %s (hoạt động “Buổi học kỹ năng số”).", "Counted into the programme: %d pupils of grade %d, %s (a “digital-skills class” activity)."},
	"class.notcounted":      {"Chưa học sinh nào trả lời nên buổi này không được tính vào số liệu.", "No pupil answered, so this session is not counted."},
	"class.activity":        {"Xem hoạt động đã ghi", "See the recorded activity"},
	"class.compare":         {"So với lần chơi trước của lớp (%s)", "Compared with the class's previous session (%s)"},
	"class.compareline":     {"%s: đúng %d%% → %d%%", "%s: %d%% → %d%% right"},
	"class.print":           {"Bản in cho lớp không có điện thoại", "Printable version for a class without phones"},
	"class.print.title":     {"Phiếu kỹ năng số lớp %s", "Digital-skills sheet, class %s"},
	"class.print.key":       {"Đáp án (cho giáo viên)", "Answer key (for the teacher)"},
	"class.ok.next":         {"Đã chuyển câu hỏi trên màn hình của học sinh.", "The question on the pupils' screens has moved on."},
	"class.ok.ended":        {"Buổi chơi đã kết thúc.", "The session has ended."},
	"class.ok.already":      {"Buổi chơi này đã kết thúc từ trước.", "This session had already ended."},
	"class.join.title":      {"Vào lớp chơi kỹ năng số", "Join your class's game"},
	"class.join.code":       {"Mã lớp (6 chữ số trên màn hình của thầy cô)", "Class code (6 digits on the teacher's screen)"},
	"class.join.nick":       {"Biệt danh của em", "Your nickname"},
	"class.join.nickhint":   {"2–20 chữ cái hoặc số, ví dụ “Mèo Con 7”. Đừng ghi họ tên thật.", "2–20 letters or digits, e.g. “Kitten 7”. Do not use your real full name."},
	"class.join.go":         {"Vào lớp", "Join"},
	"class.error.code":      {"Mã lớp gồm 6 chữ số. Hãy nhìn lại màn hình của thầy cô.", "The class code has 6 digits. Look at the teacher's screen again."},
	"class.error.nosession": {"Không có buổi chơi nào với mã này. Hãy kiểm tra lại mã.", "There is no session with this code. Check the code."},
	"class.error.ended":     {"Buổi chơi này đã kết thúc.", "This session has ended."},
	"class.error.nickname":  {"Biệt danh cần 2–20 chữ cái hoặc số (không dùng ký hiệu hay đường link), tối đa 3 từ.", "A nickname needs 2–20 letters or digits (no symbols or links), at most 3 words."},
	"class.error.taken":     {"Đã có bạn dùng biệt danh này trong lớp. Hãy thêm một chữ số, ví dụ “Mèo Con 2”.", "Someone in the class already uses this nickname. Add a digit, e.g. “Kitten 2”."},
	"class.error.full":      {"Buổi chơi đã đủ người.", "The session is full."},
	"class.error.wait":      {"Em đã thử nhiều lần liên tiếp. Hãy đợi một chút rồi thử lại.", "You have tried many times in a row. Wait a moment and try again."},
	"class.error.tooLate":   {"Buổi chơi đã kết thúc nên câu trả lời không được ghi.", "The session has ended, so the answer was not recorded."},
	"class.error.moved":     {"Thầy cô đã chuyển sang câu khác nên câu trả lời đó không được ghi. Đây là câu hiện tại.", "The teacher has moved to another question, so that answer was not recorded. Here is the current one."},
	"class.play.title":      {"Lớp học · mã %s", "Class · code %s"},
	"class.you":             {"Em vào với biệt danh: %s", "You joined as: %s"},
	"class.waiting":         {"Chờ thầy cô mở câu hỏi…", "Waiting for the teacher to open a question…"},
	"class.waitnext":        {"Em đã trả lời. Chờ thầy cô chuyển câu tiếp theo…", "You have answered. Waiting for the next question…"},
	"class.ended":           {"Buổi chơi đã kết thúc. Em chọn đúng %d/%d câu. Cảm ơn em!", "The session has ended. You chose right %d of %d times. Thank you!"},
	"class.solo":            {"Muốn chơi thêm? Chơi một mình", "Want more? Play on your own"},
}
