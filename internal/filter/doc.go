// Package filter is the policy brain of the Mạng Lành protective DNS resolver.
//
// It holds five ideas, each in its own file:
//
//   - list parsing (parse.go): hosts files, plain domain lists and the AdBlock
//     subset that makes sense for DNS, tolerant of junk;
//   - a compact, immutable domain matcher (matcher.go): 64-bit hashes of names
//     in a sorted array with a bucket index, mapping each name to a small set of
//     tags; a listed domain covers its subdomains; lookups never allocate;
//   - tags (tags.go): categories (adult, gambling, …) and services (TikTok,
//     Zalo, Liên Quân, …) from an embedded catalogue (services.txt, bypass.txt);
//   - a compiled per-profile policy (policy.go, schedule.go, safesearch.go):
//     which tags a child's profile blocks, when, with which safe search;
//   - a loader (loader.go) that downloads or reads lists and swaps in a new
//     Matcher when one changes. The Matcher records which list gave each
//     name, so it is the only copy of the lists' data: a list that changes is
//     merged into a copy of the Matcher less that list's old entries, and a
//     list that fails to load keeps its entries there.
//
// The package opens no listener and touches no database. Everything a DNS
// query reaches (Matcher.Lookup, Policy.Decide, SafeSearchTarget) is immutable
// after construction, safe for concurrent use, and allocation-free.
//
// Hash collisions: names are compared by a 64-bit hash, not by their text. With
// a million listed names the chance that a given unlisted name is taken for a
// listed one is about 1 in 10^13 per probe; we accept that for a 4× smaller
// matcher.
package filter
