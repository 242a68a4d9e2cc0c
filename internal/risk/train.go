package risk

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// TrainConfig are the settings of Train. DefaultTrainConfig gives the ones
// the embedded model was trained with, chosen by cross-validation on the
// training corpus (see RULES.md).
type TrainConfig struct {
	Features FeatureConfig
	// Epochs of stochastic gradient descent over the examples, in an order
	// shuffled by Seed.
	Epochs       int
	LearningRate float64
	// L2 is the weight decay applied to the features of each example.
	L2 float64
	// MinDocs drops features found in fewer training messages: a feature
	// seen once says more about that message than about the category.
	MinDocs int
	// BenignWeight multiplies the gradient of benign examples: the corpus
	// is mostly harmful, the messages children receive mostly are not.
	BenignWeight float64
	Seed         uint64
	// Lift is the probability of a category from which the engine raises
	// it to at least level medium when the rules found some evidence for
	// it but less than medium; LiftAlone is the probability needed when
	// the rules found nothing for it.
	Lift      float64
	LiftAlone float64
	// Veto is the probability of "benign" from which the engine lowers a
	// category the rules put at medium or high (not one with a rule's or
	// combination's floor) to low, unless the model also gives it Lift.
	// 1 disables it.
	Veto float64
	// Calibrate is the number of folds of the out-of-fold predictions a
	// temperature is fitted to (minimum log loss), so that the model's
	// probabilities mean what they say; 0 keeps the raw probabilities.
	Calibrate int
	// MinTokens is the number of tokens a message needs before the model
	// may raise a category the rules found nothing for, or lower an alarm
	// of the rules: a few words say too little about a message.
	MinTokens int
}

// DefaultTrainConfig returns the settings of the embedded model.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{
		Features:     FeatureConfig{Words: true, Bigrams: true},
		Epochs:       150,
		LearningRate: 8,
		L2:           1e-4,
		MinDocs:      3,
		BenignWeight: 1,
		Seed:         20261127,
		Lift:         0.5,
		LiftAlone:    0.6,
		Veto:         0.85,
		Calibrate:    5,
		MinTokens:    8,
	}
}

// ErrNoExamples is returned by Train when it has nothing to learn from.
var ErrNoExamples = errors.New("risk: no training examples")

type sparse struct {
	idx int32
	val float64
}

// Limits of the fitted temperature.
const (
	minTemp = 0.25
	maxTemp = 64
)

// Train fits a Model to labelled examples. The result depends only on the
// examples (in order) and cfg: training is deterministic.
func Train(ex []Example, cfg TrainConfig) (*Model, error) {
	if len(ex) == 0 {
		return nil, ErrNoExamples
	}
	if cfg.Calibrate < 0 || cfg.Calibrate == 1 || cfg.Calibrate > len(ex) || cfg.MinTokens < 0 || cfg.MinTokens > math.MaxUint16 {
		return nil, fmt.Errorf("training: calibration folds %d, minimum tokens %d out of range", cfg.Calibrate, cfg.MinTokens)
	}
	m, err := train(ex, cfg)
	if err != nil {
		return nil, err
	}
	m.minTokens = uint16(cfg.MinTokens)
	if cfg.Calibrate == 0 {
		return m, nil
	}
	// Out-of-fold logits: each example scored by a model that did not see
	// it, as the engine meets new messages.
	fold := stratifiedFolds(ex, cfg.Calibrate, cfg.Seed)
	zs := make([][numClasses]float64, len(ex))
	var hs []uint32
	for k := range cfg.Calibrate {
		var part []Example
		for i, x := range ex {
			if fold[i] != k {
				part = append(part, x)
			}
		}
		if len(part) == 0 {
			continue
		}
		fm, err := train(part, cfg)
		if err != nil {
			return nil, fmt.Errorf("calibration fold %d: %w", k+1, err)
		}
		for i, x := range ex {
			if fold[i] == k {
				hs = cfg.Features.appendFeatures(Normalize(x.Text).Tokens, hs[:0])
				zs[i] = fm.logits(hs)
			}
		}
	}
	m.temp = float32(fitTemperature(ex, zs))
	return m, nil
}

// fitTemperature returns the temperature T in [minTemp, maxTemp] on a
// logarithmic grid that minimises the log loss of softmax(z/T) against
// the examples' labels.
func fitTemperature(ex []Example, zs [][numClasses]float64) float64 {
	best, bestLoss := 1.0, math.Inf(1)
	const steps = 400
	for s := 0; s <= steps; s++ {
		t := minTemp * math.Pow(maxTemp/minTemp, float64(s)/steps)
		loss := 0.0
		for i, x := range ex {
			var z [numClasses]float64
			for c := range z {
				z[c] = zs[i][c] / t
			}
			p := softmax(z)
			y := target(x.Labels)
			for c := range y {
				if y[c] > 0 {
					loss -= y[c] * math.Log(max(p[c], 1e-300))
				}
			}
		}
		if loss < bestLoss {
			best, bestLoss = t, loss
		}
	}
	return float64(float32(best))
}

