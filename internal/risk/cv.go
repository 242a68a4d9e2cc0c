package risk

import (
	"fmt"
	"math/rand/v2"
)

// CVReport is the result of CrossValidate: every example scored by a model
// that did not see it.
type CVReport struct {
	Folds int
	// Combined is the rules with the fold's model, as the Engine scores.
	Combined Report
	// ModelOnly is the fold's model without rules.
	ModelOnly Report
	// Rules is the rules alone (no model; not cross-validated: the rules
	// were written with the whole corpus in view).
	Rules Report
	// combined holds the cross-validated results by example, for Slice.
	combined []Result
}

// Slice evaluates the cross-validated results (rules with the fold's
// model) of examples [from, to) of ex, the examples CrossValidate was
// given: for instance lines added to the corpus after the rules were
// written, which the rules have not been tuned on either.
func (r CVReport) Slice(ex []Example, from, to int) Report {
	from, to = max(from, 0), min(to, len(ex), len(r.combined))
	if from >= to {
		return Report{}
	}
	return evaluateResults(ex[from:to], r.combined[from:to])
}

// CrossValidate splits ex into folds stratified by main label (first
// label, or benign) in an order shuffled by cfg.Seed, trains a model on
// all folds but one with cfg, and scores the left-out fold with it.
func CrossValidate(ex []Example, rules *Rules, cfg TrainConfig, folds int) (CVReport, error) {
	if folds < 2 || folds > len(ex) {
		return CVReport{}, fmt.Errorf("cross-validation: %d folds for %d examples", folds, len(ex))
	}
	fold := stratifiedFolds(ex, folds, cfg.Seed)
	combined := make([]Result, len(ex))
	alone := make([]Result, len(ex))
	for k := range folds {
		var train []Example
		for i, x := range ex {
			if fold[i] != k {
				train = append(train, x)
			}
		}
		m, err := Train(train, cfg)
		if err != nil {
			return CVReport{}, fmt.Errorf("cross-validation fold %d: %w", k+1, err)
		}
		e, err := New(rules, Options{Model: m})
		if err != nil {
			return CVReport{}, fmt.Errorf("cross-validation fold %d: %w", k+1, err)
		}
		a, err := New(&Rules{}, Options{Model: m})
		if err != nil {
			return CVReport{}, fmt.Errorf("cross-validation fold %d: %w", k+1, err)
		}
		for i, x := range ex {
			if fold[i] == k {
				combined[i] = e.Score(x.Text)
				alone[i] = a.Score(x.Text)
			}
		}
	}
	r, err := New(rules, Options{NoModel: true})
	if err != nil {
		return CVReport{}, fmt.Errorf("cross-validation: %w", err)
	}
	return CVReport{Folds: folds, combined: combined, Combined: evaluateResults(ex, combined),
		ModelOnly: evaluateResults(ex, alone), Rules: Evaluate(r, ex)}, nil
}

// stratifiedFolds assigns each example a fold in [0, k): the examples of
// each main label are shuffled and dealt round-robin.
func stratifiedFolds(ex []Example, k int, seed uint64) []int {
	groups := map[string][]int{}
	var names []string
	for i, x := range ex {
		name := "benign"
		if len(x.Labels) > 0 {
			name = x.Labels[0]
		}
		if _, ok := groups[name]; !ok {
			names = append(names, name)
		}
		groups[name] = append(groups[name], i)
	}
	rng := rand.New(rand.NewPCG(seed, seed+1))
	fold := make([]int, len(ex))
	next := 0
	for _, name := range names {
		g := groups[name]
		rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		for _, i := range g {
			fold[i] = next % k
			next++
		}
	}
	return fold
}
