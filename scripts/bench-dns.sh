#!/usr/bin/env bash
# DNS benchmark: dnsperf on loopback against manglanh holding 1,000,000 listed
# domains, for cache-hit, blocked and forwarded mixes, beside unbound (one
# thread, forwarding to the same upstream) in the same run. Prints a Markdown
# report on stdout; logs go to $WORK. Needs dnsperf and unbound (Debian);
# installs them when missing. Run on a quiet machine: `make bench-dns`.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/manglanh-bench}
DURATION=${DURATION:-15}
CLIENTS=${CLIENTS:-4}
OUTSTANDING=${OUTSTANDING:-200}
LAT_QPS=${LAT_QPS:-20000}
LAT_MISS_QPS=${LAT_MISS_QPS:-5000} # below what either server forwards on 2 cores, so both are measured unsaturated
MEMORY_LIMIT_MB=${MEMORY_LIMIT_MB:-0} # dns.memory_limit_mb; 0 = derived at start-up
UP_PORT=5399 ML_PORT=5353 UB_PORT=5354 WEB_PORT=8089

for p in dnsperf unbound; do
  command -v $p >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf unbound >&2; }
done
mkdir -p "$WORK"
CGO_ENABLED=0 go build -trimpath -o "$WORK/manglanh" ./cmd/manglanh
CGO_ENABLED=0 go build -trimpath -o "$WORK/benchupstream" ./scripts/benchupstream

# Data: 1M synthetic listed names, and the query files of the three mixes.
if [ ! -f "$WORK/list1m.txt" ]; then
  awk 'BEGIN{for(i=0;i<1000000;i++) printf "site%07d.%s\n", i, (i%3==0?"bet":(i%3==1?"xyz":"com.vn"))}' > "$WORK/list1m.txt"
  awk 'BEGIN{for(i=0;i<1000;i++) printf "www%04d.cached-bench.com.vn A\n", i}' > "$WORK/q-hit.txt"
  awk 'BEGIN{srand(7); for(i=0;i<200000;i++){n=int(rand()*1000000); printf "%ssite%07d.%s A\n", (i%2?"www.":""), n, (n%3==0?"bet":(n%3==1?"xyz":"com.vn"))}}' > "$WORK/q-blocked.txt"
  awk 'BEGIN{for(i=0;i<3000000;i++) printf "m%07d.miss-bench.com.vn A\n", i}' > "$WORK/q-miss.txt"
fi
# The misses' latency runs need names neither server has seen (the
# throughput run's names are in unbound's large cache): one file each.
for s in ml ub; do
  [ -f "$WORK/q-miss-lat-$s.txt" ] || awk -v s=$s 'BEGIN{for(i=0;i<400000;i++) printf "l%07d.%s-lat.miss-bench.com.vn A\n", i, s}' > "$WORK/q-miss-lat-$s.txt"
done

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$WORK/benchupstream" -listen 127.0.0.1:$UP_PORT 2>"$WORK/upstream.log" & pids+=($!)

cat > "$WORK/manglanh.yaml" <<EOF
data_dir: $WORK/data
log: {level: warn}
web: {listen: "127.0.0.1:$WEB_PORT"}
dns:
  listen: "127.0.0.1:$ML_PORT"
  upstreams: ["127.0.0.1:$UP_PORT"]
  rate_limit: 0
  memory_limit_mb: $MEMORY_LIMIT_MB
  default_profile: bench
lists:
  - {category: gambling, source: $WORK/list1m.txt}
profiles:
  - {name: bench, block: [adult, gambling, scam, malware], safe_search: "off"}
EOF
rm -rf "$WORK/data"
"$WORK/manglanh" serve --config "$WORK/manglanh.yaml" 2>"$WORK/manglanh.log" & MLPID=$!; pids+=($MLPID)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$WEB_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

cat > "$WORK/unbound.conf" <<EOF
server:
  interface: 127.0.0.1
  port: $UB_PORT
  num-threads: 1
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$WORK"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 0
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  msg-cache-size: 64m
  rrset-cache-size: 128m
  module-config: "iterator"
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@$UP_PORT
EOF
unbound -c "$WORK/unbound.conf" 2>"$WORK/unbound.log" & UBPID=$!; pids+=($UBPID)
sleep 1

rss() { awk '/^VmRSS/{printf "%.1f", $2/1024}' /proc/$1/status; }
hwm() { awk '/^VmHWM/{printf "%.1f", $2/1024}' /proc/$1/status; }
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
HZ=$(getconf CLK_TCK)

