// Package skills is the digital-skills part of Mạng Lành (kỹ năng số,
// issue 12): a bank of scenario items, quizzes a pupil plays alone, class
// sessions a teacher runs live, contests, and the figures they add to the
// programme's coverage. No pupil is identified: a class session knows a
// nickname per phone, a solo game knows nothing at all.
package skills

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Levels of an item: the school level it is written for.
const (
	LevelPrimary   = "primary"   // lớp 3–5
	LevelSecondary = "secondary" // lớp 6–9
)

// Levels lists the levels in display order.
func Levels() []string { return []string{LevelPrimary, LevelSecondary} }

// Topics lists the topics in display order.
func Topics() []string {
	return []string{"scam", "impersonation", "luring", "bullying", "gambling", "images", "privacy"}
}

// Kinds lists what an item's scene can be.
func Kinds() []string {
	return []string{"message", "profile", "link", "game_chat", "post", "situation"}
}

// Text is a text in Vietnamese and English.
type Text struct {
	Vi string `yaml:"vi" json:"vi"`
	En string `yaml:"en" json:"en"`
}

// In returns the text in lang ("en" or Vietnamese, the default).
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Vi
}

// Choice is one answer of an item.
type Choice struct {
	Text    Text `yaml:"text" json:"text"`
	Correct bool `yaml:"correct" json:"correct"`
	Why     Text `yaml:"why" json:"why"`
}

// Item is one scenario: what the child sees, the question, the answers
// and the lesson.
type Item struct {
	ID       string   `yaml:"id" json:"id"`
	Level    string   `yaml:"level" json:"level"`
	Topic    string   `yaml:"topic" json:"topic"`
	Kind     string   `yaml:"kind" json:"kind"`
	Source   string   `yaml:"source" json:"source"`
	App      string   `yaml:"app" json:"app"`
	From     Text     `yaml:"from" json:"from"`
	Text     Text     `yaml:"text" json:"text"`
	Question Text     `yaml:"question" json:"question"`
	Choices  []Choice `yaml:"choices" json:"choices"`
	Lesson   Text     `yaml:"lesson" json:"lesson"`
}

// Correct returns the index of the right answer.
func (it *Item) Correct() int {
	for i, c := range it.Choices {
		if c.Correct {
			return i
		}
	}
	return -1
}

// Limits on an item, so a portal-added item cannot break a page.
const (
	maxIDLen     = 40
	maxTextLen   = 1200 // scene text
	maxShortLen  = 300  // from, question, a choice
	maxWhyLen    = 600
	maxLessonLen = 600
	maxFileBytes = 2 << 20
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ItemError names the item and field that is wrong.
type ItemError struct {
	File  string
	Item  string // id, or "#N" (1-based) when the id is missing
	Field string
	Msg   string
}

func (e *ItemError) Error() string {
	where := e.Item
	if e.File != "" {
		where = e.File + ": " + where
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", where, e.Field, e.Msg)
	}
	return where + ": " + e.Msg
}

// Validate checks one item and returns every problem found, each naming
// its field.
func (it *Item) Validate() []*ItemError {
	var errs []*ItemError
	bad := func(field, format string, a ...any) {
		errs = append(errs, &ItemError{Item: it.ID, Field: field, Msg: fmt.Sprintf(format, a...)})
	}
	switch {
	case it.ID == "":
		bad("id", "missing")
	case len(it.ID) > maxIDLen || !idPattern.MatchString(it.ID):
		bad("id", "use lowercase letters, digits and dashes, at most %d characters", maxIDLen)
	}
	if !slices.Contains(Levels(), it.Level) {
		bad("level", "%q is not one of %s", it.Level, strings.Join(Levels(), ", "))
	}
	if !slices.Contains(Topics(), it.Topic) {
		bad("topic", "%q is not one of %s", it.Topic, strings.Join(Topics(), ", "))
	}
	if !slices.Contains(Kinds(), it.Kind) {
		bad("kind", "%q is not one of %s", it.Kind, strings.Join(Kinds(), ", "))
	}
	if strings.TrimSpace(it.Source) == "" {
		bad("source", "missing: say where the situation comes from")
	}
	text := func(field string, t Text, max int, required bool) {
		for _, l := range []struct{ lang, s string }{{"vi", t.Vi}, {"en", t.En}} {
			f := field + "." + l.lang
			switch {
			case strings.TrimSpace(l.s) == "":
				if required {
					bad(f, "missing")
				}
			case !utf8.ValidString(l.s):
				bad(f, "not valid UTF-8")
			case utf8.RuneCountInString(l.s) > max:
				bad(f, "longer than %d characters", max)
			case hasControl(l.s):
				bad(f, "contains control characters")
			}
		}
		if !required && (strings.TrimSpace(t.Vi) == "") != (strings.TrimSpace(t.En) == "") {
			bad(field, "give both vi and en, or neither")
		}
	}
	text("from", it.From, maxShortLen, false)
	text("text", it.Text, maxTextLen, true)
	text("question", it.Question, maxShortLen, true)
	text("lesson", it.Lesson, maxLessonLen, true)
	if n := len(it.Choices); n < 3 || n > 4 {
		bad("choices", "need 3 or 4 answers, found %d", n)
	}
	right := 0
	for i, c := range it.Choices {
		f := fmt.Sprintf("choices[%d]", i+1)
		text(f+".text", c.Text, maxShortLen, true)
		text(f+".why", c.Why, maxWhyLen, true)
		if c.Correct {
			right++
		}
	}
	if right != 1 && len(it.Choices) > 0 {
		bad("choices", "exactly one answer must have correct: true, found %d", right)
	}
	return errs
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f {
			return true
		}
	}
	return false
}

