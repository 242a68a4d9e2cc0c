package family

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"manglanh/internal/filter"
)

// School and class profiles. A school account (auth "school", the
// principal, or "teacher", the IT teacher) of a school of the organisation
// directory manages its school's profile: the networks (IPs and CIDRs) the
// DNS server gives that profile, the school-hours rules, the categories and
// services blocked, single sites allowed or blocked. Classes (a class, a
// computer room) may have their own profile with networks inside the
// school's. A school account sees and changes only its own school's
// profiles (another school's id is ErrNotFound); nobody else changes them.
// Every change goes through Store.UpdateProfile or CreateProfile, which
// bump the policy version in the same transaction, so the DNS policy
// reloads.

// SchoolStore is what the school functions need beyond Store;
// internal/store implements it on SQLite and PostgreSQL.
type SchoolStore interface {
	// NetworkOwners returns every network of every school and class
	// profile, with its owner and the owner's school name.
	NetworkOwners(ctx context.Context) ([]NetworkOwner, error)
	// SchoolStats are the aggregate queries (school_stats.go).
	StatsStore
}

// NewSchool is what a school account types to make its school's profile.
type NewSchool struct {
	Name     string   // shown on the pages; "" = the directory's name
	Networks []string // as typed (see ParseNetworks); may be empty at first
}

// NewClass is what a school account types to make a class's profile.
type NewClass struct {
	Name     string // "Lớp 7A", "Phòng máy 2"
	Networks []string
}

// networksMu serialises network changes within one process, so that the
// overlap check and the write of two schools saving at once cannot
// interleave. (Several processes on one PostgreSQL could still race within
// milliseconds; the DNS policy then refuses only an exactly equal prefix,
// and a longest-prefix match decides an overlap.)
var networksMu sync.Mutex

func (s *Service) schools() (SchoolStore, error) {
	ss, ok := s.store.(SchoolStore)
	if !ok {
		return nil, errors.New("family: the store has no school tables")
	}
	return ss, nil
}

// schoolOrg returns the school a school account acts for, or ErrNotFound.
func (a Actor) schoolOrg() (int64, error) {
	if !a.isSchoolStaff() {
		return 0, ErrNotFound
	}
	return a.StaffOrgID, nil
}

// SchoolProfiles returns the school's profile (nil when it has none yet)
// and its classes' profiles, for a school account; ErrNotFound for anyone
// else.
func (s *Service) SchoolProfiles(ctx context.Context, a Actor) (*Profile, []Profile, error) {
	org, err := a.schoolOrg()
	if err != nil {
		return nil, nil, err
	}
	all, err := s.store.ProfilesOfOrg(ctx, org)
	if err != nil {
		return nil, nil, err
	}
	var school *Profile
	var classes []Profile
	for i := range all {
		switch p := all[i]; {
		case p.OrgID != org:
		case p.Kind == KindSchool && school == nil:
			school = &all[i]
		case p.Kind == KindClass:
			classes = append(classes, p)
		}
	}
	return school, classes, nil
}

// CreateSchool makes the school's profile for a school account (one per
// school: a second is a *ValidationError), with the networks given
// checked against every other school's.
func (s *Service) CreateSchool(ctx context.Context, a Actor, in NewSchool) (*Profile, error) {
	org, err := a.schoolOrg()
	if err != nil {
		return nil, err
	}
	school, _, err := s.SchoolProfiles(ctx, a)
	if err != nil {
		return nil, err
	}
	if school != nil {
		var v ValidationError
		v.add("name", "Trường đã có hồ sơ lọc: hãy sửa hồ sơ đó.", "The school already has a filtering profile: change that one.")
		return nil, &v
	}
	return s.createOrgProfile(ctx, a, &Profile{Kind: KindSchool, OrgID: org}, in.Name, in.Networks)
}

