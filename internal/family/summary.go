package family

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/alert"
)

// Summary is one profile's week for its parent: time per service per day,
// what was blocked by category, the alerts, advice, and the weekly e-mail.
type Summary struct {
	Profile Profile
	Week    string    // "2026-W49"
	Start   time.Time // Monday 00:00 in the profile's time zone
	Days    [7]Day
	// Keys are the usage keys that had minutes this week, most used first:
	// service names, then the group totals (group:games, …) and "all".
	Keys    []string
	Blocked []CategoryCount // by category, most first
	// BlockedTotal sums Blocked.
	BlockedTotal int64
	Alerts       []alert.Alert
	Advice       []Advice
	Mails        []WeeklyMail
	// Activity is whether the store records DNS activity: without it the
	// minutes are unknown, not zero.
	Activity bool
}

// Day is one day of a Summary.
type Day struct {
	Date    string         // YYYY-MM-DD
	Minutes map[string]int // per usage key
	Blocked int64
}

// Advice is one thing to talk about with the child, chosen from the week.
type Advice struct {
	Key    string // what triggered it: "gambling", "bedtime", "games", …
	Vi, En string
}

// Text is the advice in lang.
func (a Advice) Text(lang string) string {
	if lang == "en" {
		return a.En
	}
	return a.Vi
}

// ServiceMinutes is the minutes of the service keys of the day (no group
// totals), the sum a chart bar shows.
func (d Day) ServiceMinutes() int {
	n := 0
	for k, m := range d.Minutes {
		if ServiceKey(k) {
			n += m
		}
	}
	return n
}

// ServiceKey reports whether a usage key is one service (not "all", a
// group total or a per-game budget).
func ServiceKey(k string) bool {
	return k != "all" && !strings.Contains(k, ":")
}

