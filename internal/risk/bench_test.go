package risk

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. On a shared machine wall
// time overstates the cost; CPU time per message is what "per core" means.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchMessage is a 1 KB message mixing scam phrasing, teencode,
// obfuscation, amounts and a link.
func benchMessage() string {
	base := "Thầy là giáo viên chủ nhiệm lớp 8B, thầy đang ở bệnh viện cần gấppp 3 triệu, phụ huynh c.h.u.y.ể.n k.h.o.ả.n giúp thầy vào stk 0123 4567 89, ko nói vs ai nha, mai thầy gửi lại. Link xác minh: vietcombank-xacminh.com . "
	var b strings.Builder
	for b.Len() < 1024 {
		b.WriteString(base)
	}
	return b.String()[:1024]
}

func BenchmarkScore1KB(b *testing.B) {
	e := newDefaultEngine(b)
	msg := benchMessage()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		e.Score(msg)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
	if cpu := cpuTime() - c0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "msg/cpu-s")
	}
}

func BenchmarkNormalize1KB(b *testing.B) {
	msg := benchMessage()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(msg)
	}
}

// BenchmarkScore1KBPlain scores an ordinary 1 KB chat message with
// diacritics and no obfuscation, the common case.
func BenchmarkScore1KBPlain(b *testing.B) {
	e := newDefaultEngine(b)
	base := "Mẹ ơi chiều nay con ở lại trường tập văn nghệ, khoảng năm giờ con về, mẹ không cần đón đâu ạ. Tối nay lớp con có bài kiểm tra Toán nên con sẽ ôn bài sớm. "
	var sb strings.Builder
	for sb.Len() < 1024 {
		sb.WriteString(base)
	}
	msg := sb.String()[:1024]
	for len(msg) > 0 && msg[len(msg)-1]&0xC0 == 0x80 {
		msg = msg[:len(msg)-1]
	}
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		e.Score(msg)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
	if cpu := cpuTime() - c0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "msg/cpu-s")
	}
}
