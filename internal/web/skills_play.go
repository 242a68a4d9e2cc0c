package web

import (
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"manglanh/internal/skills"
)

// The digital-skills pages pupils use (issue 12). A solo game needs no
// account and stores nothing: its level, seed and answers so far are in
// its address, so a refresh shows the same page and the back button
// works; every step is a GET form that works without JavaScript.

var skillsMessagesOnce sync.Once

func (s *Server) setupSkills() error {
	var err error
	skillsMessagesOnce.Do(func() {
		if err = addMessages(skillsMessages); err == nil {
			err = addMessages(classMessages)
		}
	})
	if err != nil {
		return err
	}
	if s.cfg.Skills == nil {
		b, err := skills.LoadBank(nil)
		if err != nil {
			return err
		}
		s.cfg.Skills = b
	}
	s.joinLimit = newRateLimiter(2000, 50*time.Millisecond)
	if s.cfg.SkillsSessions != nil && s.cfg.SkillsSessions.Bank == nil {
		s.cfg.SkillsSessions.Bank = s.cfg.Skills
	}
	return nil
}

// skillsLevel is one level on the start page.
type skillsLevel struct {
	Level, Label, Grades string
	Items                int
}

// skillsHome is the start page: what the game is, and a level to pick.
func (s *Server) skillsHome(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	var lv []skillsLevel
	for _, l := range skills.Levels() {
		lv = append(lv, skillsLevel{Level: l, Label: T(lang, "skills.level."+l), Grades: T(lang, "skills.grades."+l), Items: len(s.cfg.Skills.Items(l, ""))})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "skills_home", T(lang, "skills.title"), map[string]any{"Levels": lv, "Length": skills.GameLength})
}

// skillsChoice is an answer as the page shows it.
type skillsChoice struct {
	Index   int
	Text    string
	Why     string
	Correct bool
	Picked  bool
}

// skillsItem is an item as the page shows it.
type skillsItem struct {
	N        int
	ID       string
	Topic    string
	Kind     string
	App      string
	From     string
	Text     string
	Question string
	Lesson   string
	Choices  []skillsChoice
	Right    bool // the answer given was right
}

func showItem(it *skills.Item, n int, lang string, picked int) skillsItem {
	v := skillsItem{N: n, ID: it.ID, Topic: T(lang, "skills.topic."+it.Topic), Kind: T(lang, "skills.kind."+it.Kind), App: it.App,
		From: it.From.In(lang), Text: it.Text.In(lang), Question: it.Question.In(lang), Lesson: it.Lesson.In(lang), Right: picked == it.Correct()}
	for i, c := range it.Choices {
		v.Choices = append(v.Choices, skillsChoice{Index: i, Text: c.Text.In(lang), Why: c.Why.In(lang), Correct: c.Correct, Picked: i == picked})
	}
	return v
}

// skillsPlayPage is what skills_play.html gets.
type skillsPlayPage struct {
	Level, LevelLabel string
	Seed              string
	Answers           string // answers so far, for the form
	Length            int
	Last              *skillsItem // the item just answered, with its explanation
	Next              *skillsItem // the item to answer now
	Done              bool
	Right             int
	Good              bool         // at most two wrong
	Review            []skillsItem // at the end: every item, with its lesson
	Topics            []skillsTopic
	Error             string
	Again             string // the address of a new game at this level
}

type skillsTopic struct {
	Label        string
	Items, Right int
}

// skillsPlay is one step of a solo game: GET /ky-nang-so/choi?cap=…&v=…
// &tl=… (&chon= the answer to the next item).
func (s *Server) skillsPlay(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	q := r.URL.Query()
	level := q.Get("cap")
	if !slices.Contains(skills.Levels(), level) {
		http.Redirect(w, r, "/ky-nang-so", http.StatusSeeOther)
		return
	}
	seed, err := strconv.ParseUint(q.Get("v"), 10, 64)
	if err != nil {
		// A new game: a random seed, in the address from now on.
		var b [8]byte
		rand.Read(b[:])
		v := url.Values{"cap": {level}, "v": {strconv.FormatUint(binary.LittleEndian.Uint64(b[:])>>12, 10)}}
		if l := q.Get("lang"); l != "" {
			v.Set("lang", l)
		}
		http.Redirect(w, r, "/ky-nang-so/choi?"+v.Encode(), http.StatusSeeOther)
		return
	}
	items := s.cfg.Skills.Draw(level, seed, skills.GameLength)
	p := skillsPlayPage{Level: level, LevelLabel: T(lang, "skills.level."+level), Seed: strconv.FormatUint(seed, 10), Length: len(items),
		Again: "/ky-nang-so/choi?cap=" + level}
	answers, err := skills.ParseAnswers(q.Get("tl"), items)
	if err != nil {
		answers = nil
		p.Error = T(lang, "skills.error.state")
	}
	picked := q.Get("chon")
	if picked != "" && p.Error == "" && len(answers) < len(items) {
		v, err := strconv.Atoi(picked)
		if err != nil || v < 0 || v >= len(items[len(answers)].Choices) {
			p.Error = T(lang, "skills.error.choice")
		} else {
			answers = append(answers, v)
			last := showItem(items[len(answers)-1], len(answers), lang, v)
			p.Last = &last
		}
	} else if picked == "" && q.Has("chon") {
		p.Error = T(lang, "skills.error.choice")
	}
	p.Answers = skills.FormatAnswers(answers)
	if len(answers) == len(items) {
		p.Done = true
		sc := skills.ScoreAnswers(items, answers)
		p.Right, p.Good = sc.Right, sc.Right+2 >= sc.Total
		for i, it := range items {
			p.Review = append(p.Review, showItem(it, i+1, lang, answers[i]))
		}
		for _, ts := range sc.Topics {
			p.Topics = append(p.Topics, skillsTopic{Label: T(lang, "skills.topic."+ts.Topic), Items: ts.Items, Right: ts.Items - ts.Wrong})
		}
	} else {
		next := showItem(items[len(answers)], len(answers)+1, lang, -1)
		p.Next = &next
	}
	status := http.StatusOK
	if p.Error != "" {
		status = http.StatusBadRequest
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "skills_play", T(lang, "skills.nav"), p)
}

