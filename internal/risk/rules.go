package risk

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed rules/default.yaml
var defaultRulesYAML []byte

// maxRulesSize bounds a rules file read by ParseRules.
const maxRulesSize = 4 << 20

// Rules is a parsed rule set: phrase rules, combinations of signals, link
// findings and advice. It is immutable once handed to New; Merge returns a
// new value. See RULES.md for the file format.
type Rules struct {
	Version int                 `yaml:"version"`
	Levels  *Thresholds         `yaml:"levels,omitempty"`
	Rules   []Rule              `yaml:"rules"`
	Combos  []Combo             `yaml:"combos"`
	Links   []LinkRule          `yaml:"links"`
	Advice  map[Category]Advice `yaml:"advice"`
	// Brands are names that phishing domains imitate, with their genuine
	// registrable domains.
	Brands []Brand `yaml:"brands"`
	// Shorteners are link-shortener hosts; CheapTLDs are top-level domains
	// favoured by throw-away sites (without the dot).
	Shorteners []string `yaml:"shorteners"`
	CheapTLDs  []string `yaml:"cheap_tlds"`
}

// Brand is an organisation whose name phishing domains borrow. Labels are
// the names looked for in hosts (diacritic-free, lower-case); Domains are
// the genuine registrable domains, never flagged; Exact labels are too short
// for typo matching and only match as whole words.
type Brand struct {
	Name    string   `yaml:"name"`
	Labels  []string `yaml:"labels"`
	Exact   []string `yaml:"exact,omitempty"`
	Domains []string `yaml:"domains"`
}

// Thresholds are the category scores from which each level starts.
type Thresholds struct {
	Low      float64 `yaml:"low"`
	Medium   float64 `yaml:"medium"`
	High     float64 `yaml:"high"`
	Critical float64 `yaml:"critical"`
}

// Rule is a list of phrases that all stand for one signal. A matched rule
// adds its weight to each category in Weights. Damp (0 < Damp < 1) instead
// multiplies harm scores (those of DampOnly, or all), once per distinct
// damping phrase found, for warning, news and joking framing. Negate marks
// phrases ("đừng", "không bao giờ") that cancel a harmful phrase starting at
// most Window tokens after them (default 2); Firm rules (threats) are
// never cancelled.
type Rule struct {
	ID       string               `yaml:"id"`
	Signal   string               `yaml:"signal"`
	Weights  map[Category]float64 `yaml:"weights,omitempty"`
	Floor    Level                `yaml:"floor,omitempty"`
	Damp     float64              `yaml:"damp,omitempty"`
	Negate   bool                 `yaml:"negate,omitempty"`
	Phrases  []string             `yaml:"phrases"`
	Vi       string               `yaml:"vi"`
	En       string               `yaml:"en"`
	Examples []string             `yaml:"examples"`
	NearMiss []string             `yaml:"near_misses,omitempty"`
	Disabled bool                 `yaml:"disabled,omitempty"`
	DampOnly []Category           `yaml:"damp_only,omitempty"`
	Window   *int                 `yaml:"window,omitempty"`
	Firm     bool                 `yaml:"firm,omitempty"`
	// SpareFirm lists categories this damping rule leaves alone when a
	// firm rule of theirs matched: context words ("game", "điểm", "để ý")
	// do not soften "mai em sẽ nhảy cầu".
	SpareFirm []Category `yaml:"spare_firm,omitempty"`
	// Consume (a damping rule) drops the harmful phrases its own phrases
	// overlap, in the categories it damps.
	Consume bool `yaml:"consume,omitempty"`
	// Support marks a rule ("tối nay", "mai em") that only counts beside
	// another rule of its category: a time alone is no risk.
	Support bool `yaml:"support,omitempty"`
}

// Combo adds weight when all its signals are present in one message.
type Combo struct {
	ID       string               `yaml:"id"`
	Signals  []string             `yaml:"signals"`
	Weights  map[Category]float64 `yaml:"weights"`
	Floor    Level                `yaml:"floor,omitempty"`
	Vi       string               `yaml:"vi"`
	En       string               `yaml:"en"`
	Examples []string             `yaml:"examples,omitempty"`
}

// LinkRule gives weight to a link finding (see LinkFinding kinds).
type LinkRule struct {
	ID      string               `yaml:"id"`
	Finding string               `yaml:"finding"`
	Signal  string               `yaml:"signal"`
	Weights map[Category]float64 `yaml:"weights"`
	Vi      string               `yaml:"vi"`
	En      string               `yaml:"en"`
}

// DefaultRules parses the rules embedded in the binary.
func DefaultRules() (*Rules, error) {
	r, err := parseRulesBytes(defaultRulesYAML)
	if err != nil {
		return nil, fmt.Errorf("parsing default rules: %w", err)
	}
	return r, nil
}

// ParseRules reads a YAML rules file (at most 4 MiB), for example a ward's
// local extension, and validates it.
func ParseRules(r io.Reader) (*Rules, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxRulesSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading rules: %w", err)
	}
	if len(b) > maxRulesSize {
		return nil, errors.New("reading rules: file larger than 4 MiB")
	}
	return parseRulesBytes(b)
}

func parseRulesBytes(b []byte) (*Rules, error) {
	var rs Rules
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&rs); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decoding rules: %w", err)
	}
	if err := rs.validate(); err != nil {
		return nil, err
	}
	return &rs, nil
}

