package alert

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// ParentContact is the parent who receives a family profile's alerts.
type ParentContact struct {
	ParentID  int64
	ProfileID int64
	Email     string // "" when the parent signed up with a phone
	Lang      string // "vi" or "en"
	Nickname  string // the child's nickname, for the e-mail
}

// The outcomes of the e-mail of a ParentDelivery.
const (
	ParentMailPending   = "pending"   // being sent
	ParentMailSent      = "sent"      // the relay accepted it
	ParentMailFailed    = "failed"    // the relay refused it or could not be reached
	ParentMailThrottled = "throttled" // one was sent for this profile and rule within the hour
	ParentMailNoAddress = "no_email"  // the parent has no e-mail address
	ParentMailOff       = "no_mailer" // the portal has no SMTP relay
)

// ParentDelivery records an alert routed to a parent and what happened to
// its e-mail.
type ParentDelivery struct {
	AlertID, ParentID, ProfileID int64
	Rule                         string
	Time                         time.Time
	MailStatus                   string
	MailError                    string
	MailedAt                     time.Time // when the relay accepted it
}

// ParentStore finds a family profile's parent and keeps the deliveries;
// *store.Store satisfies it.
type ParentStore interface {
	// ParentOfProfile returns the parent of the family profile with this
	// DNS label; ok is false for a profile that is not a family's (a YAML
	// or school profile).
	ParentOfProfile(ctx context.Context, label string) (c ParentContact, ok bool, err error)
	// LastParentMail is when an e-mail of this profile and rule was last
	// accepted by the relay (zero: never).
	LastParentMail(ctx context.Context, profileID int64, rule string) (time.Time, error)
	// SaveParentDelivery stores or replaces the delivery of d.AlertID.
	SaveParentDelivery(ctx context.Context, d ParentDelivery) error
}

// SyncMailer sends one e-mail now and says whether the relay accepted it
// (notify.Mailer.SendNow adapted by the app).
type SyncMailer interface {
	SendNow(ctx context.Context, to, subject, body string) error
}

// ParentsConfig configures Parents.
type ParentsConfig struct {
	Store  ParentStore
	Mailer SyncMailer // nil: alerts are listed for the parent, never e-mailed
	// BaseURL is the portal's address for the link in e-mails.
	BaseURL  string
	Location *time.Location
	// Throttle is the least time between two e-mails of one profile and
	// rule; 1 hour when 0.
	Throttle time.Duration
	Logger   *slog.Logger
	Now      func() time.Time
}

// Parents routes alerts raised on family profiles (Alert.Profile is the
// profile's DNS label) to the profile's parent: every alert is listed on
// the parent's page, and e-mailed, at most one per profile and rule per
// Throttle, when the parent has an address. Sending happens in the
// background so a slow relay never holds up other alerts.
type Parents struct {
	cfg  ParentsConfig
	mu   sync.Mutex // serialises the throttle check and the send
	wg   sync.WaitGroup
	stop context.CancelFunc
	ctx  context.Context
}

