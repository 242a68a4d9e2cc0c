package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/cases"
)

// reportForm is the report form as typed, echoed back when something must
// be corrected. Every string is made valid UTF-8 before it is shown again.
type reportForm struct {
	Category    string
	Urgent      bool
	Description string
	When        string // yyyy-mm-dd
	Where       string

	ChildName, ChildAge, ChildSchool, ChildClass, ChildSex string

	SuspectName, SuspectURL, SuspectPhone string

	Links string

	Anonymous                                     bool
	ReporterName, ReporterPhone, ReporterRelation string
	Consent                                       bool

	Source int64
	// Key is the submission's idempotency key, drawn when the form is
	// first shown and sent back with it: a retried or doubled submission
	// of the same form makes one case (see cases.Service.IntakeOnce).
	Key string

	// Staff entry only.
	Channel          string
	ChildCondition   string
	ParentsInfo      string
	Caregiver        string
	FamilySituation  string
	PriorHelp        string
	LikelyHarm       string
	ReceivingOfficer string
}

// reportPage is what report_new.html and case_new.html get.
type reportPage struct {
	Form       reportForm
	Categories []categoryChoice
	Channels   []string
	SourceName string
	Errors     []string
	// Fields are problems found in one field each, shown beside it and
	// summed up at the top; Focus is the first one's input id.
	Fields    map[string]string
	Summary   []fieldError
	Focus     string
	Action    string
	MaxImages int
	Staff     bool // the staff entry form: channel and Mẫu 01 family fields
}

func (s *Server) newReportPage(f reportForm, action string) reportPage {
	if f.Key == "" {
		f.Key = newSubmissionKey()
	}
	p := reportPage{Form: f, Action: action, MaxImages: maxImages}
	for _, c := range cases.Categories() {
		p.Categories = append(p.Categories, categoryChoice{Value: c, Sexual: sexualCategory(c), Selected: c == f.Category})
	}
	return p
}

// staffChannels are the channels staff record a report by.
var staffChannels = []string{cases.ChannelPhone, cases.ChannelWalkIn, cases.ChannelHotline111,
	cases.ChannelPolice, cases.ChannelSchool}

func formValue(r *http.Request, key string) string {
	return strings.ToValidUTF8(r.PostFormValue(key), "\uFFFD")
}

// rawFormValue keeps invalid UTF-8 so that the cases package rejects it
// with its own message rather than storing a mangled text.
func rawFormValue(r *http.Request, key string) string { return r.PostFormValue(key) }