// WeekOf is the ISO week of t ("2026-W49").
func WeekOf(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// ParseWeek returns the Monday 00:00 in loc of an ISO week "YYYY-Www".
func ParseWeek(s string, loc *time.Location) (time.Time, error) {
	bad := fmt.Errorf("family: %q is not a week like 2026-W49", s)
	y, w, ok := strings.Cut(s, "-W")
	if !ok || len(y) != 4 || len(w) != 2 {
		return time.Time{}, bad
	}
	year, err1 := strconv.Atoi(y)
	week, err2 := strconv.Atoi(w)
	if err1 != nil || err2 != nil || year < 2000 || year > 9999 || week < 1 || week > 53 {
		return time.Time{}, bad
	}
	// 4 January is always in week 1.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, 7*(week-1))
	if WeekOf(start) != s {
		return time.Time{}, bad // week 53 of a year that has 52
	}
	return start, nil
}

// summarise fills the days, keys, blocked counts and advice of sum from
// usage per day and blocked hours; Start and Profile must be set.
func summarise(sum *Summary, usage [7][]Usage, blocked []BlockedHour, loc *time.Location) {
	totals := map[string]int{}
	for i := range sum.Days {
		d := &sum.Days[i]
		d.Date = sum.Start.AddDate(0, 0, i).Format("2006-01-02")
		d.Minutes = map[string]int{}
		for _, u := range usage[i] {
			if u.Minutes > 0 {
				d.Minutes[u.Key] += u.Minutes
				totals[u.Key] += u.Minutes
			}
		}
	}
	for k := range totals {
		sum.Keys = append(sum.Keys, k)
	}
	sort.Slice(sum.Keys, func(i, j int) bool {
		a, b := sum.Keys[i], sum.Keys[j]
		if ServiceKey(a) != ServiceKey(b) {
			return ServiceKey(a)
		}
		if totals[a] != totals[b] {
			return totals[a] > totals[b]
		}
		return a < b
	})
	byCat := map[string]int64{}
	for _, h := range blocked {
		day := int(h.Hour.In(loc).Sub(sum.Start).Hours() / 24)
		if day < 0 || day > 6 {
			continue
		}
		sum.Days[day].Blocked += h.Queries
		byCat[h.Category] += h.Queries
		sum.BlockedTotal += h.Queries
	}
	for c, n := range byCat {
		sum.Blocked = append(sum.Blocked, CategoryCount{Category: c, Blocked: n})
	}
	sort.Slice(sum.Blocked, func(i, j int) bool {
		if sum.Blocked[i].Blocked != sum.Blocked[j].Blocked {
			return sum.Blocked[i].Blocked > sum.Blocked[j].Blocked
		}
		return sum.Blocked[i].Category < sum.Blocked[j].Category
	})
	sum.Advice = Advise(sum, totals)
}

// gameServices and socialServices name the services whose time the advice
// looks at; the filter's registry calls them by these names.
var (
	gameServices   = []string{"lienquan", "roblox", "freefire", "pubg", "minecraft", "genshin", "steam", "garena", "vnggames"}
	socialServices = []string{"tiktok", "douyin", "facebook", "instagram", "zalo", "messenger", "discord", "telegram", "snapchat", "twitter", "threads", "bigolive"}
)

// Advise chooses what to talk about with the child from the week: blocked
// categories, alerts and time. It always returns at least one item, so a
// quiet week still suggests a conversation.
func Advise(sum *Summary, totals map[string]int) []Advice {
	blocked := map[string]int64{}
	for _, c := range sum.Blocked {
		blocked[c.Category] += c.Blocked
	}
	rules := map[string]bool{}
	for _, a := range sum.Alerts {
		rules[a.Rule] = true
		if a.Category != "" {
			rules["cat:"+a.Category] = true
		}
	}
	var out []Advice
	add := func(key, vi, en string) { out = append(out, Advice{Key: key, Vi: vi, En: en}) }
	if blocked["gambling"] >= 3 || rules["cat:gambling"] {
		add("gambling", "Tuần này có nhiều lần vào trang cờ bạc bị chặn. Hãy hỏi con về \"game bài đổi thưởng\", nổ hũ, tài xỉu: đó là cờ bạc trá hình, dễ mất tiền và bị lừa nạp thẻ. Đừng mắng; hỏi con thấy quảng cáo ở đâu.",
			"Many gambling sites were blocked this week. Ask your child about \"card games with prizes\", slots and dice games: they are disguised gambling where money is easily lost and children are tricked into buying top-up cards. Do not scold; ask where they saw the ads.")
	}
	if blocked["adult"] >= 1 || rules["cat:adult"] {
		add("adult", "Có lần vào trang người lớn bị chặn. Nói chuyện nhẹ nhàng: con có thể đã bấm nhầm quảng cáo hay được ai gửi link. Nhắc con kể với bố mẹ nếu có người lạ gửi ảnh hay đòi ảnh.",
			"An adult site was blocked. Talk gently: your child may have tapped an ad or been sent a link. Remind them to tell you if a stranger sends pictures or asks for photos.")
	}
	if blocked["scam"]+blocked["phishing"]+blocked["malware"] >= 1 {
		add("scam", "Có trang lừa đảo hay mã độc bị chặn. Nhắc con: không nhập mật khẩu, mã OTP, không chuyển tiền hay nạp thẻ theo tin nhắn, kể cả khi được hứa quà.",
			"A scam or malware site was blocked. Remind your child never to type a password or OTP code, send money or buy top-up cards because of a message, even when promised a prize.")
	}
	if blocked["bypass"] >= 1 || rules[alert.RuleDNSBypass] {
		add("bypass", "Thiết bị của con đã thử VPN hay DNS khác để vượt bộ lọc. Cùng con xem lại quy tắc dùng mạng và lý do của từng quy tắc; quy tắc cả nhà cùng thống nhất thì dễ giữ hơn.",
			"Your child's device tried a VPN or another DNS to get past the filter. Go over the family's rules and the reason for each together; rules agreed together are easier to keep.")
	}
	if rules[alert.RuleBedtime] {
		add("bedtime", "Con đã dùng mạng trong giờ ngủ. Trẻ cần ngủ đủ 9–11 giờ mỗi đêm; nên để điện thoại sạc ngoài phòng ngủ và cả nhà cùng tắt máy trước giờ ngủ.",
			"Your child went online at bedtime. Children need 9–11 hours of sleep a night; charge the phone outside the bedroom and have the whole family switch off before bed.")
	}
	games, social := 0, 0
	for k, m := range totals {
		switch {
		case slices.Contains(gameServices, k):
			games += m
		case slices.Contains(socialServices, k):
			social += m
		}
	}
	if g := totals["group:games"]; g > games {
		games = g
	}
	if s := totals["group:social"]; s > social {
		social = s
	}
	if games > 7*60 {
		add("games", fmt.Sprintf("Con chơi game khoảng %d phút mỗi ngày. Nghị định 147/2024 đặt giới hạn cho trẻ dưới 18 tuổi: 60 phút mỗi game, 180 phút mỗi ngày. Hãy cùng con chọn giờ chơi và hoạt động khác ngoài màn hình.", games/7),
			fmt.Sprintf("Your child played games about %d minutes a day. Decree 147/2024 limits under-18s to 60 minutes per game and 180 minutes a day. Choose game times together with your child, and activities away from screens.", games/7))
	}
	if social > 7*60 {
		add("social", fmt.Sprintf("Con dùng mạng xã hội khoảng %d phút mỗi ngày. Hỏi con hay trò chuyện với ai, và nhắc: hỏi bố mẹ trước khi kết bạn với người lạ, không gửi ảnh riêng tư.", social/7),
			fmt.Sprintf("Your child used social media about %d minutes a day. Ask who they talk to, and remind them to ask you before connecting with strangers and never to send private photos.", social/7))
	}
	if len(out) == 0 {
		add("quiet", "Tuần này không có gì đáng lo. Hãy khen con và hỏi con thích làm gì trên mạng; trẻ hay kể với bố mẹ hơn khi được lắng nghe.",
			"Nothing worrying this week. Praise your child and ask what they enjoy online; children tell their parents more when they feel listened to.")
	}
	return out
}

var errNoSummaryStore = errors.New("family: the store does not keep weekly summaries")

func (s *Service) summaries() (SummaryStore, error) {
	ss, ok := s.store.(SummaryStore)
	if !ok {
		return nil, errNoSummaryStore
	}
	return ss, nil
}

// WeeklySummary is the week ("2026-W49"; "" = the current week) of a
// profile a may see: usage per day (when the store records activity),
// blocked queries by category, alerts, advice and the e-mails sent.
// Another family's profile is ErrNotFound; a malformed week a
// *ValidationError on field "tuan".
func (s *Service) WeeklySummary(ctx context.Context, a Actor, profileID int64, week string) (*Summary, error) {
	p, err := s.Profile(ctx, a, profileID)
	if err != nil {
		return nil, err
	}
	return s.summary(ctx, p, week)
}

func (s *Service) summary(ctx context.Context, p *Profile, week string) (*Summary, error) {
	ss, err := s.summaries()
	if err != nil {
		return nil, err
	}
	loc := profileLocation(p)
	if week == "" {
		week = WeekOf(s.now().In(loc))
	}
	start, err := ParseWeek(week, loc)
	if err != nil {
		var v ValidationError
		v.add("tuan", "Tuần phải có dạng 2026-W49.", "The week must look like 2026-W49.")
		return nil, &v
	}
	end := start.AddDate(0, 0, 7)
	sum := &Summary{Profile: *p, Week: week, Start: start, Activity: s.activity != nil}
	var usage [7][]Usage
	if s.activity != nil {
		for i := range usage {
			if usage[i], err = s.activity.BudgetUsage(ctx, p.ID, start.AddDate(0, 0, i).Format(time.DateOnly)); err != nil {
				return nil, fmt.Errorf("reading usage: %w", err)
			}
		}
	}
	blocked, err := ss.BlockedHours(ctx, p.Label, start.UTC(), end.UTC())
	if err != nil {
		return nil, err
	}
	if sum.Alerts, err = ss.ProfileAlerts(ctx, p.Label, start.UTC(), end.UTC(), 200); err != nil {
		return nil, err
	}
	if sum.Mails, err = ss.WeeklyMails(ctx, p.ID, week); err != nil {
		return nil, err
	}
	summarise(sum, usage, blocked, loc)
	return sum, nil
}

// SyncMailer sends one e-mail now and returns nil only when the relay
// accepted it (notify.Mailer.SendNow, adapted by the app).
type SyncMailer interface {
	SendNow(ctx context.Context, to, subject, body string) error
}

// WeeklyText renders a summary as the e-mail's plain text in lang, with a
// link to the page (link may be "").
type WeeklyText func(sum *Summary, lang, link string) (subject, body string)

// SendWeekly e-mails last week's summary of every child profile to its
// parent when the parent has an e-mail and WeeklyEmail on, and it is
// Monday from 07:00 in the profile's time zone. A summary the relay
// accepted is not sent again; one that failed is tried again on the next
// call that Monday. Every outcome is recorded for the parent's page. It
// returns the e-mails accepted.
func (s *Service) SendWeekly(ctx context.Context, m SyncMailer, render WeeklyText, link func(profileID int64, week string) string) (int, error) {
	ss, err := s.summaries()
	if err != nil {
		return 0, err
	}
	profiles, _, err := s.store.PolicyProfiles(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	parents := map[int64]*Parent{}
	sent := 0
	for i := range profiles {
		p := &profiles[i]
		if p.Kind != KindChild || p.ParentID == 0 {
			continue
		}
		local := now.In(profileLocation(p))
		if local.Weekday() != time.Monday || local.Hour() < 7 {
			continue
		}
		week := WeekOf(local.AddDate(0, 0, -7))
		par, ok := parents[p.ParentID]
		if !ok {
			if par, err = s.store.ParentByID(ctx, p.ParentID); err != nil {
				s.log.ErrorContext(ctx, "reading a parent for the weekly e-mail", "parent", p.ParentID, "err", err)
				continue
			}
			parents[p.ParentID] = par
		}
		if par.Email == "" || !par.WeeklyEmail || par.Status != StatusActive {
			continue
		}
		done, err := ss.WeeklyMails(ctx, p.ID, week)
		if err != nil {
			return sent, err
		}
		if slices.ContainsFunc(done, func(w WeeklyMail) bool { return w.ParentID == par.ID && w.Status == MailSent }) {
			continue
		}
		sum, err := s.summary(ctx, p, week)
		if err != nil {
			return sent, err
		}
		subj, body := render(sum, par.Lang, link(p.ID, week))
		rec := WeeklyMail{ProfileID: p.ID, Week: week, ParentID: par.ID, Status: MailSent, At: s.now().UTC()}
		if err := m.SendNow(ctx, par.Email, subj, body); err != nil {
			rec.Status, rec.Error = MailFailed, err.Error()
			if len(rec.Error) > 200 {
				rec.Error = rec.Error[:200] + "…"
			}
			s.log.WarnContext(ctx, "weekly summary e-mail not sent", "profile", p.ID, "err", err)
		} else {
			sent++
		}
		if err := ss.RecordWeeklyMail(ctx, rec); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// ParentAlert is an alert raised on one of a parent's children, with what
// happened to its e-mail and whether the parent passed it to the ward.
type ParentAlert struct {
	Alert    alert.Alert
	Delivery alert.ParentDelivery
	SharedAt time.Time // when the parent consented to pass it to the ward
	Consent  string    // the words they agreed to
}

// ParentAlertStore lists alerts routed to parents; *store.Store satisfies it.
type ParentAlertStore interface {
	ParentAlerts(ctx context.Context, parentID int64, limit int) ([]ParentAlert, error)
	ParentAlert(ctx context.Context, parentID, alertID int64) (*ParentAlert, error)
	MarkParentAlertShared(ctx context.Context, alertID int64, consent string, at time.Time) error
}

func (s *Service) parentAlerts() (ParentAlertStore, error) {
	ps, ok := s.store.(ParentAlertStore)
	if !ok {
		return nil, errors.New("family: the store does not keep parent alerts")
	}
	return ps, nil
}

// ParentAlerts lists the alerts of the parent's children, newest first.
func (s *Service) ParentAlerts(ctx context.Context, a Actor) ([]ParentAlert, error) {
	if !a.isParent() {
		return nil, ErrNotFound
	}
	ps, err := s.parentAlerts()
	if err != nil {
		return nil, err
	}
	return ps.ParentAlerts(ctx, a.Parent.ID, 200)
}

// ShareAlert records that the parent consents to pass a critical alert of
// their child to the ward, in the words shown to them (consent), and
// returns it; the caller then opens the ward's case. Another family's
// alert is ErrNotFound; one that is not critical a *ValidationError.
func (s *Service) ShareAlert(ctx context.Context, a Actor, alertID int64, consent string) (*ParentAlert, error) {
	if err := a.activeParent(); err != nil {
		return nil, err
	}
	ps, err := s.parentAlerts()
	if err != nil {
		return nil, err
	}
	pa, err := ps.ParentAlert(ctx, a.Parent.ID, alertID)
	if err != nil {
		return nil, err
	}
	if !pa.Alert.Critical() {
		var v ValidationError
		v.add("alert", "Chỉ cảnh báo khẩn cấp mới chuyển cho cán bộ phường.", "Only a critical alert is passed to the ward.")
		return nil, &v
	}
	if pa.SharedAt.IsZero() {
		now := s.now().UTC()
		if err := ps.MarkParentAlertShared(ctx, alertID, consent, now); err != nil {
			return nil, err
		}
		pa.SharedAt, pa.Consent = now, consent
		s.audit(ctx, a, "family.alert_shared", alertID, "consent given")
	}
	return pa, nil
}

// ParentAlertOf is one alert of the parent (for the alerts page anchor).
func (s *Service) ParentAlertOf(ctx context.Context, a Actor, alertID int64) (*ParentAlert, error) {
	if !a.isParent() {
		return nil, ErrNotFound
	}
	ps, err := s.parentAlerts()
	if err != nil {
		return nil, err
	}
	return ps.ParentAlert(ctx, a.Parent.ID, alertID)
}
