package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"manglanh/internal/ocr"
	"manglanh/internal/risk"
)

// ScreenshotReader reads the text of a chat screenshot: *ocr.Reader.
type ScreenshotReader interface {
	Available() bool
	Read(ctx context.Context, data []byte) (*ocr.Transcript, error)
}

// shotsOn reports whether this server can read screenshots.
func (s *Server) shotsOn() bool {
	return s.cfg.Screenshots != nil && s.cfg.Screenshots.Available()
}

// shotMessage words an error of reading a screenshot for people, and the
// status it answers.
func shotMessage(lang string, err error) (int, string) {
	switch {
	case errors.Is(err, ocr.ErrTooBig):
		return http.StatusRequestEntityTooLarge, T(lang, "check.shot.toobig")
	case errors.Is(err, ocr.ErrFormat):
		return http.StatusUnsupportedMediaType, T(lang, "check.shot.format")
	case errors.Is(err, ocr.ErrPixels):
		return http.StatusRequestEntityTooLarge, T(lang, "check.shot.pixels")
	case errors.Is(err, ocr.ErrUnavailable):
		return http.StatusServiceUnavailable, T(lang, "check.shot.off")
	case errors.Is(err, ocr.ErrBusy):
		return http.StatusServiceUnavailable, T(lang, "check.shot.busy")
	case errors.Is(err, ocr.ErrTimeout):
		return http.StatusServiceUnavailable, T(lang, "check.shot.slow")
	case errors.Is(err, ocr.ErrNoText):
		return http.StatusUnprocessableEntity, T(lang, "check.shot.notext")
	}
	return http.StatusInternalServerError, T(lang, "check.shot.failed")
}

// readShot reads a screenshot's conversation: the text in "Name: message"
// lines (cut to what a check takes, at a message's end) and its messages.
// Nothing of the picture is kept: data is dropped when the request ends.
func (s *Server) readShot(ctx context.Context, data []byte, lang string) (text string, msgs []risk.Message, cut bool, err error) {
	if !s.shotsOn() {
		return "", nil, false, ocr.ErrUnavailable
	}
	tr, err := s.cfg.Screenshots.Read(ctx, data)
	if err != nil {
		return "", nil, false, err
	}
	text, _ = tr.Conversation(T(lang, "check.shot.self"), T(lang, "check.shot.other"))
	text = checkText(text)
	for len(text) > MaxCheckText {
		i := strings.LastIndexByte(text[:MaxCheckText], '\n')
		if i <= 0 {
			text = strings.ToValidUTF8(text[:MaxCheckText], "")
		} else {
			text = text[:i]
		}
		cut = true
	}
	if text == "" {
		return "", nil, false, ocr.ErrNoText
	}
	msgs, err = risk.ParseThread(text)
	if err != nil {
		return "", nil, false, ocr.ErrNoText
	}
	return text, msgs, cut, nil
}

// checkShot scores an uploaded screenshot on /kiem-tra: the page shows the
// text read (in the box, for the person to correct and check again) and
// the conversation's verdict.
func (s *Server) checkShot(w http.ResponseWriter, r *http.Request, f uploadFile) {
	lang := langOf(r)
	fail := func(status int, m string) {
		s.renderCheck(w, r, status, checkPage{Shots: s.shotsOn(), ShotError: m})
	}
	if ok, wait := s.shotLimit.allow(clientIP(r)); !ok {
		setRetryAfter(w, wait)
		fail(http.StatusTooManyRequests, T(lang, "check.shot.limit"))
		return
	}
	if f.TooBig {
		fail(shotMessage(lang, ocr.ErrTooBig))
		return
	}
	text, msgs, cut, err := s.readShot(r.Context(), f.Data, lang)
	if err != nil {
		status, m := shotMessage(lang, err)
		if status == http.StatusInternalServerError {
			s.log.Error("reading a screenshot", "err", err)
		}
		fail(status, m)
		return
	}
	tr := s.cfg.Risk.ScoreThread(msgs)
	s.noteCheck(r, tr.Result)
	p := s.newThreadPage(text, tr, lang)
	p.FromShot, p.Cut = true, cut
	s.renderCheck(w, r, http.StatusOK, p)
}