// normalise puts every text of an item in NFC and trims it, so items typed
// with decomposed diacritics compare and render like the rest.
func (it *Item) normalise() {
	for _, t := range []*Text{&it.From, &it.Text, &it.Question, &it.Lesson} {
		t.normalise()
	}
	for i := range it.Choices {
		it.Choices[i].Text.normalise()
		it.Choices[i].Why.normalise()
	}
	it.ID = strings.TrimSpace(it.ID)
	it.App = strings.TrimSpace(it.App)
	it.Source = strings.TrimSpace(it.Source)
}

func (t *Text) normalise() {
	t.Vi = strings.TrimSpace(norm.NFC.String(t.Vi))
	t.En = strings.TrimSpace(norm.NFC.String(t.En))
}

// ParseItems reads one YAML item file. It refuses the whole file when any
// item is wrong, and the error lists every problem (at most 20) with the
// item and field, so a reviewer can fix the file in one pass.
func ParseItems(name string, r io.Reader) ([]Item, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxFileBytes)
	}
	var items []Item
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&items); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: no items", name)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var errs []error
	seen := map[string]int{}
	for i := range items {
		it := &items[i]
		it.normalise()
		for _, e := range it.Validate() {
			e.File = name
			if e.Item == "" {
				e.Item = fmt.Sprintf("#%d", i+1)
			}
			errs = append(errs, e)
		}
		if j, dup := seen[it.ID]; dup && it.ID != "" {
			errs = append(errs, &ItemError{File: name, Item: it.ID, Field: "id", Msg: fmt.Sprintf("also used by item #%d", j+1)})
		}
		seen[it.ID] = i
	}
	if len(items) == 0 {
		errs = append(errs, fmt.Errorf("%s: no items", name))
	}
	if len(errs) > 20 {
		errs = append(errs[:20], fmt.Errorf("%s: and %d more problems", name, len(errs)-20))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return items, nil
}

//go:embed bank/*.yaml
var bankFS embed.FS

// Bank is the set of items, in file order, indexed by id.
type Bank struct {
	items []Item
	byID  map[string]int
}

// LoadBank reads every *.yaml file of fsys (the embedded starter bank when
// fsys is nil). Ids must be unique across files.
func LoadBank(fsys fs.FS) (*Bank, error) {
	if fsys == nil {
		sub, err := fs.Sub(bankFS, "bank")
		if err != nil {
			return nil, err
		}
		fsys = sub
	}
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	b := &Bank{byID: map[string]int{}}
	var errs []error
	for _, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			return nil, err
		}
		items, err := ParseItems(path.Base(n), f)
		f.Close()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, it := range items {
			if _, dup := b.byID[it.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: %s: id already used in another file", n, it.ID))
				continue
			}
			b.byID[it.ID] = len(b.items)
			b.items = append(b.items, it)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return b, nil
}

// Add appends portal-added items (already validated by the store); an id
// already in the bank is refused.
func (b *Bank) Add(it Item) error {
	if errs := it.Validate(); len(errs) > 0 {
		return errs[0]
	}
	if _, dup := b.byID[it.ID]; dup {
		return &ItemError{Item: it.ID, Field: "id", Msg: "already used"}
	}
	b.byID[it.ID] = len(b.items)
	b.items = append(b.items, it)
	return nil
}

// Len is the number of items.
func (b *Bank) Len() int { return len(b.items) }

// Item returns the item with id, or nil.
func (b *Bank) Item(id string) *Item {
	i, ok := b.byID[id]
	if !ok {
		return nil
	}
	return &b.items[i]
}

// Items returns the items of one level (all levels when level is "") and,
// when topic is not "", one topic, in bank order.
func (b *Bank) Items(level, topic string) []*Item {
	var out []*Item
	for i := range b.items {
		it := &b.items[i]
		if (level == "" || it.Level == level) && (topic == "" || it.Topic == topic) {
			out = append(out, it)
		}
	}
	return out
}
