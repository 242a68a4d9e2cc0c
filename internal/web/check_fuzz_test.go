package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzHighlight checks that any text and spans give segments that put the
// text back together exactly, never cut a character, and never mark two
// pieces in a row.
func FuzzHighlight(f *testing.F) {
	f.Add("Con ơi chuyển khoản gấp", 7, 19, 3, 30)
	f.Add("ể", 1, 3, 0, 3)
	f.Add("", 0, 0, -5, 2)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		seg := highlight(text, [][2]int{{a, b}, {c, d}, {b, d}})
		var sb strings.Builder
		for i, s := range seg {
			sb.WriteString(s.Text)
			if s.Text == "" {
				t.Fatalf("empty segment %d", i)
			}
			if utf8.ValidString(text) && !utf8.ValidString(s.Text) {
				t.Fatalf("segment %d cuts a character: %q", i, s.Text)
			}
			if i > 0 && s.Mark && seg[i-1].Mark {
				t.Fatalf("adjacent marks not merged: %+v", seg)
			}
		}
		if sb.String() != text {
			t.Fatalf("segments %q do not rebuild %q", sb.String(), text)
		}
	})
}

// FuzzCheckText checks the cleaning of pasted text: valid UTF-8, trimmed,
// no CR LF left.
func FuzzCheckText(f *testing.F) {
	f.Add(" a\r\nb \xff")
	f.Fuzz(func(t *testing.T, s string) {
		out := checkText(s)
		if !utf8.ValidString(out) || strings.Contains(out, "\r") || strings.TrimSpace(out) != out {
			t.Fatalf("checkText(%q) = %q", s, out)
		}
	})
}
