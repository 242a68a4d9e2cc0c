package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"manglanh/internal/risk"
)

// apiCheckReason is one piece of evidence in the API's answer.
type apiCheckReason struct {
	Category string `json:"category,omitempty"`
	RuleID   string `json:"rule_id"`
	Phrase   string `json:"phrase,omitempty"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Vi       string `json:"vi"`
	En       string `json:"en"`
	Message  int    `json:"message,omitempty"`
}

// apiThreadMessage is one message of a checked conversation.
type apiThreadMessage struct {
	Index    int        `json:"index"`
	Speaker  string     `json:"speaker,omitempty"`
	Text     string     `json:"text"`
	Level    risk.Level `json:"level"`
	Decisive bool       `json:"decisive"`
}

// apiCheckAnswer is what POST /api/v1/check returns.
type apiCheckAnswer struct {
	Level      risk.Level           `json:"level"`
	Categories []risk.CategoryScore `json:"categories"`
	Reasons    []apiCheckReason     `json:"reasons"`
	Links      []risk.Link          `json:"links"`
	Advice     risk.Advice          `json:"advice"`
	Damped     bool                 `json:"damped"`
	// With "thread": true, the conversation's messages and the indexes
	// of those that decided the verdict.
	Messages []apiThreadMessage `json:"messages,omitempty"`
	Decisive []int              `json:"decisive,omitempty"`
	// Text is, for a screenshot, the conversation read from it.
	Text string `json:"text,omitempty"`
}

// apiCheck scores {"text": …} (a conversation with "thread": true) and answers the assessment as JSON. Nothing
// is stored.
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	if ct := strings.ToLower(r.Header.Get("Content-Type")); strings.HasPrefix(ct, "image/png") || strings.HasPrefix(ct, "image/jpeg") {
		s.apiCheckShot(w, r)
		return
	}
	if ok, wait := s.checkLimit.allow(clientIP(r)); !ok {
		setRetryAfter(w, wait)
		apiError(w, http.StatusTooManyRequests, "too many checks from your network; retry later",
			"Kiểm tra quá nhiều từ mạng của bạn; hãy thử lại sau.", "")
		return
	}
	// JSON escapes may take six bytes per character: the body may be
	// larger than the text it carries.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8*MaxCheckText))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		apiError(w, http.StatusRequestEntityTooLarge, "the text is too long (at most 8 KB)", "Văn bản quá dài (tối đa 8 KB).", "text")
		return
	}
	if err != nil {
		apiError(w, http.StatusBadRequest, "cannot read the request", "Không đọc được yêu cầu.", "")
		return
	}
	var in struct {
		Text   *string `json:"text"`
		Thread bool    `json:"thread"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Text == nil {
		apiError(w, http.StatusBadRequest, `want a JSON object {"text": "..."}`, `Cần một đối tượng JSON {"text": "..."}.`, "text")
		return
	}
	text := checkText(*in.Text)
	if len(text) > MaxCheckText {
		apiError(w, http.StatusRequestEntityTooLarge, "the text is too long (at most 8 KB)", "Văn bản quá dài (tối đa 8 KB).", "text")
		return
	}
	if text == "" {
		apiError(w, http.StatusBadRequest, "the text is empty", "Văn bản trống.", "text")
		return
	}
	var res risk.Result
	var tr risk.ThreadResult
	if in.Thread {
		msgs, err := risk.ParseThread(text)
		if err != nil {
			apiError(w, http.StatusBadRequest, "cannot read the conversation: "+err.Error(), threadError("vi", err), "text")
			return
		}
		tr = s.cfg.Risk.ScoreThread(msgs)
		res = tr.Result
	} else {
		res = s.cfg.Risk.Score(text)
	}
	s.noteCheck(r, res)
	out := resultAnswer(res)
	if in.Thread {
		out = threadAnswer(tr)
	}
	writeJSON(w, http.StatusOK, out)
}

// resultAnswer is the API's answer for one result.
func resultAnswer(res risk.Result) apiCheckAnswer {
	out := apiCheckAnswer{Level: res.Level, Categories: res.Categories, Links: res.Links, Advice: res.Advice,
		Damped: res.Damped, Reasons: make([]apiCheckReason, 0, len(res.Reasons))}
	for _, x := range res.Reasons {
		out.Reasons = append(out.Reasons, apiCheckReason{Category: string(x.Category), RuleID: x.RuleID,
			Phrase: x.Phrase, Start: x.Start, End: x.End, Vi: x.Vi, En: x.En, Message: x.Message})
	}
	if out.Categories == nil {
		out.Categories = []risk.CategoryScore{}
	}
	if out.Links == nil {
		out.Links = []risk.Link{}
	}
	return out
}

// threadAnswer is the API's answer for a conversation.
func threadAnswer(tr risk.ThreadResult) apiCheckAnswer {
	out := resultAnswer(tr.Result)
	out.Decisive = tr.Decisive
	for _, m := range tr.Messages {
		out.Messages = append(out.Messages, apiThreadMessage{Index: m.Index, Speaker: m.Speaker, Text: m.Text, Level: m.Level, Decisive: m.Decisive})
	}
	return out
}