// CreateClass makes a class's profile of the school account's school. Its
// networks must lie inside the school's (see checkNetworks), so the school
// profile comes first.
func (s *Service) CreateClass(ctx context.Context, a Actor, in NewClass) (*Profile, error) {
	org, err := a.schoolOrg()
	if err != nil {
		return nil, err
	}
	school, classes, err := s.SchoolProfiles(ctx, a)
	if err != nil {
		return nil, err
	}
	var v ValidationError
	if school == nil {
		v.add("name", "Hãy tạo hồ sơ của trường trước, rồi mới tạo hồ sơ cho lớp.", "Make the school's profile first, then the classes'.")
		return nil, &v
	}
	if len(classes) >= MaxChildren*5 {
		return nil, ErrLimit
	}
	return s.createOrgProfile(ctx, a, &Profile{Kind: KindClass, OrgID: org}, in.Name, in.Networks)
}

// SchoolDefaultRules are a new school or class profile's rules: the
// harmful categories and filter bypass blocked, strict safe search, no
// time budget. (The age defaults of an unknown age would leave bypass and
// safe search off, which no school wants.)
func SchoolDefaultRules() Rules {
	return Rules{Block: []string{"adult", "gambling", "scam", "malware", "bypass"}, SafeSearch: "strict", Budgets: []Budget{}}
}

// createOrgProfile validates the name and networks of a new school or
// class profile and inserts it with a fresh label and SchoolDefaultRules.
func (s *Service) createOrgProfile(ctx context.Context, a Actor, p *Profile, name string, networks []string) (*Profile, error) {
	ss, err := s.schools()
	if err != nil {
		return nil, err
	}
	p.Nickname = strings.TrimSpace(name)
	var v ValidationError
	v.check(validText("name", p.Nickname, 1, 80, "Tên", "The name"))
	nets, errs := ParseNetworks(networks)
	v.Errors = append(v.Errors, errs...)
	if err := v.err(); err != nil {
		return nil, err
	}
	networksMu.Lock()
	defer networksMu.Unlock()
	claimed, err := s.claimedNetworks(ctx, ss)
	if err != nil {
		return nil, err
	}
	if errs := checkNetworks(p, nets, claimed); len(errs) > 0 {
		return nil, &ValidationError{Errors: errs}
	}
	now := s.now().UTC()
	p.Networks, p.TimeZone, p.CreatedAt, p.UpdatedAt = nets, filter.DefaultTimeZone, now, now
	p.Rules = SchoolDefaultRules()
	if err := s.insertWithLabel(ctx, p.Nickname, func(label string) error {
		p.Label = label
		return s.store.CreateProfile(ctx, p)
	}); err != nil {
		return nil, fmt.Errorf("creating %s profile: %w", p.Kind, err)
	}
	s.audit(ctx, a, "family.school_profile_created", p.ID, fmt.Sprintf("kind=%s org=%d label=%s networks=%s", p.Kind, p.OrgID, p.Label, strings.Join(nets, ",")))
	return p, nil
}