// parseReportForm reads the form's fields. It returns what to echo back
// and the intake; a problem it finds itself is returned as a
// *cases.ValidationError.
func (s *Server) parseReportForm(r *http.Request, staff bool) (reportForm, cases.Intake, error) {
	f := reportForm{
		Category: formValue(r, "category"), Urgent: r.PostFormValue("urgent") == "yes",
		Description: formValue(r, "description"), When: formValue(r, "when"), Where: formValue(r, "where"),
		ChildName: formValue(r, "child_name"), ChildAge: formValue(r, "child_age"),
		ChildSchool: formValue(r, "child_school"), ChildClass: formValue(r, "child_class"), ChildSex: formValue(r, "child_sex"),
		SuspectName: formValue(r, "suspect_name"), SuspectURL: formValue(r, "suspect_url"), SuspectPhone: formValue(r, "suspect_phone"),
		Links: formValue(r, "links"), Anonymous: r.PostFormValue("anonymous") == "yes",
		ReporterName: formValue(r, "reporter_name"), ReporterPhone: formValue(r, "reporter_phone"),
		ReporterRelation: formValue(r, "reporter_relation"), Consent: r.PostFormValue("consent") == "yes",
	}
	if k := r.PostFormValue("key"); len(k) <= cases.MaxSubmissionKey {
		f.Key = strings.ToValidUTF8(k, "")
	}
	f.Source, _ = strconv.ParseInt(r.PostFormValue("nguon"), 10, 64)
	if f.Source < 0 {
		f.Source = 0
	}
	in := cases.Intake{Category: f.Category, Urgent: f.Urgent, Place: rawFormValue(r, "where"), SourceID: f.Source,
		SubmissionKey: f.Key,
		Sensitive: cases.Sensitive{ChildName: rawFormValue(r, "child_name"), ChildSchool: rawFormValue(r, "child_school"),
			ChildClass: rawFormValue(r, "child_class"), ChildSex: f.ChildSex, Description: rawFormValue(r, "description"),
			SuspectName: rawFormValue(r, "suspect_name"), SuspectProfileURL: rawFormValue(r, "suspect_url"),
			SuspectPhone: rawFormValue(r, "suspect_phone"), ReporterAnonymous: f.Anonymous,
			ReporterName: rawFormValue(r, "reporter_name"), ReporterPhone: rawFormValue(r, "reporter_phone"),
			ReporterRelation: rawFormValue(r, "reporter_relation"), ReporterConsent: f.Consent && !f.Anonymous}}
	in.Channel = cases.ChannelWeb
	if f.Source > 0 {
		in.Channel = cases.ChannelQR
	}
	if staff {
		f.Channel = formValue(r, "channel")
		f.ChildCondition, f.ParentsInfo = formValue(r, "child_condition"), formValue(r, "parents_info")
		f.Caregiver, f.FamilySituation = formValue(r, "caregiver"), formValue(r, "family_situation")
		f.PriorHelp, f.LikelyHarm = formValue(r, "prior_help"), formValue(r, "likely_harm")
		f.ReceivingOfficer = formValue(r, "receiving_officer")
		in.Channel = f.Channel
		if !slices.Contains(staffChannels, f.Channel) {
			return f, in, &cases.ValidationError{Field: "Channel", Vi: "Vui lòng chọn kênh tiếp nhận.", En: "Please choose the channel."}
		}
		in.Sensitive.ChildCondition, in.Sensitive.ParentsInfo = rawFormValue(r, "child_condition"), rawFormValue(r, "parents_info")
		in.Sensitive.Caregiver, in.Sensitive.FamilySituation = rawFormValue(r, "caregiver"), rawFormValue(r, "family_situation")
		in.Sensitive.PriorHelp, in.Sensitive.LikelyHarm = rawFormValue(r, "prior_help"), rawFormValue(r, "likely_harm")
		in.Sensitive.ReceivingOfficer = rawFormValue(r, "receiving_officer")
	}
	if !slices.Contains(cases.Categories(), f.Category) {
		return f, in, &cases.ValidationError{Field: "Category", Vi: T("vi", "report.error.category"), En: T("en", "report.error.category")}
	}
	for _, l := range strings.Split(rawFormValue(r, "links"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			in.Sensitive.EvidenceLinks = append(in.Sensitive.EvidenceLinks, l)
		}
	}
	if a := strings.TrimSpace(f.ChildAge); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 || n > 17 {
			return f, in, &cases.ValidationError{Field: "Sensitive.ChildAge", Vi: T("vi", "report.error.age"), En: T("en", "report.error.age")}
		}
		in.Sensitive.ChildAge = n
		in.AgeBand = ageBand(n)
	}
	if w := strings.TrimSpace(f.When); w != "" {
		d, err := time.ParseInLocation("2006-01-02", w, s.cfg.Location)
		if err != nil {
			return f, in, &cases.ValidationError{Field: "OccurredAt", Vi: T("vi", "report.error.when"), En: T("en", "report.error.when")}
		}
		in.OccurredAt = d
	}
	return f, in, nil
}

// ageBand maps an age in years to the statistics band.
func ageBand(age int) string {
	switch {
	case age <= 0:
		return cases.AgeBandUnknown
	case age <= 5:
		return cases.AgeBandUnder6
	case age <= 10:
		return cases.AgeBand6to10
	case age <= 14:
		return cases.AgeBand11to14
	}
	return cases.AgeBand15to17
}

// uploadedImages returns the non-empty file parts named "images".
func uploadedImages(r *http.Request) []uploadFile { return uploadedFiles(r, "images") }

// parseBody parses a url-encoded or multipart body within maxUploadBody,
// unless the CSRF middleware already did (it reads url-encoded bodies
// whole, multipart ones only up to their token). A multipart body is read
// by readUploadForm, wholly in memory within the upload budget, so an image
// sent with a sexual-abuse report is never written to disk, even briefly.
// It reports a body too large; errUploadBusy when the budget stayed spent.
func parseBody(w http.ResponseWriter, r *http.Request) (tooLarge bool, err error) {
	if r.PostForm != nil {
		return false, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = readUploadForm(r)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe), err
}

// validationMessage is err's message for users in lang, or "" when err is
// not a validation problem.
func validationMessage(err error, lang string) string {
	var ve *cases.ValidationError
	if errors.As(err, &ve) {
		return ve.Message(lang)
	}
	return ""
}
