package risk

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

//go:generate go run ./train -out model/weights.bin

//go:embed model/weights.bin
var defaultModelBytes []byte

// numClasses is the model's classes: the harm categories in Categories
// order, then benign.
const (
	numClasses = numCategories + 1
	benignCls  = numCategories
)

// modelMagic starts a serialised Model; the byte after it is the format
// version.
const (
	modelMagic   = "MLRISKM"
	modelVersion = 2
)

// FeatureConfig says which features of a normalised message the model
// reads. Every feature is hashed (FNV-1a, 32 bits), so no vocabulary is
// stored and unseen words cost nothing.
type FeatureConfig struct {
	// Words adds each token's diacritic-free key (numbers, amounts and
	// account numbers as their class: <num>, <money>, <acct>).
	Words bool
	// Bigrams adds pairs of adjacent keys not separated by punctuation.
	Bigrams bool
	// CharMin and CharMax bound the character n-grams of the space-joined
	// keys (0 disables them); they survive spelling variants and typos.
	CharMin, CharMax int
}

// Model is a multinomial logistic regression over hashed features of a
// normalised message, trained by Train on labelled examples. It is
// immutable and safe for concurrent use.
type Model struct {
	feat  FeatureConfig
	scale float32 // weights are stored as int16 × scale
	// lift, liftAlone and veto are those of TrainConfig.
	lift, liftAlone, veto float32
	// temp divides the logits (temperature scaling): fitted on
	// out-of-fold predictions so that probabilities are calibrated.
	temp float32
	// minTokens is TrainConfig.MinTokens.
	minTokens uint16
	bias      [numClasses]float32
	// Open-addressing table from feature hash to row of w.
	keys []uint32 // 0 = empty slot
	rows []int32
	mask uint32
	w    []float32 // len(rows used) × numClasses
	n    int
}

// ErrBadModel is returned by ParseModel for data that is not a model.
var ErrBadModel = errors.New("risk: not a model file")

// DefaultModel parses the model embedded in the binary (model/weights.bin,
// written by "go generate ./internal/risk").
func DefaultModel() (*Model, error) {
	m, err := ParseModel(defaultModelBytes)
	if err != nil {
		return nil, fmt.Errorf("parsing default model: %w", err)
	}
	return m, nil
}

// Features returns the features the model reads.
func (m *Model) Features() FeatureConfig { return m.feat }

// Temperature returns the number the model divides its scores by before
// turning them into probabilities (1: not calibrated).
func (m *Model) Temperature() float64 { return float64(m.temp) }

// Size returns the number of features with weights.
func (m *Model) Size() int { return m.n }

