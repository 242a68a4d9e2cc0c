package risk

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed rules/narrative.yaml
var narrativeRulesYAML []byte

// DefaultNarrativeRules parses the narrative triage rules embedded in the
// binary (rules/narrative.yaml, format in RULES.md).
func DefaultNarrativeRules() (*Rules, error) {
	r, err := parseRulesBytes(narrativeRulesYAML)
	if err != nil {
		return nil, fmt.Errorf("parsing narrative rules: %w", err)
	}
	return r, nil
}

// NarrativeInput is a report as the reporter wrote it: the narrative (a
// third-person account, with any pasted suspect messages), the category
// the reporter picked ("" or "other" for none) and whether they ticked
// "a child is in danger right now".
type NarrativeInput struct {
	Text     string
	Category Category
	Urgent   bool
}

// Triage is the engine's suggestion for a report: a level on the rubric of
// RULES.md ("Report narratives"), the most likely category ("" when
// nothing points to one) and the few reasons that set them, for the
// officer. It suggests; the officer's initial assessment decides.
type Triage struct {
	Level    Level          `json:"level"`
	Category Category       `json:"category,omitempty"`
	Reasons  []TriageReason `json:"reasons"`
	// Quotes are the suspect messages found in the narrative, each scored
	// as a message.
	Quotes []QuotedMessage `json:"quotes,omitempty"`
	// Resolved says the narrative describes a past, settled incident.
	Resolved bool `json:"resolved,omitempty"`
}

