#!/usr/bin/env bash
# Benchmarks tlsfault's forwarding path against nginx (TLS-terminating reverse proxy), haproxy
# (the same) and mitmproxy (mitmdump, reverse mode) on loopback, in one run, with the same HTTPS
# backend.
# Not a test: it prints a Markdown table (also written to $OUT) for docs/performance.md.
#
# Each contender runs pinned to CPU 0 (one worker/thread); the load generator and the backend
# share CPU 1. Beside each rate we report the contender's own CPU time per operation, read
# from /proc/<pid>/stat (utime+stime) before and after the run, because on a 2-core machine
# the rate mostly measures who gets the CPU.
#
# Rows per contender: new TLS connection per request, keep-alive (32 connections and 1),
# bulk download, memory per idle kept-alive TLS connection; for tlsfault also the extra time to
# first byte of a never-seen host name (also with --upstream-connect on-request and with
# --upstream-pool off) and the new-connection cost with 1,000 host rules loaded,
# and `--threads 2` against one thread (origin mode, wrk -t2 sharing both cores with it).
# Then a head-to-head table: nginx and tlsfault started together and measured in turn, several
# rounds, for the new-connection and keep-alive CPU (medians: the drift of a shared VM falls on both).
#
# Usage: bench/proxy/run_bench.sh [build-dir] [seconds-per-run]   (default: build-rel 10)
#        QUICK=1 bench/proxy/run_bench.sh build-rel     (3 s runs, 64 MB bulk, 300 idle: < 5 min)
# Needs nginx and wrk (Debian nginx-light, wrk); haproxy and mitmdump rows run when installed
# (Debian haproxy, mitmproxy).
set -euo pipefail

BUILD=${1:-build-rel}
QUICK=${QUICK:-}
SECONDS_PER_RUN=${2:-$([ -n "$QUICK" ] && echo 3 || echo 10)}
BULK_MB=$([ -n "$QUICK" ] && echo 64 || echo 256)
BULK_RUNS=$([ -n "$QUICK" ] && echo 1 || echo 3)
IDLE_CONNECTIONS=$([ -n "$QUICK" ] && echo 300 || echo 1000)
NEW_HOSTS=$([ -n "$QUICK" ] && echo 100 || echo 300)
ROUNDS=$([ -n "$QUICK" ] && echo 3 || echo 9)  # of the head-to-head table, each wrk run ROUND_SECONDS
ROUND_SECONDS=$([ -n "$QUICK" ] && echo 3 || echo 6)
HERE=$(dirname "$(realpath "$0")")
# The contenders are not in scripts/common.sh's list (a benchmark, not a test; Debian's nginx
# starts a default site on port 80 when installed): ask for them here.
for tool in nginx wrk; do
  command -v "$tool" >/dev/null || { echo "run_bench.sh: needs $tool: sudo apt-get install nginx-light wrk" >&2; exit 2; }
done
ulimit -n 8192 2>/dev/null || true
TLSFAULT=$(realpath "$BUILD/tlsfault")
WORK=$(mktemp -d /tmp/tlsfault-bench-XXXXXX)
OUT=${OUT:-$WORK/results.md}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

CLK=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
wait_port() { for _ in $(seq 1200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }

# --- certificates and content ---
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
mkdir -p "$WORK/www"
head -c 1024 /dev/urandom > "$WORK/www/1k"
head -c $((BULK_MB * 1024 * 1024)) /dev/zero > "$WORK/www/bulk"

# nginx 1.22 offers TLS 1.2 at most unless told (1.23.4 added 1.3 to its default): tlsfault and
# every client here speak TLS 1.3, so nginx is told to as well, or it would be measured doing a
# cheaper handshake (about 50 µs less CPU per new connection with OpenSSL 3.0).
nginx_conf() {  # name listen-block location-block
  cat > "$WORK/$1.conf" <<CONF
daemon off; master_process off; worker_processes 1; pid $WORK/$1.pid; error_log $WORK/$1.err;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
  server { $2 ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem; ssl_session_tickets off; ssl_session_cache off;
           ssl_protocols TLSv1.2 TLSv1.3;
           $3 }
}
CONF
}

