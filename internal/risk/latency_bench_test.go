package risk

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkScore1KBLatency times every Score call on the obfuscated 1 KB
// message and reports the median, p99 and p99.9 of one message's scoring.
func BenchmarkScore1KBLatency(b *testing.B) {
	e := newDefaultEngine(b)
	msg := benchMessage()
	durs := make([]time.Duration, 0, 1<<16)
	for b.Loop() {
		t0 := time.Now()
		e.Score(msg)
		durs = append(durs, time.Since(t0))
	}
	slices.Sort(durs)
	q := func(p float64) float64 { return float64(durs[int(float64(len(durs)-1)*p)].Microseconds()) }
	b.ReportMetric(q(0.5), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(q(0.999), "p99.9-µs")
}