// MarshalBinary encodes the model: magic, version, feature configuration,
// scale, lift, lift alone, veto, temperature (float32 little-endian),
// minimum tokens (uint16), biases, then the features in ascending hash order, each as the
// varint gap from the previous hash and numClasses little-endian int16
// weights. The encoding of a model is deterministic.
func (m *Model) MarshalBinary() ([]byte, error) {
	b := []byte(modelMagic)
	b = append(b, modelVersion, numClasses, boolByte(m.feat.Words), boolByte(m.feat.Bigrams),
		byte(m.feat.CharMin), byte(m.feat.CharMax))
	for _, x := range []float32{m.scale, m.lift, m.liftAlone, m.veto, m.temp} {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	b = binary.LittleEndian.AppendUint16(b, m.minTokens)
	for _, x := range m.bias {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	type ent struct {
		h   uint32
		row int32
	}
	ents := make([]ent, 0, m.n)
	for i, k := range m.keys {
		if k != 0 {
			ents = append(ents, ent{k, m.rows[i]})
		}
	}
	slices.SortFunc(ents, func(a, b ent) int {
		if a.h < b.h {
			return -1
		}
		if a.h > b.h {
			return 1
		}
		return 0
	})
	b = binary.AppendUvarint(b, uint64(len(ents)))
	prev := uint32(0)
	for _, e := range ents {
		b = binary.AppendUvarint(b, uint64(e.h-prev))
		prev = e.h
		for c := range numClasses {
			q := int16(math.Round(float64(m.w[int(e.row)*numClasses+c] / m.scale)))
			b = binary.LittleEndian.AppendUint16(b, uint16(q))
		}
	}
	return b, nil
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// ParseModel decodes a model written by MarshalBinary.
func ParseModel(b []byte) (*Model, error) {
	if len(b) < len(modelMagic)+6+22+4*numClasses || string(b[:len(modelMagic)]) != modelMagic {
		return nil, ErrBadModel
	}
	p := b[len(modelMagic):]
	if p[0] != modelVersion {
		return nil, fmt.Errorf("model version %d: %w", p[0], ErrBadModel)
	}
	if p[1] != numClasses {
		return nil, fmt.Errorf("model has %d classes, want %d: %w", p[1], numClasses, ErrBadModel)
	}
	feat := FeatureConfig{Words: p[2] == 1, Bigrams: p[3] == 1, CharMin: int(p[4]), CharMax: int(p[5])}
	if feat.CharMin > feat.CharMax || feat.CharMax > 8 {
		return nil, fmt.Errorf("model character n-grams %d–%d: %w", feat.CharMin, feat.CharMax, ErrBadModel)
	}
	p = p[6:]
	scale := math.Float32frombits(binary.LittleEndian.Uint32(p))
	lift := math.Float32frombits(binary.LittleEndian.Uint32(p[4:]))
	liftAlone := math.Float32frombits(binary.LittleEndian.Uint32(p[8:]))
	veto := math.Float32frombits(binary.LittleEndian.Uint32(p[12:]))
	temp := math.Float32frombits(binary.LittleEndian.Uint32(p[16:]))
	minTokens := binary.LittleEndian.Uint16(p[20:])
	p = p[22:]
	if !(scale > 0) || !(lift > 0 && lift <= 1) || !(liftAlone > 0 && liftAlone <= 1) || !(veto > 0 && veto <= 1) ||
		!(temp >= minTemp && temp <= maxTemp) {
		return nil, fmt.Errorf("model scale %v, lift %v/%v, veto %v, temperature %v: %w", scale, lift, liftAlone, veto, temp, ErrBadModel)
	}
	var bias [numClasses]float32
	for c := range bias {
		bias[c] = math.Float32frombits(binary.LittleEndian.Uint32(p))
		p = p[4:]
	}
	n, k := binary.Uvarint(p)
	if k <= 0 || n > uint64(len(p))/(2*numClasses) {
		return nil, fmt.Errorf("model feature count: %w", ErrBadModel)
	}
	p = p[k:]
	hashes := make([]uint32, 0, n)
	weights := make([]float32, 0, int(n)*numClasses)
	h := uint64(0)
	for range n {
		d, k := binary.Uvarint(p)
		if k <= 0 || (len(hashes) > 0 && d == 0) {
			return nil, fmt.Errorf("model feature %d: %w", len(hashes), ErrBadModel)
		}
		h += d
		if h == 0 || h > math.MaxUint32 || len(p) < k+2*numClasses {
			return nil, fmt.Errorf("model feature %d: %w", len(hashes), ErrBadModel)
		}
		p = p[k:]
		hashes = append(hashes, uint32(h))
		for range numClasses {
			weights = append(weights, float32(int16(binary.LittleEndian.Uint16(p)))*scale)
			p = p[2:]
		}
	}
	if len(p) != 0 {
		return nil, fmt.Errorf("model has %d trailing bytes: %w", len(p), ErrBadModel)
	}
	m := newModel(feat, scale, bias, hashes, weights)
	m.lift, m.liftAlone, m.veto, m.temp, m.minTokens = lift, liftAlone, veto, temp, minTokens
	return m, nil
}

// newModel builds the lookup table; hashes must be distinct and non-zero,
// weights hold numClasses values per hash.
func newModel(feat FeatureConfig, scale float32, bias [numClasses]float32, hashes []uint32, weights []float32) *Model {
	size := 16
	for size < 2*len(hashes) {
		size *= 2
	}
	m := &Model{feat: feat, scale: scale, bias: bias, temp: 1, keys: make([]uint32, size), rows: make([]int32, size),
		mask: uint32(size - 1), w: weights, n: len(hashes)}
	for i, h := range hashes {
		s := mix(h) & m.mask
		for m.keys[s] != 0 {
			s = (s + 1) & m.mask
		}
		m.keys[s] = h
		m.rows[s] = int32(i)
	}
	return m
}

// mix spreads a hash over the table's low bits.
func mix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x7feb352d
	h ^= h >> 15
	return h
}

// row returns the weights of feature h, or nil.
func (m *Model) row(h uint32) []float32 {
	s := mix(h) & m.mask
	for {
		k := m.keys[s]
		if k == h {
			r := int(m.rows[s]) * numClasses
			return m.w[r : r+numClasses : r+numClasses]
		}
		if k == 0 {
			return nil
		}
		s = (s + 1) & m.mask
	}
}

// FNV-1a, 32 bits. Each kind of feature starts from its own tag byte so a
// word and a character n-gram with the same bytes differ.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
	tagWord   = 'w'
	tagBigram = 'b'
	tagChar   = 'c'
)

func fnvByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * fnvPrime }