# --- backend: nginx serving files over HTTPS, on CPU 1 with the load generator ---
BACKEND=$(free_port)
nginx_conf backend "listen 127.0.0.1:$BACKEND ssl;" "root $WORK/www;"
taskset -c 1 nginx -c "$WORK/backend.conf" -e "$WORK/backend.err" & PIDS+=($!)
wait_port "$BACKEND"

# --- contenders, each on CPU 0 ---
start_contender() {  # name -> sets PORT and PID
  PORT=$(free_port)
  case $1 in
    nginx)
      nginx_conf front "listen 127.0.0.1:$PORT ssl;" \
        "location / { proxy_pass https://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_ssl_session_reuse on; }"
      taskset -c 0 nginx -c "$WORK/front.conf" -e "$WORK/front.err" & PID=$! ;;
    haproxy)
      # One thread, TLS 1.3 on both legs, idle server connections shared between clients
      # (http-reuse always: its counterpart of nginx's keepalive pool) and the server's TLS session
      # reused (its default); no tickets and no session cache on the client side, as nginx here.
      cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/haproxy.pem"
      cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 3000
  tune.ssl.cachesize 0
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
  http-reuse always
frontend front
  bind 127.0.0.1:$PORT ssl crt $WORK/haproxy.pem no-tls-tickets ssl-min-ver TLSv1.2
  default_backend backend
backend backend
  server origin 127.0.0.1:$BACKEND ssl verify none
CONF
      taskset -c 0 haproxy -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 & PID=$! ;;
    mitmdump)
      taskset -c 0 mitmdump -q --mode "reverse:https://127.0.0.1:$BACKEND" --listen-host 127.0.0.1 --listen-port "$PORT" \
        --ssl-insecure --set confdir="$WORK/mitm" --set stream_large_bodies=1m > "$WORK/mitm.log" 2>&1 & PID=$! ;;
    tlsfault|tlsfault+rules|tlsfault-on-request|tlsfault-pool-off)
      # +rules: the whole catalogue and 1,000 generated host rules loaded. on-request and
      # pool-off (new-host row only): the upstream connection made at the request instead of
      # during the client's handshake, and no upstream pool (every connection, seen host or
      # not, makes its own upstream connection: what is left is the new host's own cost).
      local scenarios=()
      [ "$1" = tlsfault+rules ] && scenarios=($("$TLSFAULT" list | awk '/^  [a-z0-9]/ {print $1}') "$WORK/rules.yaml")
      [ "$1" = tlsfault-on-request ] && scenarios=(--upstream-connect on-request)
      [ "$1" = tlsfault-pool-off ] && scenarios=(--upstream-pool off)
      taskset -c 0 "$TLSFAULT" run --state-dir "$WORK/state" --quiet --threads 1 --proxy-listen off --revocation-listen off --api-listen off \
        --sni-listen "127.0.0.1:$PORT" --upstream-mode forward --upstream-address "127.0.0.1:$BACKEND" \
        --upstream-verify off "${scenarios[@]}" > "$WORK/tlsfault.log" 2>&1 & PID=$! ;;
    tlsfault-origin)  # origin mode: tlsfault answers itself, no upstream leg
      taskset -c 0 "$TLSFAULT" run --state-dir "$WORK/state" --quiet --threads 1 --proxy-listen off --revocation-listen off --api-listen off \
        --sni-listen "127.0.0.1:$PORT" --upstream-mode origin > "$WORK/tlsfault-origin.log" 2>&1 & PID=$! ;;
    tlsfault-origin-2t)  # --threads 2 on both cores (wrk shares them: see docs/performance.md)
      "$TLSFAULT" run --state-dir "$WORK/state" --quiet --threads 2 --proxy-listen off --revocation-listen off --api-listen off \
        --sni-listen "127.0.0.1:$PORT" --upstream-mode origin > "$WORK/tlsfault-origin-2t.log" 2>&1 & PID=$! ;;
  esac
  PIDS+=($PID)
  wait_port "$PORT"
  curl -sk -o /dev/null "https://127.0.0.1:$PORT/1k"  # warm-up: certificate minted, pools filled
}

