package risk

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A conversation pasted as Zalo, Messenger or a game chat copy it: several
// messages, with or without the speakers' names and times.

// Thread limits: a pasted conversation longer than these is refused with
// a clear error rather than cut (a cut could drop the decisive message).
const (
	MaxThreadMessages = 200
	MaxThreadBytes    = 64 << 10
)

// Errors of ParseThread.
var (
	ErrThreadEmpty    = errors.New("the conversation has no message")
	ErrThreadTooLong  = fmt.Errorf("the conversation is longer than %d KiB", MaxThreadBytes>>10)
	ErrThreadTooMany  = fmt.Errorf("the conversation has more than %d messages", MaxThreadMessages)
	errThreadBadUTF8  = errors.New("the conversation is not valid UTF-8 text")
	threadTimeOnlyRe  = regexp.MustCompile(`(?i)^(?:(?:hôm nay|hôm qua|today|yesterday|thứ [2-7]|chủ nhật|t[2-7]|cn)[ ,]*)?(?:lúc\s*)?(?:\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?[ ,]*)?(?:\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:am|pm|sa|ch)?)?$`)
	threadBracketTime = regexp.MustCompile(`^\[\s*[^\]]{1,24}\]\s*`)
)

// A speaker's name is at most this long.
const (
	maxSpeakerRunes = 32
	maxSpeakerWords = 4
)

// sentMarkers are the lines Messenger and Zalo put above the reader's own
// messages.
var sentMarkers = []string{"bạn đã gửi", "you sent", "bạn đã trả lời", "you replied"}

