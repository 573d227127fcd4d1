#!/usr/bin/env bash
# Benchmark (not a test): direct-to-upstream vs through the broker, on loopback, with hey.
#   bench/run.sh [DURATION]     (default 10s per measurement)
# Builds Release, starts an HTTPS upstream (bench/upstream: a tiny Kestrel app with / and /1m) and a --dev broker with
# --resolve bench.upstream.test:127.0.0.1 --upstream-ca, then measures req/s and p50/p99 at concurrency 1 and 64 for a
# small and a 1 MiB body, and the new-connection cost (CONNECT + TLS + one request, -disable-keepalive).
# Note: hey does not verify certificates (neither the upstream's nor the broker's); the broker still verifies upstream TLS.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-10s}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

dotnet build "$root/src/Broker" -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build "$root/bench/upstream" -c Release -nologo -clp:ErrorsOnly >/dev/null

dotnet "$root/bench/upstream/bin/Release/net10.0/bench-upstream.dll" "$work" >"$work/upstream.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening" "$work/upstream.out" 2>/dev/null && break; sleep 0.2; done
port="$(sed -n 's/.*listening on https:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/upstream.out")"

dotnet "$root/src/Broker/bin/Release/net10.0/agent-vault.dll" server --dev --data-dir "$work/data" \
  --api-listen 127.0.0.1:0 --proxy-listen 127.0.0.1:0 \
  --resolve bench.upstream.test:127.0.0.1 --upstream-ca "$work/ca.pem" >"$work/broker.out" 2>"$work/broker.err" &
pids+=($!)
for _ in $(seq 300); do grep -q "proxy listening" "$work/broker.out" 2>/dev/null && break; sleep 0.2; done
api="$(sed -n 's/^api listening on //p' "$work/broker.out")"
proxy="$(sed -n 's/^proxy listening on http:\/\///p' "$work/broker.out")"
admin="$(cat "$work/data/admin.token")"

curl -sf -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"value":"bench-secret-value"}' "$api/v1/stores/local/secrets/bench" >/dev/null
# Three agents, each granted one vault with the same upstream: redact off, redact on, redact on + an allow list.
# Agent limits are raised so that the default 50 req/s and 64 in flight do not cap the measurement.
agent_json() { echo "{\"name\": \"$1\", \"vaults\": [\"$1\"], \"rate_limit\": \"1000000/s\", \"max_in_flight\": 10000}"; }
vault_json() { # name, extra service json
  echo "{\"name\": \"$1\", \"credentials\": {\"KEY\": \"local:bench\"},
    \"services\": [{\"name\": \"up\", \"host\": \"bench.upstream.test:$port\", \"auth\": {\"type\": \"bearer\", \"token\": \"KEY\"}$2}]}"
}
rules=', "rules": {"allow": ["GET /repos/**", "POST /repos/*/*/pulls", "GET /users/*", "GET /", "GET /1m"]}'
curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$api/v1/apply" -d "{
  \"vaults\": [$(vault_json off ', "redact": "off"'), $(vault_json on ', "redact": "on"'), $(vault_json rules ", \"redact\": \"on\"$rules")],
  \"agents\": [$(agent_json off), $(agent_json on), $(agent_json rules)]}" >"$work/apply.json"
tok() { python3 -c 'import json,sys; print([t["token"] for t in json.load(open(sys.argv[1]))["tokens"] if t["agent"]==sys.argv[2]][0])' "$work/apply.json" "$1"; }
tok_off="$(tok off)"; tok_on="$(tok on)"; tok_rules="$(tok rules)"

direct="https://127.0.0.1:$port"
via="https://bench.upstream.test:$port"
run() { # label, extra hey args...
  local label=$1; shift
  local out; out="$(hey -z "$duration" "$@" 2>&1)"
  local rps p50 p99 ok
  rps="$(echo "$out" | sed -n 's/^ *Requests\/sec:[[:space:]]*//p')"
  p50="$(echo "$out" | sed -n 's/^ *50% in \([0-9.]*\) secs.*/\1/p')"
  p99="$(echo "$out" | sed -n 's/^ *99% in \([0-9.]*\) secs.*/\1/p')"
  ok="$(echo "$out" | sed -n 's/^ *\[200\][[:space:]]*\([0-9]*\) responses.*/\1/p')"
  # Anything but 200 (429 from a limit, 502, transport errors) is shown so that a fast failure cannot pass for speed.
  other="$(echo "$out" | grep -E '^ *\[[0-9]+\]' | grep -v '\[200\]' | tr -s ' ' | tr '\n' ';' || true)"
  errs="$(echo "$out" | sed -n '/^Error distribution:/,$p' | grep -c '\[' || true)"
  [ "$errs" = 0 ] && errs=""
  printf '| %-52s | %10s | %8s | %8s | %8s | %s |\n' "$label" "$rps" "${p50:-?}" "${p99:-?}" "${ok:-0}" "${other}${errs:+ errors:$errs}"
}
echo "work dir: $work" >&2
echo "| case | req/s | p50 (s) | p99 (s) | 200s | other |"
echo "|---|---:|---:|---:|---:|---|"
for c in 1 64; do
  for body in small 1MiB; do
    path=/; [ "$body" = 1MiB ] && path=/1m
    run "direct $body c=$c" -c "$c" "$direct$path"
    run "broker $body c=$c, redact off" -c "$c" -x "http://$tok_off:off@$proxy" "$via$path"
    run "broker $body c=$c, redact on" -c "$c" -x "http://$tok_on:on@$proxy" "$via$path"
    run "broker $body c=$c, redact on + 5 allow rules" -c "$c" -x "http://$tok_rules:rules@$proxy" "$via$path"
  done
done
run "direct new connection (c=1, no keep-alive)" -c 1 -disable-keepalive "$direct/"
run "broker new connection (CONNECT+TLS, c=1, no keep-alive)" -c 1 -disable-keepalive -x "http://$tok_off:off@$proxy" "$via/"
