package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"manglanh/internal/cases"
)

// maxAPIBody bounds a JSON report.
const maxAPIBody = 64 << 10

// apiReport is the body of POST /api/v1/reports. Unknown fields are
// refused so that a typo does not silently drop information.
type apiReport struct {
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Urgent      bool     `json:"urgent"`
	Where       string   `json:"where"`
	When        string   `json:"when"` // RFC 3339 or yyyy-mm-dd
	Child       apiChild `json:"child"`
	Suspect     struct {
		Name       string `json:"name"`
		ProfileURL string `json:"profile_url"`
		Phone      string `json:"phone"`
	} `json:"suspect"`
	Links    []string `json:"links"`
	Reporter struct {
		Anonymous bool   `json:"anonymous"`
		Name      string `json:"name"`
		Phone     string `json:"phone"`
		Relation  string `json:"relation"`
		Consent   bool   `json:"consent"`
	} `json:"reporter"`
	Source int64 `json:"source"` // QR poster source id; 0 when none
}

type apiChild struct {
	Name     string `json:"name"`
	Nickname string `json:"nickname"`
	Age      int    `json:"age"`
	Sex      string `json:"sex"`
	School   string `json:"school"`
	Class    string `json:"class"`
}

// apiError answers {"error": English, "error_vi": Vietnamese}.
func apiError(w http.ResponseWriter, status int, en, vi string, field string) {
	body := map[string]string{"error": en, "error_vi": vi}
	if field != "" {
		body["field"] = field
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// apiReportCreate records a report sent as JSON and answers 201 with its
// tracking code once it is committed. With an Idempotency-Key header (16 to
// 128 ASCII characters) a retry with the same key and body answers 200 with
// the same code and records nothing; the same key with another body is
// refused with 422.
func (s *Server) apiReportCreate(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.reports.submit.allow(clientIP(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
		apiError(w, http.StatusTooManyRequests, "too many reports from your network; retry later",
			"Gửi quá nhiều báo cáo từ mạng của bạn; hãy thử lại sau.", "")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		apiError(w, http.StatusUnsupportedMediaType, "the body must be application/json",
			"Nội dung phải là JSON (application/json).", "")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			apiError(w, http.StatusRequestEntityTooLarge, "the body is larger than 64 KB", "Nội dung lớn hơn 64 KB.", "")
			return
		}
		apiError(w, http.StatusBadRequest, "the body could not be read", "Không đọc được nội dung gửi lên.", "")
		return
	}
	if !utf8.Valid(body) {
		apiError(w, http.StatusBadRequest, "the body is not valid UTF-8", "Nội dung không phải UTF-8 hợp lệ.", "")
		return
	}
	var req apiReport
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		apiError(w, http.StatusBadRequest, "malformed JSON: "+jsonProblem(err), "JSON không hợp lệ: "+jsonProblem(err), "")
		return
	}
	if dec.More() {
		apiError(w, http.StatusBadRequest, "malformed JSON: more than one value", "JSON không hợp lệ: có nhiều hơn một giá trị.", "")
		return
	}
	in := cases.Intake{Category: req.Category, Urgent: req.Urgent, Place: req.Where, Channel: cases.ChannelAPI,
		Sensitive: cases.Sensitive{ChildName: req.Child.Name, ChildNickname: req.Child.Nickname, ChildAge: req.Child.Age,
			ChildSex: req.Child.Sex, ChildSchool: req.Child.School, ChildClass: req.Child.Class,
			Description: req.Description, SuspectName: req.Suspect.Name, SuspectProfileURL: req.Suspect.ProfileURL,
			SuspectPhone: req.Suspect.Phone, EvidenceLinks: req.Links, ReporterAnonymous: req.Reporter.Anonymous,
			ReporterName: req.Reporter.Name, ReporterPhone: req.Reporter.Phone, ReporterRelation: req.Reporter.Relation,
			ReporterConsent: req.Reporter.Consent && !req.Reporter.Anonymous}}
	if req.Child.Age > 0 && req.Child.Age <= 17 {
		in.AgeBand = ageBand(req.Child.Age)
	}
	if req.Source > 0 {
		if _, err := s.cfg.Sources.GetSource(r.Context(), req.Source); err != nil {
			apiError(w, http.StatusBadRequest, "unknown source", "Nguồn (mã QR) không tồn tại.", "source")
			return
		}
		in.SourceID, in.Channel = req.Source, cases.ChannelQR
	}
	if req.When != "" {
		t, err := time.Parse(time.RFC3339, req.When)
		if err != nil {
			t, err = time.ParseInLocation("2006-01-02", req.When, s.cfg.Location)
		}
		if err != nil {
			apiError(w, http.StatusBadRequest, "when must be RFC 3339 or yyyy-mm-dd", "Thời điểm phải theo dạng RFC 3339 hoặc yyyy-mm-dd.", "when")
			return
		}
		in.OccurredAt = t
	}
	in.SubmissionKey = r.Header.Get("Idempotency-Key")
	s.suggest(&in)
	c, replayed, err := s.cfg.Cases.IntakeOnce(r.Context(), cases.Actor{Role: cases.RolePublic}, in)
	if err != nil {
		if errors.Is(err, cases.ErrSubmissionReused) {
			apiError(w, http.StatusUnprocessableEntity, "this Idempotency-Key was already used for another report",
				"Idempotency-Key này đã được dùng cho một báo cáo khác.", "Idempotency-Key")
			return
		}
		var ve *cases.ValidationError
		if errors.As(err, &ve) {
			field := ve.Field
			if field == "SubmissionKey" {
				field = "Idempotency-Key"
			}
			apiError(w, http.StatusBadRequest, ve.En, ve.Vi, field)
			return
		}
		s.log.ErrorContext(r.Context(), "recording report from the API", "err", err)
		apiError(w, http.StatusInternalServerError, "internal error; if it is urgent call 111",
			"Lỗi hệ thống; nếu khẩn cấp hãy gọi 111.", "")
		return
	}
	if replayed {
		// A retry of a report already recorded: the same answer, 200
		// instead of 201, and no second case.
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, http.StatusOK, map[string]string{"code": c.Code})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"code": c.Code})
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "wrong type for field " + strconv.Quote(te.Field)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "cannot decode"
}

// apiReportStatus answers {"status": label} for a tracking code; unknown
// and malformed codes get the same 404. Rate-limited like /tra-cuu.
func (s *Server) apiReportStatus(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.reports.lookup.allow(clientIP(r)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
		apiError(w, http.StatusTooManyRequests, "too many look-ups; retry later", "Tra cứu quá nhiều; hãy thử lại sau.", "")
		return
	}
	st, err := s.cfg.Cases.StatusByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		if errors.Is(err, cases.ErrNotFound) {
			apiError(w, http.StatusNotFound, "no report with this code", "Không tìm thấy báo cáo với mã này.", "")
			return
		}
		s.log.ErrorContext(r.Context(), "tracking look-up", "err", err)
		apiError(w, http.StatusInternalServerError, "internal error", "Lỗi hệ thống.", "")
		return
	}
	lang := langOf(r)
	writeJSON(w, http.StatusOK, map[string]any{"status": st.Label(lang), "status_vi": st.LabelVi,
		"status_en": st.LabelEn, "closed": st.Closed})
}
