package filter

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
)

// MaxLineLength is the longest list line ParseList reads, in bytes, without
// its line ending. A longer line is junk.
const MaxLineLength = 4096

// maxJunkSamples bounds ParseStats.Samples.
const maxJunkSamples = 5

// JunkSample is one line of a list that was not understood.
type JunkSample struct {
	Line   int    // 1-based line number
	Reason string // short English reason, for logs and the admin page
	Text   string // the start of the line, at most 80 bytes
}

// ParseStats counts what ParseList read.
type ParseStats struct {
	Lines   int          // lines read, including blank and comment lines
	Domains int          // block entries passed to add (a hosts line may give several)
	Allows  int          // allow exceptions (@@||domain^) passed to add
	Junk    int          // entries or lines that were skipped as not understood
	Samples []JunkSample // the first few junk lines
}

func (s *ParseStats) junk(line int, reason string, text []byte) {
	s.Junk++
	if len(s.Samples) >= maxJunkSamples {
		return
	}
	if len(text) > 80 {
		text = text[:80]
	}
	s.Samples = append(s.Samples, JunkSample{Line: line, Reason: reason, Text: strings.ToValidUTF8(string(text), "?")})
}

// ParseList reads a block list and calls add once for each domain it names,
// in file order, with allow set for AdBlock exceptions (@@||domain^). Domains
// are passed lower-case, without a trailing dot, in ASCII (IDNs converted to
// punycode). Duplicates are passed as often as they appear.
//
// One file may mix hosts lines ("0.0.0.0 a.com b.com"), plain domains and
// AdBlock network rules ("||a.com^", "||a.com^$important"); options are
// ignored except those that change meaning for DNS ($badfilter, $dnsrewrite,
// $denyallow, $client, $ctag, $dnstype), whose rules are junk. "#" and "!"
// start comments. Junk — invalid names, regular-expression, URL and cosmetic
// rules, localhost, IP addresses, single-label names, lines longer than
// MaxLineLength — is counted in ParseStats, never fatal. Only a read error
// from r is returned, with the stats so far.
func ParseList(r io.Reader, add func(domain string, allow bool)) (ParseStats, error) {
	return parseList(r, func(d []byte, allow bool) { add(string(d), allow) })
}

// parseList is ParseList with names as bytes that are only valid during the
// call, so that callers that hash names need not allocate.
func parseList(r io.Reader, add func(domain []byte, allow bool)) (ParseStats, error) {
	var st ParseStats
	br := bufio.NewReaderSize(r, MaxLineLength+2) // room for "\r\n"
	var buf []byte
	tooLong := false
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !tooLong {
				st.Lines++
				st.junk(st.Lines, "line too long", line)
				tooLong = true
			}
			continue
		}
		if tooLong {
			// The tail of a long line: skip it.
			tooLong = false
		} else if len(line) > 0 {
			st.Lines++
			if st.Lines == 1 {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			buf = parseLine(&st, line, buf, add)
		}
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, fmt.Errorf("reading list line %d: %w", st.Lines+1, err)
		}
	}
}

// unsupportedOptions change the meaning of an AdBlock rule in ways a DNS
// filter cannot honour; rules carrying them are skipped rather than widened.
var unsupportedOptions = []string{"badfilter", "dnsrewrite", "denyallow", "client", "ctag", "dnstype"}

func parseLine(st *ParseStats, line, buf []byte, add func([]byte, bool)) []byte {
	n := st.Lines
	line = bytes.TrimSpace(line) // also drops "\r\n"
	if len(line) == 0 {
		return buf
	}
	if len(line) > MaxLineLength {
		st.junk(n, "line too long", line)
		return buf
	}
	switch line[0] {
	case '#', '!', '[':
		return buf
	case '/':
		st.junk(n, "regular expression rule", line)
		return buf
	}
	for _, cos := range []string{"##", "#@#", "#?#", "#$#", "#%#"} {
		if bytes.Contains(line, []byte(cos)) {
			st.junk(n, "cosmetic rule", line)
			return buf
		}
	}
	allow := false
	if bytes.HasPrefix(line, []byte("@@")) {
		allow = true
		line = line[2:]
		if !bytes.HasPrefix(line, []byte("||")) {
			st.junk(n, "unsupported exception rule", line)
			return buf
		}
	}
	if bytes.HasPrefix(line, []byte("||")) {
		return parseAdblock(st, line[2:], allow, buf, add)
	}
	if line[0] == '|' {
		st.junk(n, "url rule", line)
		return buf
	}
	// Hosts line or plain domain; "#" after whitespace starts a comment.
	if i := bytes.IndexByte(line, '#'); i >= 0 {
		line = bytes.TrimSpace(line[:i])
	}
	fields := bytes.Fields(line)
	if len(fields) == 0 {
		return buf
	}
	if looksLikeIP(fields[0]) {
		if _, err := netip.ParseAddr(string(fields[0])); err == nil {
			if len(fields) == 1 {
				st.junk(n, "ip address", line)
				return buf
			}
			for _, f := range fields[1:] {
				var reason string
				var d []byte
				d, reason = normalizeDomain(f, buf[:0])
				if reason != "" {
					st.junk(n, reason, f)
					continue
				}
				buf = d
				st.Domains++
				add(d, false)
			}
			return buf
		}
	}
	if len(fields) > 1 {
		st.junk(n, "several words", line)
		return buf
	}
	d, reason := normalizeDomain(fields[0], buf[:0])
	if reason != "" {
		st.junk(n, reason, line)
		return buf
	}
	st.Domains++
	add(d, false)
	return d
}

