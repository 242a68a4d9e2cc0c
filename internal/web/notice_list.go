package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"manglanh/internal/notify"
)

// NoticeStore keeps the staff's in-portal notices (*store.Store).
type NoticeStore interface {
	UserNotices(ctx context.Context, userID int64, limit int) ([]notify.Notice, error)
	UnreadNotices(ctx context.Context, userID int64) (int, error)
	MarkNoticesRead(ctx context.Context, userID int64, ids []int64, at time.Time) (int64, error)
}

type noticeView struct {
	ID     int64
	CaseID int64
	Text   string
	At     time.Time
	Unread bool
}

type noticeListPage struct {
	Notices []noticeView
	Unread  int
}

// noticeList shows the signed-in user's notices, newest first.
func (s *Server) noticeList(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	lang := langOf(r)
	ns, err := s.cfg.Notices.UserNotices(r.Context(), u.ID, 200)
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing notices", "user", u.ID, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	p := noticeListPage{}
	for _, n := range ns {
		unread := n.ReadAt.IsZero()
		if unread {
			p.Unread++
		}
		p.Notices = append(p.Notices, noticeView{ID: n.ID, CaseID: n.CaseID, Text: n.Text(lang), At: n.CreatedAt, Unread: unread})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "notice_list", T(lang, "notice.title"), p)
}

// noticeRead marks one notice (id=…) or all of the user's notices read.
func (s *Server) noticeRead(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	var ids []int64
	if v := r.PostFormValue("id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		ids = []int64{id}
	}
	if _, err := s.cfg.Notices.MarkNoticesRead(r.Context(), u.ID, ids, time.Now()); err != nil {
		s.log.ErrorContext(r.Context(), "marking notices read", "user", u.ID, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, "/can-bo/thong-bao", http.StatusSeeOther)
}

// unreadNotices is the signed-in user's unread count for the staff home;
// 0 without notices or on error (logged).
func (s *Server) unreadNotices(r *http.Request) int {
	u := userFrom(r.Context())
	if s.cfg.Notices == nil || u == nil || u.ID <= 0 {
		return 0
	}
	n, err := s.cfg.Notices.UnreadNotices(r.Context(), u.ID)
	if err != nil {
		s.log.ErrorContext(r.Context(), "counting notices", "user", u.ID, "err", err)
		return 0
	}
	return n
}