func fnvString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

// bigramHash combines the hashes of two adjacent keys.
func bigramHash(a, b uint32) uint32 {
	h := fnvByte(a, tagBigram)
	for range 4 {
		h = fnvByte(h, byte(b))
		b >>= 8
	}
	return nonZero(h)
}

func nonZero(h uint32) uint32 {
	if h == 0 {
		return 1
	}
	return h
}

// modelKey is what the model reads of a token: its key, or the class of a
// number.
func modelKey(t *Token) string {
	switch t.Kind {
	case KindMoney:
		return "<money>"
	case KindNumber:
		return "<num>"
	case KindPhone, KindDigits:
		return "<acct>"
	}
	return t.Key
}

// maxModelTokens bounds the tokens the model reads: the start of a long
// message says what it is about, and the cost stays bounded.
const maxModelTokens = 256

// appendFeatures appends the hashes of the features of toks to out.
func (f FeatureConfig) appendFeatures(toks []Token, out []uint32) []uint32 {
	toks = toks[:min(len(toks), maxModelTokens)]
	prevH := uint32(0)
	for i := range toks {
		k := modelKey(&toks[i])
		kh := fnvString(fnvByte(fnvOffset, tagWord), k)
		if f.Words {
			out = append(out, nonZero(kh))
		}
		if f.Bigrams && i > 0 && !toks[i].Break {
			out = append(out, bigramHash(prevH, kh))
		}
		prevH = kh
	}
	if f.CharMax == 0 {
		return out
	}
	// Character n-grams over " key key key ", computed from a window of
	// the last CharMax bytes.
	var win [8]byte
	n := 0
	push := func(c byte) {
		copy(win[:], win[1:])
		win[7] = c
		n++
		for size := f.CharMin; size <= f.CharMax && size <= n; size++ {
			h := fnvByte(fnvOffset, tagChar)
			for _, b := range win[8-size:] {
				h = fnvByte(h, b)
			}
			out = append(out, nonZero(h))
		}
	}
	push(' ')
	for i := range toks {
		k := modelKey(&toks[i])
		for j := 0; j < len(k); j++ {
			push(k[j])
		}
		push(' ')
	}
	return out
}

// predict returns the calibrated class probabilities for features hs.
func (m *Model) predict(hs []uint32) [numClasses]float64 {
	z := m.logits(hs)
	for c := range z {
		z[c] /= float64(m.temp)
	}
	return softmax(z)
}

// logits returns the uncalibrated scores of the classes for features hs,
// each occurrence weighing 1/√len(hs).
func (m *Model) logits(hs []uint32) [numClasses]float64 {
	var acc [numClasses]float32
	for _, h := range hs {
		if r := m.row(h); r != nil {
			for c := range numClasses {
				acc[c] += r[c]
			}
		}
	}
	v := float32(0)
	if len(hs) > 0 {
		v = float32(1 / math.Sqrt(float64(len(hs))))
	}
	var z [numClasses]float64
	for c := range numClasses {
		z[c] = float64(m.bias[c] + acc[c]*v)
	}
	return z
}

