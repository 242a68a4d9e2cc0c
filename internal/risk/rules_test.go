package risk

import (
	"strings"
	"testing"
)

// matchedRules returns the ids of the rules whose phrases occur in text,
// before negation and damping.
func matchedRules(e *Engine, text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range e.matches(Normalize(text)) {
		out[e.rules[m.rule].ID] = true
	}
	return out
}

// TestRuleExamples runs every rule's examples (which must match it) and
// near misses (which must not).
func TestRuleExamples(t *testing.T) {
	t.Parallel()
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Rules {
		if len(r.Examples) == 0 {
			t.Errorf("rule %s: no example", r.ID)
		}
		for _, ex := range r.Examples {
			if !matchedRules(e, ex)[r.ID] {
				t.Errorf("rule %s: example %q does not match", r.ID, ex)
			}
		}
		for _, nm := range r.NearMiss {
			if matchedRules(e, nm)[r.ID] {
				t.Errorf("rule %s: near miss %q matches", r.ID, nm)
			}
		}
	}
	for _, c := range rs.Combos {
		for _, ex := range c.Examples {
			found := false
			for _, rsn := range e.Score(ex).Reasons {
				found = found || rsn.RuleID == c.ID
			}
			if !found {
				t.Errorf("combo %s: example %q does not trigger it", c.ID, ex)
			}
		}
	}
}

// TestRulePhrasesSane guards against phrases that the normaliser turns into
// something else than intended: a single letter ("xxx" → "x"), or
// duplicates within a rule.
func TestRulePhrasesSane(t *testing.T) {
	t.Parallel()
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs.Rules {
		seen := map[string]bool{}
		for _, p := range r.Phrases {
			keys := strings.Join(phraseKeys(p), " ")
			if seen[keys] {
				t.Errorf("rule %s: phrase %q duplicates another (%q)", r.ID, p, keys)
			}
			seen[keys] = true
			if len(keys) == 1 {
				t.Errorf("rule %s: phrase %q normalises to one letter %q", r.ID, p, keys)
			}
		}
	}
	// Every signal used by a combo must be produced by some rule or link rule.
	signals := map[string]bool{}
	for _, r := range rs.Rules {
		signals[r.Signal] = true
	}
	for _, l := range rs.Links {
		signals[l.Signal] = true
	}
	for _, c := range rs.Combos {
		for _, s := range c.Signals {
			if !signals[s] {
				t.Errorf("combo %s: signal %q is produced by no rule", c.ID, s)
			}
		}
	}
	for _, c := range Categories() {
		a := rs.Advice[c]
		if len(a.Vi) == 0 || len(a.Vi) != len(a.En) {
			t.Errorf("advice for %s: need matching vi and en lists", c)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"no id", "rules:\n  - signal: s\n    weights: {scam: 1}\n    phrases: [a b]\n    vi: x\n    en: y\n", "missing id"},
		{"bad category", "rules:\n  - id: r\n    signal: s\n    weights: {spam: 1}\n    phrases: [a b]\n    vi: x\n    en: y\n", "unknown category"},
		{"no english", "rules:\n  - id: r\n    signal: s\n    weights: {scam: 1}\n    phrases: [a b]\n    vi: x\n", "vi and en"},
		{"unknown field", "rules:\n  - id: r\n    sigal: s\n", "sigal"},
		{"duplicate", "rules:\n  - {id: r, signal: s, weights: {scam: 1}, phrases: [a b], vi: x, en: y}\n  - {id: r, signal: s, weights: {scam: 1}, phrases: [a b], vi: x, en: y}\n", "duplicate id"},
		{"bad damp", "rules:\n  - {id: r, signal: s, damp: 2, phrases: [a b], vi: x, en: y}\n", "damp"},
		{"levels", "levels: {low: 3, medium: 2, high: 4, critical: 5}\n", "thresholds"},
		{"bad floor", "rules:\n  - {id: r, signal: s, weights: {scam: 1}, floor: severe, phrases: [a b], vi: x, en: y}\n", "severe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseRules error = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Fatal("New(nil) succeeded")
	}
	if _, err := ParseRules(strings.NewReader(strings.Repeat("#", maxRulesSize+10))); err == nil {
		t.Fatal("oversized rules accepted")
	}
}

// TestMergeLocalRules shows a ward adding a local phrase, re-weighting and
// disabling default rules without touching the defaults.
func TestMergeLocalRules(t *testing.T) {
	t.Parallel()
	base, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	local, err := ParseRules(strings.NewReader(`
rules:
  - id: local.fake_fund
    signal: fake_fund
    weights: {scam: 3}
    phrases: [quy khuyen hoc phuong]
    vi: Quỹ khuyến học phường giả mạo
    en: Fake ward study fund
    examples: [Quỹ khuyến học phường cần ủng hộ]
  - id: gambling.game.strong
    signal: gambling_game
    disabled: true
    phrases: [tai xiu]
    vi: tắt
    en: off
    weights: {gambling: 1}
`))
	if err != nil {
		t.Fatal(err)
	}
	merged := base.Merge(local)
	if len(base.Rules) != len(merged.Rules)-1 {
		t.Fatalf("merge changed the base or lost rules: base %d merged %d", len(base.Rules), len(merged.Rules))
	}
	// Without the model: its veto may lower a rule it has no examples for
	// (see RULES.md); this test is about merging.
	e, err := New(merged, Options{NoModel: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.Score("Quỹ khuyến học phường nhờ chuyển khoản ủng hộ"); r.Top() != Scam || r.Level < LevelMedium {
		t.Errorf("local rule not applied: %v %v", r.Top(), r.Level)
	}
	if matchedRules(e, "tài xỉu")["gambling.game.strong"] {
		t.Error("disabled rule still matches")
	}
	def := newDefaultEngine(t)
	if !matchedRules(def, "tài xỉu")["gambling.game.strong"] {
		t.Error("merge modified the default rules")
	}
	if m := base.Merge(nil); len(m.Rules) != len(base.Rules) {
		t.Error("Merge(nil) lost rules")
	}
}
