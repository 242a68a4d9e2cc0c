// Package program is the ward's programme of work under Decision
// 830/QĐ-TTg and what it reports: activities (communication sessions,
// themed meetings, trainings, contests, leaflets and broadcasts) with their
// participants, the schools' enrolment and the coverage computed from both,
// the registry and inspections of internet and game shops (Decree
// 174/2026), the programme's indicators against editable targets, the
// figures of a period computed from all of these and from cases, alerts and
// DNS aggregates, and the periodic report's saved versions.
//
// Every record belongs to one tenant (a ward or commune): a ward's staff
// read and write only their tenant's rows, the city reads aggregates. The
// package imports no store, web or config; internal/store implements the
// interfaces each part declares (activities.go, shops.go, indicators.go,
// reports.go, tenants.go), and the Service asserts them from the one store
// it is given, so a part whose tables are missing says so instead of
// panicking.
package program

import (
	"errors"
	"fmt"
	"time"
)

// Errors every part returns; web maps them to 404, 403 and 400.
var (
	ErrNotFound  = errors.New("program: not found")
	ErrForbidden = errors.New("program: forbidden")
	// ErrConflict: the row changed since it was read (optimistic version).
	ErrConflict = errors.New("program: changed by someone else")
)

// FieldErrors are validation errors by form field name; the message keys
// are i18n keys (web translates them), never prose.
type FieldErrors map[string]string

func (e FieldErrors) Error() string {
	return fmt.Sprintf("program: %d invalid fields", len(e))
}

// DefaultTenant is the tenant of a single-ward deployment and of every row
// written before tenancy existed.
const DefaultTenant int64 = 1

// Roles, as auth names them, plus the city's.
const (
	RoleWardAdmin = "ward_admin"
	RoleChairman  = "chairman"
	RoleOfficer   = "officer"
	RolePolice    = "police"
	RoleSchool    = "school"
	RoleTeacher   = "teacher"
	RoleOrg       = "org"
	RoleViewer    = "viewer"
	// RoleCity is the city's (or provincial police's) staff: roll-ups of
	// every ward's figures, never a ward's rows.
	RoleCity = "city"
)

// Actor is who asks. TenantID is the actor's ward (DefaultTenant in a
// single-ward deployment); OrgID is the school of a school or teacher
// account.
type Actor struct {
	UserID   int64
	Name     string
	Role     string
	OrgID    int64
	TenantID int64
}

// Period is a half-open interval [From, To) between two local midnights
// of the ward's time zone. A report "for 2025" is 01/01/2025 00:00 to
// 01/01/2026 00:00 in Asia/Ho_Chi_Minh.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// MaxPeriod bounds a period: ten years is more than any programme.
const MaxPeriod = 10*366*24*time.Hour + time.Hour

// Validate reports a period that is empty, reversed or too long.
func (p Period) Validate() error {
	switch {
	case p.From.IsZero() || p.To.IsZero():
		return FieldErrors{"period": "program.err.period_missing"}
	case !p.From.Before(p.To):
		return FieldErrors{"period": "program.err.period_order"}
	case p.To.Sub(p.From) > MaxPeriod:
		return FieldErrors{"period": "program.err.period_long"}
	}
	return nil
}

// Contains reports whether t is in [From, To).
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.From) && t.Before(p.To)
}

// Days returns the period from the local midnight of from's day to the
// local midnight after to's day: both dates included, as people say them
// ("01/01/2025 – 31/12/2025").
func Days(from, to time.Time, loc *time.Location) Period {
	f := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	t := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	return Period{From: f, To: t}
}

// LastDay is the last day included: To minus one day, in To's zone.
func (p Period) LastDay() time.Time {
	return p.To.AddDate(0, 0, -1)
}

// String is "01/01/2025 – 31/12/2025".
func (p Period) String() string {
	return p.From.Format("02/01/2006") + " – " + p.LastDay().Format("02/01/2006")
}

// Activity kinds (the ward report's words).
const (
	KindCommunication = "communication"   // buổi truyền thông
	KindThemedMeeting = "themed_meeting"  // buổi sinh hoạt chuyên đề
	KindSpecial       = "special_session" // buổi tuyên truyền chuyên đề
	KindTraining      = "training"        // tập huấn cán bộ, giáo viên
	KindContest       = "contest"         // cuộc thi (tìm hiểu kỹ năng số…)
	KindLeaflet       = "leaflet"         // tờ rơi, infographic, pano
	KindBroadcast     = "broadcast"       // loa phát thanh, cổng thông tin, Zalo/Facebook
	KindDigitalSkills = "digital_skills"  // a class's digital-skills quiz session (issue 12)
)

