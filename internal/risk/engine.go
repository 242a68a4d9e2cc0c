package risk

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// Options configure an Engine. The zero value is usable.
type Options struct {
	// Domains, when not nil, says whether a linked host is on a block list;
	// a listed host adds its category.
	Domains DomainChecker
	// MaxBytes bounds the text scored; longer text is cut (at a rune
	// boundary). Zero means 64 KiB.
	MaxBytes int
	// Model is the statistical model combined with the rules; nil means
	// the embedded one (DefaultModel).
	Model *Model
	// NoModel scores with the rules alone.
	NoModel bool
	// Narrative is the rule set Triage reads report narratives with; nil
	// means the embedded one (DefaultNarrativeRules).
	Narrative *Rules
}

// Engine scores messages. It is immutable after New and safe for
// concurrent use.
type Engine struct {
	opts      Options
	vocab     map[string]int32
	exact     map[string]int32 // ids of "=word" phrase tokens, by Word
	nodes     []trieNode
	rules     []compiledRule
	signals   map[string]int
	combos    []compiledCombo
	linkRules map[string][]compiledLinkRule
	brands    []Brand
	genuine   map[string]bool
	short     map[string]bool
	cheap     map[string]bool
	levels    Thresholds
	advice    map[Category]Advice
	pool      sync.Pool                         // of *scratch
	model     *Model                            // nil when Options.NoModel
	numID     int32                             // vocabulary id of "<num>"
	acctID    int32                             // vocabulary id of "<acct>"
	weightsOf map[string][numCategories]float64 // of each phrase rule and combo, by id
	narrOnce  sync.Once                         // compiles the narrative rules on the first Triage
	narr      narrative
}

type trieNode struct {
	next   map[int32]int32
	gap    int32 // child reached through "*" (skip 0..gapMax tokens), or -1
	gapMax int
	rules  []int32
}

type compiledRule struct {
	Rule
	sig      int
	weights  [numCategories]float64
	mainCat  int
	floorCat int
}

type compiledCombo struct {
	Combo
	sigs    []int
	weights [numCategories]float64
	mainCat int
}

type compiledLinkRule struct {
	LinkRule
	sig     int
	weights [numCategories]float64
	mainCat int
}

// ErrNilRules is returned by New when it is given no rules.
var ErrNilRules = errors.New("risk: nil rules")

// New compiles rules into an Engine.
func New(rules *Rules, opts Options) (*Engine, error) {
	if rules == nil {
		return nil, ErrNilRules
	}
	if err := rules.validate(); err != nil {
		return nil, fmt.Errorf("compiling rules: %w", err)
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 64 << 10
	}
	e := &Engine{
		opts:      opts,
		vocab:     map[string]int32{},
		exact:     map[string]int32{},
		signals:   map[string]int{},
		linkRules: map[string][]compiledLinkRule{},
		genuine:   map[string]bool{},
		short:     map[string]bool{},
		cheap:     map[string]bool{},
		advice:    rules.Advice,
		levels:    Thresholds{Low: 1, Medium: 2.5, High: 4, Critical: 6},
		brands:    rules.Brands,
		weightsOf: map[string][numCategories]float64{},
	}
	if rules.Levels != nil {
		e.levels = *rules.Levels
	}
	if !opts.NoModel {
		e.model = opts.Model
		if e.model == nil {
			m, err := DefaultModel()
			if err != nil {
				return nil, err
			}
			e.model = m
		}
	}
	e.nodes = append(e.nodes, trieNode{gap: -1})
	e.numID = e.word("<num>")
	e.acctID = e.word("<acct>")
	for _, r := range rules.Rules {
		if r.Disabled {
			continue
		}
		cr := compiledRule{Rule: r, sig: e.signal(r.Signal), floorCat: -1}
		cr.weights, cr.mainCat = weightArray(r.Weights)
		if r.Floor > LevelNone {
			cr.floorCat = cr.mainCat
		}
		idx := int32(len(e.rules))
		e.rules = append(e.rules, cr)
		e.weightsOf[r.ID] = cr.weights
		for _, p := range r.Phrases {
			keys := phraseKeys(p)
			if len(keys) == 0 {
				return nil, fmt.Errorf("compiling rule %q: phrase %q has no words", r.ID, p)
			}
			if keys[0] == "*" || keys[0] == "**" || keys[len(keys)-1] == "*" || keys[len(keys)-1] == "**" {
				return nil, fmt.Errorf("compiling rule %q: phrase %q starts or ends with a gap", r.ID, p)
			}
			e.insert(keys, idx)
		}
	}
	for _, c := range rules.Combos {
		cc := compiledCombo{Combo: c}
		for _, s := range c.Signals {
			cc.sigs = append(cc.sigs, e.signal(s))
		}
		cc.weights, cc.mainCat = weightArray(c.Weights)
		e.combos = append(e.combos, cc)
		e.weightsOf[c.ID] = cc.weights
	}
	for _, l := range rules.Links {
		cl := compiledLinkRule{LinkRule: l, sig: -1}
		if l.Signal != "" {
			cl.sig = e.signal(l.Signal)
		}
		cl.weights, cl.mainCat = weightArray(l.Weights)
		e.linkRules[l.Finding] = append(e.linkRules[l.Finding], cl)
	}
	for _, b := range rules.Brands {
		for _, d := range b.Domains {
			e.genuine[strings.ToLower(d)] = true
		}
	}
	for _, s := range rules.Shorteners {
		e.short[strings.ToLower(s)] = true
	}
	for _, t := range rules.CheapTLDs {
		e.cheap[strings.TrimPrefix(strings.ToLower(t), ".")] = true
	}
	return e, nil
}

