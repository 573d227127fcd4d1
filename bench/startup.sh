#!/usr/bin/env bash
# Start-up time of a broker binary (docs/performance.md#start-up-and-size):
#   bench/startup.sh [--runs N] COMMAND...      e.g. bench/startup.sh dist-x/agent-vault-1.2.3-linux-x64/agent-vault
#                                                      bench/startup.sh dotnet src/Broker/bin/Release/net10.0/agent-vault.dll
# For each run: `COMMAND server --dev` on a fresh data directory (creates the master key, the database and the CA), then a
# second start on the same directory; the time from exec to the first 200 from GET /healthz (curl polling every 10 ms).
# Prints each run and the median of first and second starts, in milliseconds. Listens on 127.0.0.1 only.
set -euo pipefail
runs=5
if [ "${1:-}" = "--runs" ]; then runs="$2"; shift 2; fi
[ $# -ge 1 ] || { echo "usage: bench/startup.sh [--runs N] COMMAND..." >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/agent-vault-startup.XXXXXX")"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))

once() { # DATA_DIR → milliseconds until /healthz answered
  local start end
  start=$(date +%s%N)
  HOME="$work" "$@" server --dev --data-dir "$data" --api-listen "127.0.0.1:$port" --proxy-listen "127.0.0.1:$((port + 1))" >"$work/out.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/out.log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

: > "$work/first"; : > "$work/second"
for i in $(seq "$runs"); do
  data="$work/data-$i"
  first=$(once "$@"); second=$(once "$@")
  echo "run $i: first start ${first} ms, second start ${second} ms"
  echo "$first" >> "$work/first"; echo "$second" >> "$work/second"
done
echo "median of $runs: first start $(median < "$work/first") ms, second start $(median < "$work/second") ms"
