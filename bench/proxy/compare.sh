#!/usr/bin/env bash
# Side-by-side load test on loopback: tlsfault vs nginx (TLS-terminating reverse proxy) vs
# mitmproxy (mitmdump, reverse mode). Each contender terminates TLS and forwards to the same
# HTTPS upstream (a second nginx). Measures new TLS connections/s, keep-alive requests/s, bulk
# MB/s and added latency, each with the contender's CPU time per operation read from /proc.
# The contender runs pinned to core 0; wrk and the upstream to core 1.
#
# Usage: bench/proxy/compare.sh [--duration SECONDS] [--only NAME] [--out FILE]
# Needs: build/tlsfault, nginx, mitmdump, wrk, taskset (apt-get install nginx-light mitmproxy wrk).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
tlsfault="${TLSFAULT:-$root/build/tlsfault}"
duration=10
only=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in nginx mitmdump wrk taskset; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing: apt-get install nginx-light mitmproxy wrk" >&2; exit 2; }
done
[ -x "$tlsfault" ] || { echo "compare.sh: $tlsfault is missing: build first (scripts/start)" >&2; exit 2; }

work="$(mktemp -d /tmp/tlsfault-bench-XXXXXX)"
chmod 755 "$work"  # nginx workers run as www-data and must read the files
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port: bind port 0, read it back.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits (bounded) until something accepts on 127.0.0.1:$1.
wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "compare.sh: nothing listens on 127.0.0.1:$1" >&2; return 1
}

# Total CPU ticks (user + system) of a process and its children (nginx workers).
cpu_ticks() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
ticks_per_second=$(getconf CLK_TCK)

# Certificates: a good lab leaf for the contenders, and one for the upstream.
"$tlsfault" certgen --state-dir "$work/state" --out "$work/certs" --host bench.test --profile good >/dev/null
cert="$work/certs/bench.test/good/fullchain.pem"
key="$work/certs/bench.test/good/key.pem"
head -c 200 /dev/urandom | base64 -w0 > "$work/small"
head -c $((64 * 1024 * 1024)) /dev/zero > "$work/big"

nginx_conf() {  # $1 name, $2 server block
  mkdir -p "$work/$1"
  cat > "$work/$1/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  ssl_session_cache off;
  ssl_session_tickets off;
  upstream origin { server 127.0.0.1:$upstream_port; keepalive 64; }
  $2
}
CONF
}

# The upstream: HTTPS, static files.
upstream_port=$(free_port)
nginx_conf upstream "server { listen 127.0.0.1:$upstream_port ssl; ssl_certificate $cert; ssl_certificate_key $key;
  location / { root $work; sendfile on; } }"
taskset -c 1 nginx -c "$work/upstream/nginx.conf" -p "$work/upstream" >/dev/null 2>&1 &
pids+=($!)
wait_port "$upstream_port"

start_contender() {  # $1 name; sets port and pid
  port=$(free_port)
  case "$1" in
    tlsfault)
      taskset -c 0 "$tlsfault" run --state-dir "$work/state" --quiet --threads 1 --proxy-listen off --revocation-listen off \
        --sni-listen "127.0.0.1:$port" --upstream-mode forward --upstream-address "127.0.0.1:$upstream_port" \
        --upstream-verify off >"$work/tlsfault.log" 2>&1 &
      ;;
    tlsfault-origin)  # answers itself (origin mode): the engine's own cost, without an upstream
      taskset -c 0 "$tlsfault" run --state-dir "$work/state" --quiet --threads 1 --proxy-listen off --revocation-listen off \
        --sni-listen "127.0.0.1:$port" --upstream-mode origin >"$work/tlsfault.log" 2>&1 &
      ;;
    nginx)
      nginx_conf proxy "server { listen 127.0.0.1:$port ssl; ssl_certificate $cert; ssl_certificate_key $key;
        location / { proxy_pass https://origin; proxy_http_version 1.1; proxy_set_header Connection \"\";
                     proxy_ssl_session_reuse on; proxy_buffering off; } }"
      taskset -c 0 nginx -c "$work/proxy/nginx.conf" -p "$work/proxy" >/dev/null 2>&1 &
      ;;
    mitmproxy)
      taskset -c 0 mitmdump -q --mode "reverse:https://127.0.0.1:$upstream_port" --listen-host 127.0.0.1 \
        --listen-port "$port" --set ssl_insecure=true --set stream_large_bodies=1m --set confdir="$work/mitmproxy" >"$work/mitmproxy.log" 2>&1 &
      ;;
  esac
  pid=$!
  pids+=("$pid")
  wait_port "$port"
}

# Runs wrk on core 1 against the contender; prints "requests_per_s mb_per_s p50_ms cpu_us_per_request".
measure() {  # $1 pid, $2 connections, $3 path, $4 extra wrk args...
  local pid=$1 connections=$2 path=$3; shift 3
  local before after report
  wrk -t1 -c "$connections" -d 1 "$@" "https://127.0.0.1:$port$path" >/dev/null 2>&1 || true  # warm-up
  before=$(cpu_ticks "$pid")
  report=$(taskset -c 1 wrk -t1 -c "$connections" -d "$duration" --latency "$@" "https://127.0.0.1:$port$path")
  after=$(cpu_ticks "$pid")
  [ -z "${BENCH_DEBUG:-}" ] || echo "$report" >&2
  if grep -q "Non-2xx" <<<"$report"; then
    echo "compare.sh: $path answered with errors through this contender; see $work" >&2
    echo "$report" >&2
    exit 1
  fi
  echo "$report" | awk -v ticks=$((after - before)) -v hz="$ticks_per_second" '
    function to_mb(v) { if (v ~ /GB$/) return v * 1024; if (v ~ /MB$/) return v + 0; if (v ~ /KB$/) return v / 1024; return v / 1048576 }
    function to_ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /requests in/ { requests = $1 }
    /Requests\/sec/ { rps = $2 }
    /Transfer\/sec/ { mb = to_mb($2) }
    /^ +50%/ { p50 = to_ms($2) }
    END { printf "%.0f %.1f %.3f %.1f\n", rps, mb, p50, (requests ? ticks / hz * 1e6 / requests : 0) }'
}

results=()
for contender in tlsfault tlsfault-origin nginx mitmproxy; do
  [ -z "$only" ] || [ "$only" = "$contender" ] || continue
  start_contender "$contender"
  read -r new_rps _ _ new_cpu < <(measure "$pid" 8 /small -H "Connection: close")
  read -r ka_rps _ _ ka_cpu < <(measure "$pid" 8 /small)
  bulk_mb="n/a"  # origin mode answers its own page: no upstream body to stream
  [ "$contender" = tlsfault-origin ] || read -r _ bulk_mb _ _ < <(measure "$pid" 1 /big)
  read -r _ _ p50 _ < <(measure "$pid" 1 /small)
  results+=("| $contender | $new_rps | $new_cpu | $ka_rps | $ka_cpu | $bulk_mb | $p50 |")
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
# The upstream alone, for the latency a proxy adds.
port=$upstream_port
read -r _ _ direct_p50 _ < <(measure "${pids[0]}" 1 /small)

{
  echo "Loopback, $(nproc) cores, ${duration}s per measurement; contender on core 0, wrk and upstream on core 1."
  echo "Direct upstream p50 latency: ${direct_p50} ms (subtract it from p50 for the latency a proxy adds)."
  echo
  echo "| contender | new conn/s | CPU µs per new conn | keep-alive req/s | CPU µs per req | bulk MB/s | p50 ms (1 conn) |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
} | tee ${out:+"$out"}