func softmax(z [numClasses]float64) [numClasses]float64 {
	mx := z[0]
	for _, x := range z[1:] {
		mx = max(mx, x)
	}
	sum := 0.0
	for c := range z {
		z[c] = math.Exp(z[c] - mx)
		sum += z[c]
	}
	for c := range z {
		z[c] /= sum
	}
	return z
}

// Predict returns the model's probability for each harm category and for
// a benign message (the last value), for text normalised by Normalize.
func (m *Model) Predict(text string) (probs map[Category]float64, benign float64) {
	t := Normalize(text)
	p := m.predict(m.feat.appendFeatures(t.Tokens, nil))
	probs = make(map[Category]float64, numCategories)
	for i, c := range Categories() {
		probs[c] = p[i]
	}
	return probs, p[benignCls]
}

// term is a word or pair of words of the message and how much it pushes
// towards a category rather than benign.
type term struct {
	start, end int
	push       float32
}

// topTerms returns up to n (at most 8) words or word pairs of toks that
// push most towards class c, in decreasing order, without overlaps. It
// keeps the best so far in a small array: no sorting, no allocation.
func (m *Model) topTerms(toks []Token, c, n int) []term {
	toks = toks[:min(len(toks), maxModelTokens)]
	var best [8]term
	n = min(n, len(best))
	k := 0
	consider := func(t term) {
		if t.push <= 0 {
			return
		}
		for i := range k {
			if t.start < best[i].end && best[i].start < t.end && t.push <= best[i].push {
				return
			}
		}
		// A stronger term replaces the weaker ones it overlaps.
		kept := 0
		for i := range k {
			if !(t.start < best[i].end && best[i].start < t.end) {
				best[kept] = best[i]
				kept++
			}
		}
		k = kept
		pos := k
		for pos > 0 && best[pos-1].push < t.push {
			pos--
		}
		if pos >= n {
			return
		}
		if k < n {
			k++
		}
		copy(best[pos+1:k], best[pos:k-1])
		best[pos] = t
	}
	prevH := uint32(0)
	for i := range toks {
		kh := fnvString(fnvByte(fnvOffset, tagWord), modelKey(&toks[i]))
		if m.feat.Words {
			if r := m.row(nonZero(kh)); r != nil {
				consider(term{toks[i].Start, toks[i].End, r[c] - r[benignCls]})
			}
		}
		if m.feat.Bigrams && i > 0 && !toks[i].Break {
			if r := m.row(bigramHash(prevH, kh)); r != nil {
				consider(term{toks[i-1].Start, toks[i].End, r[c] - r[benignCls]})
			}
		}
		prevH = kh
	}
	return best[:k]
}

// categoryName names category i in explanations, in Vietnamese and
// English.
func categoryName(i int) (vi, en string) {
	switch i {
	case 0:
		return "lừa đảo", "scam"
	case 1:
		return "cờ bạc", "gambling"
	case 2:
		return "dụ dỗ trẻ em (grooming)", "grooming"
	case 3:
		return "tống tiền bằng ảnh nhạy cảm", "sextortion"
	case 4:
		return "bắt nạt", "bullying"
	case 5:
		return "tự hại", "self-harm"
	}
	return "nội dung tình dục", "sexual content"
}

// modelReason explains the model's view of category i of text with the
// words that weigh most towards it.
func (e *Engine) modelReason(text string, toks []Token, i int, p float64) Reason {
	cv, ce := categoryName(i)
	vi := fmt.Sprintf("Mô hình thống kê: giống các tin %s đã biết (%.2f)", cv, p)
	en := fmt.Sprintf("Statistical model: similar to known %s messages (%.2f)", ce, p)
	if ts := e.model.topTerms(toks, i, 4); len(ts) > 0 {
		words := make([]string, 0, len(ts))
		for _, t := range ts {
			w := "“" + strings.ToLower(text[t.start:t.end]) + "”"
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
		vi += ", nhất là " + strings.Join(words, ", ")
		en += ", mostly " + strings.Join(words, ", ")
	}
	return Reason{Category: Categories()[i], Signal: "model", RuleID: "model." + string(Categories()[i]),
		Weight: math.Round(p*100) / 100, Vi: vi, En: en}
}
