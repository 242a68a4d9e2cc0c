package dnsserver

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"manglanh/internal/dnswire"
	"manglanh/internal/filter"
	"manglanh/internal/querylog"
)

// Sizes of the blocked-query table.
const (
	blockSlots = 4096 // distinct (profile, client, name) details per flush window
	blockProbe = 8    // slots tried before a detail is given up
)

// blockLog folds blocked queries into one detail per (profile, client, name,
// category, schedule) and flush window, in a fixed table written on the hot
// path without allocating. flush turns the table into querylog events (one
// per slot, with Hits) and empties it.
//
// The table bounds what a flood of distinct blocked names costs: at most
// blockSlots detail rows per window reach the Recorder and the database; a
// query whose slot and the blockProbe slots after it hold other details
// keeps only its count in the hourly aggregate and is counted in
// Stats.DetailsDropped. Repeats of one name by one client, the common case
// (a phone retries, an app polls its tracker), cost one locked increment.
type blockLog struct {
	seed maphash.Seed
	// keys[i] is slots[i]'s hash, 0 when free. It is read without the lock,
	// so that a probe past slots of other names takes no lock, and kept
	// apart from the slots so that a probe touches one cache line instead
	// of blockProbe slots of 350 bytes (under a flood of distinct names the
	// table is full and every query probes); the slot's lock confirms.
	keys  [blockSlots]atomic.Uint64
	slots [blockSlots]blockSlot
	used  atomic.Int64 // slots in use, so that flush can skip an empty table
}

type blockSlot struct {
	mu       sync.Mutex
	inUse    bool
	hash     uint64
	profile  int32
	tag      filter.Tag
	nameLen  uint8
	client   netip.Addr
	schedule string // shares the compiled policy's string
	cause    filter.Cause
	budget   string // shares the compiled policy's string
	first    int64  // unix ns of the first query in the window
	hits     int64
	name     [dnswire.MaxHostLen]byte
}

func newBlockLog() *blockLog { return &blockLog{seed: maphash.MakeSeed()} }

// add counts one blocked query; false if it could not be kept as a detail.
func (b *blockLog) add(profile int, client netip.Addr, host []byte, d filter.Decision, now time.Time) bool {
	a16 := client.As16()
	h := maphash.Bytes(b.seed, host)
	h ^= (binary.LittleEndian.Uint64(a16[:8])+uint64(profile))*0x9E3779B97F4A7C15 ^
		(binary.LittleEndian.Uint64(a16[8:])+uint64(d.Tag))*0xC2B2AE3D27D4EB4F
	h ^= h >> 29
	h |= 1 // 0 marks a free slot
	for i := range blockProbe {
		j := (h + uint64(i)) % blockSlots
		if k := b.keys[j].Load(); k != 0 && k != h {
			continue
		}
		s := &b.slots[j]
		s.mu.Lock()
		if !s.inUse {
			b.keys[j].Store(h)
			s.inUse, s.hash, s.profile, s.tag, s.client, s.schedule = true, h, int32(profile), d.Tag, client, d.Schedule
			s.cause, s.budget = d.Cause, d.Budget
			s.nameLen = uint8(copy(s.name[:], host))
			s.first, s.hits = now.UnixNano(), 1
			b.used.Add(1)
			s.mu.Unlock()
			return true
		}
		if s.hash == h && s.profile == int32(profile) && s.tag == d.Tag && s.client == client &&
			s.schedule == d.Schedule && s.cause == d.Cause && s.budget == d.Budget && bytes.Equal(s.name[:s.nameLen], host) {
			s.hits++
			s.mu.Unlock()
			return true
		}
		s.mu.Unlock()
	}
	return false
}

// flush empties the table into events, calling emit once per detail. Slots
// are emptied one by one under their own lock, so a query arriving meanwhile
// lands either in this flush or in the next, never nowhere.
func (b *blockLog) flush(emit func(profile int, client netip.Addr, name string, tag filter.Tag, schedule string, first time.Time, hits int64)) {
	if b.used.Load() == 0 {
		return
	}
	for i := range b.slots {
		s := &b.slots[i]
		s.mu.Lock()
		if !s.inUse {
			s.mu.Unlock()
			continue
		}
		profile, client, name, tag, schedule := int(s.profile), s.client, string(s.name[:s.nameLen]), s.tag, s.schedule
		switch s.cause {
		case filter.CauseBudget:
			schedule = "budget:" + s.budget
		case filter.CauseDeny, filter.CausePause:
			schedule = s.cause.String()
		}
		first, hits := time.Unix(0, s.first), s.hits
		s.inUse, s.schedule, s.budget = false, "", ""
		b.keys[i].Store(0)
		b.used.Add(-1)
		s.mu.Unlock()
		emit(profile, client, name, tag, schedule, first, hits)
	}
}

// recordBlocked keeps the detail of a blocked query for the next flush.
func (s *Server) recordBlocked(profile int, client netip.Addr, q *dnswire.Query, d filter.Decision, now time.Time) {
	if s.cfg.Recorder == nil {
		return
	}
	if !s.blocked.add(profile, client, q.Host(), d, now) {
		s.Stats.DetailsDropped.Add(1)
	}
}

// flushBlocked sends the details gathered since the last flush to the
// Recorder, each with the number of queries it stands for. The event's
// Schedule names the rule for the portal's causes: "budget:<key>" for a
// spent time budget, "pause", "deny" for a site the parent blocked.
func (s *Server) flushBlocked(snap *policySnap) {
	s.blocked.flush(func(profile int, client netip.Addr, name string, tag filter.Tag, schedule string, first time.Time, hits int64) {
		pname := ""
		if profile < len(snap.names) {
			pname = snap.names[profile]
		}
		s.cfg.Recorder.Record(querylog.Event{
			Time: first, Hits: hits, Profile: pname, Client: client.String(), Name: name,
			Category: s.tagName(tag), Action: querylog.Blocked, Schedule: schedule,
		})
	})
}
