package cases

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Intake is a new report: the Mẫu 01 content as submitted on the public
// form, by QR code, by the API, or typed in by staff for a phone call, a
// visit, or a case forwarded by 111, the police or a school.
type Intake struct {
	Category   string // one of Categories; required
	Channel    string // one of Channels; the public may use only web, qr or api
	SourceID   int64  // QR poster; >= 0
	Urgent     bool
	Place      string
	OccurredAt time.Time // zero when unknown; not in the future
	AgeBand    string    // one of AgeBands; "" means unknown
	SchoolID   int64     // >= 0

	// From the risk engine, filled by the caller; advisory only.
	SuggestedCategory string
	SuggestedLevel    string
	SuggestedReasons  string

	Sensitive Sensitive

	// Evidence are the images sent with the report, stored with it in one
	// step: the report is kept with all of them or not at all. Never for
	// the sexual-abuse categories (sextortion, sexual_content): suspected
	// child sexual abuse material must not be stored, only described.
	Evidence []EvidenceItem

	// SubmissionKey is the submitter's idempotency key (the form's hidden
	// key, the API's Idempotency-Key header); "" for none. See IntakeOnce.
	SubmissionKey string
}

// EvidenceItem is one image sent with a report. Data is already decoded
// and re-encoded by the caller (nothing but pixels: no metadata, never the
// uploaded bytes nor the uploaded name); the store seals it on disk.
type EvidenceItem struct {
	ContentType string // EvidenceJPEG or EvidencePNG
	Data        []byte
	Width       int // pixels
	Height      int
}

// Content types of evidence images.
const (
	EvidenceJPEG = "image/jpeg"
	EvidencePNG  = "image/png"
)

// Limits on the evidence images of one report.
const (
	MaxEvidence      = 5       // images per report
	MaxEvidenceBytes = 5 << 20 // bytes per image, after re-encoding
)

// MayKeepImages reports whether images may be kept with a report of
// category: never for sextortion and sexual content.
func MayKeepImages(category string) bool {
	return category != CategorySextortion && category != CategorySexualContent
}

// Field limits, in characters (runes).
const (
	maxShort     = 200  // names, places, relations
	maxPhone     = 20   // characters of a phone number
	maxText      = 4000 // free-text paragraphs
	maxNarrative = 10000
	maxURL       = 2048
	maxLinks     = 20
	maxPlanItems = 50
)

// cleanText trims s and checks it: valid UTF-8 (invalid input is rejected,
// never stored), no control characters other than newline and tab when
// multiline, no bidirectional overrides (they disguise text), at most max
// characters. Line endings become "\n".
func cleanText(field, s string, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", invalid(field, "Nội dung có ký tự không hợp lệ (không phải UTF-8). Vui lòng nhập lại.",
			"The text contains invalid characters (not UTF-8). Please type it again.")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSpace(s)
	if hasControl(s, multiline) {
		return "", invalid(field, "Nội dung có ký tự điều khiển không được phép.",
			"The text contains control characters that are not allowed.")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", invalid(field, fmt.Sprintf("Nội dung quá dài: tối đa %d ký tự (hiện có %d).", max, n),
			fmt.Sprintf("Too long: at most %d characters (got %d).", max, n))
	}
	return s, nil
}

// hasControl reports control, format-override or non-character runes; with
// multiline, newline and tab are allowed.
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case unicode.IsControl(r):
			return true
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F:
			return true // bidirectional embedding, override and isolate marks
		case r == 0xFFFD, r == 0xFEFF:
			return true // replacement character (a sign of mangled input) and BOM
		}
	}
	return false
}

func cleanURL(field, s string) (string, error) {
	s, err := cleanText(field, s, maxURL, false)
	if err != nil || s == "" {
		return s, err
	}
	bad := invalid(field, "Đường dẫn không hợp lệ: chỉ chấp nhận địa chỉ bắt đầu bằng http:// hoặc https://.",
		"Invalid link: only addresses starting with http:// or https:// are accepted.")
	if strings.ContainsAny(s, " \t\n") {
		return "", bad
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return "", bad
	}
	return s, nil
}

