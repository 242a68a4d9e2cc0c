package alert

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Sources of signals.
const (
	SourceDNS    = "dns"    // a blocked DNS query
	SourceCheck  = "check"  // a message checked on the public page or API
	SourceReport = "report" // a report received by the ward
)

// DNSEvent is one blocked DNS query of a profile, as the query log keeps it.
type DNSEvent struct {
	ID       int64 // increasing; the poller's cursor
	Time     time.Time
	Profile  string
	Name     string // the domain looked up
	Category string // gambling, adult, scam, bypass, … or "" for a schedule block
	Schedule string // the schedule window that blocked it, "" if none
}

// Reason is an explanation of a message's assessment, never the words of
// the message itself.
type Reason struct {
	Vi string `json:"vi"`
	En string `json:"en"`
}

// Message is a message checked or reported at some level. Text, when set,
// gives the alert a snippet of its first SnippetRunes characters, shown only
// in the portal to staff (who may read reports); checked messages carry no
// text, since nothing pasted is stored.
type Message struct {
	Source   string // SourceCheck or SourceReport
	Time     time.Time
	Profile  string // "" for ward staff
	Category string // a risk category
	Level    string // none … critical
	Reasons  []Reason
	Text     string
	CaseID   int64 // the report's case
}

// SnippetRunes bounds an alert's snippet.
const SnippetRunes = 80

// Alert is one alert for an adult. Count is the number of signals that
// triggered it; Folded the signals of the same rule and profile that were
// throttled since the previous alert and are summed up here instead of
// being sent one by one. A Digest alert carries only folded signals.
type Alert struct {
	ID       int64     `json:"id"`
	Rule     string    `json:"rule"`
	Source   string    `json:"source"`
	Profile  string    `json:"profile,omitempty"`
	Category string    `json:"category"`
	Level    string    `json:"level"`
	Time     time.Time `json:"time"`
	Count    int       `json:"count"`
	Folded   int       `json:"folded"`
	Digest   bool      `json:"digest"`
	// Snippet is the least that explains the alert: the domain of a DNS
	// alert, or the start of a report's text (portal only).
	Snippet string   `json:"snippet,omitempty"`
	Reasons []Reason `json:"reasons,omitempty"`
	// CaseID is the report's case, or the case staff opened from the alert.
	CaseID int64 `json:"case_id,omitempty"`
}

// Critical reports whether the alert needs a case opened now: sextortion,
// grooming at level critical (a meeting is being arranged) or self-harm,
// at level critical.
func (a Alert) Critical() bool {
	if a.Level != "critical" {
		return false
	}
	switch a.Category {
	case "sextortion", "grooming", "self_harm":
		return true
	}
	return false
}

// Title is a one-line summary of the alert in lang.
func (a Alert) Title(lang string) string {
	cat := CategoryLabel(a.Category, lang)
	en := lang == "en"
	var s string
	switch {
	case a.Digest && en:
		s = fmt.Sprintf("Summary: %d more signals (%s)", a.Folded, cat)
	case a.Digest:
		s = fmt.Sprintf("Tổng hợp: thêm %d tín hiệu (%s)", a.Folded, cat)
	case a.Rule == RuleBedtime && en:
		s = fmt.Sprintf("Online at bedtime: %d blocked queries", a.Count)
	case a.Rule == RuleBedtime:
		s = fmt.Sprintf("Dùng mạng trong giờ ngủ: %d truy vấn bị chặn", a.Count)
	case a.Source == SourceDNS && en:
		s = fmt.Sprintf("%d blocked attempts to reach %s sites", a.Count, cat)
	case a.Source == SourceDNS:
		s = fmt.Sprintf("%d lần cố vào trang %s bị chặn", a.Count, cat)
	case a.Source == SourceReport && en:
		s = fmt.Sprintf("A report of %s, level %s", cat, LevelLabel(a.Level, lang))
	case a.Source == SourceReport:
		s = fmt.Sprintf("Báo cáo về %s, mức %s", cat, LevelLabel(a.Level, lang))
	case en:
		s = fmt.Sprintf("A message checked shows %s, level %s", cat, LevelLabel(a.Level, lang))
	default:
		s = fmt.Sprintf("Một tin nhắn được kiểm tra có dấu hiệu %s, mức %s", cat, LevelLabel(a.Level, lang))
	}
	if a.Folded > 0 && !a.Digest {
		if en {
			s += fmt.Sprintf(" (+%d since the last alert)", a.Folded)
		} else {
			s += fmt.Sprintf(" (+%d từ lần cảnh báo trước)", a.Folded)
		}
	}
	if a.Profile != "" {
		if en {
			s += " – profile " + a.Profile
		} else {
			s += " – hồ sơ " + a.Profile
		}
	}
	return s
}

// snippet cuts s to SnippetRunes characters.
func snippet(s string) string {
	if utf8.RuneCountInString(s) <= SnippetRunes {
		return s
	}
	r := []rune(s)
	return string(r[:SnippetRunes]) + "…"
}
