package risk

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestModelReproducible retrains the model from the repository's corpus
// with DefaultTrainConfig and checks it is the embedded file, byte for
// byte: the committed weights are what "go generate" makes.
func TestModelReproducible(t *testing.T) {
	ex := loadExamples(t, "testdata/corpus.jsonl")
	m, err := Train(ex, DefaultTrainConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, defaultModelBytes) {
		t.Fatalf("retrained model (%d bytes) differs from model/weights.bin (%d bytes): run go generate ./internal/risk", len(b), len(defaultModelBytes))
	}
}

func TestModelRoundTrip(t *testing.T) {
	t.Parallel()
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, defaultModelBytes) {
		t.Fatal("parse and marshal does not give the same bytes")
	}
	if m.Size() < 100 || !m.Features().Words {
		t.Fatalf("default model has %d features, config %+v", m.Size(), m.Features())
	}
}

func TestParseModelErrors(t *testing.T) {
	t.Parallel()
	for _, b := range [][]byte{nil, []byte("MLRISKM"), []byte("not a model at all, really not"),
		defaultModelBytes[:len(defaultModelBytes)-3], append(bytes.Clone(defaultModelBytes), 0)} {
		if _, err := ParseModel(b); !errors.Is(err, ErrBadModel) {
			t.Errorf("ParseModel(%d bytes) error = %v, want ErrBadModel", len(b), err)
		}
	}
}

