package upstream

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/miekg/dns"

	"manglanh/internal/dnswire"
)

// Cache key layout: lower-cased wire name, qtype, qclass, one byte of flags.
const (
	keyDO   = 1 << 0 // client set DO
	keyEDNS = 1 << 1 // client used EDNS: the stored answer carries an OPT record
	keyCD   = 1 << 2 // client set CD: answers may be unvalidated, keep them apart

	maxKeyLen = dnswire.MaxNameLen + 5
	numShards = 32 // power of two
)

func appendKey(dst, wireName []byte, qtype, qclass uint16, flags byte) []byte {
	dst = append(dst, wireName...)
	dst = binary.BigEndian.AppendUint16(dst, qtype)
	dst = binary.BigEndian.AppendUint16(dst, qclass)
	return append(dst, flags)
}

// entry is one packed answer. Everything but the atomics is immutable once
// the entry is in the cache, so readers copy the answer without holding a
// lock.
//
// An entry is two allocations: this header (64 bytes) and data, which holds
// the cache key, the packed answer and its TTL offsets back to back. The
// key string the shard's map holds points into data (see key), so a cached
// answer costs about 200 bytes with the map's share, instead of five
// allocations of about 380.
type entry struct {
	data    []byte // key | msg (ID 0, TTLs as stored) | TTL offsets, 2 bytes each
	keyLen  uint16
	msgLen  uint16
	nameEnd uint16 // end of the question name, for echoing the client's letter case
	flags   byte

	hits        atomic.Uint32 // saturates at the prefetch threshold
	ref         atomic.Bool   // CLOCK reference bit
	prefetching atomic.Bool

	stored  int64 // unix nanoseconds when the answer arrived
	expires int64 // fresh until (unix ns); stale until expires + the cache's maxStale
}

// newEntryData builds an entry from its parts, copying them into one slab.
func newEntryData(key string, msg []byte, ttlOffs []uint16, nameEnd int, flags byte, stored, expires int64) *entry {
	// Grown by append, so its capacity is the allocation's size class: what
	// cost counts is what the heap holds.
	data := slices.Grow([]byte(nil), len(key)+len(msg)+2*len(ttlOffs))
	data = append(data, key...)
	data = append(data, msg...)
	for _, o := range ttlOffs {
		data = binary.BigEndian.AppendUint16(data, o)
	}
	return &entry{data: data, keyLen: uint16(len(key)), msgLen: uint16(len(msg)), nameEnd: uint16(nameEnd),
		flags: flags, stored: stored, expires: expires}
}

// key returns the cache key; the string shares e.data, which never changes.
func (e *entry) key() string { return unsafe.String(&e.data[0], int(e.keyLen)) }

// msg returns the packed answer (shared: do not modify).
func (e *entry) msg() []byte { return e.data[e.keyLen : int(e.keyLen)+int(e.msgLen)] }

// ttlOffsets returns the TTL field offsets in msg, packed big-endian.
func (e *entry) ttlOffsets() []byte { return e.data[int(e.keyLen)+int(e.msgLen):] }

// question returns what to ask again on a prefetch, from the key.
func (e *entry) question() dns.Question {
	k := e.key()
	n := len(k) - 5
	return dns.Question{Name: dnsName([]byte(k[:n])), Qtype: binary.BigEndian.Uint16([]byte(k[n:])), Qclass: binary.BigEndian.Uint16([]byte(k[n+2:]))}
}

// entryOverhead is what a cached answer costs besides its slab: the
// 64-byte header, its pointer in the shard's slots and its share of the
// shard map (a 16-byte string and a 4-byte index per slot, control bytes,
// and the map kept at most 7/8 full). BenchmarkCacheEntryBytes and
// TestCacheBytesBudget compare it with the heap.
const entryOverhead = int64(unsafe.Sizeof(entry{})) + 8 + 40

// cost is the bytes e is counted for against the cache's budget.
func (e *entry) cost() int64 { return entryOverhead + int64(cap(e.data)) }

// cache is a sharded map of entries bounded in bytes (and, optionally, in
// entries). Reads take a shard's read lock for one map lookup. Eviction
// is CLOCK per shard: a hit sets the entry's reference bit (only if
// clear, so hot entries cause no cache-line writes); the hand clears set
// bits and evicts the first entry whose bit is clear or whose serve-stale
// window has passed, as many as the new entry needs room for. CLOCK
// approximates LRU without moving anything on a hit, which keeps the
// read path lock-free of writes.
type cache struct {
	seed     maphash.Seed
	maxStale int64 // ns an expired entry is kept for serve-stale
	shards   [numShards]shard
}

type shard struct {
	mu     sync.RWMutex
	m      map[string]int32
	slots  []*entry
	hand   int
	max    int   // entries
	budget int64 // bytes
	bytes  int64 // counted bytes of the entries held
	hits   atomic.Uint64
	misses atomic.Uint64
	evicts atomic.Uint64
	_      [64]byte // keep neighbouring shards' counters off this cache line
}

// newCache makes a cache of at most size entries (0: no entry bound) and
// budget bytes, each shard holding a 32nd of both.
func newCache(size int, budget int64, maxStale time.Duration) *cache {
	c := &cache{seed: maphash.MakeSeed(), maxStale: int64(maxStale)}
	per := math.MaxInt32
	if size > 0 {
		per = max(1, (size+numShards-1)/numShards)
	}
	for i := range c.shards {
		c.shards[i].m = make(map[string]int32) // grows with use: a preallocated map is touched, and so resident, at once
		c.shards[i].max = per
		c.shards[i].budget = max(1, budget/numShards)
	}
	return c
}