func cleanPhone(field, s string) (string, error) {
	s, err := cleanText(field, s, maxPhone, false)
	if err != nil || s == "" {
		return s, err
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '.', r == '-', r == '(', r == ')':
		default:
			digits = -1
		}
		if digits < 0 {
			break
		}
	}
	if digits < 3 || digits > 15 { // 3 digits admits 111 and 113
		return "", invalid(field, "Số điện thoại không hợp lệ.", "Invalid phone number.")
	}
	return s, nil
}

func oneOf(field, v string, allowed []string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return invalid(field, "Giá trị không hợp lệ: vui lòng chọn trong danh sách.",
		"Invalid value: please choose from the list.")
}

// textField is one string field of a struct to clean in place.
type textField struct {
	name      string
	p         *string
	max       int
	multiline bool
}

func cleanAll(fields []textField) error {
	for _, f := range fields {
		v, err := cleanText(f.name, *f.p, f.max, f.multiline)
		if err != nil {
			return err
		}
		*f.p = v
	}
	return nil
}

// validate checks and cleans in for actor a at now. It returns the first
// problem as a *ValidationError (or ErrForbidden for a channel the role may
// not use).
func (in *Intake) validate(a Actor, now time.Time) error {
	if err := oneOf("Category", in.Category, Categories()); err != nil {
		return err
	}
	if in.Channel == "" {
		in.Channel = ChannelWeb
	}
	if err := oneOf("Channel", in.Channel, Channels()); err != nil {
		return err
	}
	if a.Role == RolePublic && in.Channel != ChannelWeb && in.Channel != ChannelQR && in.Channel != ChannelAPI {
		return invalid("Channel", "Kênh tiếp nhận này chỉ dành cho cán bộ.", "This channel is for staff only.")
	}
	if in.SourceID < 0 || in.SchoolID < 0 {
		return invalid("SourceID", "Mã nguồn không hợp lệ.", "Invalid source.")
	}
	if in.AgeBand == "" {
		in.AgeBand = AgeBandUnknown
	}
	if err := oneOf("AgeBand", in.AgeBand, AgeBands()); err != nil {
		return err
	}
	if !in.OccurredAt.IsZero() && (in.OccurredAt.After(now.Add(time.Hour)) || in.OccurredAt.Year() < 2000) {
		return invalid("OccurredAt", "Thời điểm xảy ra không hợp lệ.", "Invalid time of the incident.")
	}
	if in.SuggestedCategory != "" {
		if err := oneOf("SuggestedCategory", in.SuggestedCategory, Categories()); err != nil {
			return err
		}
	}
	if in.SuggestedLevel != "" {
		if err := oneOf("SuggestedLevel", in.SuggestedLevel, Levels()); err != nil {
			return err
		}
	}
	if err := cleanAll([]textField{
		{"Place", &in.Place, maxShort, false},
		{"SuggestedReasons", &in.SuggestedReasons, maxText, true},
	}); err != nil {
		return err
	}
	if err := validateEvidence(in.Category, in.Evidence); err != nil {
		return err
	}
	if err := validateSubmissionKey(in.SubmissionKey); err != nil {
		return err
	}
	return in.Sensitive.validate()
}

// validateEvidence checks the images of a report of category.
func validateEvidence(category string, ev []EvidenceItem) error {
	if len(ev) == 0 {
		return nil
	}
	if !MayKeepImages(category) {
		return invalid("Evidence", "Không lưu ảnh với loại vụ việc này: chỉ mô tả và gửi đường dẫn, không gửi ảnh.",
			"Images are not kept for this kind of case: describe it and send links, not images.")
	}
	if len(ev) > MaxEvidence {
		return invalid("Evidence", fmt.Sprintf("Tối đa %d ảnh.", MaxEvidence), fmt.Sprintf("At most %d images.", MaxEvidence))
	}
	for i, e := range ev {
		field := fmt.Sprintf("Evidence[%d]", i)
		if e.ContentType != EvidenceJPEG && e.ContentType != EvidencePNG {
			return invalid(field, "Chỉ nhận ảnh JPEG hoặc PNG.", "Only JPEG or PNG images are accepted.")
		}
		if len(e.Data) == 0 || e.Width <= 0 || e.Height <= 0 {
			return invalid(field, "Ảnh trống hoặc không hợp lệ.", "The image is empty or invalid.")
		}
		if len(e.Data) > MaxEvidenceBytes {
			return invalid(field, "Ảnh lớn hơn 5 MB.", "The image is larger than 5 MB.")
		}
	}
	return nil
}

