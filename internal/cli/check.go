package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"manglanh/internal/alert"
	"manglanh/internal/app"
	"manglanh/internal/config"
	"manglanh/internal/risk"
)

// maxCheckLine bounds one line of stdin for check.
const maxCheckLine = 1 << 20

// checkOutput is one JSON line of "manglanh check --json": the engine's
// result, and the stdin line it belongs to (absent for a text given as an
// argument).
type checkOutput struct {
	Line int `json:"line,omitempty"`
	risk.Result
}

// runCheck scores the text given as arguments, or each non-blank line of
// stdin, and prints one result per input, in input order.
func runCheck(ctx context.Context, e *Env) int {
	fs, path := flags("check", e)
	asJSON := fs.Bool("json", false, "một đối tượng JSON mỗi dòng / one JSON object per input")
	lang := fs.String("lang", "vi", "ngôn ngữ giải thích: vi hoặc en / explanation language: vi or en")
	lists := fs.Bool("lists", false, "nạp danh sách chặn để xét đường link / load the block lists to judge links")
	thread := fs.Bool("thread", false, "cả đầu vào là một cuộc trò chuyện / the whole input is one conversation")
	if rc := parse(fs, e.Args); rc >= 0 {
		return rc
	}
	if *lang != "vi" && *lang != "en" {
		return errorf(e, "--lang phải là vi hoặc en", "--lang must be vi or en", nil)
	}
	cfg, ok := loadConfig(e, *path)
	if !ok {
		return 1
	}
	eng, ok := riskEngine(ctx, e, cfg, *lists)
	if !ok {
		return 1
	}
	out := bufio.NewWriter(e.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if *thread {
		return checkThread(e, eng, fs.Args(), out, enc, *asJSON, *lang)
	}
	emit := func(line int, text string) error {
		res := eng.Score(strings.ToValidUTF8(text, "\uFFFD"))
		if *asJSON {
			return enc.Encode(checkOutput{Line: line, Result: res})
		}
		return writeCheckText(out, line, text, res, *lang)
	}
	if fs.NArg() > 0 {
		if err := emit(0, strings.Join(fs.Args(), " ")); err != nil {
			return errorf(e, "không ghi được kết quả", "cannot write the result", err)
		}
		return 0
	}
	sc := bufio.NewScanner(e.Stdin)
	sc.Buffer(make([]byte, 0, 64<<10), maxCheckLine)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		if err := emit(n, text); err != nil {
			return errorf(e, "không ghi được kết quả", "cannot write the result", err)
		}
	}
	if err := sc.Err(); err != nil {
		out.Flush()
		return errorf(e, "không đọc được đầu vào", "cannot read the input", err)
	}
	return 0
}

// riskEngine builds the engine as the server does, with the configured
// block lists loaded when withLists is set.
func riskEngine(ctx context.Context, e *Env, cfg *config.Config, withLists bool) (*risk.Engine, bool) {
	var checker risk.DomainChecker
	if withLists {
		reg, _, loader, err := app.NewFilter(cfg, newLogger(cfg, e.Stderr), nil)
		if err != nil {
			errorf(e, "không dựng được bộ lọc", "cannot build the filter", err)
			return nil, false
		}
		if err := loader.Load(ctx); err != nil {
			errorf(e, "không nạp được danh sách chặn", "cannot load the block lists", err)
			return nil, false
		}
		checker = app.NewListChecker(reg, loader)
	}
	eng, err := app.NewRiskEngine(cfg, checker)
	if err != nil {
		errorf(e, "không dựng được bộ đánh giá rủi ro", "cannot build the risk engine", err)
		return nil, false
	}
	return eng, true
}