var skillsMessages = map[string]msg{
	"skills.title":               {"Kỹ năng số: nhận ra lừa đảo, dụ dỗ, bắt nạt", "Digital skills: spot scams, luring and bullying"},
	"skills.nav":                 {"Kỹ năng số", "Digital skills"},
	"skills.intro":               {"Mỗi lượt chơi có %d tình huống thật mà các bạn nhỏ hay gặp trên mạng: tin nhắn, đường link, chat trong game. Chọn cách em sẽ làm, rồi xem vì sao. Không cần tài khoản, không lưu tên em.", "Each game has %d real situations children meet online: messages, links, game chats. Choose what you would do, then see why. No account, and your name is not kept."},
	"skills.pick":                {"Chọn cấp học", "Choose your school level"},
	"skills.start":               {"Chơi %s", "Play %s"},
	"skills.count":               {"%d tình huống", "%d situations"},
	"skills.class":               {"Chơi cùng cả lớp? Khi thầy cô cho mã lớp, hãy vào trang Vào lớp.", "Playing with your class? When your teacher gives a class code, go to Join a class."},
	"skills.level.primary":       {"Tiểu học", "Primary school"},
	"skills.level.secondary":     {"Trung học cơ sở", "Lower secondary school"},
	"skills.grades.primary":      {"lớp 3–5", "grades 3–5"},
	"skills.grades.secondary":    {"lớp 6–9", "grades 6–9"},
	"skills.topic.scam":          {"Lừa đảo", "Scams"},
	"skills.topic.impersonation": {"Giả danh người quen, cơ quan", "Impersonation"},
	"skills.topic.luring":        {"Người lạ dụ dỗ", "Luring by strangers"},
	"skills.topic.bullying":      {"Bắt nạt trên mạng", "Cyberbullying"},
	"skills.topic.gambling":      {"Cờ bạc trá hình", "Disguised gambling"},
	"skills.topic.images":        {"Hình ảnh riêng tư", "Private images"},
	"skills.topic.privacy":       {"Thông tin cá nhân, mật khẩu", "Personal data and passwords"},
	"skills.kind.message":        {"Tin nhắn", "Message"},
	"skills.kind.profile":        {"Trang cá nhân", "Profile"},
	"skills.kind.link":           {"Đường link", "Link"},
	"skills.kind.game_chat":      {"Chat trong game", "Game chat"},
	"skills.kind.post":           {"Bài đăng", "Post"},
	"skills.kind.situation":      {"Tình huống", "Situation"},
	"skills.progress":            {"Tình huống %d/%d", "Situation %d of %d"},
	"skills.answer":              {"Trả lời", "Answer"},
	"skills.right":               {"Đúng rồi!", "Right!"},
	"skills.wrong":               {"Chưa đúng.", "Not quite."},
	"skills.rightis":             {"Cách an toàn nhất: %s", "The safest choice: %s"},
	"skills.youpicked":           {"Em chọn", "You chose"},
	"skills.remember":            {"Ghi nhớ", "Remember"},
	"skills.done":                {"Em đã xong %d tình huống!", "You finished %d situations!"},
	"skills.result":              {"Em chọn đúng %d/%d.", "You chose right %d of %d times."},
	"skills.result.good":         {"Rất giỏi! Hãy kể cho bố mẹ và bạn bè những điều em vừa học.", "Well done! Tell your parents and friends what you just learned."},
	"skills.result.more":         {"Không sao cả: ai cũng có lúc bị lừa. Đọc lại phần ghi nhớ bên dưới, rồi chơi lại nhé.", "That is fine: anyone can be fooled. Read the notes below, then play again."},
	"skills.bytopic":             {"Theo chủ đề", "By topic"},
	"skills.topicline":           {"%s: đúng %d/%d", "%s: %d of %d right"},
	"skills.review":              {"Xem lại từng tình huống", "Each situation again"},
	"skills.again":               {"Chơi lượt mới", "Play a new game"},
	"skills.help":                {"Nếu em đang gặp chuyện như trong trò chơi, hãy nói ngay với bố mẹ, thầy cô hoặc gọi 111 (miễn phí, 24/7).", "If something like this is happening to you, tell a parent or teacher now, or call 111 (free, 24/7)."},
	"skills.error.state":         {"Địa chỉ của lượt chơi bị sai. Lượt chơi được bắt đầu lại từ tình huống 1.", "The game's address is wrong. The game starts again from situation 1."},
	"skills.error.choice":        {"Hãy chọn một câu trả lời rồi bấm Trả lời.", "Choose an answer, then press Answer."},
	"skills.from":                {"Từ", "From"},
}
