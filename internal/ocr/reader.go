package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Reader runs Tesseract. The zero value is not usable: call New.
type Reader struct {
	cmd     string // resolved path, "" when not installed
	lang    string
	timeout time.Duration
	sem     chan struct{}
	wait    time.Duration

	once      sync.Once
	available bool
}

// Options of a Reader; zero fields take the defaults.
type Options struct {
	Command string        // default "tesseract" on $PATH
	Lang    string        // default "vie"
	Timeout time.Duration // per image, default 20 s
	// Parallel is how many images are read at once (default 1: Tesseract
	// uses a core per image); Wait is how long one waits for its turn
	// before ErrBusy (default 10 s).
	Parallel int
	Wait     time.Duration
}

// New returns a Reader. Whether Tesseract and its model are installed is
// checked once, on first use.
func New(o Options) *Reader {
	if o.Command == "" {
		o.Command = "tesseract"
	}
	if o.Lang == "" {
		o.Lang = "vie"
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.Parallel <= 0 {
		o.Parallel = 1
	}
	if o.Wait <= 0 {
		o.Wait = 10 * time.Second
	}
	return &Reader{cmd: o.Command, lang: o.Lang, timeout: o.Timeout, sem: make(chan struct{}, o.Parallel), wait: o.Wait}
}

// Available reports whether Tesseract runs here with the Vietnamese model.
func (r *Reader) Available() bool {
	if r == nil {
		return false
	}
	r.once.Do(func() {
		path, err := exec.LookPath(r.cmd)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, path, "--list-langs").CombinedOutput()
		if err != nil {
			return
		}
		for _, l := range strings.Fields(string(out)) {
			if l == r.lang {
				r.cmd, r.available = path, true
			}
		}
	})
	return r.available
}

// Side is where a bubble sits in the screenshot.
type Side int

const (
	SideOther  Side = iota // left: the other person
	SideSelf               // right: the phone's owner
	SideCentre             // centred: times, dates, notices
)

// Bubble is one message read from the picture: its lines joined with
// spaces, its side, and its box in pixels.
type Bubble struct {
	Text string
	Side Side
	Box  image.Rectangle
}

// Transcript is what was read from one screenshot.
type Transcript struct {
	Bubbles []Bubble
	Width   int
	Height  int
	Elapsed time.Duration // Tesseract's run, without the wait for a turn
}

// maxOutput bounds what is read of Tesseract's output (a full screen of
// small text is about 20 KB of TSV).
const maxOutput = 1 << 20

// Read checks, re-encodes and reads data. Errors: ErrTooBig, ErrFormat,
// ErrPixels (the upload), ErrUnavailable, ErrBusy, ErrTimeout, ErrNoText.
func (r *Reader) Read(ctx context.Context, data []byte) (*Transcript, error) {
	if _, _, err := Check(data); err != nil {
		return nil, err
	}
	if !r.Available() {
		return nil, ErrUnavailable
	}
	wait := time.NewTimer(r.wait)
	defer wait.Stop()
	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
	case <-wait.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	pic, bounds, err := Prepare(data)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	start := time.Now()
	// --psm 4: one column of text of varying sizes, which a chat is.
	cmd := exec.CommandContext(ctx, r.cmd, "stdin", "stdout", "-l", r.lang, "--psm", "4", "tsv")
	cmd.Stdin = bytes.NewReader(pic)
	cmd.Env = []string{"OMP_THREAD_LIMIT=1", "PATH=/usr/bin:/bin"}
	cmd.WaitDelay = time.Second
	var out, stderr limitedBuffer
	out.max, stderr.max = maxOutput, 4096
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err = cmd.Run()
	elapsed := time.Since(start)
	if ctx.Err() == context.DeadlineExceeded {
		return nil, ErrTimeout
	}
	if err != nil {
		return nil, fmt.Errorf("ocr: tesseract: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	lines := parseTSV(out.Bytes())
	t := &Transcript{Bubbles: group(lines, bounds.Dx()), Width: bounds.Dx(), Height: bounds.Dy(), Elapsed: elapsed}
	if len(t.Bubbles) == 0 {
		return t, ErrNoText
	}
	return t, nil
}

// limitedBuffer keeps at most max bytes and drops the rest.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// line is one text line of Tesseract's TSV.
type line struct {
	text string
	box  image.Rectangle
}

// minConf drops words Tesseract is not sure of (edges of bubbles read as
// "[" or "—").
const minConf = 40

// parseTSV reads Tesseract's TSV output (level, page, block, paragraph,
// line, word, left, top, width, height, confidence, text) into lines of
// words, in reading order.
func parseTSV(b []byte) []line {
	type key struct{ block, par, line int }
	var order []key
	byKey := map[key]*line{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue // the header
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		n := make([]int, 10)
		ok := true
		for i := 1; i <= 9; i++ {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				ok = false
				break
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		word := strings.TrimSpace(f[11])
		if !ok || err != nil || word == "" || conf < minConf || !hasLetterOrDigit(word) {
			continue
		}
		k := key{n[2], n[3], n[4]}
		box := image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9])
		l, seen := byKey[k]
		if !seen {
			l = &line{box: box}
			byKey[k] = l
			order = append(order, k)
		} else {
			l.box = l.box.Union(box)
			l.text += " "
		}
		l.text += word
	}
	out := make([]line, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	slices.SortStableFunc(out, func(a, b line) int { return a.box.Min.Y - b.box.Min.Y })
	return out
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// group joins lines into bubbles: a line belongs to the bubble above when
// the gap between them is less than half a line's height and they start
// at about the same x (a bubble's lines are left-aligned). A bubble's side
// comes from its margins: one that ends near the right edge and does not
// start near the left is the phone owner's; centred short lines are times
// and notices.
func group(lines []line, width int) []Bubble {
	var out []Bubble
	for _, l := range lines {
		if n := len(out); n > 0 {
			b := &out[n-1]
			h := l.box.Dy()
			gap := l.box.Min.Y - b.Box.Max.Y
			if gap < h/2+2 && abs(l.box.Min.X-b.Box.Min.X) < h {
				b.Text += " " + l.text
				b.Box = b.Box.Union(l.box)
				continue
			}
		}
		out = append(out, Bubble{Text: l.text, Box: l.box})
	}
	for i := range out {
		left, right := out[i].Box.Min.X, width-out[i].Box.Max.X
		// A bubble's text starts near its side of the screen (a left
		// bubble after an avatar at most: 16% of the width).
		nearL, nearR := left < width*16/100, right < width*16/100
		switch {
		case nearR && !nearL:
			out[i].Side = SideSelf
		case nearL && !nearR:
			out[i].Side = SideOther
		case nearL && nearR && 2*left > 3*right:
			out[i].Side = SideSelf
		case nearL && nearR:
			out[i].Side = SideOther
		default:
			out[i].Side = SideCentre
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// ErrUpload reports whether err is about the uploaded file itself (the
// person can fix it by sending another), rather than the reader.
func ErrUpload(err error) bool {
	return errors.Is(err, ErrTooBig) || errors.Is(err, ErrFormat) || errors.Is(err, ErrPixels)
}
