package alert

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Rule names of DefaultRules.
const (
	RuleDNSRepeat = "dns.repeat"  // repeated blocked attempts at harmful sites
	RuleDNSBypass = "dns.bypass"  // repeated attempts to get past the filter
	RuleBedtime   = "dns.bedtime" // any blocked query inside a bedtime window
	RuleMessage   = "message"     // a message checked or reported at level high or critical
)

// Rule says which signals count, how many within Window raise an alert,
// and for how long after an alert the rule stays quiet for the same profile
// (Throttle): signals meanwhile are folded into the next alert or a digest.
type Rule struct {
	ID     string
	Source string // SourceDNS, or SourceCheck/SourceReport meaning messages of either source
	// Categories selects the signals' categories; empty means any.
	Categories []string
	// Bedtime selects DNS events blocked by a bedtime (allow-only) window.
	Bedtime bool
	// MinLevel selects messages at this level or above.
	MinLevel  string
	Threshold int
	Window    time.Duration
	Throttle  time.Duration
	// Level is the alert's level for DNS rules; message alerts take the
	// message's level.
	Level string
	// PerCategory throttles each category separately (messages: one
	// sextortion alert does not silence a self-harm one).
	PerCategory bool
}

// DefaultRules are the rules used when Config.Rules is nil: five blocked
// attempts at gambling, adult or scam sites within 10 minutes, three at
// bypass within 10 minutes, any blocked query in a bedtime window, and any
// message at level high or above; one alert per rule and profile per hour
// (per night for bedtime, per 15 minutes and category for messages).
func DefaultRules() []Rule {
	return []Rule{
		{ID: RuleDNSRepeat, Source: SourceDNS, Categories: []string{"gambling", "adult", "scam", "phishing", "malware"},
			Threshold: 5, Window: 10 * time.Minute, Throttle: time.Hour, Level: "medium"},
		{ID: RuleDNSBypass, Source: SourceDNS, Categories: []string{"bypass"},
			Threshold: 3, Window: 10 * time.Minute, Throttle: time.Hour, Level: "high"},
		{ID: RuleBedtime, Source: SourceDNS, Bedtime: true,
			Threshold: 1, Window: time.Minute, Throttle: 8 * time.Hour, Level: "medium"},
		{ID: RuleMessage, Source: SourceReport, MinLevel: "high",
			Threshold: 1, Window: time.Minute, Throttle: 15 * time.Minute, PerCategory: true},
	}
}

