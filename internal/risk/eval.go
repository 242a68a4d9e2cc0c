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

// Example is one labelled message. An empty Labels means benign.
type Example struct {
	Text   string   `json:"text"`
	Labels []string `json:"labels"`
	// Intent marks a self_harm example that states an intent, a plan, a
	// means, a time or place, a farewell, or pushes a child to harm
	// themselves: one the engine must flag critical as self_harm.
	Intent bool `json:"intent,omitempty"`
}

// maxExampleLine bounds one JSONL line read by ReadExamples.
const maxExampleLine = 1 << 20

// ReadExamples reads JSONL lines {"text": …, "labels": […]}; other fields
// are ignored, blank lines skipped. An error names the line number.
func ReadExamples(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxExampleLine)
	var out []Example
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var raw struct {
			Text   *string   `json:"text"`
			Labels *[]string `json:"labels"`
			Intent bool      `json:"intent"`
		}
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if raw.Text == nil {
			return nil, fmt.Errorf("line %d: missing \"text\"", n)
		}
		if raw.Labels == nil {
			return nil, fmt.Errorf("line %d: missing \"labels\"", n)
		}
		for _, l := range *raw.Labels {
			if !Category(l).Valid() {
				return nil, fmt.Errorf("line %d: unknown label %q", n, l)
			}
		}
		if raw.Intent && !slices.Contains(*raw.Labels, string(SelfHarm)) {
			return nil, fmt.Errorf("line %d: \"intent\" is only for self_harm lines", n)
		}
		out = append(out, Example{Text: *raw.Text, Labels: *raw.Labels, Intent: raw.Intent})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("reading examples: a line is longer than %d bytes: %w", maxExampleLine, err)
		}
		return nil, fmt.Errorf("reading examples: %w", err)
	}
	return out, nil
}

// CategoryMetrics are the detection figures of one category: a message is
// predicted as the category when its score for it reaches level medium.
type CategoryMetrics struct {
	Category  Category
	Support   int // examples labelled with the category
	TP, FP    int
	FN        int
	Precision float64
	Recall    float64
	F1        float64
}

// Miss is an example the engine got wrong, kept for reports.
type Miss struct {
	Text   string
	Labels []string
	Level  Level
	Top    Category
	Kind   string // "missed", "false_alarm", "wrong_category" or "intent_not_critical"
}

// Report is the result of Evaluate.
type Report struct {
	Examples   int
	Harmful    int
	Benign     int
	Categories []CategoryMetrics
	// HarmfulRecall is the share of harmful examples scored at level
	// medium or above.
	HarmfulRecall float64
	// FalseAlarmRate is the share of benign examples scored at level
	// medium or above.
	FalseAlarmRate float64
	// TopAccuracy is the share of harmful examples whose top category is
	// one of their labels.
	TopAccuracy float64
	// Confusion counts harmful examples by true label → predicted top
	// category ("none" when nothing was found).
	Confusion map[string]int
	// Intent counts the self_harm examples marked Intent; IntentFlagged
	// those with self_harm at level medium or above, IntentCritical those
	// whose top category is self_harm at level critical (the aim: all).
	Intent, IntentFlagged, IntentCritical int
	Misses                                []Miss
}

// Evaluate scores every example and computes the report.
func Evaluate(e *Engine, ex []Example) Report {
	res := make([]Result, len(ex))
	for i, x := range ex {
		res[i] = e.Score(x.Text)
	}
	return evaluateResults(ex, res)
}

