package filter

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MinutesPerDay is the number of bits of a day's usage bitmap.
const MinutesPerDay = 24 * 60

// UsageBitsLen is the length in bytes of a packed day bitmap: minute m of
// the day is bit m%8 of byte m/8.
const UsageBitsLen = MinutesPerDay / 8

const dayWords = (MinutesPerDay + 63) / 64

// Usage keeps the time-budget counters and the devices' last-seen times.
// It outlives policies: CompileUsage binds a policy's budgets and devices to
// the counters of their profile and device IDs, so a policy swap (a parent
// changed a rule) keeps the minutes already used today. The hot path only
// touches atomics; the mutex guards the maps, used when a policy is compiled
// and when usage is flushed or merged. Safe for concurrent use.
//
// A counter is kept per (profile, counter key), where the key is "all",
// "group:<g>" or a service name ("each:<g>" budgets count each service of
// the group under the service's name, sharing the counter with a budget on
// that service alone). For each of the last two days it holds a 1440-bit
// bitmap of the minutes with activity, in the profile's time zone; the
// minutes used are its popcount. Bitmaps merge by OR, so several processes
// (and a restart) add up without counting a minute twice.
type Usage struct {
	mu   sync.Mutex
	ctrs map[usageKey]*budgetCounter
	seen map[int64]*seenCell
}

type usageKey struct {
	id   int64  // profile ID; 0 for YAML profiles, then name is the key
	name string // lower-case profile name when id is 0
	key  string
}

type budgetCounter struct {
	id   int64
	key  string
	days [2]atomic.Pointer[budgetDay] // indexed by day number & 1
	// last is the minute (day*1440 + minute of the day) of the last
	// query counted, so that a gap of up to fillGap minutes between two
	// queries is filled (see mark).
	last atomic.Int64
}

// fillGap is the longest run of minutes without a query between two
// queries of a key that still counts as activity: with answers cached for
// up to 60 s on the device, an app in constant use asks again 60 s plus a
// little after its last answer, which can skip a whole calendar minute
// (asked at 10:00:59, again at 10:02:01). Filling one missing minute
// counts such use exactly; a longer silence is not filled.
const fillGap = 1

// budgetDay is one day's bitmap. used is the popcount of bits, kept as bits
// are set so that the hot path need not count.
type budgetDay struct {
	day   int32 // days since 1970-01-01 in the profile's time zone
	used  atomic.Int32
	dirty atomic.Bool // set since the last flush
	bits  [dayWords]atomic.Uint64
}

type seenCell struct {
	last    atomic.Int64 // unix seconds of the last query, 0 never
	flushed int64        // the last value flushed (under Usage.mu)
}

// NewUsage returns an empty Usage.
func NewUsage() *Usage {
	return &Usage{ctrs: make(map[usageKey]*budgetCounter), seen: make(map[int64]*seenCell)}
}