// ActivityKinds in the order forms and tables show them.
func ActivityKinds() []string {
	return []string{KindCommunication, KindThemedMeeting, KindSpecial, KindTraining,
		KindContest, KindLeaflet, KindBroadcast, KindDigitalSkills}
}

// Place kinds.
const (
	PlaceSchool        = "school"         // a school of the directory (OrgID)
	PlaceResidential   = "residential"    // tổ dân phố
	PlaceCulturalHouse = "cultural_house" // nhà văn hóa
	PlaceWardOffice    = "ward_office"    // trụ sở UBND
	PlaceOnline        = "online"         // broadcasts, pages, groups
	PlaceOther         = "other"
)

// Participant groups.
const (
	GroupPupils    = "pupils"
	GroupParents   = "parents"
	GroupTeachers  = "teachers"
	GroupResidents = "residents"
	GroupStaff     = "staff"
)

// School levels.
const (
	LevelPrimary        = "primary"         // tiểu học, grades 1–5
	LevelLowerSecondary = "lower_secondary" // THCS, grades 6–9
)

// LevelOfGrade is the level of grades 1–9, or "".
func LevelOfGrade(grade int) string {
	switch {
	case grade >= 1 && grade <= 5:
		return LevelPrimary
	case grade >= 6 && grade <= 9:
		return LevelLowerSecondary
	}
	return ""
}

// Place is where an activity happened. A school place names the school by
// its directory id; other places by name ("Tổ dân phố số 3").
type Place struct {
	Kind  string `json:"kind"`
	OrgID int64  `json:"org_id,omitempty"` // PlaceSchool
	Name  string `json:"name"`             // the school's name as shown, or the typed place
}

// Participant is one line of who took part: a group, and for pupils their
// school and grade (0 = grade not known, level still given), with a count.
// An activity at two schools has pupil lines for each school; each counts
// toward its own school's coverage.
type Participant struct {
	Group    string `json:"group"`
	SchoolID int64  `json:"school_id,omitempty"` // pupils (and teachers) of this school
	Level    string `json:"level,omitempty"`     // pupils: LevelPrimary or LevelLowerSecondary
	Grade    int    `json:"grade,omitempty"`     // pupils: 1–9, or 0
	Count    int    `json:"count"`
}