func (rs *Rules) validate() error {
	seen := map[string]bool{}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		if r.ID == "" {
			return fmt.Errorf("rule %d: missing id", i+1)
		}
		if seen[r.ID] {
			return fmt.Errorf("rule %q: duplicate id", r.ID)
		}
		seen[r.ID] = true
		if len(r.Phrases) == 0 {
			return fmt.Errorf("rule %q: no phrases", r.ID)
		}
		if r.Signal == "" {
			return fmt.Errorf("rule %q: missing signal", r.ID)
		}
		if (len(r.SpareFirm) > 0 || r.Consume) && r.Damp == 0 {
			return fmt.Errorf("rule %q: spare_firm or consume without damp", r.ID)
		}
		if r.Damp < 0 || r.Damp >= 1 {
			return fmt.Errorf("rule %q: damp %v not in [0, 1)", r.ID, r.Damp)
		}
		if r.Damp == 0 && !r.Negate && len(r.Weights) == 0 {
			return fmt.Errorf("rule %q: no weights, damp or negate", r.ID)
		}
		for c := range r.Weights {
			if !c.Valid() {
				return fmt.Errorf("rule %q: unknown category %q", r.ID, c)
			}
		}
		for _, c := range r.DampOnly {
			if !c.Valid() {
				return fmt.Errorf("rule %q: unknown category %q in damp_only", r.ID, c)
			}
		}
		for _, c := range r.SpareFirm {
			if !c.Valid() {
				return fmt.Errorf("rule %q: unknown category %q in spare_firm", r.ID, c)
			}
		}
		if r.Window != nil && (*r.Window < 0 || *r.Window > 8) {
			return fmt.Errorf("rule %q: window %d not in [0, 8]", r.ID, *r.Window)
		}
		if r.Vi == "" || r.En == "" {
			return fmt.Errorf("rule %q: explanation needs both vi and en", r.ID)
		}
		for _, p := range r.Phrases {
			if strings.TrimSpace(p) == "" {
				return fmt.Errorf("rule %q: empty phrase", r.ID)
			}
		}
	}
	for _, c := range rs.Combos {
		if c.ID == "" || len(c.Signals) < 2 {
			return fmt.Errorf("combo %q: needs an id and at least two signals", c.ID)
		}
		if seen[c.ID] {
			return fmt.Errorf("combo %q: duplicate id", c.ID)
		}
		seen[c.ID] = true
		for cat := range c.Weights {
			if !cat.Valid() {
				return fmt.Errorf("combo %q: unknown category %q", c.ID, cat)
			}
		}
		if c.Vi == "" || c.En == "" {
			return fmt.Errorf("combo %q: explanation needs both vi and en", c.ID)
		}
	}
	for _, l := range rs.Links {
		if l.ID == "" || l.Finding == "" {
			return fmt.Errorf("link rule %q: needs an id and a finding", l.ID)
		}
		for cat := range l.Weights {
			if !cat.Valid() {
				return fmt.Errorf("link rule %q: unknown category %q", l.ID, cat)
			}
		}
	}
	for cat := range rs.Advice {
		if !cat.Valid() {
			return fmt.Errorf("advice: unknown category %q", cat)
		}
	}
	if t := rs.Levels; t != nil && !(0 < t.Low && t.Low < t.Medium && t.Medium < t.High && t.High < t.Critical) {
		return errors.New("levels: thresholds must rise: 0 < low < medium < high < critical")
	}
	return nil
}

// Merge returns a new rule set with other's rules added to r's. A rule,
// combo or link rule in other with the same id replaces r's (so a ward can
// re-weight or disable a default rule); advice and levels in other win.
// Neither input is modified.
func (r *Rules) Merge(other *Rules) *Rules {
	out := &Rules{Version: r.Version, Levels: r.Levels, Advice: maps.Clone(r.Advice)}
	if other == nil {
		out.Rules = slices.Clone(r.Rules)
		out.Combos = slices.Clone(r.Combos)
		out.Links = slices.Clone(r.Links)
		out.Brands = slices.Clone(r.Brands)
		out.Shorteners = slices.Clone(r.Shorteners)
		out.CheapTLDs = slices.Clone(r.CheapTLDs)
		return out
	}
	if other.Levels != nil {
		out.Levels = other.Levels
	}
	if out.Advice == nil {
		out.Advice = map[Category]Advice{}
	}
	maps.Copy(out.Advice, other.Advice)
	out.Rules = mergeByID(r.Rules, other.Rules, func(x Rule) string { return x.ID })
	out.Combos = mergeByID(r.Combos, other.Combos, func(x Combo) string { return x.ID })
	out.Links = mergeByID(r.Links, other.Links, func(x LinkRule) string { return x.ID })
	out.Brands = mergeByID(r.Brands, other.Brands, func(x Brand) string { return x.Name })
	out.Shorteners = mergeByID(r.Shorteners, other.Shorteners, func(x string) string { return x })
	out.CheapTLDs = mergeByID(r.CheapTLDs, other.CheapTLDs, func(x string) string { return x })
	return out
}

func mergeByID[T any](base, add []T, id func(T) string) []T {
	out := slices.Clone(base)
	idx := make(map[string]int, len(out))
	for i, x := range out {
		idx[id(x)] = i
	}
	for _, x := range add {
		if i, ok := idx[id(x)]; ok {
			out[i] = x
			continue
		}
		idx[id(x)] = len(out)
		out = append(out, x)
	}
	return out
}