func (u *Usage) counter(id int64, profile, key string) *budgetCounter {
	k := usageKey{id: id, key: key}
	if id == 0 {
		k.name = strings.ToLower(profile)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	c := u.ctrs[k]
	if c == nil {
		c = &budgetCounter{id: id, key: key}
		u.ctrs[k] = c
	}
	return c
}

func (u *Usage) seenOf(deviceID int64) *seenCell {
	u.mu.Lock()
	defer u.mu.Unlock()
	c := u.seen[deviceID]
	if c == nil {
		c = &seenCell{}
		u.seen[deviceID] = c
	}
	return c
}

// dayFor returns the bitmap of day, making it (one allocation per counter
// and day) when the slot holds another day. A slot is reused every other
// day; the flusher has written the old day long before.
func (c *budgetCounter) dayFor(day int32) *budgetDay {
	slot := &c.days[day&1]
	bd := slot.Load()
	if bd != nil && bd.day == day {
		return bd
	}
	if bd != nil && bd.day > day { // the clock went back by two days or more
		return nil
	}
	nb := &budgetDay{day: day}
	if slot.CompareAndSwap(bd, nb) {
		return nb
	}
	if bd = slot.Load(); bd != nil && bd.day == day {
		return bd
	}
	return nil
}

// used returns the minutes used on day (0 if none are recorded).
func (c *budgetCounter) used(day int32) int32 {
	bd := c.days[day&1].Load()
	if bd == nil || bd.day != day {
		return 0
	}
	return bd.used.Load()
}

// spent reports whether limit minutes are used on day and minute is not
// one of them (the minute that reaches the limit is usable to its end).
func (c *budgetCounter) spent(day int32, minute int, limit int32) bool {
	bd := c.days[day&1].Load()
	if bd == nil || bd.day != day {
		return false
	}
	n := bd.used.Load()
	if n < limit {
		return false
	}
	if n > limit || minute < 0 || minute >= MinutesPerDay {
		return true
	}
	return bd.bits[minute/64].Load()&(1<<(minute%64)) == 0
}

// mark records activity in minute of day, and in the minutes since the
// last query of the key when at most fillGap of them were silent (within
// the same day). The bit is read first so that a busy minute costs loads,
// not writes to a shared cache line.
func (c *budgetCounter) mark(day int32, minute int) {
	bd := c.dayFor(day)
	if bd == nil || minute < 0 || minute >= MinutesPerDay {
		return
	}
	abs := int64(day)*MinutesPerDay + int64(minute)
	if prev := c.last.Load(); prev != abs {
		c.last.Store(abs)
		if gap := abs - prev - 1; gap >= 1 && gap <= fillGap && minute-int(gap) >= 0 {
			for m := minute - int(gap); m < minute; m++ {
				bd.set(m)
			}
		}
	}
	bd.set(minute)
}

func (bd *budgetDay) set(minute int) {
	w, b := minute/64, uint64(1)<<(minute%64)
	if bd.bits[w].Load()&b != 0 {
		return
	}
	if old := bd.bits[w].Or(b); old&b == 0 {
		bd.used.Add(1)
		bd.dirty.Store(true)
	}
}

// merge ORs packed bits into day and returns how many minutes were new.
func (c *budgetCounter) merge(day int32, packed []byte) int {
	bd := c.dayFor(day)
	if bd == nil {
		return 0
	}
	var buf [dayWords * 8]byte
	copy(buf[:], packed)
	added := 0
	for w := range dayWords {
		v := binary.LittleEndian.Uint64(buf[w*8:])
		if v == 0 {
			continue
		}
		old := bd.bits[w].Or(v)
		if n := bits.OnesCount64(v &^ old); n > 0 {
			added += n
			bd.used.Add(int32(n))
		}
	}
	return added
}

func (bd *budgetDay) pack() []byte {
	var buf [dayWords * 8]byte
	for w := range dayWords {
		binary.LittleEndian.PutUint64(buf[w*8:], bd.bits[w].Load())
	}
	return append([]byte(nil), buf[:UsageBitsLen]...)
}

// BudgetBits is one day's bitmap of one counter of a profile, as stored
// (see Usage). Minutes is the popcount of Bits.
type BudgetBits struct {
	ProfileID int64
	Day       string // YYYY-MM-DD in the profile's time zone
	Key       string // "all", "group:<g>" or a service name
	Bits      []byte // UsageBitsLen bytes, minute m is bit m%8 of byte m/8
	Minutes   int
}

// DeviceSeen is when a device last asked.
type DeviceSeen struct {
	DeviceID int64
	LastSeen time.Time
}

// TakeDirty returns the bitmaps changed since the last TakeDirty (of
// profiles with an ID; YAML profiles are not stored) and the devices seen
// since then. A bitmap changed while it is read is sent again next time.
func (u *Usage) TakeDirty() ([]BudgetBits, []DeviceSeen) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []BudgetBits
	for _, c := range u.ctrs {
		if c.id == 0 {
			continue
		}
		for i := range c.days {
			bd := c.days[i].Load()
			if bd == nil || !bd.dirty.Swap(false) {
				continue
			}
			out = append(out, BudgetBits{ProfileID: c.id, Day: dayString(bd.day), Key: c.key, Bits: bd.pack(), Minutes: int(bd.used.Load())})
		}
	}
	var seen []DeviceSeen
	for id, c := range u.seen {
		if v := c.last.Load(); v > c.flushed {
			c.flushed = v
			seen = append(seen, DeviceSeen{DeviceID: id, LastSeen: time.Unix(v, 0)})
		}
	}
	return out, seen
}

// Restore marks bitmaps and devices from TakeDirty dirty again (their flush
// failed), so the next flush retries them.
func (u *Usage) Restore(rows []BudgetBits, seen []DeviceSeen) {
	u.Merge(rows)
	for _, r := range rows {
		day, err := parseDay(r.Day)
		if err != nil {
			continue
		}
		if c := u.counter(r.ProfileID, "", r.Key); c != nil {
			if bd := c.dayFor(day); bd != nil {
				bd.dirty.Store(true)
			}
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, s := range seen {
		if c := u.seen[s.DeviceID]; c != nil && c.flushed >= s.LastSeen.Unix() {
			c.flushed = s.LastSeen.Unix() - 1
		}
	}
}

// Merge ORs stored bitmaps (this process's after a restart, other
// processes' while running) into the counters and returns the number of
// minutes that were new here. Rows with a bad day are skipped.
func (u *Usage) Merge(rows []BudgetBits) int {
	added := 0
	for _, r := range rows {
		day, err := parseDay(r.Day)
		if err != nil || r.ProfileID == 0 {
			continue
		}
		added += u.counter(r.ProfileID, "", r.Key).merge(day, r.Bits)
	}
	return added
}

// MinutesUsed returns the minutes counted under key for profile id on day
// (YYYY-MM-DD), for tests and display.
func (u *Usage) MinutesUsed(id int64, profile, key, day string) int {
	d, err := parseDay(day)
	if err != nil {
		return 0
	}
	return int(u.counter(id, profile, key).used(d))
}

// LastSeen returns when device id last asked (zero: never since start).
func (u *Usage) LastSeen(id int64) time.Time {
	v := u.seenOf(id).last.Load()
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(v, 0)
}

// dayNumber returns the days since 1970-01-01 and the minute of the day of
// t in loc, without allocating.
func dayNumber(t time.Time, loc *time.Location) (int32, int) {
	t = t.In(loc)
	y, m, d := t.Date()
	h, mi, _ := t.Clock()
	return int32(daysFromCivil(y, int(m), d)), h*60 + mi
}

// daysFromCivil is Howard Hinnant's days_from_civil.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dayString(day int32) string {
	return time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
}

func parseDay(s string) (int32, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("day %q: %w", s, err)
	}
	return int32(t.Unix() / 86400), nil
}

// DayOf returns the YYYY-MM-DD of t in the time zone tz ("" = the default).
func DayOf(t time.Time, tz string) string {
	if tz == "" {
		tz = DefaultTimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format(time.DateOnly)
}