// Activity is one activity of the programme. Attendees is an optional
// list of adult attendees' names (a training's sign-in sheet), one per
// line; the count of a staff or teacher line may come from it. Pupils are
// never listed by name, only counted.
type Activity struct {
	ID        int64
	TenantID  int64
	Kind      string
	Date      time.Time // local midnight of the day (the first day, if several)
	EndDate   time.Time // zero, or the last day of a multi-day activity
	Places    []Place
	Organiser string // "UBND phường", "Công an phường", "Trường THCS …"
	Topic     string
	Notes     string
	// Copies is the number of leaflets or the number of broadcasts/posts,
	// for KindLeaflet and KindBroadcast.
	Copies       int
	Participants []Participant
	Attendees    []string
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// Total is the number of participations of the activity.
func (a *Activity) Total() int {
	n := 0
	for _, p := range a.Participants {
		n += p.Count
	}
	return n
}

// Enrolment is a school's number of pupils at one level in one school year
// (SchoolYear 2025 = 2025–2026). Coverage is reached / enrolled and is
// never typed.
type Enrolment struct {
	TenantID   int64
	SchoolID   int64
	SchoolYear int
	Level      string
	Pupils     int
	UpdatedBy  int64
	UpdatedAt  time.Time
}

// Shop kinds.
const (
	ShopInternet = "internet" // điểm truy nhập Internet công cộng
	ShopGame     = "game"     // điểm cung cấp dịch vụ trò chơi điện tử công cộng
)

// Shop is an internet or game shop of the registry.
type Shop struct {
	ID       int64
	TenantID int64
	Kind     string
	Name     string
	Address  string
	Owner    string
	Phone    string
	// Certificate is the licence or certificate number; CertIssued and
	// CertExpires its dates (a game shop's certificate lasts 3 years).
	Certificate string
	CertIssued  time.Time
	CertExpires time.Time
	// Opens and Closes are "HH:MM" (a game shop may open 08:00–22:00 only).
	Opens, Closes string
	Machines      int
	Active        bool // false: closed down
	// ClosedAt is the day the shop closed down (local midnight), zero
	// while it is open or when the day is not known. A shop with a
	// closing day is not Active.
	ClosedAt  time.Time
	Notes     string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Inspection is one visit of a team to a shop.
type Inspection struct {
	ID         int64
	TenantID   int64
	ShopID     int64
	Date       time.Time
	Team       string // "Công an phường, cán bộ VHXH"
	Findings   string
	Violations []Violation
	CreatedBy  int64
	CreatedAt  time.Time
}

// Violation is one breach found at an inspection: its article of Decree
// 174/2026 (a code of the catalogue, program/violations data), the fine
// range the catalogue gives, and what was done.
type Violation struct {
	ID           int64
	InspectionID int64
	ShopID       int64
	Article      string // catalogue code, e.g. "174-game-hours"
	Description  string
	FineMinVND   int64 // from the catalogue when recorded
	FineMaxVND   int64
	Actions      []Action
}

// Action kinds.
const (
	ActionReminder = "reminder"  // nhắc nhở
	ActionFine     = "fine"      // xử phạt
	ActionFollowUp = "follow_up" // kiểm tra lại
	ActionClosed   = "closed"    // đình chỉ, thu hồi
)

// Action is what was done about a violation.
type Action struct {
	ID          int64
	ViolationID int64
	Kind        string
	Date        time.Time
	FineVND     int64     // ActionFine
	FollowUp    time.Time // ActionFollowUp: the date of the next visit
	Note        string
	CreatedBy   int64
}

// Indicator is a programme target as editable data: a code ("T1"), its
// words, the target value and the measure that computes it from the
// figures (indicators.go keeps the catalogue of measures).
type Indicator struct {
	ID       int64
	TenantID int64
	Code     string
	NameVI   string
	NameEN   string
	// Measure is a key of the measure catalogue, e.g.
	// "schools_with_activity_pct".
	Measure string
	// Target is a percentage (Unit "percent") or a count (Unit "count").
	Target  float64
	Unit    string
	Order   int
	Version int64
	// UpdatedAt is when it was seeded or last saved, by the Service's
	// clock (Options.Now).
	UpdatedAt time.Time
}

// Report statuses.
const (
	ReportDraft    = "draft"
	ReportApproved = "approved" // the chairman's; a version is frozen once approved
)

// Signature is the signature block of Decree 30/2020: "TM. ỦY BAN NHÂN
// DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / the signer's name.
type Signature struct {
	Capacity string `json:"capacity"` // TM. ỦY BAN NHÂN DÂN
	Deputy   string `json:"deputy"`   // KT. CHỦ TỊCH ("" when the chairman signs)
	Title    string `json:"title"`    // PHÓ CHỦ TỊCH
	Name     string `json:"name"`
}

// ReportVersion is one saved version of a periodic report: the document's
// header fields, the officer's narrative paragraphs by section key, and a
// snapshot of the figures as computed when saved (an approved report
// prints the same figures for ever).
type ReportVersion struct {
	ID             int64
	TenantID       int64
	Period         Period
	Version        int    // 1, 2, … per tenant and period
	Number         string // "05/BC-UBND"
	Place          string // "Phù Liễn"
	Date           time.Time
	Title          string // the summary line under "BÁO CÁO"
	Basis          string // "Thực hiện theo Công văn số …": the opening paragraph
	Recipients     []string
	Signature      Signature
	Narratives     map[string]string
	Figures        *Figures
	Status         string
	CreatedBy      int64
	CreatedByName  string
	CreatedAt      time.Time
	ApprovedBy     int64
	ApprovedByName string
	ApprovedAt     time.Time
}

// Tenant is a ward or commune of a city deployment.
type Tenant struct {
	ID       int64
	Code     string // the commune code, e.g. "11506"
	Name     string // "Phường Phù Liễn"
	Province string // "Thành phố Hải Phòng"
	// PublicKey is the ward's ed25519 key that signs its figure files
	// (base64), registered at the city.
	PublicKey string
	CreatedAt time.Time
}
