package risk

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// NarrativeExample is one labelled report narrative: the reporter's input
// and the level and categories a careful ward officer would give it.
type NarrativeExample struct {
	Input  NarrativeInput
	Labels []Category
	Level  Level
	Note   string
}

// ReadNarratives reads JSONL lines {"text", "category", "urgent",
// "labels", "level", "note"}; blank lines are skipped. "category" is the
// reporter's pick (a harm category or "other"); an error names the line.
func ReadNarratives(r io.Reader) ([]NarrativeExample, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxExampleLine)
	var out []NarrativeExample
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var raw struct {
			Text     *string  `json:"text"`
			Category string   `json:"category"`
			Urgent   bool     `json:"urgent"`
			Labels   []string `json:"labels"`
			Level    *Level   `json:"level"`
			Note     string   `json:"note"`
		}
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if raw.Text == nil {
			return nil, fmt.Errorf("line %d: missing \"text\"", n)
		}
		if raw.Level == nil {
			return nil, fmt.Errorf("line %d: missing \"level\"", n)
		}
		c := Category(raw.Category)
		if raw.Category != "" && raw.Category != "other" && !c.Valid() {
			return nil, fmt.Errorf("line %d: unknown category %q", n, raw.Category)
		}
		x := NarrativeExample{Input: NarrativeInput{Text: *raw.Text, Category: c, Urgent: raw.Urgent}, Level: *raw.Level, Note: raw.Note}
		for _, l := range raw.Labels {
			if !Category(l).Valid() {
				return nil, fmt.Errorf("line %d: unknown label %q", n, l)
			}
			x.Labels = append(x.Labels, Category(l))
		}
		out = append(out, x)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("reading narratives: a line is longer than %d bytes: %w", maxExampleLine, err)
		}
		return nil, fmt.Errorf("reading narratives: %w", err)
	}
	return out, nil
}

// NarrativeReport holds triage figures on labelled narratives.
type NarrativeReport struct {
	Examples int
	// Exact is the share predicted at exactly the true level.
	Exact float64
	// Under is the share predicted below the true level (the dangerous
	// error), Over the share above it.
	Under, Over float64
	// UnderSevere counts true high or critical examples predicted two or
	// more bands below; Serious counts true high or critical examples.
	UnderSevere, Serious int
	// SeriousRecall is the share of true high/critical predicted high or
	// critical.
	SeriousRecall float64
	// UrgentLow counts urgent reports predicted none or low (must be 0).
	UrgentLow, Urgent int
	// CategoryAccuracy is the share of examples with labels whose
	// predicted category is one of them.
	CategoryAccuracy float64
	// Confusion[true][predicted] counts examples by level.
	Confusion [LevelCritical + 1][LevelCritical + 1]int
	Misses    []NarrativeMiss
}

// NarrativeMiss is an example predicted at the wrong level or category.
type NarrativeMiss struct {
	Example  NarrativeExample
	Level    Level
	Category Category
}

// TriageFunc predicts a level and category for a narrative: Triage, or a
// baseline to compare it with.
type TriageFunc func(NarrativeInput) (Level, Category)

// EvaluateNarratives predicts every example with f and computes the report.
func EvaluateNarratives(ex []NarrativeExample, f TriageFunc) NarrativeReport {
	rep := NarrativeReport{Examples: len(ex)}
	exact, under, over, seriousHit, labelled, catRight := 0, 0, 0, 0, 0, 0
	for _, x := range ex {
		lv, cat := f(x.Input)
		rep.Confusion[x.Level][lv]++
		wrong := false
		switch {
		case lv == x.Level:
			exact++
		case lv < x.Level:
			under++
			wrong = true
		default:
			over++
			wrong = true
		}
		if x.Level >= LevelHigh {
			rep.Serious++
			if lv >= LevelHigh {
				seriousHit++
			}
			if lv+2 <= x.Level {
				rep.UnderSevere++
			}
		}
		if x.Input.Urgent {
			rep.Urgent++
			if lv <= LevelLow {
				rep.UrgentLow++
			}
		}
		if len(x.Labels) > 0 {
			labelled++
			if slices.Contains(x.Labels, cat) {
				catRight++
			} else {
				wrong = true
			}
		}
		if wrong {
			rep.Misses = append(rep.Misses, NarrativeMiss{Example: x, Level: lv, Category: cat})
		}
	}
	rep.Exact = ratio(exact, len(ex))
	rep.Under = ratio(under, len(ex))
	rep.Over = ratio(over, len(ex))
	rep.SeriousRecall = ratio(seriousHit, rep.Serious)
	rep.CategoryAccuracy = ratio(catRight, labelled)
	return rep
}

// TriageOf adapts Engine.Triage to a TriageFunc.
func (e *Engine) TriageOf(in NarrativeInput) (Level, Category) {
	t := e.Triage(in)
	return t.Level, t.Category
}

// MessageSuggestion is the old report suggestion, kept as the baseline:
// the narrative scored as if it were the suspect's message, ignoring the
// reporter's pick and urgency.
func (e *Engine) MessageSuggestion(in NarrativeInput) (Level, Category) {
	r := e.Score(in.Text)
	return r.Level, r.Top()
}

// WriteText prints the report as plain text.
func (r NarrativeReport) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "narratives: %d (high or critical %d, urgent %d)\n", r.Examples, r.Serious, r.Urgent)
	fmt.Fprintf(&b, "level exact accuracy: %.3f\n", r.Exact)
	fmt.Fprintf(&b, "under-triage (below the true level): %.3f\n", r.Under)
	fmt.Fprintf(&b, "over-triage (above the true level): %.3f\n", r.Over)
	fmt.Fprintf(&b, "high/critical under-triaged by 2+ bands: %d\n", r.UnderSevere)
	fmt.Fprintf(&b, "high+critical recall (predicted high or critical): %.3f\n", r.SeriousRecall)
	fmt.Fprintf(&b, "false urgent-low (urgent predicted none/low): %d\n", r.UrgentLow)
	fmt.Fprintf(&b, "category accuracy (top category in labels): %.3f\n\n", r.CategoryAccuracy)
	b.WriteString("confusion (rows true level, columns predicted):\n")
	fmt.Fprintf(&b, "%-9s", "")
	for p := LevelNone; p <= LevelCritical; p++ {
		fmt.Fprintf(&b, " %8s", p)
	}
	b.WriteByte('\n')
	for t := LevelNone; t <= LevelCritical; t++ {
		fmt.Fprintf(&b, "%-9s", t)
		for p := LevelNone; p <= LevelCritical; p++ {
			fmt.Fprintf(&b, " %8d", r.Confusion[t][p])
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
