#!/usr/bin/env bash
# Issue 10's DNS abuse scenarios against a built manglanh on loopback:
# 1,100 idle connections from 127.0.0.2 to each of TCP, DoT and DoH while
# 127.0.0.1 asks over each (dig, kdig); a REFUSED flood at 20,000 q/s from
# 127.0.0.5 (dnsperf -a); a black-holed upstream (stale answers, SERVFAIL,
# recovery). Usage: scripts/abuse-dns.sh [manglanh binary] (default: built
# from this tree). Needs dig, kdig, dnsperf, openssl, curl, bc. Linux only
# (loopback aliases).
set -u
cd "$(dirname "$0")/.."
W=${WORK:-/tmp/manglanh-abuse}; rm -rf "$W"; mkdir -p "$W"
BIN=${1:-}
if [ -z "$BIN" ]; then CGO_ENABLED=0 go build -trimpath -o "$W/manglanh" ./cmd/manglanh; BIN=$W/manglanh; fi
go build -o "$W/abusedns" ./scripts/abusedns
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" \
  -days 2 -subj "/CN=dns.test" -addext "subjectAltName=DNS:dns.test,IP:127.0.0.1" 2>/dev/null
cat > "$W/m.yaml" <<Y
data_dir: $W/data
log: {level: warn}
web: {listen: "127.0.0.1:8093"}
dns:
  listen: "127.0.0.1:5453"
  tls_listen: "127.0.0.1:5853"
  https_listen: "127.0.0.1:5443"
  cert_file: $W/cert.pem
  key_file: $W/key.pem
  upstreams: ["127.0.0.1:5499"]
  allow_nets: ["127.0.0.0/30"]
  default_profile: p
profiles:
  - {name: p, safe_search: "off"}
Y
"$W/abusedns" hole -listen 127.0.0.1:5499 -ttl 2 2>"$W/hole.log" & HOLE=$!
"$BIN" serve --config "$W/m.yaml" 2>"$W/manglanh.log" & ML=$!
trap 'kill $ML $HOLE 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:8093/healthz >/dev/null 2>&1 && break; sleep 0.2; done
t() {
  local s e rc; s=$(date +%s.%N); "$@" >"$W/out" 2>&1; rc=$?; e=$(date +%s.%N)
  printf "%6.3f s rc=%d %s\n" "$(echo "$e - $s" | bc)" $rc \
    "$(grep -oE 'Query time: [0-9]+ msec|status: [A-Z]+|192\.0\.2\.7|timed out|connection refused|reset|error[^;]*' "$W/out" | tr '\n' ' ')"
}
echo "## idle connections: 1100 from 127.0.0.2 to TCP, DoT, DoH"
"$W/abusedns" idle -from 127.0.0.2 -n 1100 -hold 25s -to 127.0.0.1:5453,127.0.0.1:5853,127.0.0.1:5443 >"$W/idle.out" & IDLE=$!
for _ in $(seq 100); do grep -q holding "$W/idle.out" 2>/dev/null && break; sleep 0.1; done; cat "$W/idle.out"
sleep 0.5
echo -n "tcp  "; t dig +tcp +tries=1 +time=5 @127.0.0.1 -p 5453 www.school.vn A
echo -n "dot  "; t kdig +tls +retry=0 +time=5 @127.0.0.1 -p 5853 www.school.vn A
echo -n "doh  "; t kdig +https +retry=0 +time=5 @127.0.0.1 -p 5443 www.school.vn A
kill $IDLE 2>/dev/null; wait $IDLE 2>/dev/null
echo "## REFUSED flood: dnsperf from 127.0.0.5 (outside allow_nets) at 20000 q/s for 1 s"
printf 'refused.example A\n' > "$W/q.txt"
dnsperf -a 127.0.0.5 -s 127.0.0.1 -p 5453 -d "$W/q.txt" -Q 20000 -l 1 -t 1 -q 20000 2>&1 | grep -E "Queries sent|Queries completed|Queries lost"
echo "## black-holed upstream (TTL 2 s, serve_stale 24h)"
dig +tries=1 +time=3 @127.0.0.1 -p 5453 a.school.vn A >/dev/null
kill -USR1 $HOLE; sleep 2.5
for i in 1 2 3 4 5 6; do echo -n "stale a $i "; t dig +tries=1 +time=4 @127.0.0.1 -p 5453 a.school.vn A; done
for i in 1 2; do echo -n "uncached $i "; t dig +tries=1 +time=4 @127.0.0.1 -p 5453 new$i.school.vn A; done
kill -USR1 $HOLE; sleep 4
echo -n "after recovery "; t dig +tries=1 +time=4 @127.0.0.1 -p 5453 c.school.vn A
