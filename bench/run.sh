#!/usr/bin/env bash
# Benchmark (not a test): the broker's data path against nginx doing the same work, on loopback, with hey.
#   bench/run.sh [--quick] [--duration 10s] [--warmup 1s] [--keep]   (whole seconds; a bare "10s" is taken as --duration)
#   bench/run.sh --idle-tunnels 1000   (instead of the table: open that many idle CONNECT + TLS tunnels through the broker
#                                       with bench/idle-tunnels.py, hold them, and print the broker's RSS with its
#                                       anonymous / file / shmem split at each stage; IDLE_TUNNELS_REQUEST=1: one
#                                       request per tunnel first; IDLE_TUNNELS_LOAD=0: no c=64 load first;
#                                       BENCH_BROKER_ENV: runtime knobs for the broker alone)
# Starts an HTTPS upstream (bench/upstream: a tiny Kestrel app with / = 2 bytes and /1m = 1 MiB of text), then measures
# four targets for four cases:
#   targets: direct        hey → upstream (no proxy; the ceiling)
#            nginx         hey → nginx (TLS termination, a per-run CA) → upstream over verified TLS from a keep-alive
#                          pool, injecting "Authorization: Bearer …": a reverse proxy doing the same work as the broker
#            broker off/on hey -x http://TOKEN:VAULT@broker (CONNECT, TLS by the broker's CA) → upstream, one bearer
#                          service, `redact: off` / `redact: on`
#   cases:   small c=1, small c=64, 1 MiB c=1, new connection c=1 (-disable-keepalive: TCP (+ CONNECT) + TLS + 1 request)
# and prints one Markdown table: req/s, p50/p99, the proxy's CPU (utime+stime of its whole process tree from /proc, per
# request / per MiB / per new connection) and the broker's ratios to nginx. Every non-200 answer and transport error is
# shown, so that a fast failure cannot pass for speed. hey does not verify certificates; nginx and the broker verify the
# upstream's. Debian's nginx-light is installed when nginx is missing (the system service is never started).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration=10s
warmup=1s
keep="${BENCH_KEEP:-}"
idle_tunnels=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) duration=2s ;;
    --duration) duration="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --keep) keep=1 ;;
    --idle-tunnels) idle_tunnels="$2"; shift ;;
    [0-9]*) duration="$1" ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work="$(mktemp -d)"
pids=()
policy_created=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -z "$policy_created" ] || rm -f /usr/sbin/policy-rc.d
  [ -n "$keep" ] && echo "work dir kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # file, pattern
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1
}

# --- nginx (Debian's package; its maintainer scripts must not start the system service: policy-rc.d says no) ---
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ ! -x "$nginx_bin" ]; then
  [ "$(id -u)" = 0 ] || { echo "nginx is missing; install nginx-light (needs root)" >&2; exit 1; }
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_created=1
  fi
  echo "installing nginx-light" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
  [ -z "$policy_created" ] || { rm -f /usr/sbin/policy-rc.d; policy_created=; }
fi

dotnet build "$root/src/Broker" -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build "$root/bench/upstream" -c Release -nologo -clp:ErrorsOnly >/dev/null

# --- upstream ---
dotnet "$root/bench/upstream/bin/Release/net10.0/bench-upstream.dll" "$work" >"$work/upstream.out" 2>&1 &
pids+=($!)
wait_for "$work/upstream.out" "listening"
port="$(sed -n 's/.*listening on https:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/upstream.out")"