// evaluateResults computes the report of results[i] scored for ex[i].
func evaluateResults(ex []Example, results []Result) Report {
	rep := Report{Examples: len(ex), Confusion: map[string]int{}}
	var m [numCategories]CategoryMetrics
	for i, c := range Categories() {
		m[i].Category = c
	}
	detected, topRight := 0, 0
	falseAlarms := 0
	for xi, x := range ex {
		res := results[xi]
		var pred [numCategories]bool
		for _, cs := range res.Categories {
			if cs.Level >= LevelMedium {
				pred[cs.Category.index()] = true
			}
		}
		var truth [numCategories]bool
		for _, l := range x.Labels {
			if i := Category(l).index(); i >= 0 {
				truth[i] = true
			}
		}
		for i := range m {
			switch {
			case truth[i] && pred[i]:
				m[i].TP++
			case truth[i]:
				m[i].FN++
			case pred[i]:
				m[i].FP++
			}
			if truth[i] {
				m[i].Support++
			}
		}
		top := res.Top()
		if res.Level < LevelMedium {
			top = ""
		}
		if len(x.Labels) == 0 {
			rep.Benign++
			if res.Level >= LevelMedium {
				falseAlarms++
				rep.Misses = append(rep.Misses, Miss{Text: x.Text, Labels: x.Labels, Level: res.Level, Top: res.Top(), Kind: "false_alarm"})
			}
			continue
		}
		rep.Harmful++
		if res.Level >= LevelMedium {
			detected++
		}
		if x.Intent {
			rep.Intent++
			if pred[SelfHarm.index()] {
				rep.IntentFlagged++
			}
			if res.Top() == SelfHarm && res.Level == LevelCritical {
				rep.IntentCritical++
			} else if slices.Contains(x.Labels, string(top)) {
				rep.Misses = append(rep.Misses, Miss{Text: x.Text, Labels: x.Labels, Level: res.Level, Top: res.Top(), Kind: "intent_not_critical"})
			}
		}
		name := string(top)
		if name == "" {
			name = "none"
		}
		if slices.Contains(x.Labels, string(top)) {
			topRight++
		} else if res.Level < LevelMedium {
			rep.Misses = append(rep.Misses, Miss{Text: x.Text, Labels: x.Labels, Level: res.Level, Top: res.Top(), Kind: "missed"})
		} else {
			rep.Misses = append(rep.Misses, Miss{Text: x.Text, Labels: x.Labels, Level: res.Level, Top: res.Top(), Kind: "wrong_category"})
		}
		rep.Confusion[x.Labels[0]+" → "+name]++
	}
	for i := range m {
		c := &m[i]
		c.Precision = ratio(c.TP, c.TP+c.FP)
		c.Recall = ratio(c.TP, c.TP+c.FN)
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
	}
	rep.Categories = m[:]
	rep.HarmfulRecall = ratio(detected, rep.Harmful)
	rep.FalseAlarmRate = ratio(falseAlarms, rep.Benign)
	rep.TopAccuracy = ratio(topRight, rep.Harmful)
	return rep
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// WriteText prints the report as plain text.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "examples: %d (harmful %d, benign %d)\n", r.Examples, r.Harmful, r.Benign)
	fmt.Fprintf(&b, "harmful recall (level >= medium): %.3f\n", r.HarmfulRecall)
	fmt.Fprintf(&b, "false-alarm rate on benign (level >= medium): %.3f\n", r.FalseAlarmRate)
	fmt.Fprintf(&b, "top-category accuracy on harmful: %.3f\n", r.TopAccuracy)
	if r.Intent > 0 {
		fmt.Fprintf(&b, "self-harm with intent or plan: %d, flagged self_harm %d, critical self_harm %d\n", r.Intent, r.IntentFlagged, r.IntentCritical)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "%-15s %7s %9s %7s %7s\n", "category", "support", "precision", "recall", "f1")
	for _, c := range r.Categories {
		fmt.Fprintf(&b, "%-15s %7d %9.3f %7.3f %7.3f\n", c.Category, c.Support, c.Precision, c.Recall, c.F1)
	}
	keys := make([]string, 0, len(r.Confusion))
	for k := range r.Confusion {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b.WriteString("\nconfusion (true → predicted top):\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-35s %d\n", k, r.Confusion[k])
	}
	_, err := io.WriteString(w, b.String())
	return err
}
