// Package upstream forwards DNS queries and caches the answers for the
// protective resolver.
//
// # Transports
//
// ParseAddress understands plain DNS (UDP with TCP on truncation, or TCP
// only), DNS over TLS and DNS over HTTPS; NewUpstream returns an Upstream
// for one address. UDP goes over a pool of eight long-lived sockets per
// upstream, answers matched to queries by a random ID and the question,
// each socket replaced on a new port after 4,096 queries; TCP and TLS
// connections are pooled (a few idle connections, one query at a time
// each); DoH uses net/http with HTTP/2. Every answer is checked against
// its query (ID, QR, question). Resolver.Close releases the UDP sockets.
//
// # Resolver
//
// A Resolver has three entry points for the DNS server:
//
//   - AppendCached, the fast path: with a dnswire.Query parsed from the
//     packet, it looks the answer up and appends it, packed, to the
//     caller's buffer, patching only the ID, a few header bits, the
//     question's letter case and the TTLs. It does not allocate.
//   - ResolveAppend, the slow path on a miss: it forwards the query
//     (failover across upstreams, identical misses coalesced), caches the
//     answer packed, and appends it to the caller's buffer from those
//     bytes, as AppendCached would. When the upstreams fail it serves
//     stale answers (RFC 8767).
//   - Resolve does the same for a *dns.Msg (safe-search rewrites, queries
//     with a client subnet kept).
//
// # Upstreams that stop answering
//
// An upstream whose exchanges fail DownAfter times in a row is marked
// down and no longer asked; Run probes it every HealthInterval and the
// first answer marks it up. While every upstream is down, a query is
// answered at once: stale when the cache has the name, an error wrapping
// ErrAllDown (SERVFAIL) otherwise. While some are up, a query whose name
// has a stale answer waits at most StaleAfter (RFC 8767's client response
// timer, 1.8 s) for them, then gets the stale answer; the lookup goes on
// and refreshes the cache. After such a stall or a failed exchange, and
// until an upstream answers again, stale answers are sent at once, each
// with its lookup in the background.
//
// Run performs health probes of upstreams marked down and prefetches of
// popular entries about to expire; without it both are off (an upstream
// marked down then stays down).
//
// # Cache
//
// The key is the lower-cased wire name, type, class and three client bits:
// DO, EDNS (an answer to a client without EDNS carries no OPT record, so
// it is stored apart) and CD. An entry is the whole answer packed with
// compression, the offsets of its TTL fields and its timestamps; entries
// are immutable once stored, so a hit copies bytes under nothing more than
// a shard's read lock for the map lookup. Thirty-two shards each hold a
// 32nd of CacheBytes (each entry counted for what it holds on the heap:
// slab, header, slot and map share) and of CacheSize when one is set, and
// evict by CLOCK (second chance): cheaper than LRU on a hit, which only
// sets a reference bit when it is clear. Expired
// entries stay until evicted or MaxStale has passed, for serve-stale.
// TTLs are clamped to [MinTTL, MaxTTL]; NXDOMAIN and NODATA are cached for
// min(SOA TTL, SOA MINIMUM) (RFC 2308) and not at all without an SOA;
// SERVFAIL, REFUSED and truncated answers are never cached.
package upstream