// parseAdblock handles what follows "||" in a network rule.
func parseAdblock(st *ParseStats, rule []byte, allow bool, buf []byte, add func([]byte, bool)) []byte {
	n := st.Lines
	end := bytes.IndexAny(rule, "^$|/")
	name, rest := rule, []byte(nil)
	if end >= 0 {
		name, rest = rule[:end], rule[end:]
	}
	if len(rest) > 0 && rest[0] == '/' {
		st.junk(n, "path rule", rule)
		return buf
	}
	if i := bytes.IndexByte(rest, '$'); i >= 0 {
		for _, opt := range bytes.Split(rest[i+1:], []byte(",")) {
			opt = bytes.TrimPrefix(bytes.TrimSpace(opt), []byte("~"))
			if j := bytes.IndexByte(opt, '='); j >= 0 {
				opt = opt[:j]
			}
			for _, u := range unsupportedOptions {
				if string(opt) == u {
					st.junk(n, "unsupported option $"+u, rule)
					return buf
				}
			}
		}
		rest = rest[:i]
	}
	rest = bytes.TrimLeft(rest, "^|")
	if len(rest) > 0 {
		st.junk(n, "unsupported rule", rule)
		return buf
	}
	d, reason := normalizeDomain(name, buf[:0])
	if reason != "" {
		st.junk(n, reason, rule)
		return buf
	}
	if allow {
		st.Allows++
	} else {
		st.Domains++
	}
	add(d, allow)
	return d
}

func looksLikeIP(f []byte) bool {
	for _, c := range f {
		if !(c >= '0' && c <= '9' || c == '.' || c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '%') {
			return false
		}
	}
	return bytes.IndexByte(f, '.') >= 0 || bytes.IndexByte(f, ':') >= 0
}

// localNames are names hosts files map to themselves; never block entries.
var localNames = []string{"localhost.localdomain", "ip6-localhost", "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "broadcasthost", "local", "localhost"}

// normalizeDomain checks one name and writes it, lower-case, ASCII, without
// a trailing dot, into buf. It returns a non-empty reason if the name is not
// a usable domain. A leading "*." is dropped: the domain covers its
// subdomains anyway.
func normalizeDomain(name, buf []byte) ([]byte, string) {
	name = bytes.TrimSuffix(name, []byte("."))
	name = bytes.TrimPrefix(name, []byte("*."))
	if len(name) == 0 {
		return nil, "empty name"
	}
	ascii := true
	for _, c := range name {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		a, err := idna.Lookup.ToASCII(string(name))
		if err != nil {
			return nil, "bad international name"
		}
		name = []byte(a)
	}
	if len(name) > 253 {
		return nil, "name too long"
	}
	out := buf[:0]
	labels, labelLen, lastDigits := 1, 0, true
	for _, c := range name {
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			lastDigits = false
		case c >= 'a' && c <= 'z', c == '-', c == '_':
			lastDigits = false
		case c >= '0' && c <= '9':
		case c == '.':
			if labelLen == 0 {
				return nil, "empty label"
			}
			labels++
			labelLen = 0
			lastDigits = true
			out = append(out, c)
			continue
		default:
			return nil, "bad character"
		}
		labelLen++
		if labelLen > 63 {
			return nil, "label too long"
		}
		out = append(out, c)
	}
	if labelLen == 0 {
		return nil, "empty label"
	}
	for _, l := range localNames {
		if string(out) == l {
			return nil, "localhost"
		}
	}
	if labels < 2 {
		return nil, "single label"
	}
	if lastDigits {
		return nil, "ip address"
	}
	return out, ""
}
