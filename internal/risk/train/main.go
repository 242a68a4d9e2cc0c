// Command train fits the statistical model of the risk engine to the
// labelled corpus and writes it, or with -cv prints cross-validated
// figures. Run from the repository root or through
// "go generate ./internal/risk".
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"manglanh/internal/risk"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run() error {
	def := risk.DefaultTrainConfig()
	corpus := flag.String("corpus", "", "labelled JSONL to train on (default: testdata/corpus.jsonl of the risk package)")
	out := flag.String("out", "", "where to write the model (default: model/weights.bin of the risk package)")
	misses := flag.Bool("misses", false, "with -cv, list the cross-validated false alarms and misses")
	cv := flag.Int("cv", 0, "print k-fold cross-validation figures instead of writing the model")
	charMin := flag.Int("char-min", def.Features.CharMin, "shortest character n-gram (0 with -char-max 0: none)")
	charMax := flag.Int("char-max", def.Features.CharMax, "longest character n-gram")
	bigrams := flag.Bool("bigrams", def.Features.Bigrams, "word pairs as features")
	epochs := flag.Int("epochs", def.Epochs, "epochs of gradient descent")
	lr := flag.Float64("lr", def.LearningRate, "learning rate")
	l2 := flag.Float64("l2", def.L2, "L2 weight decay")
	minDocs := flag.Int("min-docs", def.MinDocs, "drop features in fewer messages")
	benign := flag.Float64("benign-weight", def.BenignWeight, "weight of benign examples")
	lift := flag.Float64("lift", def.Lift, "probability from which a category is raised to medium")
	liftAlone := flag.Float64("lift-alone", def.LiftAlone, "probability from which a category the rules did not see is raised to medium")
	veto := flag.Float64("veto", def.Veto, "benign probability from which rule alarms are lowered (1: never)")
	since := flag.Int("since", 0, "with -cv, also print the figures of the corpus lines from this one (1-based) on")
	calibrate := flag.Int("calibrate", def.Calibrate, "folds of the out-of-fold predictions the temperature is fitted to (0: none)")
	minTokens := flag.Int("min-tokens", def.MinTokens, "tokens a message needs before the model alone may raise a category")
	flag.Parse()

	dir, err := packageDir()
	if err != nil {
		return err
	}
	if *corpus == "" {
		*corpus = filepath.Join(dir, "testdata", "corpus.jsonl")
	}
	if *out == "" {
		*out = filepath.Join(dir, "model", "weights.bin")
	}
	cfg := def
	cfg.Features.CharMin, cfg.Features.CharMax, cfg.Features.Bigrams = *charMin, *charMax, *bigrams
	cfg.Calibrate, cfg.MinTokens = *calibrate, *minTokens
	cfg.Epochs, cfg.LearningRate, cfg.L2, cfg.MinDocs, cfg.Lift, cfg.Veto, cfg.BenignWeight, cfg.LiftAlone = *epochs, *lr, *l2, *minDocs, *lift, *veto, *benign, *liftAlone

	f, err := os.Open(*corpus)
	if err != nil {
		return fmt.Errorf("opening corpus: %w", err)
	}
	ex, err := risk.ReadExamples(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("reading %s: %w", *corpus, err)
	}
	if *cv > 0 {
		rules, err := risk.DefaultRules()
		if err != nil {
			return err
		}
		rep, err := risk.CrossValidate(ex, rules, cfg, *cv)
		if err != nil {
			return err
		}
		for _, part := range []struct {
			name string
			r    risk.Report
		}{{"rules + model (cross-validated)", rep.Combined}, {"model alone (cross-validated)", rep.ModelOnly}, {"rules alone (in-sample)", rep.Rules}} {
			fmt.Printf("== %s, %d folds, %s\n", part.name, rep.Folds, *corpus)
			if err := part.r.WriteText(os.Stdout); err != nil {
				return err
			}
			fmt.Println()
		}
		if *since > 0 {
			fmt.Printf("== rules + model (cross-validated), lines %d–%d of %s\n", *since, len(ex), *corpus)
			if err := rep.Slice(ex, *since-1, len(ex)).WriteText(os.Stdout); err != nil {
				return err
			}
			fmt.Println()
		}
		if *misses {
			for _, x := range rep.Combined.Misses {
				fmt.Printf("%-14s %v level=%s top=%s: %s\n", x.Kind, x.Labels, x.Level, x.Top, x.Text)
			}
		}
		return nil
	}
	m, err := risk.Train(ex, cfg)
	if err != nil {
		return err
	}
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return fmt.Errorf("writing model: %w", err)
	}
	fmt.Printf("wrote %s: %d features, %d bytes, temperature %.3f, from %d examples\n", *out, m.Size(), len(b), m.Temperature(), len(ex))
	return nil
}

// packageDir finds internal/risk from the working directory: go generate
// runs in the package directory, a person usually at the repository root.
func packageDir() (string, error) {
	for _, d := range []string{".", "internal/risk"} {
		if _, err := os.Stat(filepath.Join(d, "rules", "default.yaml")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("run from the repository root or internal/risk")
}