// writeCheckText explains a result in plain words: how worrying, why (the
// phrases found), which links are suspect, and what to do.
func writeCheckText(w io.Writer, line int, text string, res risk.Result, lang string) error {
	pick := func(vi, en string) string {
		if lang == "en" {
			return en
		}
		return vi
	}
	var b strings.Builder
	head := pick("Tin nhắn", "Message")
	if line > 0 {
		head += fmt.Sprintf(" (%s %d)", pick("dòng", "line"), line)
	}
	if line > 0 || text != "" {
		fmt.Fprintf(&b, "%s: %q\n", head, shorten(text, 70))
	}
	fmt.Fprintf(&b, "%s: %s (%s)", pick("Đánh giá", "Assessment"), alert.LevelLabel(res.Level.String(), lang), res.Level)
	if res.Level > risk.LevelNone {
		var cats []string
		for _, c := range res.Categories {
			if c.Level >= risk.LevelLow {
				cats = append(cats, alert.CategoryLabel(string(c.Category), lang))
			}
		}
		if len(cats) > 0 {
			fmt.Fprintf(&b, " – %s", strings.Join(cats, ", "))
		}
	}
	b.WriteString("\n")
	if res.Damped {
		b.WriteString(pick("  (mức độ đã được hạ vì tin nhắn có vẻ là lời cảnh báo, tin tức hoặc câu đùa)\n",
			"  (lowered: the message looks like a warning, news or a joke)\n"))
	}
	if len(res.Reasons) > 0 {
		fmt.Fprintf(&b, "%s:\n", pick("Vì sao", "Why"))
		for _, r := range res.Reasons {
			expl := r.Vi
			if lang == "en" {
				expl = r.En
			}
			switch {
			case r.Phrase != "" && r.Message > 0:
				fmt.Fprintf(&b, "  - #%d %s: «%s»\n", r.Message, expl, r.Phrase)
			case r.Phrase != "":
				fmt.Fprintf(&b, "  - %s: «%s»\n", expl, r.Phrase)
			default:
				fmt.Fprintf(&b, "  - %s\n", expl)
			}
		}
	}
	for _, l := range res.Links {
		if len(l.Findings) == 0 {
			continue
		}
		var kinds []string
		for _, f := range l.Findings {
			kinds = append(kinds, f.Kind)
		}
		fmt.Fprintf(&b, "%s: %s (%s)\n", pick("Đường link đáng ngờ", "Suspect link"), l.Host, strings.Join(kinds, ", "))
	}
	if res.Level >= risk.LevelMedium {
		fmt.Fprintf(&b, "%s:\n", pick("Nên làm", "What to do"))
		advice := res.Advice.Vi
		if lang == "en" {
			advice = res.Advice.En
		}
		for _, a := range advice {
			fmt.Fprintf(&b, "  * %s\n", a)
		}
		fmt.Fprintf(&b, "%s:\n", pick("Luôn nhớ", "Always"))
		for _, a := range alert.GeneralAdvice(lang) {
			fmt.Fprintf(&b, "  * %s\n", a)
		}
	} else {
		b.WriteString(pick("Nếu vẫn thấy lạ, đừng làm theo tin nhắn và hỏi bố mẹ hoặc thầy cô.\n",
			"If it still feels wrong, do not do what the message asks and ask a parent or teacher.\n"))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// checkThread scores stdin (or the arguments) as one pasted conversation.
func checkThread(e *Env, eng *risk.Engine, args []string, out io.Writer, enc *json.Encoder, asJSON bool, lang string) int {
	var text string
	if len(args) > 0 {
		text = strings.Join(args, " ")
	} else {
		b, err := io.ReadAll(io.LimitReader(e.Stdin, risk.MaxThreadBytes+1))
		if err != nil {
			return errorf(e, "không đọc được đầu vào", "cannot read the input", err)
		}
		text = string(b)
	}
	msgs, err := risk.ParseThread(text)
	if err != nil {
		return errorf(e, threadErrorVi(err), "cannot read the conversation", err)
	}
	tr := eng.ScoreThread(msgs)
	if asJSON {
		if err := enc.Encode(tr); err != nil {
			return errorf(e, "không ghi được kết quả", "cannot write the result", err)
		}
		return 0
	}
	if err := writeThreadText(out, tr, lang); err != nil {
		return errorf(e, "không ghi được kết quả", "cannot write the result", err)
	}
	return 0
}

// threadErrorVi says in Vietnamese why a conversation was refused.
func threadErrorVi(err error) string {
	switch {
	case errors.Is(err, risk.ErrThreadEmpty):
		return "cuộc trò chuyện không có tin nhắn nào"
	case errors.Is(err, risk.ErrThreadTooLong):
		return fmt.Sprintf("cuộc trò chuyện dài quá %d KiB", risk.MaxThreadBytes>>10)
	case errors.Is(err, risk.ErrThreadTooMany):
		return fmt.Sprintf("cuộc trò chuyện có quá %d tin nhắn", risk.MaxThreadMessages)
	}
	return "không đọc được cuộc trò chuyện (không phải văn bản UTF-8)"
}

// writeThreadText explains a conversation's verdict: the whole, the
// messages that decided it, then each message with its own level.
func writeThreadText(w io.Writer, tr risk.ThreadResult, lang string) error {
	pick := func(vi, en string) string {
		if lang == "en" {
			return en
		}
		return vi
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s\n", pick("Cuộc trò chuyện", "Conversation"), len(tr.Messages), pick("tin nhắn", "messages"))
	if err := writeCheckText(&b, 0, "", tr.Result, lang); err != nil {
		return err
	}
	if len(tr.Decisive) > 0 {
		fmt.Fprintf(&b, "%s:\n", pick("Các tin nhắn quyết định", "Messages that decided it"))
		for _, i := range tr.Decisive {
			m := tr.Messages[i-1]
			fmt.Fprintf(&b, "  #%d %s%q\n", i, speakerPrefix(m.Speaker), shorten(m.Text, 90))
		}
	}
	fmt.Fprintf(&b, "%s:\n", pick("Từng tin nhắn", "Each message"))
	for _, m := range tr.Messages {
		mark := " "
		if m.Decisive {
			mark = "*"
		}
		fmt.Fprintf(&b, " %s#%d [%s] %s%q\n", mark, m.Index, alert.LevelLabel(m.Level.String(), lang), speakerPrefix(m.Speaker), shorten(m.Text, 70))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func speakerPrefix(s string) string {
	if s == "" {
		return ""
	}
	return s + ": "
}
