package risk

import "fmt"

// Level is how worrying a message is. The zero value is LevelNone.
type Level uint8

// Levels, in rising order.
const (
	LevelNone Level = iota
	LevelLow
	LevelMedium
	LevelHigh
	LevelCritical
)

// String returns "none", "low", "medium", "high" or "critical".
func (l Level) String() string {
	switch l {
	case LevelNone:
		return "none"
	case LevelLow:
		return "low"
	case LevelMedium:
		return "medium"
	case LevelHigh:
		return "high"
	case LevelCritical:
		return "critical"
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

// ParseLevel parses the name of a level.
func ParseLevel(s string) (Level, error) {
	for l := LevelNone; l <= LevelCritical; l++ {
		if l.String() == s {
			return l, nil
		}
	}
	return LevelNone, fmt.Errorf("unknown risk level %q", s)
}

// MarshalText encodes the level as its name (also used by JSON and YAML).
func (l Level) MarshalText() ([]byte, error) {
	if l > LevelCritical {
		return nil, fmt.Errorf("invalid risk level %d", uint8(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes a level name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// Category is a kind of online harm.
type Category string

// Categories of harm.
const (
	Scam          Category = "scam"
	Gambling      Category = "gambling"
	Grooming      Category = "grooming"
	Sextortion    Category = "sextortion"
	Bullying      Category = "bullying"
	SelfHarm      Category = "self_harm"
	SexualContent Category = "sexual_content"
)

// Categories returns all harm categories in a fixed order.
func Categories() []Category {
	return []Category{Scam, Gambling, Grooming, Sextortion, Bullying, SelfHarm, SexualContent}
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	switch c {
	case Scam, Gambling, Grooming, Sextortion, Bullying, SelfHarm, SexualContent:
		return true
	}
	return false
}

func (c Category) index() int {
	switch c {
	case Scam:
		return 0
	case Gambling:
		return 1
	case Grooming:
		return 2
	case Sextortion:
		return 3
	case Bullying:
		return 4
	case SelfHarm:
		return 5
	case SexualContent:
		return 6
	}
	return -1
}

const numCategories = 7

// Result is the assessment of one message.
type Result struct {
	Level      Level           `json:"level"`
	Categories []CategoryScore `json:"categories"` // most likely first; only categories with a score
	Reasons    []Reason        `json:"reasons"`
	Links      []Link          `json:"links"`
	Advice     Advice          `json:"advice"` // for the top category; empty when Level is none
	Damped     bool            `json:"damped"` // warning, news or prevention framing lowered the scores
}

// Top returns the most likely category, or "" when there is none.
func (r Result) Top() Category {
	if len(r.Categories) == 0 {
		return ""
	}
	return r.Categories[0].Category
}

// CategoryScore is the score and level of one category.
type CategoryScore struct {
	Category Category `json:"category"`
	Score    float64  `json:"score"`
	Level    Level    `json:"level"`
}

// Reason is one piece of evidence. Phrase is the text as found in the
// original message, at bytes [Start, End); both are 0 for reasons that
// combine other evidence.
type Reason struct {
	Category Category `json:"category,omitempty"`
	Signal   string   `json:"signal"`
	RuleID   string   `json:"rule_id"`
	Phrase   string   `json:"phrase,omitempty"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Weight   float64  `json:"weight"`
	Vi       string   `json:"vi"`
	En       string   `json:"en"`
	// Message is the 1-based message of a conversation the phrase was
	// found in (ScoreThread; Start and End are then within that message).
	Message int `json:"message,omitempty"`
}

// Advice is what to do, in Vietnamese and English.
type Advice struct {
	Vi []string `json:"vi" yaml:"vi"`
	En []string `json:"en" yaml:"en"`
}