// SetNetworks replaces the networks of a school or class profile of the
// school account's school, after checking them (ParseNetworks, then
// checkNetworks against every other profile's networks, re-read inside
// the store's transaction); nothing is saved on any error.
func (s *Service) SetNetworks(ctx context.Context, a Actor, id int64, networks []string) (*Profile, error) {
	ss, err := s.schools()
	if err != nil {
		return nil, err
	}
	p, err := s.Profile(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if p.Kind != KindSchool && p.Kind != KindClass {
		return nil, ErrNotFound
	}
	nets, errs := ParseNetworks(networks)
	if len(errs) > 0 {
		return nil, &ValidationError{Errors: errs}
	}
	networksMu.Lock()
	defer networksMu.Unlock()
	out, err := s.store.UpdateProfile(ctx, id, func(p *Profile) error {
		if !a.canSee(p) {
			return ErrNotFound
		}
		claimed, err := s.claimedNetworks(ctx, ss)
		if err != nil {
			return err
		}
		if errs := checkNetworks(p, nets, claimed); len(errs) > 0 {
			return &ValidationError{Errors: errs}
		}
		p.Networks, p.UpdatedAt = nets, s.now().UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "family.networks_changed", id, "networks="+strings.Join(nets, ","))
	return out, nil
}

// RenameOrgProfile changes the name of a school or class profile.
func (s *Service) RenameOrgProfile(ctx context.Context, a Actor, id int64, name string) (*Profile, error) {
	p, err := s.Profile(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if p.Kind != KindSchool && p.Kind != KindClass {
		return nil, ErrNotFound
	}
	name = strings.TrimSpace(name)
	if fe := validText("name", name, 1, 80, "Tên", "The name"); fe != nil {
		return nil, &ValidationError{Errors: []FieldError{*fe}}
	}
	return s.store.UpdateProfile(ctx, id, func(p *Profile) error {
		if !a.canSee(p) {
			return ErrNotFound
		}
		p.Nickname, p.UpdatedAt = name, s.now().UTC()
		return nil
	})
}

// DeleteOrgProfile deletes a class's profile, or the school's when it has
// no class left (a class's networks would otherwise lie in no school).
func (s *Service) DeleteOrgProfile(ctx context.Context, a Actor, id int64) error {
	p, err := s.Profile(ctx, a, id)
	if err != nil {
		return err
	}
	switch p.Kind {
	case KindClass:
	case KindSchool:
		_, classes, err := s.SchoolProfiles(ctx, a)
		if err != nil {
			return err
		}
		if len(classes) > 0 {
			var v ValidationError
			v.add("delete", fmt.Sprintf("Trường còn %d hồ sơ lớp: hãy xoá các lớp trước.", len(classes)),
				fmt.Sprintf("The school still has %d class profiles: delete them first.", len(classes)))
			return &v
		}
	default:
		return ErrNotFound
	}
	return s.DeleteProfile(ctx, a, id)
}

// SchoolHours are the default school-hours windows a school adds with one
// click: Monday to Friday, 07:00–11:30 and 13:30–17:00, blocking games,
// social networks, video and filter bypass.
func SchoolHours() []Schedule {
	block := []string{"tiktok", "douyin", "capcut", "facebook", "messenger", "instagram", "threads", "snapchat",
		"twitter", "bigolive", "discord", "roblox", "minecraft", "garena", "lienquan", "freefire", "pubg",
		"genshin", "vnggames", "steam", "twitch", "youtube", "bypass"}
	days := []string{"mon", "tue", "wed", "thu", "fri"}
	return []Schedule{
		{Name: "Buổi sáng", Days: days, From: "07:00", To: "11:30", Block: block},
		{Name: "Buổi chiều", Days: days, From: "13:30", To: "17:00", Block: block},
	}
}

// weekStart is the Monday 00:00 of t's week in the ward's time zone.
func weekStart(t time.Time) time.Time {
	loc, err := time.LoadLocation(filter.DefaultTimeZone)
	if err != nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	t = t.In(loc)
	d := (int(t.Weekday()) + 6) % 7 // days since Monday
	return time.Date(t.Year(), t.Month(), t.Day()-d, 0, 0, 0, 0, loc)
}

// WeekStart is the Monday 00:00 (Asia/Ho_Chi_Minh) of the week holding t.
func WeekStart(t time.Time) time.Time { return weekStart(t) }

// configNets keeps, per Service, the networks of the YAML profiles
// (SetConfigNetworks).
var configNets sync.Map // *Service → []NetworkOwner

// SetConfigNetworks tells the service the clients of the configuration
// file's profiles (profile name → IPs and CIDRs), so that no school or
// class may take a network one of them uses: the DNS policy could not give
// one prefix to two profiles, and the ward's own mapping of a network
// wins until an administrator changes the file.
func (s *Service) SetConfigNetworks(profiles map[string][]string) {
	var out []NetworkOwner
	for name, nets := range profiles {
		for _, n := range nets {
			out = append(out, NetworkOwner{Kind: kindConfig, Name: name, Network: n, OrgID: -1})
		}
	}
	configNets.Store(s, out)
}

// claimedNetworks is every network some other profile uses: the store's
// school and class profiles and the configuration file's.
func (s *Service) claimedNetworks(ctx context.Context, ss SchoolStore) ([]NetworkOwner, error) {
	claimed, err := ss.NetworkOwners(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading networks: %w", err)
	}
	if v, ok := configNets.Load(s); ok {
		claimed = append(claimed, v.([]NetworkOwner)...)
	}
	return claimed, nil
}

// Now is the service's clock (pages choose "this week" with it).
func (s *Service) Now() time.Time { return s.now() }