func weightArray(m map[Category]float64) ([numCategories]float64, int) {
	var w [numCategories]float64
	main := -1
	for _, c := range Categories() {
		i := c.index()
		w[i] = m[c]
		if w[i] > 0 && (main < 0 || w[i] > w[main]) {
			main = i
		}
	}
	return w, main
}

func (e *Engine) signal(name string) int {
	if i, ok := e.signals[name]; ok {
		return i
	}
	e.signals[name] = len(e.signals)
	return len(e.signals) - 1
}

func (e *Engine) word(k string) int32 {
	if id, ok := e.vocab[k]; ok {
		return id
	}
	id := int32(len(e.vocab))
	e.vocab[k] = id
	return id
}

// phraseKeys normalises a rule phrase the way messages are normalised;
// "*" (0–3 tokens), "**" (0–8 tokens) and "<money>", "<num>", "<phone>",
// "<digits>", "<acct>" are kept as they are; "=mày" matches only that word
// with its diacritics (not "máy" or "may").
func phraseKeys(p string) []string {
	var keys []string
	var seg []string
	flush := func() {
		if len(seg) == 0 {
			return
		}
		for _, t := range Normalize(strings.Join(seg, " ")).Tokens {
			keys = append(keys, t.Key)
		}
		seg = seg[:0]
	}
	for _, f := range strings.Fields(p) {
		if f == "*" || f == "**" || (strings.HasPrefix(f, "<") && strings.HasSuffix(f, ">")) {
			flush()
			keys = append(keys, f)
			continue
		}
		if strings.HasPrefix(f, "=") && len(f) > 1 {
			flush()
			for _, t := range Normalize(f[1:]).Tokens {
				keys = append(keys, "="+t.Word)
			}
			continue
		}
		seg = append(seg, f)
	}
	flush()
	return keys
}

func (e *Engine) insert(keys []string, rule int32) {
	n := int32(0)
	for _, k := range keys {
		if k == "*" || k == "**" {
			if e.nodes[n].gap < 0 {
				e.nodes = append(e.nodes, trieNode{gap: -1})
				e.nodes[n].gap = int32(len(e.nodes) - 1)
			}
			gm := 3
			if k == "**" {
				gm = 8
			}
			e.nodes[n].gapMax = max(e.nodes[n].gapMax, gm)
			n = e.nodes[n].gap
			continue
		}
		id := e.word(k)
		if strings.HasPrefix(k, "=") {
			e.exact[k[1:]] = id
		}
		if e.nodes[n].next == nil {
			e.nodes[n].next = map[int32]int32{}
		}
		c, ok := e.nodes[n].next[id]
		if !ok {
			e.nodes = append(e.nodes, trieNode{gap: -1})
			c = int32(len(e.nodes) - 1)
			e.nodes[n].next[id] = c
		}
		n = c
	}
	if !slices.Contains(e.nodes[n].rules, rule) {
		e.nodes[n].rules = append(e.nodes[n].rules, rule)
	}
}