RSS_LOADED=$(rss $MLPID)
HWM_LOADED=$(hwm $MLPID)

# run NAME PORT PID FILE [LATFILE]: a throughput run, then the latency run
# on LATFILE (default FILE); prints a table row.
run() {
  local name=$1 port=$2 pid=$3 file=$4 latfile=${5:-$4} latqps=$LAT_QPS
  case $file in q-miss*) latqps=$LAT_MISS_QPS ;; esac
  kill -0 "$pid" 2>/dev/null || { echo "server for '$name' (pid $pid) is not running; see $WORK/*.log" >&2; exit 1; }
  case $file in
    q-miss*) ;; # misses are not warmed: every name is new to the server
    *) dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/$file" -n 1 -c 2 -q 50 >/dev/null 2>&1 || true ;; # warm the cache
  esac
  local t0; t0=$(ticks "$pid")
  dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/$file" -l "$DURATION" -c "$CLIENTS" -q "$OUTSTANDING" > "$WORK/$name.out" 2>&1
  local t1; t1=$(ticks "$pid")
  local qps sent lost avg
  qps=$(awk '/Queries per second/{print $4}' "$WORK/$name.out")
  sent=$(awk '/Queries completed/{print $3}' "$WORK/$name.out")
  lost=$(awk '/Queries lost/{print $3}' "$WORK/$name.out")
  avg=$(awk '/Average Latency/{printf "%.3f", $4*1000}' "$WORK/$name.out")
  local cpu_us; cpu_us=$(awk -v a="$t0" -v b="$t1" -v n="$sent" -v hz="$HZ" 'BEGIN{ if (n>0) printf "%.2f", (b-a)/hz*1e6/n; else print "-"}')
  local p50 p99 p999
  read -r p50 p99 p999 < <(latency "$port" "$latfile" "$latqps")
  printf "| %s | %.0f | %s | %s | %s | %s | %s | %s | %s MB |\n" "$name" "$qps" "$lost" "$avg" "$p50" "$p99" "$p999" "$cpu_us" "$(rss "$pid")"
}

# latency PORT FILE: percentiles (ms) at a fixed LAT_QPS from dnsperf -v.
latency() {
  dnsperf -s 127.0.0.1 -p "$1" -d "$WORK/$2" -l 5 -c 2 -Q "$3" -v 2>/dev/null |
    awk '/^> /{print $NF*1000}' | sort -g |
    awk '{a[NR]=$1} END{ if (NR==0) {print "- - -"; exit}; printf "%.3f %.3f %.3f\n", a[int(NR*0.5)+1], a[int(NR*0.99)+1], a[int(NR*0.999)+1]}'
}

echo "### Run of $(date -u +%Y-%m-%d\ %H:%M) UTC on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo
echo "dnsperf ${DURATION}s, -c $CLIENTS -q $OUTSTANDING, dns.memory_limit_mb $MEMORY_LIMIT_MB; latency percentiles from a separate 5 s run at $LAT_QPS queries/s ($LAT_MISS_QPS for misses, on names new to the server) with dnsperf -v."
echo
echo "| run | queries/s | lost | avg ms | p50 ms | p99 ms | p99.9 ms | server CPU µs/query | server RSS after |"
echo "|---|---|---|---|---|---|---|---|---|"
run "manglanh cache-hit" $ML_PORT $MLPID q-hit.txt
run "unbound cache-hit (1 thread)" $UB_PORT $UBPID q-hit.txt
run "manglanh blocked (1M list)" $ML_PORT $MLPID q-blocked.txt
run "manglanh forwarded (misses)" $ML_PORT $MLPID q-miss.txt q-miss-lat-ml.txt
run "unbound forwarded (1 thread)" $UB_PORT $UBPID q-miss.txt q-miss-lat-ub.txt
HWM_LOAD=$(hwm $MLPID)
RSS_AFTER=$(rss $MLPID)

# A list reload under SIGHUP: the new matcher is built beside the old one.
kill -HUP $MLPID
sleep 8
HWM_RELOAD=$(hwm $MLPID)
echo
echo "| manglanh memory, 1,000,000 listed domains | MB |"
echo "|---|---|"
echo "| RSS after load (idle) | $RSS_LOADED |"
echo "| peak RSS during start-up and load | $HWM_LOADED |"
echo "| peak RSS under the load runs above | $HWM_LOAD |"
echo "| RSS after the load runs | $RSS_AFTER |"
echo "| peak RSS after a SIGHUP list reload | $HWM_RELOAD |"
echo "| RSS after the reload | $(rss $MLPID) |"