var levelRank = map[string]int{"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

func (r Rule) validate() error {
	if r.ID == "" {
		return errors.New("alert rule without an id")
	}
	switch r.Source {
	case SourceDNS, SourceCheck, SourceReport:
	default:
		return fmt.Errorf("alert rule %s: unknown source %q", r.ID, r.Source)
	}
	if r.Threshold < 1 || r.Window <= 0 || r.Throttle < 0 {
		return fmt.Errorf("alert rule %s: threshold must be ≥ 1 and window > 0", r.ID)
	}
	if r.Source == SourceDNS {
		if _, ok := levelRank[r.Level]; !ok {
			return fmt.Errorf("alert rule %s: unknown level %q", r.ID, r.Level)
		}
	} else if _, ok := levelRank[r.MinLevel]; !ok {
		return fmt.Errorf("alert rule %s: unknown min level %q", r.ID, r.MinLevel)
	}
	return nil
}

type stateKey struct{ rule, profile, category string }

type ruleState struct {
	window    []time.Time
	lastAlert time.Time
	folded    int
	category  string
	source    string
}

// Engine applies the rules to signals. Times come from the signals (and
// from the caller for Digests), so tests drive it with a fake clock. It is
// not safe for concurrent use; Service serialises it.
type Engine struct {
	rules   []Rule
	bedtime func(profile, schedule string) bool
	state   map[stateKey]*ruleState
}

// NewEngine checks the rules. bedtime says whether a profile's schedule is
// a bedtime (allow-only) window; nil means none is.
func NewEngine(rules []Rule, bedtime func(profile, schedule string) bool) (*Engine, error) {
	seen := map[string]bool{}
	for _, r := range rules {
		if err := r.validate(); err != nil {
			return nil, err
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("alert rule %s defined twice", r.ID)
		}
		seen[r.ID] = true
	}
	if bedtime == nil {
		bedtime = func(string, string) bool { return false }
	}
	return &Engine{rules: slices.Clone(rules), bedtime: bedtime, state: map[stateKey]*ruleState{}}, nil
}

// DNS feeds one blocked query and returns the alerts it raises.
func (e *Engine) DNS(ev DNSEvent) []Alert {
	bed := ev.Schedule != "" && e.bedtime(ev.Profile, ev.Schedule)
	var out []Alert
	for _, r := range e.rules {
		if r.Source != SourceDNS || (r.Bedtime && !bed) || (!r.Bedtime && bed) {
			continue
		}
		if !r.Bedtime && !slices.Contains(r.Categories, ev.Category) {
			continue
		}
		cat := ev.Category
		if r.Bedtime {
			cat = "bedtime"
		}
		if a, ok := e.observe(r, SourceDNS, ev.Profile, cat, ev.Time); ok {
			a.Source, a.Level, a.Snippet = SourceDNS, r.Level, snippet(ev.Name)
			out = append(out, a)
		}
	}
	return out
}

// Message feeds one checked or reported message.
func (e *Engine) Message(m Message) []Alert {
	var out []Alert
	for _, r := range e.rules {
		if r.Source == SourceDNS || levelRank[m.Level] < levelRank[r.MinLevel] {
			continue
		}
		if len(r.Categories) > 0 && !slices.Contains(r.Categories, m.Category) {
			continue
		}
		if a, ok := e.observe(r, m.Source, m.Profile, m.Category, m.Time); ok {
			a.Source, a.Level, a.Reasons, a.CaseID = m.Source, m.Level, m.Reasons, m.CaseID
			if m.Text != "" {
				a.Snippet = snippet(m.Text)
			}
			out = append(out, a)
		}
	}
	return out
}

// observe counts one signal of rule r and says whether it raises an alert.
func (e *Engine) observe(r Rule, source, profile, category string, at time.Time) (Alert, bool) {
	k := stateKey{rule: r.ID, profile: profile}
	if r.PerCategory {
		k.category = category
	}
	st := e.state[k]
	if st == nil {
		st = &ruleState{}
		e.state[k] = st
	}
	st.category, st.source = category, source
	if !st.lastAlert.IsZero() && at.Sub(st.lastAlert) < r.Throttle {
		st.folded++
		return Alert{}, false
	}
	cut := at.Add(-r.Window)
	i := 0
	for i < len(st.window) && !st.window[i].After(cut) {
		i++
	}
	st.window = append(st.window[i:], at)
	if len(st.window) < r.Threshold {
		return Alert{}, false
	}
	a := Alert{Rule: r.ID, Profile: profile, Category: category, Time: at, Count: len(st.window), Folded: st.folded}
	st.window, st.folded, st.lastAlert = st.window[:0], 0, at
	return a, true
}

// Digests returns one digest alert per rule and profile whose throttle has
// passed with signals folded and no new alert to carry them, and forgets
// state that has gone quiet.
func (e *Engine) Digests(now time.Time) []Alert {
	var out []Alert
	for _, r := range e.rules {
		for k, st := range e.state {
			if k.rule != r.ID {
				continue
			}
			if st.folded > 0 && now.Sub(st.lastAlert) >= r.Throttle {
				a := Alert{Rule: r.ID, Source: st.source, Profile: k.profile, Category: st.category, Level: r.Level,
					Time: now, Folded: st.folded, Digest: true}
				if r.Source != SourceDNS {
					a.Level = r.MinLevel
				}
				out = append(out, a)
				st.folded, st.lastAlert = 0, now
				continue
			}
			if st.folded == 0 && now.Sub(st.lastAlert) >= r.Throttle &&
				(len(st.window) == 0 || now.Sub(st.window[len(st.window)-1]) >= r.Window) {
				delete(e.state, k)
			}
		}
	}
	slices.SortFunc(out, func(a, b Alert) int {
		if a.Rule != b.Rule {
			return compareStrings(a.Rule, b.Rule)
		}
		return compareStrings(a.Profile, b.Profile)
	})
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