// match is one rule matched on tokens [from, to).
type match struct {
	rule     int32
	from, to int
}

// tokenIDs returns each token's vocabulary id and its second id (-1 when
// none): the class ("<num>", "<acct>") of a number, or the exact-word id of
// a word with diacritics.
func (e *Engine) tokenIDs(toks []Token, ids, cls []int32) ([]int32, []int32) {
	for _, t := range toks {
		id, ok := e.vocab[t.Key]
		if !ok {
			id = -1
		}
		c := int32(-1)
		switch t.Kind {
		case KindNumber:
			c = e.numID
		case KindPhone, KindDigits:
			c = e.acctID
		case KindWord:
			if x, ok := e.exact[t.Word]; ok {
				c = x
			}
		}
		ids = append(ids, id)
		cls = append(cls, c)
	}
	return ids, cls
}

// walkInput is the message as the trie walk sees it.
type walkInput struct {
	ids, cls []int32
	brk      []bool // punctuation before the token: adjacent phrase words may not cross it
}

func (e *Engine) walk(n int32, in *walkInput, from, pos int, out []match) []match {
	nd := &e.nodes[n]
	for _, r := range nd.rules {
		out = append(out, match{rule: r, from: from, to: pos})
	}
	adjacentOK := pos < len(in.ids) && (pos == from || !in.brk[pos])
	if adjacentOK && nd.next != nil {
		if in.ids[pos] >= 0 {
			if c, ok := nd.next[in.ids[pos]]; ok {
				out = e.walk(c, in, from, pos+1, out)
			}
		}
		if in.cls[pos] >= 0 {
			if c, ok := nd.next[in.cls[pos]]; ok {
				out = e.walk(c, in, from, pos+1, out)
			}
		}
	}
	if nd.gap >= 0 {
		g := &e.nodes[nd.gap]
		for skip := 0; skip <= nd.gapMax && pos+skip < len(in.ids); skip++ {
			p := pos + skip
			if g.next == nil {
				break
			}
			if skip == 0 && in.brk[p] {
				continue
			}
			if in.ids[p] >= 0 {
				if c, ok := g.next[in.ids[p]]; ok {
					out = e.walk(c, in, from, p+1, out)
				}
			}
			if in.cls[p] >= 0 {
				if c, ok := g.next[in.cls[p]]; ok {
					out = e.walk(c, in, from, p+1, out)
				}
			}
		}
	}
	return out
}

func (e *Engine) matches(t Text) []match {
	var sc scratch
	return e.matchesInto(&sc, t)
}

func (e *Engine) matchesInto(sc *scratch, t Text) []match {
	ids, cls := e.tokenIDs(t.Tokens, sc.ids[:0], sc.cls[:0])
	sc.ids, sc.cls = ids, cls
	brk := sc.brk[:0]
	for _, tok := range t.Tokens {
		brk = append(brk, tok.Break)
	}
	sc.brk = brk
	in := walkInput{ids: ids, cls: cls, brk: brk}
	out := sc.ms[:0]
	for i := range ids {
		if ids[i] < 0 && cls[i] < 0 {
			continue
		}
		out = e.walk(0, &in, i, i, out)
	}
	sc.ms = out
	return out
}