// train fits the model without calibration.
func train(ex []Example, cfg TrainConfig) (*Model, error) {
	if cfg.Epochs <= 0 || cfg.LearningRate <= 0 || cfg.L2 < 0 || cfg.BenignWeight <= 0 {
		return nil, fmt.Errorf("training: epochs %d, learning rate %v, L2 %v out of range", cfg.Epochs, cfg.LearningRate, cfg.L2)
	}
	if !(cfg.Lift > 0 && cfg.Lift <= 1) || !(cfg.LiftAlone > 0 && cfg.LiftAlone <= 1) || !(cfg.Veto > 0 && cfg.Veto <= 1) {
		return nil, fmt.Errorf("training: lift %v, veto %v not in (0, 1]", cfg.Lift, cfg.Veto)
	}
	if cfg.Features.CharMin > cfg.Features.CharMax || cfg.Features.CharMax > 8 || (cfg.Features.CharMax > 0 && cfg.Features.CharMin < 1) {
		return nil, fmt.Errorf("training: character n-grams %d–%d out of range", cfg.Features.CharMin, cfg.Features.CharMax)
	}
	// Features of each example: distinct hashes with their count scaled by
	// 1/√(all occurrences), as Model.predict weighs them.
	type counted struct {
		h   uint32
		val float64
	}
	docs := make([][]counted, len(ex))
	df := map[uint32]int{}
	var hs []uint32
	for i, x := range ex {
		hs = cfg.Features.appendFeatures(Normalize(x.Text).Tokens, hs[:0])
		if len(hs) == 0 {
			continue
		}
		v := float64(float32(1 / math.Sqrt(float64(len(hs)))))
		slices.Sort(hs)
		for j := 0; j < len(hs); {
			k := j
			for k < len(hs) && hs[k] == hs[j] {
				k++
			}
			docs[i] = append(docs[i], counted{hs[j], float64(k-j) * v})
			df[hs[j]]++
			j = k
		}
	}
	var vocab []uint32
	for h, n := range df {
		if n >= cfg.MinDocs {
			vocab = append(vocab, h)
		}
	}
	slices.Sort(vocab)
	index := make(map[uint32]int32, len(vocab))
	for i, h := range vocab {
		index[h] = int32(i)
	}
	xs := make([][]sparse, len(ex))
	ys := make([][numClasses]float64, len(ex))
	for i, d := range docs {
		for _, c := range d {
			if j, ok := index[c.h]; ok {
				xs[i] = append(xs[i], sparse{j, c.val})
			}
		}
		ys[i] = target(ex[i].Labels)
	}

	w := make([]float64, len(vocab)*numClasses)
	var bias [numClasses]float64
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	for epoch := range cfg.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := cfg.LearningRate / (1 + 0.2*float64(epoch))
		for _, i := range order {
			p := softmax(logits(w, bias, xs[i]))
			var g [numClasses]float64
			cw := 1.0
			if ys[i][benignCls] == 1 {
				cw = cfg.BenignWeight
			}
			for c := range g {
				g[c] = float64(cw * (p[c] - ys[i][c]))
			}
			for _, f := range xs[i] {
				row := w[int(f.idx)*numClasses : int(f.idx)*numClasses+numClasses]
				for c := range row {
					// Separate products keep the arithmetic the same on
					// every architecture (no fused multiply-add).
					grad := float64(g[c]*f.val) + float64(cfg.L2*row[c])
					row[c] -= float64(lr * grad)
				}
			}
			for c := range bias {
				bias[c] -= float64(lr * g[c])
			}
		}
	}
	m := quantize(cfg.Features, vocab, w, bias)
	m.lift, m.liftAlone, m.veto = float32(cfg.Lift), float32(cfg.LiftAlone), float32(cfg.Veto)
	return m, nil
}

// target spreads an example's probability evenly over its labels.
func target(labels []string) [numClasses]float64 {
	var y [numClasses]float64
	n := 0
	for _, l := range labels {
		if Category(l).index() >= 0 {
			n++
		}
	}
	if n == 0 {
		y[benignCls] = 1
		return y
	}
	for _, l := range labels {
		if i := Category(l).index(); i >= 0 {
			y[i] += 1 / float64(n)
		}
	}
	return y
}

func logits(w []float64, bias [numClasses]float64, x []sparse) [numClasses]float64 {
	z := bias
	for _, f := range x {
		row := w[int(f.idx)*numClasses : int(f.idx)*numClasses+numClasses]
		for c := range z {
			z[c] += float64(row[c] * f.val)
		}
	}
	return z
}

// quantize stores weights as int16 steps of one scale, drops features
// whose weights all round to zero, and returns the model exactly as
// ParseModel would read it back.
func quantize(feat FeatureConfig, vocab []uint32, w []float64, bias [numClasses]float64) *Model {
	mx := 0.0
	for _, x := range w {
		mx = max(mx, math.Abs(x))
	}
	scale := float32(1)
	if mx > 0 {
		scale = float32(mx / 32767)
	}
	var hashes []uint32
	var ws []float32
	for i, h := range vocab {
		var q [numClasses]int16
		zero := true
		for c := range q {
			q[c] = int16(math.Round(w[i*numClasses+c] / float64(scale)))
			zero = zero && q[c] == 0
		}
		if zero {
			continue
		}
		hashes = append(hashes, h)
		for c := range q {
			ws = append(ws, float32(q[c])*scale)
		}
	}
	var b [numClasses]float32
	for c := range b {
		b[c] = float32(bias[c])
	}
	return newModel(feat, scale, b, hashes, ws)
}