// TriageReason is one reason for a triage, in Vietnamese and English.
// Phrase is the narrative's text at bytes [Start, End), empty for reasons
// that are not one phrase (urgency, a combination, the reporter's pick).
type TriageReason struct {
	Category Category `json:"category,omitempty"`
	Level    Level    `json:"level"`
	RuleID   string   `json:"rule_id"`
	Phrase   string   `json:"phrase,omitempty"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Vi       string   `json:"vi"`
	En       string   `json:"en"`
}

// QuotedMessage is a quoted suspect message and its score as a message.
type QuotedMessage struct {
	Quote
	Level    Level    `json:"level"`
	Category Category `json:"category,omitempty"`
}

// maxTriageReasons bounds the reasons a Triage gives.
const maxTriageReasons = 5

// narrative is the compiled narrative rule set of an Engine.
type narrative struct {
	eng *Engine // the narrative rules, without a model
	err error
}

func (e *Engine) narrativeRules() (*Engine, error) {
	e.narrOnce.Do(func() {
		rs := e.opts.Narrative
		if rs == nil {
			var err error
			if rs, err = DefaultNarrativeRules(); err != nil {
				e.narr.err = err
				return
			}
		}
		e.narr.eng, e.narr.err = New(rs, Options{NoModel: true, MaxBytes: e.opts.MaxBytes})
	})
	return e.narr.eng, e.narr.err
}

// cue is one narrative rule or combination found in a narrative.
type cue struct {
	rule       *compiledRule // nil for a combination
	combo      *compiledCombo
	start, end int
}

func (c cue) floor() Level {
	if c.rule != nil {
		return c.rule.Floor
	}
	return c.combo.Floor
}

func (c cue) mainCat() int {
	if c.rule != nil {
		return c.rule.mainCat
	}
	return c.combo.mainCat
}

// ruleCues finds the narrative rules matched in text, without those a
// negation cancels (every match: cues dedupes them); offset is added to their byte ranges.
func (n *Engine) ruleCues(text string, offset int, keep func(*compiledRule) bool, out []cue) []cue {
	t := Normalize(text)
	ms := n.matches(t)
	type negation struct{ end, window int }
	var negs []negation
	for _, m := range ms {
		if r := &n.rules[m.rule]; r.Negate {
			w := 2
			if r.Window != nil {
				w = *r.Window
			}
			negs = append(negs, negation{m.to, w})
		}
	}
	for _, m := range ms {
		r := &n.rules[m.rule]
		if r.Negate || !keep(r) {
			continue
		}
		cancelled := false
		for _, g := range negs {
			if !r.Firm && g.end <= m.from && m.from-g.end <= g.window {
				cancelled = true
				break
			}
		}
		if cancelled {
			continue
		}
		out = append(out, cue{rule: r, start: offset + t.Tokens[m.from].Start, end: offset + t.Tokens[m.to-1].End})
	}
	return out
}

// narratorOnly are the signals that only the reporter's own account can
// carry: what the child already did, a settled or test report. In a quoted
// suspect message ("chuyển 15 triệu vào số này") they are requests, not
// facts, and the message scorer weighs them.
var narratorOnly = append([]string{sigResolved, sigOngoing, sigNoChild, "missing", "concern", "abuse"}, harmDone...)

// harmDone are the signals of what the child already did or lost.
var harmDone = []string{"card_sent", "money_sent", "code_given", "photos_sent", "info_given"}

// cues finds the cues of a narrative whose quoted messages are quotes:
// every cue of the narrator's text, the cues of the quotes but those of
// narratorOnly signals, and the combinations of all their signals.
func (n *Engine) cues(text string, quotes []Quote) (out []cue, signals map[string]bool) {
	masked := []byte(text)
	for _, q := range quotes {
		for i := q.Start; i < q.End; i++ {
			masked[i] = ' '
		}
	}
	all := func(*compiledRule) bool { return true }
	out = n.ruleCues(string(masked), 0, all, nil)
	for _, q := range quotes {
		out = n.ruleCues(q.Text, q.Start, func(r *compiledRule) bool { return !slices.Contains(narratorOnly, r.Signal) }, out)
	}
	// A harm phrase inside a reported request ("bảo cháu chuyển 300
	// nghìn") says what was asked, not what was done.
	var requests []cue
	for _, c := range out {
		if c.rule.Signal == sigRequest {
			requests = append(requests, c)
		}
	}
	signals = map[string]bool{}
	uniq := out[:0]
	seen := map[*compiledRule]bool{}
	for _, c := range out {
		if seen[c.rule] {
			continue
		}
		if slices.Contains(harmDone, c.rule.Signal) && slices.ContainsFunc(requests, func(r cue) bool {
			return r.start <= c.start && c.start < r.end
		}) {
			continue
		}
		seen[c.rule] = true
		signals[c.rule.Signal] = true
		uniq = append(uniq, c)
	}
	out = uniq
	for i := range n.combos {
		c := &n.combos[i]
		ok := true
		for _, s := range c.Signals {
			if !signals[s] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, cue{combo: c})
		}
	}
	return out, signals
}

// Signals of the narrative rules that Triage treats specially.
const (
	sigResolved = "resolved"
	sigOngoing  = "ongoing"
	sigNoChild  = "no_child"
	sigRequest  = "request"
)

// Triage assesses a report narrative. It reads the narrative's cues (harm
// that happened, a meeting arranged, a missing child, threats, self-harm
// intent …, with negations and settled incidents), scores the quoted
// suspect messages with Score, and weighs the reporter's pick and urgency:
// an urgent report is at least medium and urgency never lowers anything;
// the reporter's category is a prior, not the answer. It never fails; a
// narrative longer than Options.MaxBytes is cut.
func (e *Engine) Triage(in NarrativeInput) Triage {
	text := in.Text
	if len(text) > e.opts.MaxBytes {
		cut := e.opts.MaxBytes
		for cut > 0 && text[cut]&0xC0 == 0x80 {
			cut--
		}
		text = text[:cut]
	}
	var tr Triage
	var evidence [numCategories]float64
	var reasons []TriageReason
	level := LevelNone
	levelCat := -1

	quotes := ExtractQuotes(text)
	n, err := e.narrativeRules()
	var signals map[string]bool
	if err == nil {
		var cs []cue
		cs, signals = n.cues(text, quotes)
		slices.SortStableFunc(cs, func(a, b cue) int { return int(b.floor()) - int(a.floor()) })
		for _, c := range cs {
			var w [numCategories]float64
			var vi, en, id, phrase string
			if c.rule != nil {
				if c.rule.Damp > 0 || c.rule.Signal == sigOngoing || c.rule.Signal == sigNoChild {
					continue
				}
				w, vi, en, id = c.rule.weights, c.rule.Vi, c.rule.En, c.rule.ID
				phrase = text[c.start:c.end]
			} else {
				w, vi, en, id = c.combo.weights, c.combo.Vi, c.combo.En, c.combo.ID
			}
			for i, x := range w {
				evidence[i] += x
			}
			f := c.floor()
			if f > level {
				level, levelCat = f, c.mainCat()
			}
			if f >= LevelLow {
				r := TriageReason{Level: f, RuleID: id, Phrase: phrase, Start: c.start, End: c.end, Vi: vi, En: en}
				if m := c.mainCat(); m >= 0 {
					r.Category = Categories()[m]
				}
				reasons = append(reasons, r)
			}
		}
	}
	if levelCat >= 0 {
		evidence[levelCat] += 1
	}

	// The suspect's own words, scored as messages. A scam, gambling or
	// sexual-content message the child received says the child was
	// contacted, not that harm happened: at most medium on its own; a
	// grooming or bullying message at most high.
	for _, q := range quotes {
		res := e.Score(q.Text)
		qm := QuotedMessage{Quote: q, Level: res.Level}
		if res.Level >= LevelMedium {
			qm.Category = res.Top()
		}
		tr.Quotes = append(tr.Quotes, qm)
		if qm.Category == "" {
			continue
		}
		lv := res.Level
		switch qm.Category {
		case Scam, Gambling, SexualContent:
			lv = min(lv, LevelMedium)
		case Grooming, Bullying:
			// Critical needs a meeting, a missing child or a threat by
			// someone who knows the home: the narrative cues say so.
			lv = min(lv, LevelHigh)
		}
		evidence[qm.Category.index()] += 0.5 + 0.5*float64(res.Level-LevelMedium)
		if lv > level {
			level, levelCat = lv, qm.Category.index()
		}
		reasons = append(reasons, TriageReason{Category: qm.Category, Level: lv, RuleID: "narr.quote", Phrase: q.Text,
			Start: q.Start, End: q.End,
			Vi: fmt.Sprintf("Tin nhắn của đối tượng được trích lại: %s, mức %s", categoryVi[qm.Category], levelVi[res.Level]),
			En: fmt.Sprintf("The suspect's quoted message: %s, level %s", qm.Category, res.Level)})
	}

	// The whole narrative read as a message: only a hint of the category
	// and, when it alarms, that there is a concern.
	msg := e.Score(text)
	for _, c := range msg.Categories {
		if c.Level >= LevelMedium {
			evidence[c.Category.index()] += 0.5
		}
	}
	if top := msg.Top(); top != "" && msg.Level >= LevelMedium {
		evidence[top.index()] += 0.5
		level = max(level, LevelLow)
	}

	prior := -1
	if in.Category.Valid() {
		prior = in.Category.index()
		evidence[prior] += 0.75
	}

	if signals[sigResolved] && !signals[sigOngoing] {
		tr.Resolved = true
		// Settled: two bands lower, at most medium, at least low.
		lowered := LevelLow
		if level >= LevelCritical {
			lowered = LevelMedium
		}
		if lowered < level {
			level = lowered
			reasons = append(reasons, TriageReason{Level: level, RuleID: "narr.resolved",
				Vi: "Sự việc đã qua hoặc đã được xử lý: mức được hạ", En: "A past or settled incident: the level is lowered"})
		}
	}
	if signals["not_opened"] && level == LevelMedium {
		// A link or a scam the child did not open or join: a concern.
		level = LevelLow
		reasons = append(reasons, TriageReason{Level: level, RuleID: "narr.not_opened",
			Vi: "Trẻ chưa bấm, chưa mở hoặc chưa tham gia: mức thấp", En: "The child did not open or join it: low"})
	}
	if !signals["child"] && level <= LevelMedium && prior < 0 {
		// No child in the account and no harm picked: an adult's matter.
		// (A harm picked on a child-protection form is taken to concern a
		// child even when the text does not say so.)
		signals[sigNoChild] = true
	}
	if signals[sigNoChild] && level < LevelCritical {
		level = LevelNone
		reasons = append(reasons[:0], TriageReason{RuleID: "narr.no_child",
			Vi: "Không thấy trẻ em nào gặp nguy cơ (người lớn, thử hệ thống hoặc tin rác)",
			En: "No child appears to be at risk (an adult, a test or spam)"})
		evidence = [numCategories]float64{}
	}
	if level == LevelNone && prior >= 0 && !signals[sigNoChild] {
		// The reporter saw a harm the text does not spell out.
		level = LevelLow
	}
	if in.Urgent && level < LevelMedium {
		level = LevelMedium
		reasons = append(reasons, TriageReason{Level: level, RuleID: "narr.urgent",
			Vi: "Người báo cho biết trẻ đang gặp nguy hiểm: ít nhất mức trung bình",
			En: "The reporter says a child is in danger now: at least medium"})
	}
	tr.Level = level

	best := -1
	for i, x := range evidence {
		if x > 0 && (best < 0 || x > evidence[best] || (x == evidence[best] && i == prior)) {
			best = i
		}
	}
	if best >= 0 {
		tr.Category = Categories()[best]
		if prior >= 0 && prior != best && level >= LevelMedium {
			reasons = append(reasons, TriageReason{Category: tr.Category, Level: level, RuleID: "narr.category",
				Vi: fmt.Sprintf("Người báo chọn «%s», nội dung cho thấy «%s»", categoryVi[in.Category], categoryVi[tr.Category]),
				En: fmt.Sprintf("The reporter chose %q; the narrative points to %q", in.Category, tr.Category)})
		}
	}
	tr.Reasons = fewReasons(reasons, tr.Category)
	return tr
}

// fewReasons keeps the reasons that matter: the strongest first, those of
// the chosen category before others at the same level, one per rule, at
// most maxTriageReasons, and always the urgency, resolution and category
// notes.
func fewReasons(rs []TriageReason, cat Category) []TriageReason {
	note := func(r TriageReason) bool {
		return r.RuleID == "narr.urgent" || r.RuleID == "narr.resolved" || r.RuleID == "narr.category" || r.RuleID == "narr.no_child" || r.RuleID == "narr.not_opened"
	}
	slices.SortStableFunc(rs, func(a, b TriageReason) int {
		if note(a) != note(b) {
			if note(a) {
				return 1
			}
			return -1
		}
		if a.Level != b.Level {
			return int(b.Level) - int(a.Level)
		}
		ac, bc := a.Category == cat, b.Category == cat
		if ac != bc {
			if ac {
				return -1
			}
			return 1
		}
		return 0
	})
	var out []TriageReason
	seen := map[string]bool{}
	notes := 0
	for _, r := range rs {
		if note(r) {
			notes++
		}
	}
	for _, r := range rs {
		if seen[r.RuleID] && r.RuleID != "narr.quote" {
			continue
		}
		if !note(r) && len(out) >= maxTriageReasons-notes {
			continue
		}
		seen[r.RuleID] = true
		out = append(out, r)
	}
	return out
}

// ReasonsVi returns the reasons as Vietnamese lines for a case record, each
// with its phrase as found ("… : «phrase»"), within maxRunes runes.
func (t Triage) ReasonsVi(maxRunes int) string {
	var b strings.Builder
	n := 0
	for _, r := range t.Reasons {
		line := r.Vi
		if r.Phrase != "" {
			p := r.Phrase
			if len([]rune(p)) > 120 {
				p = string([]rune(p)[:120]) + "…"
			}
			line += ": «" + p + "»"
		}
		if n += len([]rune(line)) + 1; n > maxRunes {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String()
}

var categoryVi = map[Category]string{
	Scam: "lừa đảo", Gambling: "cờ bạc", Grooming: "dụ dỗ", Sextortion: "đe doạ tung ảnh",
	Bullying: "bắt nạt", SelfHarm: "tự làm hại", SexualContent: "nội dung đồi truỵ", "other": "việc khác", "": "không chọn",
}

var levelVi = map[Level]string{
	LevelNone: "không có nguy cơ", LevelLow: "thấp", LevelMedium: "trung bình", LevelHigh: "cao", LevelCritical: "khẩn cấp",
}
