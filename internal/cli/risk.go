package cli

import (
	"context"
	"fmt"
	"os"

	"manglanh/internal/risk"
)

// runRisk runs "manglanh risk eval FILE.jsonl [FILE…]": it scores every
// labelled example with the configured engine and prints, per file,
// precision, recall and F1 per category, the false-alarm rate on benign
// messages and the confusions. A malformed file stops with exit code 1
// and the line number.
func runRisk(ctx context.Context, e *Env) int {
	if len(e.Args) == 0 || e.Args[0] != "eval" {
		fmt.Fprintln(e.Stderr, "cách dùng / usage: manglanh risk eval [--config FILE] [--misses N] [--narratives [--baseline]] FILE.jsonl [FILE…]")
		return 2
	}
	fs, path := flags("risk eval", e)
	misses := fs.Int("misses", 0, "in tối đa N lỗi mỗi tệp / print up to N mistakes per file")
	lists := fs.Bool("lists", false, "nạp danh sách chặn để xét đường link / load the block lists to judge links")
	narr := narrativeFlags(fs)
	if rc := parse(fs, e.Args[1:]); rc >= 0 {
		return rc
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.Stderr, "cần ít nhất một tệp JSONL / at least one JSONL file is needed")
		return 2
	}
	cfg, ok := loadConfig(e, *path)
	if !ok {
		return 1
	}
	if narr.on {
		return evalNarratives(ctx, e, cfg, fs.Args(), *lists, *misses, narr)
	}
	// Read every file before scoring, so a malformed one fails fast.
	sets := make([][]risk.Example, fs.NArg())
	for i, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return errorf(e, "không mở được tệp", "cannot open the file", err)
		}
		sets[i], err = risk.ReadExamples(f)
		f.Close()
		if err != nil {
			return errorf(e, "tệp ví dụ hỏng", "malformed examples file", fmt.Errorf("%s: %w", name, err))
		}
	}
	eng, ok := riskEngine(ctx, e, cfg, *lists)
	if !ok {
		return 1
	}
	for i, name := range fs.Args() {
		rep := risk.Evaluate(eng, sets[i])
		if fs.NArg() > 1 || i > 0 {
			fmt.Fprintf(e.Stdout, "== %s ==\n", name)
		}
		if err := rep.WriteText(e.Stdout); err != nil {
			return errorf(e, "không ghi được báo cáo", "cannot write the report", err)
		}
		for j, m := range rep.Misses {
			if j >= *misses {
				break
			}
			if j == 0 {
				fmt.Fprintln(e.Stdout, "\nmistakes:")
			}
			fmt.Fprintf(e.Stdout, "  %-14s labels=%v level=%s top=%s %q\n", m.Kind, m.Labels, m.Level, m.Top, shorten(m.Text, 90))
		}
		if i < fs.NArg()-1 {
			fmt.Fprintln(e.Stdout)
		}
	}
	return 0
}