# --- nginx: a per-run CA and a P-256 leaf for bench.upstream.test (the broker's leaves are P-256 too) ---
mkdir -p "$work/nginx/tmp"
(
  cd "$work/nginx"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 1 \
    -subj "/CN=bench nginx CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
    -subj "/CN=bench.upstream.test" 2>/dev/null
  printf 'subjectAltName=DNS:bench.upstream.test\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >leaf.ext
  openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -extfile leaf.ext -out leaf.pem 2>/dev/null
)
nport="$(free_port)"
# worker_processes 2: one per core, nginx's recommended "auto" on this 2-core machine (the broker's thread pool uses both
# cores too). keepalive_requests raised on both sides: nginx's default of 1,000 would re-handshake in the keep-alive rows
# while the broker keeps its connections. proxy_buffering off + a 64 KiB buffer: nginx streams the body the way the
# broker does (YARP copies with 64 KiB buffers) instead of spooling large responses to a temp file.
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  upstream bench_upstream {
    server 127.0.0.1:$port;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$nport ssl;
    server_name bench.upstream.test;
    ssl_certificate $work/nginx/leaf.pem;
    ssl_certificate_key $work/nginx/leaf.key;
    keepalive_requests 1000000;
    location / {
      proxy_pass https://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host bench.upstream.test:$port;
      proxy_set_header Authorization "Bearer bench-secret-value";
      proxy_ssl_server_name on;
      proxy_ssl_name bench.upstream.test;
      proxy_ssl_verify on;
      proxy_ssl_trusted_certificate $work/ca.pem;
      proxy_ssl_session_reuse on;
      proxy_buffering off;
      proxy_buffer_size 64k;
      proxy_buffers 4 64k;
    }
  }
}
EOF
"$nginx_bin" -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' >"$work/nginx.out" 2>&1 &
nginx_pid=$!
pids+=("$nginx_pid")

# --- broker: two agents, each granted one vault with the same bearer service, redact off / on ---
# BENCH_BROKER_ENV="NAME=value ..." sets runtime knobs for the broker alone (e.g. DOTNET_GCgen0size=0x400000), for A/B runs.
# shellcheck disable=SC2086
env ${BENCH_BROKER_ENV:-} dotnet "$root/src/Broker/bin/Release/net10.0/agent-vault.dll" server --dev --data-dir "$work/data" \
  --api-listen 127.0.0.1:0 --proxy-listen 127.0.0.1:0 \
  --resolve bench.upstream.test:127.0.0.1 --upstream-ca "$work/ca.pem" >"$work/broker.out" 2>"$work/broker.err" &