// Message is one message of a conversation: its 1-based index, the
// speaker's name when the paste has one, and its text at bytes
// [Start, End) of the pasted conversation (lines of one message are
// joined by "\n" in Text).
type Message struct {
	Index   int    `json:"index"`
	Speaker string `json:"speaker,omitempty"`
	Text    string `json:"text"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

type threadLine struct {
	text       string // trimmed
	start, end int
	name, body string // a "Name: message" line
	bodyStart  int
}

// ParseThread splits a pasted conversation into messages. It understands
// "Name: message" lines (with or without "[21:05]" before them), a name on
// its own line above that speaker's messages (Zalo and Messenger copies),
// "Bạn đã gửi"/"You sent" markers, lines that are only a time or a date,
// and plain lines with no names (one message each). In "Name: message"
// pastes, a line without a name continues the message above it.
func ParseThread(s string) ([]Message, error) {
	if len(s) > MaxThreadBytes {
		return nil, ErrThreadTooLong
	}
	if !utf8.ValidString(s) {
		return nil, errThreadBadUTF8
	}
	var lines []threadLine
	for off := 0; off < len(s); {
		end := strings.IndexByte(s[off:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += off
		}
		raw := s[off:end]
		lead := len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
		t := strings.TrimSpace(raw)
		if t != "" {
			l := threadLine{text: t, start: off + lead, end: off + lead + len(t)}
			l.name, l.body, l.bodyStart = splitSpeaker(t)
			l.bodyStart += l.start
			lines = append(lines, l)
		}
		off = end + 1
	}
	// A "Name:" prefix is a speaker only when the paste uses names: the
	// name comes back, or most lines have one.
	prefixCount := map[string]int{}
	prefixed := 0
	bareCount := map[string]int{}
	for _, l := range lines {
		if l.name != "" {
			prefixCount[l.name]++
			prefixed++
		} else if isNameLike(l.text) {
			bareCount[l.text]++
		}
	}
	content := 0
	for _, l := range lines {
		if !isTimeOnly(l.text) {
			content++
		}
	}
	usePrefix := func(name string) bool {
		return name != "" && (prefixCount[name] >= 2 || (len(prefixCount) >= 2 && 2*prefixed >= content))
	}
	// A bare short line is a header when it comes back as one at least
	// twice, each time followed by a line that is not a header.
	headerMode := false
	for _, l := range lines {
		if isSentMarker(l.text) || bareCount[l.text] >= 2 && startsUpper(l.text) {
			headerMode = true
			break
		}
	}
	isHeader := func(i int) bool {
		l := lines[i]
		if !isNameLike(l.text) {
			return false
		}
		if isSentMarker(l.text) {
			return true
		}
		j := i + 1
		for j < len(lines) && isTimeOnly(lines[j].text) {
			j++ // "Lan\n21:05\nmessage": the time sits under the name
		}
		if !startsUpper(l.text) {
			return false // names are written with a capital; "dạ", "ok" are replies
		}
		// Once the paste has headers, a name seen once is one too when a
		// time sits under it or it is a full name ("Chị Hà", "Minh Anh").
		once := headerMode && (j > i+1 || allWordsUpper(l.text))
		if j >= len(lines) || bareCount[l.text] < 2 && !once || prefixed > 0 && usePrefix(lines[j].name) {
			return false
		}
		return bareCount[lines[j].text] < 2
	}

	var out []Message
	var cur *Message
	speaker := ""
	contByPrefix := false
	closeMsg := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for i, l := range lines {
		switch {
		case isTimeOnly(l.text):
			closeMsg()
			continue
		case isHeader(i):
			closeMsg()
			speaker = l.text
			if isSentMarker(l.text) {
				speaker = "Bạn"
			}
			contByPrefix = false
			continue
		case usePrefix(l.name):
			closeMsg()
			if len(out) >= MaxThreadMessages {
				return nil, ErrThreadTooMany
			}
			cur = &Message{Speaker: l.name, Text: l.body, Start: l.bodyStart, End: l.end}
			contByPrefix = true
			continue
		}
		body, start := l.text, l.start
		if n, b, bs := splitBracketTime(l.text); n {
			body, start = b, l.start+bs
		}
		if body == "" {
			continue
		}
		if cur != nil && contByPrefix {
			cur.Text += "\n" + body
			cur.End = l.end
			continue
		}
		closeMsg()
		if len(out) >= MaxThreadMessages {
			return nil, ErrThreadTooMany
		}
		cur = &Message{Speaker: speaker, Text: body, Start: start, End: l.end}
	}
	closeMsg()
	if len(out) > MaxThreadMessages {
		return nil, ErrThreadTooMany
	}
	if len(out) == 0 {
		return nil, ErrThreadEmpty
	}
	for i := range out {
		out[i].Index = i + 1
	}
	return out, nil
}

// splitSpeaker reads "[21:05] Name: message" or "Name: message"; name is
// "" when the line has no plausible speaker prefix.
func splitSpeaker(t string) (name, body string, bodyStart int) {
	off := 0
	if ok, _, bs := splitBracketTime(t); ok {
		off = bs
	}
	rest := t[off:]
	colon := strings.IndexByte(rest, ':')
	if colon <= 0 || colon > 4*maxSpeakerRunes {
		return "", "", 0
	}
	n := strings.TrimSpace(rest[:colon])
	b := rest[colon+1:]
	if !isNameLike(n) || strings.HasPrefix(b, "//") {
		return "", "", 0
	}
	lead := len(b) - len(strings.TrimLeftFunc(b, unicode.IsSpace))
	return n, strings.TrimSpace(b), off + colon + 1 + lead
}

// splitBracketTime strips a leading "[21:05]" or "[12/3 21:05]".
func splitBracketTime(t string) (ok bool, body string, bodyStart int) {
	loc := threadBracketTime.FindStringIndex(t)
	if loc == nil {
		return false, t, 0
	}
	inner := strings.Trim(t[:loc[1]], "[] \t")
	if !isTimeOnly(inner) {
		return false, t, 0
	}
	return true, t[loc[1]:], loc[1]
}

// isNameLike reports whether s could be a speaker's name: a few words, no
// sentence punctuation, no digits other than a trailing number ("Lan 2k12"
// is a name too, so digits are allowed after the first word).
func isNameLike(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxSpeakerRunes {
		return false
	}
	words := strings.Fields(s)
	if len(words) > maxSpeakerWords {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) && first != '@' && first != '_' {
		return false
	}
	if strings.ContainsAny(s, ".,!?;:\"“”()[]{}/\\") {
		return false
	}
	return !isTimeOnly(s)
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// allWordsUpper reports whether s has two words or more, each capitalised.
func allWordsUpper(s string) bool {
	w := strings.Fields(s)
	if len(w) < 2 {
		return false
	}
	for _, x := range w {
		if !startsUpper(x) {
			return false
		}
	}
	return true
}

func isTimeOnly(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	return threadTimeOnlyRe.MatchString(s) && strings.ContainsAny(s, "0123456789")
}

func isSentMarker(s string) bool {
	return slices.Contains(sentMarkers, strings.ToLower(strings.TrimSpace(s)))
}

// ThreadResult is the verdict on a conversation. Its Result is the
// conversation's as a whole (each reason names the message it was found
// in); Messages carry each message's own verdict; Decisive are the indexes
// of the messages that decided the top category; Stages are the grooming
// stages seen, in the order they first appear.
type ThreadResult struct {
	Result
	Messages []ThreadMessage `json:"messages"`
	Decisive []int           `json:"decisive"`
	Stages   []string        `json:"stages,omitempty"`
}

// ThreadMessage is one message with its own verdict.
type ThreadMessage struct {
	Message
	Level    Level    `json:"level"`
	Top      Category `json:"top,omitempty"`
	Decisive bool     `json:"decisive"`
}

// Grooming stages, after the stages PAN 2012's sexual-predator task and the
// grooming literature name: gaining trust, gifts, isolation, secrecy,
// sexualisation, and a meeting.
const (
	StageTrust     = "trust"
	StageGifts     = "gifts"
	StageIsolation = "isolation"
	StageSecrecy   = "secrecy"
	StageSexual    = "sexualisation"
	StageMeeting   = "meeting"
)

var stageOfSignal = map[string]string{
	"flattery": StageTrust, "age_question": StageTrust, "age_claim": StageTrust, "location_probe": StageTrust,
	"gift": StageGifts, "model_lure": StageGifts,
	"alone_check": StageIsolation, "private_channel": StageIsolation, "alienation": StageIsolation,
	"secrecy": StageSecrecy, "lie_coaching": StageSecrecy,
	"body": StageSexual, "sexual_talk": StageSexual, "sexual_image_request": StageSexual, "image_request": StageSexual,
	"meeting": StageMeeting,
}

var stageNames = map[string][2]string{
	StageTrust:     {"làm quen, khen, dò hỏi", "building trust, flattery, probing"},
	StageGifts:     {"quà, tiền, vật phẩm game", "gifts, money, game items"},
	StageIsolation: {"tách khỏi người lớn, kéo sang kênh riêng", "isolating, moving to a private channel"},
	StageSecrecy:   {"dặn giữ bí mật", "asking for secrecy"},
	StageSexual:    {"nói chuyện tình dục, đòi ảnh", "sexual talk, asking for images"},
	StageMeeting:   {"hẹn gặp", "proposing a meeting"},
}

// StageName is a stage's name in Vietnamese (en false) or English.
func StageName(stage string, en bool) string {
	n, ok := stageNames[stage]
	if !ok {
		return stage
	}
	if en {
		return n[1]
	}
	return n[0]
}

// ScoreThread scores a conversation as a whole: the messages together (so
// a request for secrecy in one message and a meeting in another combine),
// each message alone (the conversation is at least as alarming as its
// worst message), and the conversation's shape: grooming that passes
// through several stages, bullying that several messages or people
// repeat, a friendly start that turns to money.
func (e *Engine) ScoreThread(msgs []Message) ThreadResult {
	var tr ThreadResult
	if len(msgs) == 0 {
		return tr
	}
	// The whole conversation, one message per line; offsets map reasons
	// back to messages.
	var b strings.Builder
	offs := make([]int, len(msgs))
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n")
		}
		offs[i] = b.Len()
		b.WriteString(strings.ReplaceAll(m.Text, "\n", " "))
	}
	whole := b.String()
	msgOf := func(pos int) int {
		i, found := slices.BinarySearch(offs, pos)
		if !found {
			i--
		}
		return max(i, 0)
	}
	tr.Result = e.Score(whole)
	for j := range tr.Reasons {
		r := &tr.Reasons[j]
		if r.Phrase == "" {
			continue
		}
		i := msgOf(r.Start)
		r.Message = i + 1
		r.Start -= offs[i]
		r.End -= offs[i]
		if n := len(msgs[i].Text); r.End > n {
			// A phrase that runs on into the next message (digits of a
			// number split by a line) is quoted up to its message's end.
			r.End = n
			r.Phrase = strings.TrimSpace(msgs[i].Text[r.Start:n])
		}
	}
	tr.Messages = make([]ThreadMessage, len(msgs))
	per := make([]Result, len(msgs))
	for i, m := range msgs {
		per[i] = e.Score(m.Text)
		tr.Messages[i] = ThreadMessage{Message: m, Level: per[i].Level, Top: per[i].Top()}
	}

	// The conversation is at least as alarming as its worst message.
	for i, pr := range per {
		for _, c := range pr.Categories {
			k := slices.IndexFunc(tr.Categories, func(x CategoryScore) bool { return x.Category == c.Category })
			if k < 0 {
				tr.Categories = append(tr.Categories, c)
				k = len(tr.Categories) - 1
				for _, r := range pr.Reasons {
					if r.Category == c.Category && r.Phrase != "" {
						r.Message = i + 1
						tr.Reasons = append(tr.Reasons, r)
					}
				}
			}
			if c.Level > tr.Categories[k].Level {
				tr.Categories[k].Level = c.Level
				tr.Categories[k].Score = max(tr.Categories[k].Score, c.Score)
			}
		}
	}

	// Grooming stages across the conversation.
	seen := map[string]bool{}
	for _, r := range tr.Reasons {
		if st, ok := stageOfSignal[r.Signal]; ok && !seen[st] && (r.Category == Grooming || r.Category == Sextortion || r.Category == SexualContent || st == StageSecrecy) {
			seen[st] = true
			tr.Stages = append(tr.Stages, st)
		}
	}
	groomStages := 0
	for _, st := range tr.Stages {
		if st != StageSecrecy || seen[StageTrust] || seen[StageGifts] || seen[StageIsolation] {
			groomStages++
		}
	}
	if groomStages >= 3 {
		lv := LevelHigh
		if groomStages >= 4 || seen[StageMeeting] || seen[StageSexual] {
			lv = LevelCritical
		}
		names := make([]string, 0, len(tr.Stages))
		namesEn := make([]string, 0, len(tr.Stages))
		for _, st := range tr.Stages {
			names = append(names, StageName(st, false))
			namesEn = append(namesEn, StageName(st, true))
		}
		tr.raise(Grooming, lv, e.levels.High, Reason{Category: Grooming, Signal: "thread", RuleID: "thread.grooming.stages",
			Vi: "Cuộc trò chuyện đi qua nhiều bước dụ dỗ: " + strings.Join(names, "; "),
			En: "The conversation passes through several grooming stages: " + strings.Join(namesEn, "; ")})
	}

	// Bullying repeated by several messages or people.
	bullyMsgs, speakers := 0, map[string]bool{}
	for i, pr := range per {
		if c := catScore(pr, Bullying); c.Level >= LevelLow {
			bullyMsgs++
			speakers[msgs[i].Speaker] = true
		}
	}
	if bullyMsgs >= 3 || (bullyMsgs >= 2 && len(speakers) >= 2 && !speakers[""]) {
		tr.raise(Bullying, LevelHigh, e.levels.High, Reason{Category: Bullying, Signal: "thread", RuleID: "thread.bullying.repeat",
			Vi: fmt.Sprintf("Bắt nạt lặp lại: %d tin nhắn", bullyMsgs) + peopleVi(speakers),
			En: fmt.Sprintf("Repeated bullying: %d messages", bullyMsgs) + peopleEn(speakers)})
	}

	// A scam that starts friendly and turns to money.
	firstScam := -1
	for i, pr := range per {
		if catScore(pr, Scam).Level >= LevelMedium {
			firstScam = i
			break
		}
	}
	if firstScam >= 2 {
		friendly := true
		for _, pr := range per[:firstScam] {
			if pr.Level >= LevelMedium {
				friendly = false
			}
		}
		if friendly {
			tr.raise(Scam, LevelHigh, e.levels.High, Reason{Category: Scam, Signal: "thread", RuleID: "thread.scam.turn",
				Vi: fmt.Sprintf("Mở đầu thân mật, đến tin nhắn %d thì chuyển sang tiền, mã hay tài khoản", firstScam+1),
				En: fmt.Sprintf("Starts friendly and turns to money, codes or accounts at message %d", firstScam+1)})
		}
	}

	e.finishThread(&tr)
	return tr
}

// raise lifts category cat to at least level lv (and score s), adding the
// reason.
func (tr *ThreadResult) raise(cat Category, lv Level, s float64, r Reason) {
	k := slices.IndexFunc(tr.Categories, func(x CategoryScore) bool { return x.Category == cat })
	if k < 0 {
		tr.Categories = append(tr.Categories, CategoryScore{Category: cat})
		k = len(tr.Categories) - 1
	}
	c := &tr.Categories[k]
	c.Level = max(c.Level, lv)
	c.Score = max(c.Score, s)
	if r.Weight == 0 {
		r.Weight = threadReasonWeight // the shape of the conversation is among the reasons shown first
	}
	tr.Reasons = append(tr.Reasons, r)
}

func catScore(r Result, cat Category) CategoryScore {
	for _, c := range r.Categories {
		if c.Category == cat {
			return c
		}
	}
	return CategoryScore{}
}

func peopleVi(sp map[string]bool) string {
	if len(sp) < 2 || sp[""] {
		return ""
	}
	return fmt.Sprintf(", từ %d người", len(sp))
}

func peopleEn(sp map[string]bool) string {
	if len(sp) < 2 || sp[""] {
		return ""
	}
	return fmt.Sprintf(", from %d people", len(sp))
}

// finishThread orders the categories, sets the level and advice, and
// marks the decisive messages: those where the top category's phrases
// were found, strongest first; when the sequence alone decided (no message
// names the category), the messages with any of its signs.
func (e *Engine) finishThread(tr *ThreadResult) {
	sortCategories(tr.Categories)
	tr.Level, tr.Advice = LevelNone, Advice{}
	tr.Decisive = []int{}
	if len(tr.Categories) == 0 || tr.Categories[0].Level == LevelNone {
		return
	}
	top := tr.Categories[0].Category
	tr.Level = tr.Categories[0].Level
	if tr.Level > LevelNone {
		tr.Advice = e.advice[top]
	}
	if tr.Level < LevelMedium {
		return
	}
	weight := map[int]float64{}
	for _, r := range tr.Reasons {
		if r.Category == top && r.Message > 0 && r.Weight > 0 {
			weight[r.Message] += r.Weight
		}
	}
	for i := range tr.Messages {
		if tr.Messages[i].Top == top && tr.Messages[i].Level >= LevelMedium {
			weight[i+1] += 10 // a message that is alarming on its own comes first
		}
	}
	// Messages that weigh little beside the strongest (a child's "dạ")
	// did not decide anything.
	best := 0.0
	for _, w := range weight {
		best = max(best, w)
	}
	for m, w := range weight {
		if w >= decisiveShare*best {
			tr.Decisive = append(tr.Decisive, m)
		}
	}
	slices.SortFunc(tr.Decisive, func(a, b int) int {
		if weight[a] != weight[b] {
			if weight[a] > weight[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	if len(tr.Decisive) > maxDecisive {
		tr.Decisive = tr.Decisive[:maxDecisive]
	}
	slices.Sort(tr.Decisive)
	for _, m := range tr.Decisive {
		tr.Messages[m-1].Decisive = true
	}
	// Reasons of the top category first, then in message order.
	slices.SortStableFunc(tr.Reasons, func(a, b Reason) int {
		at, bt := a.Category == top, b.Category == top
		if at != bt {
			if at {
				return -1
			}
			return 1
		}
		return 0
	})
}

// threadReasonWeight ranks a conversation-shape reason among the phrase
// reasons of its category.
const threadReasonWeight = 3.0

// maxDecisive bounds how many messages a verdict points at; a message is
// decisive when its evidence weighs at least decisiveShare of the
// strongest message's.
const (
	maxDecisive   = 6
	decisiveShare = 0.4
)