// apiCheckShot answers POST /api/v1/check with an image body (Content-Type
// image/png or image/jpeg): the screenshot is read and scored as a
// conversation, and the answer carries the text read.
func (s *Server) apiCheckShot(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.shotLimit.allow(clientIP(r)); !ok {
		setRetryAfter(w, wait)
		apiError(w, http.StatusTooManyRequests, "too many screenshots from your network; retry later",
			"Gửi quá nhiều ảnh từ mạng của bạn; hãy thử lại sau.", "")
		return
	}
	if r.ContentLength > ocr.MaxBytes {
		apiError(w, http.StatusRequestEntityTooLarge, "the image is larger than 5 MB", T("vi", "check.shot.toobig"), "image")
		return
	}
	leave, ok := s.uploads.enter(r.Context(), clientIP(r))
	if !ok {
		apiError(w, http.StatusServiceUnavailable, "the server is busy; retry later", T("vi", "check.shot.busy"), "")
		return
	}
	defer leave()
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, ocr.MaxBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		apiError(w, http.StatusRequestEntityTooLarge, "the image is larger than 5 MB", T("vi", "check.shot.toobig"), "image")
		return
	}
	if err != nil {
		apiError(w, http.StatusBadRequest, "cannot read the request", "Không đọc được yêu cầu.", "")
		return
	}
	text, msgs, _, err := s.readShot(r.Context(), data, "vi")
	if err != nil {
		status, vi := shotMessage("vi", err)
		_, en := shotMessage("en", err)
		if status == http.StatusInternalServerError {
			s.log.Error("reading a screenshot", "err", err)
		}
		apiError(w, status, en, vi, "image")
		return
	}
	tr := s.cfg.Risk.ScoreThread(msgs)
	s.noteCheck(r, tr.Result)
	out := threadAnswer(tr)
	out.Text = text
	writeJSON(w, http.StatusOK, out)
}

var shotMessages = map[string]msg{
	"check.shot.label":  {"Hoặc gửi ảnh chụp màn hình đoạn chat", "Or send a screenshot of the chat"},
	"check.shot.hint":   {"Ảnh PNG hoặc JPEG, tối đa 5 MB. Máy đọc chữ trong ảnh rồi bỏ ảnh đi ngay: ảnh không được lưu lại.", "A PNG or JPEG picture, at most 5 MB. The text in it is read and the picture dropped at once: it is not kept."},
	"check.shot.off":    {"Máy chủ này chưa đọc được ảnh chụp màn hình (chưa cài phần đọc chữ trong ảnh). Hãy chép chữ trong đoạn chat và dán vào ô trên.", "This server cannot read screenshots (the text reader is not installed). Copy the chat's text and paste it in the box above."},
	"check.shot.toobig": {"Ảnh lớn hơn 5 MB. Hãy chụp lại màn hình hoặc gửi ảnh nhỏ hơn.", "The picture is larger than 5 MB. Take the screenshot again or send a smaller picture."},
	"check.shot.format": {"Tệp này không phải ảnh PNG hoặc JPEG.", "This file is not a PNG or JPEG picture."},
	"check.shot.pixels": {"Ảnh quá lớn hoặc quá nhỏ để đọc (tối đa 12 triệu điểm ảnh).", "The picture is too large or too small to read (at most 12 megapixels)."},
	"check.shot.busy":   {"Máy chủ đang đọc nhiều ảnh khác. Hãy thử lại sau ít phút.", "The server is reading other pictures. Try again in a few minutes."},
	"check.shot.slow":   {"Đọc ảnh này mất quá lâu. Hãy gửi ảnh chỉ có đoạn chat, hoặc dán chữ vào ô trên.", "Reading this picture took too long. Send a picture of just the chat, or paste the text above."},
	"check.shot.notext": {"Không đọc được chữ nào trong ảnh. Hãy gửi ảnh rõ hơn, hoặc dán chữ vào ô trên.", "No text could be read in the picture. Send a clearer one, or paste the text above."},
	"check.shot.failed": {"Không đọc được ảnh do lỗi của máy chủ. Hãy dán chữ vào ô trên.", "The picture could not be read because of a server error. Paste the text above."},
	"check.shot.limit":  {"Bạn đã gửi nhiều ảnh liên tiếp. Hãy đợi một chút rồi thử lại.", "You have sent many pictures in a row. Wait a moment and try again."},
	"check.shot.self":   {"Bạn", "You"},
	"check.shot.other":  {"Người kia", "Them"},
	"check.shot.read":   {"Đã đọc chữ trong ảnh; ảnh không được lưu lại. Chữ đọc được ở trong ô trên, với tên “Bạn” cho tin bên phải: máy có thể đọc sai, hãy xem lại, sửa nếu cần rồi bấm Kiểm tra.", "The text was read from the picture; the picture was not kept. The text read is in the box above, with “You” for messages on the right: the machine can misread, so look it over, correct it if needed and press Check."},
	"check.shot.cut":    {"Đoạn chat dài hơn 8.000 ký tự: chỉ phần đầu được kiểm tra.", "The chat is longer than 8,000 characters: only its beginning was checked."},
}