func (s *Sensitive) validate() error {
	if err := cleanAll([]textField{
		{"Sensitive.ChildName", &s.ChildName, maxShort, false},
		{"Sensitive.ChildNickname", &s.ChildNickname, maxShort, false},
		{"Sensitive.ChildSchool", &s.ChildSchool, maxShort, false},
		{"Sensitive.ChildClass", &s.ChildClass, 50, false},
		{"Sensitive.ChildCondition", &s.ChildCondition, maxText, true},
		{"Sensitive.Description", &s.Description, maxNarrative, true},
		{"Sensitive.SuspectName", &s.SuspectName, maxShort, false},
		{"Sensitive.ReporterName", &s.ReporterName, maxShort, false},
		{"Sensitive.ReporterRelation", &s.ReporterRelation, maxShort, false},
		{"Sensitive.ParentsInfo", &s.ParentsInfo, maxText, true},
		{"Sensitive.Caregiver", &s.Caregiver, maxShort, false},
		{"Sensitive.FamilySituation", &s.FamilySituation, maxText, true},
		{"Sensitive.PriorHelp", &s.PriorHelp, maxText, true},
		{"Sensitive.LikelyHarm", &s.LikelyHarm, maxText, true},
		{"Sensitive.ReceivingOfficer", &s.ReceivingOfficer, maxShort, false},
	}); err != nil {
		return err
	}
	if s.Description == "" {
		return invalid("Sensitive.Description", "Vui lòng mô tả sự việc.", "Please describe what happened.")
	}
	if s.ChildAge < 0 || s.ChildAge > 17 {
		return invalid("Sensitive.ChildAge", "Tuổi của trẻ phải từ 0 đến 17.", "The child's age must be 0 to 17.")
	}
	if s.ChildSex == "" {
		s.ChildSex = "unknown"
	}
	if err := oneOf("Sensitive.ChildSex", s.ChildSex, []string{"male", "female", "unknown"}); err != nil {
		return err
	}
	var err error
	if s.SuspectPhone, err = cleanPhone("Sensitive.SuspectPhone", s.SuspectPhone); err != nil {
		return err
	}
	if s.ReporterPhone, err = cleanPhone("Sensitive.ReporterPhone", s.ReporterPhone); err != nil {
		return err
	}
	if s.SuspectProfileURL, err = cleanURL("Sensitive.SuspectProfileURL", s.SuspectProfileURL); err != nil {
		return err
	}
	if len(s.EvidenceLinks) > maxLinks {
		return invalid("Sensitive.EvidenceLinks", fmt.Sprintf("Tối đa %d đường dẫn.", maxLinks),
			fmt.Sprintf("At most %d links.", maxLinks))
	}
	links := s.EvidenceLinks[:0:0]
	for i, l := range s.EvidenceLinks {
		v, err := cleanURL(fmt.Sprintf("Sensitive.EvidenceLinks[%d]", i), l)
		if err != nil {
			return err
		}
		if v != "" {
			links = append(links, v)
		}
	}
	s.EvidenceLinks = links
	if s.ReporterAnonymous {
		// Anonymity wins over whatever else was typed: the identity is
		// dropped before it is ever stored.
		s.ReporterName, s.ReporterPhone, s.ReporterRelation = "", "", ""
		s.ReporterConsent = false
	}
	return nil
}