func (c *cache) shard(key []byte) *shard {
	return &c.shards[maphash.Bytes(c.seed, key)&(numShards-1)]
}

// get returns the entry for key, fresh or not, or nil. It does not count.
func (c *cache) get(s *shard, key []byte) *entry {
	s.mu.RLock()
	i, ok := s.m[string(key)]
	var e *entry
	if ok {
		e = s.slots[i]
	}
	s.mu.RUnlock()
	if e != nil && !e.ref.Load() {
		e.ref.Store(true)
	}
	return e
}

// put inserts or replaces e, evicting by CLOCK until it fits the shard's
// bounds. An answer larger than a shard's whole budget is not cached.
func (c *cache) put(e *entry, now int64) {
	key := e.key()
	cost := e.cost()
	s := c.shard(e.data[:e.keyLen])
	s.mu.Lock()
	defer s.mu.Unlock()
	if cost > s.budget {
		if i, ok := s.m[key]; ok {
			s.remove(int(i))
		}
		return
	}
	if i, ok := s.m[key]; ok {
		old := s.slots[i]
		e.hits.Store(old.hits.Load())
		e.ref.Store(true) // just written: not the first to go below
		s.bytes += cost - old.cost()
		s.slots[i] = e
		// The map's key points into the old entry's data: replace it, so
		// that the old answer can be freed.
		delete(s.m, key)
		s.m[key] = i
		for s.bytes > s.budget && len(s.slots) > 1 {
			s.remove(s.victim(now, c.maxStale))
			s.evicts.Add(1)
		}
		return
	}
	for len(s.slots) > 0 && (len(s.slots) >= s.max || s.bytes+cost > s.budget) {
		s.remove(s.victim(now, c.maxStale))
		s.evicts.Add(1)
	}
	s.m[key] = int32(len(s.slots))
	s.slots = append(s.slots, e)
	s.bytes += cost
}

// victim returns the slot the CLOCK hand stops at: the first entry past
// its serve-stale window or without its reference bit (set bits are
// cleared on the way). s.mu is held; s.slots is not empty.
func (s *shard) victim(now, maxStale int64) int {
	if s.hand >= len(s.slots) {
		s.hand = 0
	}
	for range 2 * len(s.slots) {
		v := s.slots[s.hand]
		if v.expires+maxStale <= now || !v.ref.Swap(false) {
			break
		}
		s.hand = (s.hand + 1) % len(s.slots)
	}
	return s.hand
}

// remove drops slot i, moving the last entry into it. s.mu is held.
func (s *shard) remove(i int) {
	v := s.slots[i]
	delete(s.m, v.key())
	s.bytes -= v.cost()
	last := len(s.slots) - 1
	if i != last {
		moved := s.slots[last]
		s.slots[i] = moved
		s.m[moved.key()] = int32(i)
	}
	s.slots[last] = nil
	s.slots = s.slots[:last]
	if s.hand >= len(s.slots) {
		s.hand = 0
	}
}

func (c *cache) counts() (hits, misses, evictions uint64, entries int, bytes int64) {
	for i := range c.shards {
		s := &c.shards[i]
		hits += s.hits.Load()
		misses += s.misses.Load()
		evictions += s.evicts.Load()
		s.mu.RLock()
		entries += len(s.slots)
		bytes += s.bytes
		s.mu.RUnlock()
	}
	return
}

// render appends e to dst for a client: its ID, RD/CD mirrored, AD kept
// only for clients that asked for DNSSEC (DO or AD, RFC 6840), its letter
// case in the question, and TTLs set to their remaining lifetime at now, or
// to staleTTL when staleTTL > 0.
func (e *entry) render(dst []byte, id, clientFlags uint16, clientDO bool, origName []byte, now int64, staleTTL uint32) []byte {
	start := len(dst)
	dst = append(dst, e.msg()...)
	out := dst[start:]
	binary.BigEndian.PutUint16(out, id)
	f := binary.BigEndian.Uint16(out[2:])
	keepAD := clientDO || clientFlags&dnswire.FlagAD != 0
	f &^= dnswire.FlagRD | dnswire.FlagCD
	if !keepAD {
		f &^= dnswire.FlagAD
	}
	f |= clientFlags & (dnswire.FlagRD | dnswire.FlagCD)
	binary.BigEndian.PutUint16(out[2:], f)
	if len(origName) == int(e.nameEnd)-dnswire.HeaderLen {
		copy(out[dnswire.HeaderLen:], origName)
	}
	if staleTTL > 0 {
		for offs := e.ttlOffsets(); len(offs) >= 2; offs = offs[2:] {
			binary.BigEndian.PutUint32(out[binary.BigEndian.Uint16(offs):], staleTTL)
		}
		return dst
	}
	elapsed := uint32(0)
	if now > e.stored {
		elapsed = uint32((now - e.stored) / 1e9)
	}
	for offs := e.ttlOffsets(); len(offs) >= 2; offs = offs[2:] {
		off := binary.BigEndian.Uint16(offs)
		t := binary.BigEndian.Uint32(out[off:])
		if t > elapsed {
			t -= elapsed
		} else {
			t = 0
		}
		binary.BigEndian.PutUint32(out[off:], t)
	}
	return dst
}
