#!/usr/bin/env bash
# Families benchmark (issue 8): dnsperf cache-hit and blocked answers per
# second from a portal profile's device (age defaults, the game budgets, a
# schedule, blocked sites, clamped TTLs) with that profile alone in the
# database, then among 10,000 profiles and 50,000 devices, alternating in
# the same run (plus the YAML seed profile in both);
# the server's RSS for each; and the time from a rule change (a database
# write) to its effect on a real DNS query, on SQLite (poll) and, when
# MANGLANH_TEST_POSTGRES is set, on PostgreSQL (LISTEN/NOTIFY). Prints a
# Markdown report on stdout. Needs dnsperf (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/dev/shm/manglanh-bench-families}
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-4}
OUTSTANDING=${OUTSTANDING:-200}
PROFILES=${PROFILES:-10000}
DEVICES=${DEVICES:-5}
ROUNDS=${ROUNDS:-2}
UP_PORT=5399 ML_PORT=5353 WEB_PORT=8089

command -v dnsperf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf >&2; }
mkdir -p "$WORK"
CGO_ENABLED=0 go build -trimpath -o "$WORK/manglanh" ./cmd/manglanh
CGO_ENABLED=0 go build -trimpath -o "$WORK/benchupstream" ./scripts/benchupstream
CGO_ENABLED=0 go build -trimpath -o "$WORK/benchfamilies" ./scripts/benchfamilies

if [ ! -f "$WORK/list.txt" ]; then
  awk 'BEGIN{for(i=0;i<100000;i++) printf "site%07d.bet\n", i}' > "$WORK/list.txt"
  awk 'BEGIN{for(i=0;i<1000;i++) printf "www%04d.cached-bench.com.vn A\n", i}' > "$WORK/q-hit.txt"
  awk 'BEGIN{srand(7); for(i=0;i<200000;i++) printf "site%07d.bet A\n", int(rand()*100000)}' > "$WORK/q-blocked.txt"
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
"$WORK/benchupstream" -listen 127.0.0.1:$UP_PORT 2>"$WORK/upstream.log" & pids+=($!)

# config NAME [DSN]: a config file with its own data directory.
config() {
  local db=""
  [ -n "${2:-}" ] && db="database: \"$2\""
  cat > "$WORK/$1.yaml" <<YAML
$db
data_dir: $WORK/data-$1
log: {level: warn}
web: {listen: "127.0.0.1:$WEB_PORT"}
dns:
  listen: "127.0.0.1:$ML_PORT"
  upstreams: ["127.0.0.1:$UP_PORT"]
  rate_limit: 0
  cache_size: 200000
  default_profile: bench
lists:
  - {category: gambling, source: $WORK/list.txt}
profiles:
  - {name: bench, age: 12}
YAML
}

rss() { awk '/^VmRSS/{printf "%.1f", $2/1024}' /proc/$1/status; }
MLPID=
start() {
  "$WORK/manglanh" serve --config "$WORK/$1.yaml" 2>"$WORK/$1.log" & MLPID=$!; pids+=($MLPID)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$WEB_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  sleep 1
}
stop() { kill "$MLPID"; wait "$MLPID" 2>/dev/null || true; }

# qps FILE: queries per second of one dnsperf run.
qps() {
  dnsperf -s 127.0.0.1 -p $ML_PORT -d "$WORK/$1" -n 1 -c 2 -q 50 >/dev/null 2>&1 || true
  dnsperf -s 127.0.0.1 -p $ML_PORT -d "$WORK/$1" -l "$DURATION" -c "$CLIENTS" -q "$OUTSTANDING" 2>&1 | awk '/Queries per second/{printf "%.0f", $4}'
}

config one
config many
rm -rf "$WORK/data-one" "$WORK/data-many"
"$WORK/benchfamilies" -data "$WORK/data-one" -profiles 1 -devices "$DEVICES" 2>/dev/null
seed=$("$WORK/benchfamilies" -data "$WORK/data-many" -profiles "$PROFILES" -devices "$DEVICES" 2>&1)

echo "### Families run of $(date -u +%Y-%m-%d\ %H:%M) UTC on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), at $(git rev-parse --short HEAD)"
echo
echo "dnsperf ${DURATION}s, -c $CLIENTS -q $OUTSTANDING, from 127.0.0.1 (a device of a portal profile in both set-ups); $ROUNDS rounds alternating them; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $seed."
echo
echo "| round | profiles loaded | cache-hit q/s | blocked q/s | RSS idle MB | RSS after MB |"
echo "|---|---|---|---|---|---|"
for r in $(seq "$ROUNDS"); do
  for c in one many; do
    start $c
    idle=$(rss $MLPID)
    hit=$(qps q-hit.txt)
    blk=$(qps q-blocked.txt)
    label="1 + $DEVICES devices"; [ $c = many ] && label="$PROFILES + $((PROFILES*DEVICES)) devices"
    echo "| $r | $label | $hit | $blk | $idle | $(rss $MLPID) |"
    if [ $c = many ] && [ "$r" = 1 ]; then
      SQLITE_CHANGE=$("$WORK/benchfamilies" -data "$WORK/data-many" -change -changes 10 -dns 127.0.0.1:$ML_PORT | tail -1)
    fi
    stop
  done
done
echo
echo "Rule change to effect on a DNS query, $PROFILES profiles loaded:"
echo
echo "- SQLite (policy_version polled every second): $SQLITE_CHANGE"
if [ -n "${MANGLANH_TEST_POSTGRES:-}" ]; then
  PSQL=$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
  "$PSQL" "$MANGLANH_TEST_POSTGRES" -qc "DROP SCHEMA IF EXISTS bench_families CASCADE; CREATE SCHEMA bench_families" >/dev/null
  sep='?'; case "$MANGLANH_TEST_POSTGRES" in *\?*) sep='&';; esac
  PGDSN="${MANGLANH_TEST_POSTGRES}${sep}search_path=bench_families"
  config pg "$PGDSN"
  "$WORK/benchfamilies" -dsn "$PGDSN" -profiles "$PROFILES" -devices "$DEVICES" 2>/dev/null
  start pg
  echo "- PostgreSQL (LISTEN manglanh_policy): $("$WORK/benchfamilies" -dsn "$PGDSN" -change -changes 10 -dns 127.0.0.1:$ML_PORT | tail -1)"
  stop
  "$PSQL" "$MANGLANH_TEST_POSTGRES" -qc "DROP SCHEMA bench_families CASCADE" >/dev/null
fi
