package risk

import (
	"bytes"
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