// Score assesses one message. It never fails; text longer than
// Options.MaxBytes is cut.
func (e *Engine) Score(text string) Result {
	if len(text) > e.opts.MaxBytes {
		cut := e.opts.MaxBytes
		for cut > 0 && text[cut]&0xC0 == 0x80 {
			cut--
		}
		text = text[:cut]
	}
	sc, _ := e.pool.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	defer e.pool.Put(sc)
	t := sc.normalize(text)
	ms := e.matchesInto(sc, t)

	// Negation phrases cancel a harmful phrase that starts within their
	// window ("đừng chuyển tiền", "không bao giờ yêu cầu OTP").
	type negation struct{ end, window int }
	var negs []negation
	for _, m := range ms {
		if r := &e.rules[m.rule]; r.Negate {
			w := 2
			if r.Window != nil {
				w = *r.Window
			}
			negs = append(negs, negation{m.to, w})
		}
	}
	// A consuming frame ("cười muốn chết", "tức muốn chết") claims the
	// harmful phrases inside it: the "muốn chết" inside it is the
	// exaggeration, not a wish.
	type span struct {
		from, to int
		rule     *compiledRule
	}
	var consumes []span
	for _, m := range ms {
		if r := &e.rules[m.rule]; r.Consume {
			consumes = append(consumes, span{m.from, m.to, r})
		}
	}
	consumed := func(m match, r *compiledRule) bool {
		if r.Damp > 0 || r.Negate || r.mainCat < 0 {
			return false
		}
		for _, c := range consumes {
			if c.from <= m.from && m.to <= c.to && (len(c.rule.DampOnly) == 0 || slices.Contains(c.rule.DampOnly, Categories()[r.mainCat])) {
				return true
			}
		}
		return false
	}
	sc.sigs = resize(sc.sigs, len(e.signals))
	sc.seen = resize(sc.seen, len(e.rules))
	sc.extra = resize(sc.extra, len(e.rules))
	sc.lastEnd = resize(sc.lastEnd, len(e.rules))
	sigPresent, seenRule, extra, lastEnd := sc.sigs, sc.seen, sc.extra, sc.lastEnd
	dampStarts := sc.dampSeen[:0]
	var res Result
	if len(ms) > 0 {
		res.Reasons = make([]Reason, 0, min(len(ms)+4, 32))
	}
	var score [numCategories]float64
	type sigAcc struct {
		cat, sig int
		max, sum float64
	}
	var accs []sigAcc
	add := func(cat, sig int, w float64) {
		for i := range accs {
			if accs[i].cat == cat && accs[i].sig == sig {
				accs[i].max = max(accs[i].max, w)
				accs[i].sum += w
				return
			}
		}
		accs = append(accs, sigAcc{cat: cat, sig: sig, max: w, sum: w})
	}
	damp := [numCategories]float64{1, 1, 1, 1, 1, 1, 1}
	var floors [numCategories]Level
	var dampReasons []Reason
	negated := func(m match, r *compiledRule) bool {
		if r.Firm {
			return false
		}
		for _, n := range negs {
			if n.end <= m.from && m.from-n.end <= n.window {
				return true
			}
		}
		return false
	}
	// A notice (a school's fee notice, a bank's code SMS, "đã chuyển")
	// does not ask for secrecy or send money to a private account: when the
	// message does, its notice phrases do not damp.
	var firmCat, backed [numCategories]bool
	for _, m := range ms {
		r := &e.rules[m.rule]
		if r.Negate || r.Damp > 0 || r.mainCat < 0 || consumed(m, r) {
			continue
		}
		if r.Firm {
			firmCat[r.mainCat] = true
		}
		if !r.Support && !negated(m, r) {
			backed[r.mainCat] = true
		}
	}
	noticeVoid := false
	for _, m := range ms {
		if r := &e.rules[m.rule]; !r.Negate && r.Damp == 0 && slices.Contains(noticeVoidSignals, r.Signal) && !negated(m, r) {
			noticeVoid = true
			break
		}
	}
	for _, m := range ms {
		r := &e.rules[m.rule]
		if r.Negate || negated(m, r) || consumed(m, r) || (r.Support && (r.mainCat < 0 || !backed[r.mainCat])) {
			continue
		}
		if r.Damp > 0 && noticeVoid && r.Signal == noticeSignal {
			continue
		}
		start, end := t.Tokens[m.from].Start, t.Tokens[m.to-1].End
		if r.Damp > 0 {
			// Each distinct damping phrase damps again: a real warning
			// usually has several ("cảnh báo", "thủ đoạn", "đừng").
			// Count each damping phrase once per rule and position.
			key := int(m.rule)<<32 | start
			if slices.Contains(dampStarts, key) {
				continue
			}
			dampStarts = append(dampStarts, key)
			sc.dampSeen = dampStarts
			for i, c := range Categories() {
				if (len(r.DampOnly) == 0 || slices.Contains(r.DampOnly, c)) && !(firmCat[i] && slices.Contains(r.SpareFirm, c)) {
					damp[i] = max(damp[i]*r.Damp, 0.05)
				}
			}
			if !seenRule[m.rule] {
				dampReasons = append(dampReasons, Reason{Signal: r.Signal, RuleID: r.ID, Phrase: text[start:end],
					Start: start, End: end, Weight: r.Damp, Vi: r.Vi, En: r.En})
			}
			seenRule[m.rule] = true
			continue
		}
		if seenRule[m.rule] {
			// Further phrases of a rule add with diminishing weight (see
			// the signal accumulation below), up to three of them, and
			// only when they do not overlap the ones already counted.
			if extra[m.rule] < 3 && m.from >= lastEnd[m.rule] {
				extra[m.rule]++
				lastEnd[m.rule] = m.to
				for c, w := range r.weights {
					if w > 0 {
						add(c, r.sig, w)
					}
				}
			}
			continue
		}
		seenRule[m.rule] = true
		lastEnd[m.rule] = m.to
		reason := Reason{Signal: r.Signal, RuleID: r.ID, Phrase: text[start:end], Start: start, End: end, Vi: r.Vi, En: r.En}
		sigPresent[r.sig] = true
		for c, w := range r.weights {
			if w > 0 {
				add(c, r.sig, w)
			}
		}
		if r.floorCat >= 0 {
			floors[r.floorCat] = max(floors[r.floorCat], r.Floor)
		}
		if r.mainCat >= 0 {
			reason.Category = Categories()[r.mainCat]
			reason.Weight = r.weights[r.mainCat]
		}
		res.Reasons = append(res.Reasons, reason)
	}

	res.Links = extractLinks(text, sc)
	for i := range res.Links {
		e.checkLink(&res.Links[i])
		l := &res.Links[i]
		kinds := append([]LinkFinding{{Kind: FindingAny}}, l.Findings...)
		for _, f := range kinds {
			for _, lr := range e.linkRules[f.Kind] {
				w := lr.weights
				main := lr.mainCat
				if f.Kind == FindingListed && f.Category != "" {
					// A listed host weighs on the category it is listed under.
					var lw [numCategories]float64
					ci := f.Category.index()
					lw[ci] = max(w[0], w[1], w[2], w[3], w[4], w[5], w[6])
					w, main = lw, ci
				}
				if lr.sig >= 0 {
					sigPresent[lr.sig] = true
				}
				for c, x := range w {
					if x > 0 {
						add(c, lr.sig, x)
					}
				}
				if main >= 0 {
					res.Reasons = append(res.Reasons, Reason{Category: Categories()[main], Signal: lr.Signal,
						RuleID: lr.ID, Phrase: l.Text, Start: l.Start, End: l.End, Weight: w[main],
						Vi: explainFinding(lr.Vi, f), En: explainFinding(lr.En, f)})
				}
			}
		}
	}

	for _, a := range accs {
		// The strongest phrase of a signal counts fully; more phrases for
		// the same signal add a little.
		score[a.cat] += a.max + 0.25*(a.sum-a.max)
	}
	for _, c := range e.combos {
		all := true
		for _, s := range c.sigs {
			if !sigPresent[s] {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		for i, w := range c.weights {
			score[i] += w
		}
		if c.Floor > LevelNone && c.mainCat >= 0 {
			floors[c.mainCat] = max(floors[c.mainCat], c.Floor)
		}
		if c.mainCat >= 0 {
			res.Reasons = append(res.Reasons, Reason{Category: Categories()[c.mainCat], Signal: "combination",
				RuleID: c.ID, Weight: c.weights[c.mainCat], Vi: c.Vi, En: c.En})
		}
	}
	var probs [numClasses]float64
	if e.model != nil {
		sc.hashes = e.model.feat.appendFeatures(t.Tokens, sc.hashes[:0])
		probs = e.model.predict(sc.hashes)
	}
	vetoed := false
	for i, cat := range Categories() {
		s := score[i] * damp[i]
		// With evidence from the rules, a lower probability is enough; a
		// warning or news framing the rules found counts against.
		// Without it, the message needs MinTokens words; never against
		// warning framing.
		liftable := e.model != nil && ((probs[i] >= e.liftAlone(damp[i] != 1) && len(t.Tokens) >= int(e.model.minTokens)) ||
			(s > 0 && damp[i] == 1 && probs[i] >= float64(e.model.lift)))
		if s <= 0 && !liftable {
			continue
		}
		lv := e.level(s)
		if damp[i] == 1 {
			lv = max(lv, floors[i])
		} else {
			res.Damped = true
		}
		switch {
		case liftable:
			// The model recognises the category where the rules found
			// too little: at least medium.
			if lv < LevelMedium {
				lv = LevelMedium
				s = max(s, e.levels.Medium)
			}
			res.Reasons = append(res.Reasons, e.modelReason(text, t.Tokens, i, probs[i]))
		case e.model != nil && probs[benignCls] >= float64(e.model.veto) && probs[i] < float64(e.model.lift) &&
			lv >= LevelMedium && lv <= LevelHigh && (damp[i] != 1 || floors[i] == LevelNone):
			// The rules fired on a message the model finds ordinary.
			lv = LevelLow
			s = min(s, e.levels.Medium-0.01)
			vetoed = true
		}
		res.Categories = append(res.Categories, CategoryScore{Category: cat, Score: math.Round(s*100) / 100, Level: lv})
	}
	if vetoed {
		res.Reasons = append(res.Reasons, Reason{Signal: "model", RuleID: "model.benign", Weight: math.Round(probs[benignCls]*100) / 100,
			Vi: fmt.Sprintf("Mô hình thống kê: giống các tin bình thường hoặc lời cảnh báo đã biết (%.2f)", probs[benignCls]),
			En: fmt.Sprintf("Statistical model: similar to known ordinary messages or warnings (%.2f)", probs[benignCls])})
	}
	if res.Damped {
		res.Reasons = append(res.Reasons, dampReasons...)
	}
	sortCategories(res.Categories)
	if len(res.Categories) > 1 && e.model != nil {
		e.modelTop(res.Categories, &probs)
	}
	if len(res.Categories) > 0 {
		res.Level = res.Categories[0].Level
		e.attributeReasons(&res)
		top := res.Categories[0].Category
		if res.Level > LevelNone {
			res.Advice = e.advice[top]
		}
		// Reasons of the top category first; within a group, phrases in
		// text order, then the combinations they formed.
		slices.SortStableFunc(res.Reasons, func(a, b Reason) int {
			at, bt := a.Category == top, b.Category == top
			if at != bt {
				if at {
					return -1
				}
				return 1
			}
			ac, bc := a.Phrase == "", b.Phrase == ""
			if ac != bc {
				if ac {
					return 1
				}
				return -1
			}
			return a.Start - b.Start
		})
	}
	return res
}

// attributeReasons puts each phrase or combination reason under the
// category it supports that the result names: a reason whose own category
// ended below low moves to the highest-level category its rule also weighs
// (the secrecy of a fake-relative money request is a scam's secrecy, not
// grooming). Other reasons stay as they are.
func (e *Engine) attributeReasons(res *Result) {
	var lv [numCategories]Level
	var named [numCategories]bool
	for _, c := range res.Categories {
		if c.Level >= LevelLow {
			lv[c.Category.index()], named[c.Category.index()] = c.Level, true
		}
	}
	for j := range res.Reasons {
		r := &res.Reasons[j]
		ci := r.Category.index()
		w, ok := e.weightsOf[r.RuleID]
		if ci < 0 || named[ci] || !ok {
			continue
		}
		best := -1
		for i, x := range w {
			if x > 0 && named[i] && (best < 0 || lv[i] > lv[best]) {
				best = i
			}
		}
		if best >= 0 {
			r.Category, r.Weight = Categories()[best], w[best]
		}
	}
}

// noticeSignal is the signal of the damping rules that recognise official
// notices, transaction messages and completed payments.
const noticeSignal = "notice"

// noticeVoidSignals are the signals of what a genuine notice never does:
// ask for secrecy, send money to a private account, make itself
// unreachable, isolate the reader or demand a ransom. Any of them, not
// negated, cancels the damping of notice phrases. Urgency is not one:
// genuine codes say how long they are valid ("hiệu lực trong 3 phút").
var noticeVoidSignals = []string{"secrecy", "personal_account", "unreachable", "isolation", "ransom"}

// liftAlone is the probability from which the model alone raises a
// category: against warning framing it must be sure.
func (e *Engine) liftAlone(damped bool) float64 {
	if damped {
		return max(float64(e.model.liftAlone), dampedLiftAlone)
	}
	return float64(e.model.liftAlone)
}

// dampedLiftAlone is the probability the model alone needs to raise a
// category the rules saw warning or news framing for.
const dampedLiftAlone = 0.9

// modelTop lets the model name the kind of an alarm: when the rules put
// several categories at medium or above and the model clearly prefers one
// that is not first (probability ≥ lift and twice that of the first), that
// one comes first with the first one's level. The rules say how alarming a
// message is; the words that differ between, say, sextortion and a scam are
// what the model weighs best.
func (e *Engine) modelTop(cats []CategoryScore, probs *[numClasses]float64) {
	top := cats[0]
	if top.Level < LevelMedium {
		return
	}
	if top.Category == SelfHarm && top.Level == LevelCritical {
		// A child in danger comes first: the model may not put another
		// category (and its advice) above critical self-harm.
		return
	}
	pt := probs[top.Category.index()]
	best := -1
	for j := 1; j < len(cats); j++ {
		p := probs[cats[j].Category.index()]
		if cats[j].Level >= LevelMedium && p >= float64(e.model.lift) && p >= 2*pt &&
			(best < 0 || p > probs[cats[best].Category.index()]) {
			best = j
		}
	}
	if best < 0 {
		return
	}
	c := cats[best]
	c.Level = top.Level
	copy(cats[1:best+1], cats[:best])
	cats[0] = c
}

func explainFinding(s string, f LinkFinding) string {
	if f.Detail == "" && f.Category == "" {
		return s
	}
	d := f.Detail
	if d == "" {
		d = string(f.Category)
	}
	return s + " (" + d + ")"
}

func (e *Engine) level(s float64) Level {
	switch {
	case s >= e.levels.Critical:
		return LevelCritical
	case s >= e.levels.High:
		return LevelHigh
	case s >= e.levels.Medium:
		return LevelMedium
	case s >= e.levels.Low:
		return LevelLow
	}
	return LevelNone
}

// checkLink adds the findings that need data: block lists, brands,
// shorteners and cheap top-level domains.
func (e *Engine) checkLink(l *Link) {
	host := l.Host
	if e.opts.Domains != nil {
		if cat, ok := e.opts.Domains.Check(host); ok {
			l.Findings = append(l.Findings, LinkFinding{Kind: FindingListed, Category: listCategory(cat), Detail: cat})
		}
	}
	if mayBeIP(host) {
		if _, err := netip.ParseAddr(host); err == nil {
			return
		}
	}
	reg := registrable(host)
	if e.genuine[reg] || e.genuine[host] {
		return
	}
	if e.short[host] || e.short[reg] {
		l.Findings = append(l.Findings, LinkFinding{Kind: FindingShortener, Detail: reg})
	}
	if tld := host[strings.LastIndexByte(host, '.')+1:]; e.cheap[tld] {
		l.Findings = append(l.Findings, LinkFinding{Kind: FindingCheapTLD, Detail: "." + tld})
	}
	if !strings.HasSuffix(host, ".gov.vn") && host != "gov.vn" {
		if strings.Contains(host, "gov.vn") || strings.Contains(host, "govvn") || strings.Contains(host, "gov-vn") ||
			strings.Contains(host, "-gov.") || strings.Contains(host, "-gov-") || strings.HasPrefix(host, "gov-") {
			l.Findings = append(l.Findings, LinkFinding{Kind: FindingGovFake})
		}
	}
	if kind, brand := e.brandLookalike(host); kind != "" {
		l.Findings = append(l.Findings, LinkFinding{Kind: kind, Detail: brand})
	}
}

// brandLookalike looks for a brand name in the labels of host (minus its
// public suffix): a whole word next to other words, a typo of 1–2 letters,
// or letters that only read as the brand after folding homoglyphs.
func (e *Engine) brandLookalike(host string) (kind, brand string) {
	folded := unicodeHost(host)
	suffix, _ := publicsuffix.PublicSuffix(folded)
	name := strings.TrimSuffix(strings.TrimSuffix(folded, suffix), ".")
	homo := folded != host || strings.Contains(host, "xn--")
	var words []string
	for _, lb := range strings.Split(name, ".") {
		if lb == "www" || lb == "m" {
			continue
		}
		words = append(words, strings.ReplaceAll(lb, "-", ""))
		words = append(words, strings.FieldsFunc(lb, func(r rune) bool { return r == '-' || r == '_' || (r >= '0' && r <= '9') })...)
	}
	for _, b := range e.brands {
		for _, w := range words {
			for _, ex := range b.Exact {
				if w == ex {
					if homo {
						return FindingLookalike, b.Name
					}
					return FindingBrandWords, b.Name
				}
			}
			for _, lb := range b.Labels {
				switch {
				case w == lb:
					if homo {
						return FindingLookalike, b.Name
					}
					return FindingBrandWords, b.Name
				case len(lb) >= 5 && strings.Contains(w, lb):
					return FindingBrandWords, b.Name
				case len(lb) >= 5 && len(w) >= 4:
					limit := 1
					if len(lb) >= 8 {
						limit = 2
					}
					if editDistance(w, lb, limit) <= limit {
						return FindingLookalike, b.Name
					}
					// "vietcombank" with extra letters around a typo
					if len(w) > len(lb)+2 {
						for k := 0; k+len(lb) <= len(w); k++ {
							if editDistance(w[k:k+len(lb)], lb, 1) <= 1 && len(lb) >= 7 {
								return FindingLookalike, b.Name
							}
						}
					}
				}
			}
		}
	}
	return "", ""
}

// listCategory maps a block-list category name to a harm category.
func listCategory(s string) Category {
	c := Category(strings.ToLower(s))
	if c.Valid() {
		return c
	}
	switch c {
	case "adult", "porn", "nsfw", "sexual", "sex":
		return SexualContent
	case "gamble", "betting", "casino":
		return Gambling
	case "phishing", "malware", "threat", "fraud", "scams", "crypto", "spam":
		return Scam
	case "selfharm", "self-harm", "suicide":
		return SelfHarm
	}
	return ""
}

// resize returns s with length n and every element zero, reusing its
// storage when large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// sortCategories orders categories most alarming first: by level, then
// critical self-harm before any other critical category, then by score.
func sortCategories(cats []CategoryScore) {
	slices.SortStableFunc(cats, func(a, b CategoryScore) int {
		if a.Level != b.Level {
			return int(b.Level) - int(a.Level)
		}
		// A child in danger of harming themselves comes first: "mày nhảy
		// lầu đi" is bullying too, but the advice that matters is 111/113.
		if a.Level == LevelCritical && (a.Category == SelfHarm) != (b.Category == SelfHarm) {
			if a.Category == SelfHarm {
				return -1
			}
			return 1
		}
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
}