# measure_wrk pid wrk-args... -> one wrk run against the contender `pid`: $WORK/wrk.out, and
# REQUESTS and CPU_US (the contender's CPU time per request) set
measure_wrk() {
  local pid=$1; shift
  local before after
  before=$(cpu_ticks "$pid")
  taskset -c "${WRK_CPUS:-1}" wrk -d "${SECONDS_PER_RUN}s" "$@" > "$WORK/wrk.out" 2>&1
  after=$(cpu_ticks "$pid")
  # Numbers for error pages would flatter anyone: every response must be a 2xx.
  if grep -q "Non-2xx" "$WORK/wrk.out"; then
    echo "run_bench.sh: pid $pid answered errors under wrk $*:" >&2; cat "$WORK/wrk.out" >&2; exit 1
  fi
  REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
  CPU_US=$(awk -v t=$((after - before)) -v r="$REQUESTS" -v c="$CLK" 'BEGIN { if (r > 0) printf "%.1f", t / c * 1e6 / r; else print "-" }')
}

# run_wrk name label wrk-args... -> prints a table row
run_wrk() {
  local name=$1 label=$2; shift 2
  measure_wrk "$PID" "$@"
  local rate transfer latency
  rate=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  transfer=$(awk '/Transfer\/sec/ {print $2}' "$WORK/wrk.out")
  latency=$(awk '/^ +50%/ {print $2}' "$WORK/wrk.out")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$label" "$rate" "$CPU_US" "$transfer" "${latency:--}"
}

# measure_bulk pid port -> one download of BULK_MB through the contender `pid`: CPU_US set to its
# CPU time per MB
measure_bulk() {
  local before after
  before=$(cpu_ticks "$1")
  taskset -c 1 curl -sk --max-time 300 -o /dev/null "https://127.0.0.1:$2/bulk"
  after=$(cpu_ticks "$1")
  CPU_US=$(awk -v t=$((after - before)) -v c="$CLK" -v mb="$BULK_MB" 'BEGIN { printf "%.1f", t / c * 1e6 / mb }')
}

# head_to_head -> a table: nginx and tlsfault (forwarding) both started, then measured in turn,
# ROUNDS times, the order alternating, so that a slow minute of a shared VM falls on both rather
# than on whichever ran then (one contender after the other, as the table above does, put up to
# ±15 % between two runs of the same code). Medians of each side's CPU per request, and the
# median of the per-round ratios.
head_to_head() {
  start_contender nginx; local npid=$PID nport=$PORT
  start_contender tlsfault; local tpid=$PID tport=$PORT
  echo
  echo "| Load ($ROUNDS rounds, nginx and tlsfault in turn) | nginx CPU µs per request (median) | tlsfault (median) | tlsfault / nginx (median of the rounds) | each round's tlsfault / nginx |"
  echo "|---|---|---|---|---|"
  local load
  for load in new keep-alive bulk; do
    local n=() t=()
    for r in $(seq "$ROUNDS"); do
      local order=("$npid $nport" "$tpid $tport")
      [ $((r % 2)) = 0 ] && order=("$tpid $tport" "$npid $nport")
      local pair
      for pair in "${order[@]}"; do
        set -- $pair
        case $load in
          new) SECONDS_PER_RUN=$ROUND_SECONDS measure_wrk "$1" -t1 -c8 -H "Connection: close" "https://127.0.0.1:$2/1k" ;;
          keep-alive) SECONDS_PER_RUN=$ROUND_SECONDS measure_wrk "$1" -t1 -c32 "https://127.0.0.1:$2/1k" ;;
          bulk) measure_bulk "$1" "$2" ;;
        esac
        if [ "$1" = "$npid" ]; then n+=("$CPU_US"); else t+=("$CPU_US"); fi
      done
    done
    python3 - "$load" "${n[*]}" "${t[*]}" "$BULK_MB" <<'PY'
import statistics, sys
load, n, t = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
ratios = [b / a for a, b in zip(n, t)]
label = {"new": "new TLS connection per request (1k)", "keep-alive": "keep-alive 1k, 32 conns",
         "bulk": f"bulk, one {sys.argv[4]} MB download (CPU µs per MB)"}[load]
