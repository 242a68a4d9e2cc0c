package ocr

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// statusRe matches what chat apps draw between messages: times, dates,
// "Hôm nay", "Đã xem", "Seen", day names.
var statusRe = regexp.MustCompile(`(?i)^(\d{1,2}[:h.]\d{2}( ?(am|pm|sa|ch))?|\d{1,2}/\d{1,2}(/\d{2,4})?|hôm nay|hôm qua|today|yesterday|đã xem|đã gửi|đã nhận|seen|sent|delivered|thứ (hai|ba|tư|năm|sáu|bảy)|chủ nhật|[^ ]+ đang soạn tin.*|.* is typing.*)([ ,]+\d{1,2}[:h.]\d{2})?$`)

// Conversation writes the transcript as a pasted conversation in the
// "Name: message" form that risk.ParseThread reads: the phone owner's
// bubbles (right) under self, the other side's (left) under the name in
// the title bar when one was read there, else under other. Times, dates
// and read receipts are left out, and so is the title bar itself. It also
// returns the other side's name it used.
func (t *Transcript) Conversation(self, other string) (string, string) {
	bubbles := t.Bubbles
	// The title bar: the first text, near the top, short, on the left or
	// centred (a contact or group name).
	if len(bubbles) > 0 {
		b := bubbles[0]
		if b.Box.Max.Y < t.Height/12 && b.Side != SideSelf && utf8.RuneCountInString(b.Text) <= 32 && len(strings.Fields(b.Text)) <= 5 {
			if name := strings.TrimSpace(strings.Trim(b.Text, ".,:;<>←")); name != "" && !statusRe.MatchString(name) {
				other = name
			}
			bubbles = bubbles[1:]
		}
	}
	var sb strings.Builder
	for _, b := range bubbles {
		text := strings.TrimSpace(b.Text)
		if text == "" || statusRe.MatchString(text) {
			continue
		}
		if b.Side == SideCentre && len(strings.Fields(text)) <= 3 {
			continue // a short centred line is a notice, not a message
		}
		name := other
		if b.Side == SideSelf {
			name = self
		}
		sb.WriteString(name)
		sb.WriteString(": ")
		sb.WriteString(strings.ReplaceAll(text, "\n", " "))
		sb.WriteByte('\n')
	}
	return strings.TrimRight(sb.String(), "\n"), other
}