// NewParents validates cfg.
func NewParents(cfg ParentsConfig) (*Parents, error) {
	if cfg.Store == nil {
		return nil, errors.New("alert: parents routing needs a store")
	}
	if cfg.Throttle <= 0 {
		cfg.Throttle = time.Hour
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Parents{cfg: cfg, ctx: ctx, stop: cancel}, nil
}

// Close waits for e-mails being sent.
func (p *Parents) Close() {
	p.wg.Wait()
	p.stop()
}

// Route hands a to the parent of its profile, if it has one. It records
// the delivery at once (listed on the parent's page) and sends the e-mail
// in the background; Wait waits for it (tests).
func (p *Parents) Route(ctx context.Context, a Alert) {
	if a.Profile == "" || a.ID == 0 {
		return
	}
	c, ok, err := p.cfg.Store.ParentOfProfile(ctx, a.Profile)
	if err != nil {
		p.cfg.Logger.ErrorContext(ctx, "finding the parent of an alert's profile", "alert", a.ID, "err", err)
		return
	}
	if !ok {
		return
	}
	d := ParentDelivery{AlertID: a.ID, ParentID: c.ParentID, ProfileID: c.ProfileID, Rule: a.Rule, Time: a.Time}
	switch {
	case p.cfg.Mailer == nil:
		d.MailStatus = ParentMailOff
	case c.Email == "":
		d.MailStatus = ParentMailNoAddress
	default:
		d.MailStatus = ParentMailPending
	}
	if err := p.cfg.Store.SaveParentDelivery(ctx, d); err != nil {
		p.cfg.Logger.ErrorContext(ctx, "saving an alert for a parent", "alert", a.ID, "err", err)
		return
	}
	if d.MailStatus != ParentMailPending {
		return
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.send(p.ctx, a, c, d)
	}()
}

// Wait waits for the e-mails started so far.
func (p *Parents) Wait() { p.wg.Wait() }

func (p *Parents) send(ctx context.Context, a Alert, c ParentContact, d ParentDelivery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	last, err := p.cfg.Store.LastParentMail(ctx, c.ProfileID, a.Rule)
	if err != nil {
		d.MailStatus, d.MailError = ParentMailFailed, "database"
		p.cfg.Logger.ErrorContext(ctx, "reading the last parent e-mail", "alert", a.ID, "err", err)
	} else if !last.IsZero() && p.cfg.Now().Sub(last) < p.cfg.Throttle {
		d.MailStatus = ParentMailThrottled
	} else {
		subj, body := p.mail(a, c)
		if err := p.cfg.Mailer.SendNow(ctx, c.Email, subj, body); err != nil {
			d.MailStatus, d.MailError = ParentMailFailed, shortError(err)
			p.cfg.Logger.WarnContext(ctx, "alert e-mail to a parent not sent", "alert", a.ID, "parent", c.ParentID, "err", err)
		} else {
			d.MailStatus, d.MailedAt = ParentMailSent, p.cfg.Now()
		}
	}
	if err := p.cfg.Store.SaveParentDelivery(ctx, d); err != nil {
		p.cfg.Logger.ErrorContext(ctx, "saving a parent e-mail outcome", "alert", a.ID, "err", err)
	}
}

// shortError keeps the relay's answer short enough to show a parent.
func shortError(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// mail is the parent's e-mail: in their language first, then the other.
// It names the child by nickname only and never holds a message's text.
func (p *Parents) mail(a Alert, c ParentContact) (string, string) {
	at := a.Time.In(p.cfg.Location).Format("15:04 02/01/2006")
	langs := []string{"vi", "en"}
	if c.Lang == "en" {
		langs = []string{"en", "vi"}
	}
	var b strings.Builder
	for i, l := range langs {
		if i > 0 {
			b.WriteString("\n---\n")
		}
		title := ParentTitle(a, c.Nickname, l)
		fmt.Fprintf(&b, "%s\n%s: %s\n", title, map[string]string{"vi": "Thời gian", "en": "Time"}[l], at)
		if a.Source == SourceDNS && a.Snippet != "" {
			fmt.Fprintf(&b, "%s: %s\n", map[string]string{"vi": "Tên miền", "en": "Domain"}[l], a.Snippet)
		}
		b.WriteString(map[string]string{"vi": "\nBố mẹ nên làm:\n", "en": "\nWhat you can do:\n"}[l])
		for _, x := range ParentActions(a, l) {
			fmt.Fprintf(&b, "- %s\n", x)
		}
	}
	if p.cfg.BaseURL != "" {
		fmt.Fprintf(&b, "\n%s/gia-dinh/canh-bao#canh-bao-%d\n", strings.TrimRight(p.cfg.BaseURL, "/"), a.ID)
	}
	b.WriteString("\nTổng đài bảo vệ trẻ em / child helpline: 111\n")
	return "[Mạng Lành] " + ParentTitle(a, c.Nickname, langs[0]), b.String()
}

// ParentTitle is the alert's one-line summary for the child's parent.
func ParentTitle(a Alert, nickname, lang string) string {
	cat := CategoryLabel(a.Category, lang)
	en := lang == "en"
	switch {
	case a.Rule == RuleBedtime && en:
		return fmt.Sprintf("%s went online at bedtime", nickname)
	case a.Rule == RuleBedtime:
		return fmt.Sprintf("%s dùng mạng trong giờ ngủ", nickname)
	case a.Source == SourceDNS && en:
		return fmt.Sprintf("%s tried %d times to reach %s sites (blocked)", nickname, a.Count+a.Folded, cat)
	case a.Source == SourceDNS:
		return fmt.Sprintf("%s cố vào trang %s %d lần (đã bị chặn)", nickname, cat, a.Count+a.Folded)
	case en:
		return fmt.Sprintf("A message checked for %s shows %s, level %s", nickname, cat, LevelLabel(a.Level, lang))
	default:
		return fmt.Sprintf("Tin nhắn kiểm tra cho %s có dấu hiệu %s, mức %s", nickname, cat, LevelLabel(a.Level, lang))
	}
}

// parentActions are what a parent (not ward staff) can do, per rule or
// category; the staff actions of Actions speak of opening cases.
var parentActions = map[string][]text{
	"gambling": {
		{"Hỏi con nhẹ nhàng về \"game bài đổi thưởng\", nổ hũ, tài xỉu: đó là cờ bạc, dễ mất tiền và bị lừa nạp thẻ.", "Ask your child gently about \"card games with prizes\", slots and dice games: they are gambling, money is easily lost and children are tricked into buying top-up cards."},
		{"Xem lại ví điện tử, thẻ cào và tài khoản ngân hàng con dùng được.", "Check the e-wallets, top-up cards and bank accounts your child can use."},
	},
	"adult": {
		{"Đừng la mắng: hỏi con đã thấy gì, có phải bấm nhầm quảng cáo hay ai gửi.", "Do not scold: ask what your child saw, whether it was an ad or someone sent it."},
		{"Nếu người lạ gửi ảnh hay đòi ảnh của con, giữ tin nhắn và báo cho phường hoặc gọi 111.", "If a stranger sends pictures or asks your child for photos, keep the messages and tell the ward or call 111."},
	},
	"scam": {
		{"Hỏi con có nhập mật khẩu, mã OTP hay chuyển tiền không; nếu có, đổi mật khẩu và gọi ngân hàng.", "Ask whether your child typed a password or OTP or sent money; if so, change passwords and call the bank."},
	},
	"bypass": {
		{"Máy của con đang thử VPN hay DNS khác để vượt bộ lọc. Xem các ứng dụng VPN trên máy và cùng con nói lại về quy tắc.", "Your child's device is trying a VPN or another DNS to get past the filter. Look for VPN apps and talk the rules over together."},
	},
	"bedtime": {
		{"Nhắc con giờ ngủ; nên sạc điện thoại ngoài phòng ngủ.", "Remind your child of bedtime; charge the phone outside the bedroom."},
	},
	"sextortion": {
		{"Ở bên con, không trách con. Không trả tiền, không gửi thêm ảnh, không xoá tin nhắn.", "Stay with your child and do not blame them. Do not pay, send no more images, delete no messages."},
		{"Gọi 111 ngay, và chuyển cảnh báo này cho cán bộ phường.", "Call 111 now, and pass this alert to the ward."},
	},
	"grooming": {
		{"Hỏi con có hẹn gặp ai quen trên mạng không; không để con đi gặp một mình.", "Ask whether your child arranged to meet someone from online; do not let them go alone."},
		{"Giữ tin nhắn; gọi 111 và chuyển cảnh báo này cho cán bộ phường.", "Keep the messages; call 111 and pass this alert to the ward."},
	},
	"self_harm": {
		{"Ở bên con ngay, không để con một mình; lắng nghe, không phán xét.", "Be with your child now, do not leave them alone; listen without judging."},
		{"Nếu nguy hiểm đến tính mạng gọi 115; gọi 111 để được tư vấn.", "If life is in danger call 115; call 111 for counselling."},
	},
}

// ParentActions is the advice for a parent about a in lang.
func ParentActions(a Alert, lang string) []string {
	key := a.Category
	if a.Rule == RuleBedtime {
		key = "bedtime"
	}
	if key == "phishing" || key == "malware" {
		key = "scam"
	}
	var out []string
	for _, t := range parentActions[key] {
		out = append(out, t.in(lang))
	}
	if len(out) == 0 {
		out = append(out, text{"Nói chuyện bình tĩnh với con về điều đã xảy ra.", "Talk calmly with your child about what happened."}.in(lang))
	}
	return out
}