print(f"| {label} | {statistics.median(n):.1f} | {statistics.median(t):.1f} | {statistics.median(ratios):.3f}x | "
      + ", ".join(f"{r:.2f}" for r in ratios) + " |")
PY
  done
  kill "$npid" "$tpid"; wait "$npid" "$tpid" 2>/dev/null || true
}

# run_bulk name -> a table row: downloads of BULK_MB with curl (wrk's 2 s timeout does not fit)
run_bulk() {
  local before after start end
  before=$(cpu_ticks "$PID"); start=$(date +%s.%N)
  for _ in $(seq "$BULK_RUNS"); do taskset -c 1 curl -sk --max-time 300 -o /dev/null "https://127.0.0.1:$PORT/bulk"; done
  end=$(date +%s.%N); after=$(cpu_ticks "$PID")
  awk -v n="$1" -v s="$start" -v e="$end" -v t=$((after - before)) -v c="$CLK" -v mb=$((BULK_MB * BULK_RUNS)) -v r="$BULK_RUNS" -v one="$BULK_MB" \
    'BEGIN { printf "| %s | bulk %d x %d MB, 1 conn (curl) | - | %.0f µs per MB | %.1f MB/s | - |\n", n, r, one, t / c * 1e6 / mb, mb / (e - s) }'
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# run_idle name -> a row: RSS growth per kept-alive idle TLS connection (one request each), on a
# freshly started contender (one warm-up request)
run_idle() {
  local before after
  before=$(rss_kib "$PID")
  coproc IDLE { taskset -c 1 python3 "$HERE/idle_connections.py" "$PORT" "$IDLE_CONNECTIONS" /1k; }
  local ready; read -r ready <&"${IDLE[0]}"
  sleep 1  # let the last answers' buffers be given back
  after=$(rss_kib "$PID")
  eval "exec ${IDLE[1]}>&-"; wait "$IDLE_PID" 2>/dev/null || true
  awk -v n="$1" -v b="$before" -v a="$after" -v k="$IDLE_CONNECTIONS" \
    'BEGIN { printf "| %s | memory per idle kept-alive TLS connection (%d) | - | %.1f KiB | - | - |\n", n, k, (a - b) / k }'
}

# run_new_host name -> a row: median time to first byte for never-seen host names minus a seen
# one, measured from one python3 process (new_host_ttfb.py; curl's start-up swamped it), three
# times: one slow minute of this VM took a single run from +0.25 to +0.43 ms (session 18). The row
# gives the median of the three differences, that run's medians, and all three.
run_new_host() {
  local runs=() r
  for r in 1 2 3; do runs+=("$(taskset -c 1 python3 "$HERE/new_host_ttfb.py" "$PORT" "$NEW_HOSTS" /1k)"); done
  python3 - "$1" "$NEW_HOSTS" "${runs[@]}" <<'PY'
import sys
name, count, runs = sys.argv[1], int(sys.argv[2]), [tuple(map(float, r.split())) for r in sys.argv[3:]]
diffs = [new - seen for new, seen in runs]
new, seen = sorted(runs, key=lambda r: r[0] - r[1])[len(runs) // 2]
print(f"| {name} | time to first byte, new host name vs seen ({count} each, median of 3 runs) | - | - | "
      f"+{new - seen:.2f} ms ({new:.2f} vs {seen:.2f}; runs {', '.join(f'{d:+.2f}' for d in diffs)}) | - |")
PY
}

# 1,000 host rules nobody's traffic matches: what loading them costs each new connection.
{
  echo "name: bench-host-rules"
  echo 'title: "1,000 host rules that no benchmark request matches"'
  printf 'description:\n  symptom: "none"\n  cause: "a benchmark of rule matching"\n  fix: "none"\n'
  echo "rules:"
  for i in $(seq 1000); do
    printf '  - name: r%d\n    match:\n      host: h%d.rules.bench.test\n    tls:\n      alert: access_denied\n' "$i" "$i"
  done
} > "$WORK/rules.yaml"

{
  echo "| Contender | Load | Requests/s | CPU µs per request (contender) | Transfer/s | p50 latency |"
  echo "|---|---|---|---|---|---|"
  DIRECT=$BACKEND
  PID=$(cat "$WORK/backend.pid" 2>/dev/null || echo "${PIDS[0]}")
  run_wrk "backend direct" "keep-alive 1k, 1 conn" -t1 -c1 --latency "https://127.0.0.1:$DIRECT/1k"
  CONTENDERS=(nginx)
  command -v haproxy >/dev/null && CONTENDERS+=(haproxy)
  command -v mitmdump >/dev/null && CONTENDERS+=(mitmdump)
  CONTENDERS+=(tlsfault tlsfault-origin tlsfault+rules tlsfault-origin-2t tlsfault-on-request tlsfault-pool-off)
  for c in "${CONTENDERS[@]}"; do
    start_contender "$c"
    if [ "$c" = tlsfault-on-request ] || [ "$c" = tlsfault-pool-off ]; then  # the new-host row alone
      run_new_host "$c"
      kill "$PID"; wait "$PID" 2>/dev/null || true; continue
    fi
    if [ "$c" = tlsfault-origin-2t ]; then  # two threads and wrk share both cores
      WRK_CPUS=0,1 run_wrk "$c" "new TLS connection per request (1k), wrk -t2 on both cores" -t2 -c16 -H "Connection: close" \
        "https://127.0.0.1:$PORT/1k"
      WRK_CPUS=0,1 run_wrk "$c" "keep-alive 1k, 32 conns, wrk -t2 on both cores" -t2 -c32 "https://127.0.0.1:$PORT/1k"
      kill "$PID"; wait "$PID" 2>/dev/null || true; continue
    fi
    run_wrk "$c" "new TLS connection per request (1k)" -t1 -c8 -H "Connection: close" "https://127.0.0.1:$PORT/1k"
    [ "$c" = tlsfault+rules ] && { kill "$PID"; wait "$PID" 2>/dev/null || true; continue; }
    if [ "$c" = tlsfault-origin ]; then  # the one-thread side of the --threads 2 rows
      WRK_CPUS=0,1 run_wrk "$c" "new TLS connection per request (1k), wrk -t2 on both cores" -t2 -c16 -H "Connection: close" \
        "https://127.0.0.1:$PORT/1k"
      WRK_CPUS=0,1 run_wrk "$c" "keep-alive 1k, 32 conns, wrk -t2 on both cores" -t2 -c32 "https://127.0.0.1:$PORT/1k"
    fi
    run_wrk "$c" "keep-alive 1k, 32 conns" -t1 -c32 "https://127.0.0.1:$PORT/1k"
    run_wrk "$c" "keep-alive 1k, 1 conn (latency)" -t1 -c1 --latency "https://127.0.0.1:$PORT/1k"
    [ "$c" != tlsfault-origin ] && run_bulk "$c"
    # Idle memory on a fresh process: after the rows above, freed heap would be reused and flatter it.
    kill "$PID"; wait "$PID" 2>/dev/null || true; start_contender "$c"
    run_idle "$c"
    [[ "$c" = tlsfault* ]] && run_new_host "$c"  # origin mode too: no upstream leg adds its noise
    kill "$PID"; wait "$PID" 2>/dev/null || true
  done
  head_to_head
} | tee "$OUT"
{
  echo
  echo "Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  others=""
  command -v haproxy >/dev/null && others+=", $(haproxy -v 2>&1 | sed -n 1p | cut -d" " -f1-3)"
  command -v mitmdump >/dev/null && others+=", $(mitmdump --version 2>&1 | sed -n 1p)"
  echo "Versions: $("$TLSFAULT" --version 2>/dev/null | head -1), $(nginx -v 2>&1)$others, $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(openssl version)"
  echo "Date: $(date -u +%Y-%m-%dT%H:%MZ); ${SECONDS_PER_RUN} s per wrk run${QUICK:+ (quick mode)}"
} | tee -a "$OUT"
echo "results: $OUT" >&2