// TestModelLearns trains on a toy set and checks the model tells the
// categories apart on words it saw, written differently.
func TestModelLearns(t *testing.T) {
	t.Parallel()
	var ex []Example
	for range 3 {
		ex = append(ex,
			Example{Text: "chuyển khoản gấp cho thầy 3 triệu", Labels: []string{"scam"}},
			Example{Text: "chuyen khoan gap vao stk nay", Labels: []string{"scam"}},
			Example{Text: "vào chơi tài xỉu nổ hũ đi", Labels: []string{"gambling"}},
			Example{Text: "tai xiu no hu doi thuong", Labels: []string{"gambling"}},
			Example{Text: "chiều nay con về muộn", Labels: nil},
			Example{Text: "mai lớp mình đi tham quan", Labels: nil},
		)
	}
	cfg := DefaultTrainConfig()
	m, err := Train(ex, cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := m.Predict("ck gấp giúp thầy")
	if p[Scam] < 0.5 {
		t.Errorf("p(scam | ck gấp giúp thầy) = %.2f", p[Scam])
	}
	p, benign := m.Predict("tối nay con về muộn")
	if benign < 0.5 {
		t.Errorf("p(benign | tối nay con về muộn) = %.2f (%v)", benign, p)
	}
	if _, err := Train(nil, cfg); !errors.Is(err, ErrNoExamples) {
		t.Errorf("Train(nil) error = %v", err)
	}
	cfg.Lift = 0
	if _, err := Train(ex, cfg); err == nil {
		t.Error("Train accepted lift 0")
	}
}

// TestModelExplains checks that a category the model lifts carries a
// reason in both languages naming words of the message.
func TestModelExplains(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	rules, err := New(mustDefault(t), Options{NoModel: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range loadExamples(t, "testdata/corpus.jsonl") {
		res := e.Score(x.Text)
		for _, r := range res.Reasons {
			if r.Signal != "model" || r.Category == "" {
				continue
			}
			found = true
			if !strings.HasPrefix(r.Vi, "Mô hình thống kê: giống các tin ") || !strings.HasPrefix(r.En, "Statistical model: similar to known ") {
				t.Fatalf("model reason %+v", r)
			}
		}
		if rules.Score(x.Text).Level >= LevelMedium && res.Level < LevelLow {
			t.Errorf("the model silenced a rule alarm entirely: %s", x.Text)
		}
	}
	if !found {
		t.Fatal("no model reason on the whole corpus")
	}
	if _, err := os.Stat("model/weights.bin"); err != nil {
		t.Fatal(err)
	}
}

func FuzzParseModel(f *testing.F) {
	f.Add(defaultModelBytes)
	f.Add([]byte("MLRISKM\x01\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseModel(b)
		if err != nil {
			return
		}
		out, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseModel(out); err != nil {
			t.Fatalf("re-parsing a marshalled model: %v", err)
		}
		m.Predict("chuyển khoản gấp 3 triệu")
	})
}

// TestFitTemperature checks the temperature goes up for overconfident
// scores and down for timid ones.
func TestFitTemperature(t *testing.T) {
	t.Parallel()
	var ex []Example
	var over, timid [][numClasses]float64
	for i := range 40 {
		label := []string{"scam"}
		if i%4 == 0 {
			label = nil // a quarter of the confident "scam" answers are wrong
		}
		ex = append(ex, Example{Text: "x", Labels: label})
		var z [numClasses]float64
		z[0] = 12
		over = append(over, z)
		z[0] = 0.3
		timid = append(timid, z)
	}
	if T := fitTemperature(ex, over); T <= 2 {
		t.Errorf("temperature for overconfident scores = %v, want > 2", T)
	}
	if T := fitTemperature(ex, timid); T >= 1 {
		t.Errorf("temperature for timid scores = %v, want < 1", T)
	}
}

// TestModelCalibrated checks that Train stores a fitted temperature and
// that a model file with an impossible one is refused.
func TestModelCalibrated(t *testing.T) {
	t.Parallel()
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	if T := m.Temperature(); T == 1 || T < minTemp || T > maxTemp {
		t.Errorf("default model temperature %v: not fitted", T)
	}
	b := bytes.Clone(defaultModelBytes)
	// magic, version, classes, 4 feature bytes, then scale, lift, lift
	// alone, veto and the temperature.
	off := len(modelMagic) + 6 + 16
	for _, bad := range []uint32{0, 0x7fc00000 /* NaN */, 0x42c80000 /* 100 */} {
		binary.LittleEndian.PutUint32(b[off:], bad)
		if _, err := ParseModel(b); !errors.Is(err, ErrBadModel) {
			t.Errorf("temperature bits %#x accepted: %v", bad, err)
		}
	}
}

// TestModelNeedsWords checks that the model alone does not raise a
// message shorter than MinTokens, and does raise a longer one.
func TestModelNeedsWords(t *testing.T) {
	t.Parallel()
	var ex []Example
	for range 3 {
		ex = append(ex,
			Example{Text: "vào chơi tài xỉu nổ hũ đi", Labels: []string{"gambling"}},
			Example{Text: "tai xiu no hu doi thuong", Labels: []string{"gambling"}},
			Example{Text: "chiều nay con về muộn", Labels: nil},
			Example{Text: "mai lớp mình đi tham quan", Labels: nil},
		)
	}
	cfg := DefaultTrainConfig()
	cfg.Calibrate = 0
	cfg.LiftAlone = 0.5
	cfg.MinTokens = 8
	m, err := Train(ex, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(&Rules{}, Options{Model: m})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := m.Predict("tài xỉu nổ hũ"); p[Gambling] < 0.5 {
		t.Fatalf("toy model p(gambling) = %.2f", p[Gambling])
	}
	if r := e.Score("tài xỉu nổ hũ"); r.Level >= LevelMedium {
		t.Errorf("3 words lifted by the model alone: %v %v", r.Top(), r.Level)
	}
	long := "tài xỉu nổ hũ tài xỉu nổ hũ tài xỉu nổ hũ"
	if p, _ := m.Predict(long); p[Gambling] < 0.5 {
		t.Fatalf("toy model p(gambling | long) = %.2f", p[Gambling])
	}
	if r := e.Score(long); r.Top() != Gambling || r.Level < LevelMedium {
		t.Errorf("12 words not lifted by the model alone: %v %v", r.Top(), r.Level)
	}
	cfg.MinTokens = -1
	if _, err := Train(ex, cfg); err == nil {
		t.Error("Train accepted MinTokens -1")
	}
}

// TestModelTop checks that the model names the top category only when it
// clearly prefers another alarmed one, keeping the message's level.
func TestModelTop(t *testing.T) {
	t.Parallel()
	e := newDefaultEngine(t)
	cats := func() []CategoryScore {
		return []CategoryScore{{Category: Scam, Score: 5, Level: LevelHigh},
			{Category: Grooming, Score: 3, Level: LevelMedium}, {Category: Sextortion, Score: 2.6, Level: LevelMedium}}
	}
	var p [numClasses]float64
	p[Scam.index()], p[Sextortion.index()], p[Grooming.index()] = 0.2, 0.7, 0.1
	c := cats()
	e.modelTop(c, &p)
	if c[0].Category != Sextortion || c[0].Level != LevelHigh || c[1].Category != Scam || c[2].Category != Grooming {
		t.Errorf("model prefers sextortion 0.7 to scam 0.2: %+v", c)
	}
	p[Scam.index()] = 0.4 // not twice as likely
	c = cats()
	e.modelTop(c, &p)
	if c[0].Category != Scam {
		t.Errorf("model preference 0.7 vs 0.4 reordered: %+v", c)
	}
	p[Scam.index()], p[Sextortion.index()] = 0.1, 0.3 // below lift
	c = cats()
	e.modelTop(c, &p)
	if c[0].Category != Scam {
		t.Errorf("probability below lift reordered: %+v", c)
	}
}
