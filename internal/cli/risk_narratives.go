package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"manglanh/internal/config"
	"manglanh/internal/risk"
)

// narrativeOpts are the flags of "risk eval --narratives".
type narrativeOpts struct {
	on, baseline bool
}

func narrativeFlags(fs *flag.FlagSet) *narrativeOpts {
	o := &narrativeOpts{}
	fs.BoolVar(&o.on, "narratives", false, "tệp là lời kể phản ánh có nhãn mức độ / the files are labelled report narratives")
	fs.BoolVar(&o.baseline, "baseline", false, "với --narratives: in cả số liệu của cách gợi ý cũ (chấm như tin nhắn) / with --narratives: also print the old suggestion (scored as a message)")
	return o
}

// evalNarratives runs "risk eval --narratives FILE…": it triages every
// labelled narrative and prints level accuracy, under-triage, high and
// critical recall, urgent reports put at none/low, category accuracy and
// the confusion of levels; --baseline adds the same figures for the old
// suggestion. Every file is read before any is scored.
func evalNarratives(ctx context.Context, e *Env, cfg *config.Config, names []string, lists bool, misses int, o *narrativeOpts) int {
	sets := make([][]risk.NarrativeExample, len(names))
	for i, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return errorf(e, "không mở được tệp", "cannot open the file", err)
		}
		sets[i], err = risk.ReadNarratives(f)
		f.Close()
		if err != nil {
			return errorf(e, "tệp lời kể hỏng", "malformed narratives file", fmt.Errorf("%s: %w", name, err))
		}
	}
	eng, ok := riskEngine(ctx, e, cfg, lists)
	if !ok {
		return 1
	}
	for i, name := range names {
		if len(names) > 1 {
			fmt.Fprintf(e.Stdout, "== %s ==\n", name)
		}
		if o.baseline {
			fmt.Fprintln(e.Stdout, "-- before: the narrative scored as a message (old suggestion) --")
			if err := risk.EvaluateNarratives(sets[i], eng.MessageSuggestion).WriteText(e.Stdout); err != nil {
				return errorf(e, "không ghi được báo cáo", "cannot write the report", err)
			}
			fmt.Fprintln(e.Stdout, "\n-- after: Triage --")
		}
		rep := risk.EvaluateNarratives(sets[i], eng.TriageOf)
		if err := rep.WriteText(e.Stdout); err != nil {
			return errorf(e, "không ghi được báo cáo", "cannot write the report", err)
		}
		for j, m := range rep.Misses {
			if j >= misses {
				break
			}
			if j == 0 {
				fmt.Fprintln(e.Stdout, "\nmistakes:")
			}
			fmt.Fprintf(e.Stdout, "  want %-8s %v got %-8s %-14s urgent=%t %q\n", m.Example.Level, m.Example.Labels, m.Level, m.Category,
				m.Example.Input.Urgent, shorten(m.Example.Input.Text, 90))
		}
		if i < len(names)-1 {
			fmt.Fprintln(e.Stdout)
		}
	}
	return 0
}