broker_pid=$!
pids+=("$broker_pid")
wait_for "$work/broker.out" "proxy listening"
fresh_rss="$(awk '/^VmRSS:/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$broker_pid/status")"
api="$(sed -n 's/^api listening on //p' "$work/broker.out")"
proxy="$(sed -n 's/^proxy listening on http:\/\///p' "$work/broker.out")"
admin="$(cat "$work/data/admin.token")"
curl -sf -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"value":"bench-secret-value"}' "$api/v1/stores/local/secrets/bench" >/dev/null
# Agent limits are raised so that the default 50 req/s and 64 in flight do not cap the measurement.
agent_json() { echo "{\"name\": \"$1\", \"vaults\": [\"$1\"], \"rate_limit\": \"1000000/s\", \"max_in_flight\": 10000}"; }
vault_json() {
  echo "{\"name\": \"$1\", \"credentials\": {\"KEY\": \"local:bench\"}, \"services\": [{\"name\": \"up\",
    \"host\": \"bench.upstream.test:$port\", \"auth\": {\"type\": \"bearer\", \"token\": \"KEY\"}, \"redact\": \"$1\"}]}"
}
curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$api/v1/apply" \
  -d "{\"vaults\": [$(vault_json off), $(vault_json on)], \"agents\": [$(agent_json off), $(agent_json on)]}" >"$work/apply.json"
tok() { python3 -c 'import json,sys; print([t["token"] for t in json.load(open(sys.argv[1]))["tokens"] if t["agent"]==sys.argv[2]][0])' "$work/apply.json" "$1"; }
tok_off="$(tok off)"
tok_on="$(tok on)"
curl -sf "$api/v1/ca.pem" >"$work/broker-ca.pem"

# --- sanity: both proxies answer over TLS that verifies with their CA, and inject the credential ---
check() { # label, curl args...
  local label=$1; shift
  local got; got="$(curl -s --max-time 10 "$@" 2>&1 || true)"
  [ "$got" = injected ] || { echo "sanity check failed for $label: $got" >&2; cat "$work/nginx/error.log" >&2; exit 1; }
}
for _ in $(seq 50); do [ -s "$work/nginx/nginx.pid" ] && break; sleep 0.1; done
via="https://bench.upstream.test:$port"
check nginx --cacert "$work/nginx/ca.pem" --resolve "bench.upstream.test:$nport:127.0.0.1" "https://bench.upstream.test:$nport/auth"
check "broker (redact off)" --cacert "$work/broker-ca.pem" -x "http://$tok_off:off@$proxy" "$via/auth"
check "broker (redact on)" --cacert "$work/broker-ca.pem" -x "http://$tok_on:on@$proxy" "$via/auth"

if [ -n "$idle_tunnels" ]; then
  rss() { awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { v[$1] = $2 } END {
    printf "%.0f MiB (anon %.0f, file %.0f, shmem %.0f)", v["VmRSS:"] / 1024, v["RssAnon:"] / 1024, v["RssFile:"] / 1024, v["RssShmem:"] / 1024 }' "/proc/$broker_pid/status"; }
  echo "commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src bench || echo ' (+ local changes)'), $(date -u '+%Y-%m-%d %H:%M UTC'), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "broker fresh (proxy listening): RSS $fresh_rss"
  echo "broker after setup and three requests: RSS $(rss)"
  if [ "${IDLE_TUNNELS_LOAD:-1}" != 0 ]; then   # IDLE_TUNNELS_LOAD=0: tunnels into a broker that saw three requests only
    hey -z 3s -c 64 -x "http://$tok_off:off@$proxy" "$via/" >/dev/null 2>&1 || true   # a busy broker first, as in the table runs
    sleep 2
    echo "broker after 3 s of c=64 load: RSS $(rss)"
  fi
  python3 "$root/bench/idle-tunnels.py" "$proxy" "$tok_off" off "bench.upstream.test:$port" "$work/broker-ca.pem" "$broker_pid" "$idle_tunnels"
  exit 0
fi

# --- CPU of a process tree: utime+stime (+ reaped children's) of the process and every descendant, in clock ticks ---
hz="$(getconf CLK_TCK)"
tree_ticks() {
  local total=0 t p
  for p in $(ps -e -o pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 } END {
      for (p in parent) { q = p + 0; while (q != "" && q > 1) { if (q == root) { print p; break } q = parent[q] + 0 } } }'); do
    # Fields after "(comm) ": state is field 3, so utime/stime/cutime/cstime (14-17) are f[12..15].
    t="$(awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12] + f[13] + f[14] + f[15] }' "/proc/$p/stat" 2>/dev/null || echo 0)"
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# --- one measurement: warm-up, then hey for $duration with the proxy's CPU sampled around it ---
declare -A rps_of cpu_of
row() { # case label, unit (req|MiB|conn), target, proxy pid (or -), hey args...
  local case_label=$1 unit=$2 target=$3 pid=$4; shift 4
  hey -z "$warmup" "$@" >/dev/null 2>&1 || true
  local before=0 after=0 out
  [ "$pid" = - ] || before="$(tree_ticks "$pid")"
  out="$(hey -z "$duration" "$@" 2>&1)"
  [ "$pid" = - ] || after="$(tree_ticks "$pid")"
  local rps p50 p99 ok n other errs
  rps="$(echo "$out" | sed -n 's/^ *Requests\/sec:[[:space:]]*//p')"
  p50="$(echo "$out" | sed -n 's/^ *50%* in \([0-9.]*\) secs.*/\1/p')"
  p99="$(echo "$out" | sed -n 's/^ *99%* in \([0-9.]*\) secs.*/\1/p')"
  ok="$(echo "$out" | sed -n 's/^ *\[200\][[:space:]]*\([0-9]*\) responses.*/\1/p')"
  n="$(echo "$out" | sed -n '/^Status code distribution:/,/^$/p' | sed -n 's/^ *\[[0-9]*\][[:space:]]*\([0-9]*\) responses.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
  other="$(echo "$out" | sed -n '/^Status code distribution:/,/^$/p' | grep -E '^ *\[[0-9]+\]' | grep -v '\[200\]' | tr -s ' \t' ' ' | tr '\n' ';' || true)"
  errs="$(echo "$out" | sed -n '/^Error distribution:/,$p' | sed -n 's/^ *\[\([0-9]*\)\].*/\1/p' | awk '{ s += $1 } END { if (s) print "errors:" s }')"
  local cpu=- cores=- ratio_cpu= ratio_rps=
  if [ "$pid" != - ] && [ "${n:-0}" -gt 0 ]; then
    # µs per request; for 1 MiB bodies ms per MiB (= per request); for new connections ms per connection (= per request).
    cpu="$(awk -v d=$((after - before)) -v hz="$hz" -v n="$n" -v u="$unit" 'BEGIN {
      s = d / hz / n; if (u == "req") printf "%.0f µs/req", s * 1e6; else printf "%.2f ms/%s", s * 1e3, u }')"
    cores="$(awk -v d=$((after - before)) -v hz="$hz" -v t="${duration%s}" 'BEGIN { printf "%.2f", d / hz / t }')"
    cpu_of[$case_label/$target]="$(awk -v d=$((after - before)) -v n="$n" 'BEGIN { print d / n }')"
  fi
  rps_of[$case_label/$target]="${rps:-0}"
  if [[ $target == broker* && -n "${cpu_of[$case_label/nginx]:-}" && -n "${cpu_of[$case_label/$target]:-}" ]]; then
    ratio_cpu="$(awk -v a="${cpu_of[$case_label/$target]}" -v b="${cpu_of[$case_label/nginx]}" 'BEGIN { printf "%.2f×", a / b }')"
    ratio_rps="$(awk -v a="${rps:-0}" -v b="${rps_of[$case_label/nginx]}" 'BEGIN { printf "%.2f×", a / b }')"
  fi
  ms() { awk -v s="$1" 'BEGIN { if (s == "") print "?"; else printf "%.1f", s * 1000 }'; }
  printf '| %-15s | %-10s | %9.0f | %6s | %6s | %14s | %5s | %7s | %7s | %s |\n' "$case_label" "$target" "${rps:-0}" \
    "$(ms "$p50")" "$(ms "$p99")" "$cpu" "$cores" "${ratio_rps:--}" "${ratio_cpu:--}" "${ok:-0}${other:+ $other}${errs:+ $errs}"
}

echo "work dir: $work" >&2
echo "commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src bench || echo ' (+ local changes)'), $(date -u '+%Y-%m-%d %H:%M UTC'), $duration per row (+ $warmup warm-up)"
echo "machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'), .NET $(dotnet --version), CLK_TCK $hz"
echo
echo "| case | target | req/s | p50 ms | p99 ms | proxy CPU | cores | req/s ÷ nginx | CPU ÷ nginx | 200s (other) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
direct="https://127.0.0.1:$port"
to_nginx=(-host bench.upstream.test "https://127.0.0.1:$nport")
cases=("small c=1|req|-c 1|/" "small c=64|req|-c 64|/" "1 MiB c=1|MiB|-c 1|/1m" "new conn c=1|conn|-c 1 -disable-keepalive|/")
matrix() { # row function
  for spec in "${cases[@]}"; do
    IFS='|' read -r label unit args path <<<"$spec"
    read -ra extra <<<"$args"
    "$1" "$label" "$unit" direct - "${extra[@]}" "$direct$path"
    "$1" "$label" "$unit" nginx "$nginx_pid" "${extra[@]}" "${to_nginx[0]}" "${to_nginx[1]}" "${to_nginx[2]}$path"
    "$1" "$label" "$unit" "broker off" "$broker_pid" "${extra[@]}" -x "http://$tok_off:off@$proxy" "$via$path"
    "$1" "$label" "$unit" "broker on" "$broker_pid" "${extra[@]}" -x "http://$tok_on:on@$proxy" "$via$path"
  done
}
# One warm-up pass over every path first (JIT tiering, connection pools, leaf certificates), so that the first rows
# measured do not pay for what the later ones find ready; each row then warms up once more right before it is measured.
warm() { shift 4; hey -z "$warmup" "$@" >/dev/null 2>&1 || true; }
matrix warm
matrix row
