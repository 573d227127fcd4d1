#!/usr/bin/env bash
# Fuzzes the broker's parsers with AFL++ and SharpFuzz (fuzz/AgentVault.Fuzz, seeds in fuzz/corpus/<target>/).
#   scripts/fuzz.sh [--quick] [--seconds N] [target...]
#     --quick      12 s per target (what scripts/test.sh runs: about three minutes for all of them)
#     --seconds N  N s per target (default 60); e.g. scripts/fuzz.sh --seconds 3600 connect-head
#     --no-build   reuse the instrumented harness of the previous run
#     target...    default: every folder of fuzz/corpus
# Steps: installs afl++ if missing, publishes the harness into .ci/work/fuzz/bin, instruments that copy of the broker,
# the plugins' shared library and YamlDotNet with the sharpfuzz tool (.config/dotnet-tools.json), replays each seed
# corpus, then runs afl-fuzz per target. Exits 1 if any input crashed a target, printing each crashing file and its
# exception; findings stay in .ci/work/fuzz/findings/<target>/default/{crashes,hangs,queue}. No network I/O.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds=60
build=1
targets=()
while (($#)); do
  case "$1" in
    --quick) seconds=12 ;;
    --seconds) seconds="$2"; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(ls fuzz/corpus)
fi

command -v afl-fuzz >/dev/null || bash scripts/deps/10-apt.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=.ci/work/fuzz
bin="$work/bin"
harness="$bin/AgentVault.Broker.Tests.dll"
# Instrumented code writes AFL's coverage map, which exists only under afl-fuzz: replays use the build's own, plain copy.
plain=fuzz/AgentVault.Fuzz/bin/Release/net10.0/AgentVault.Broker.Tests.dll
if [ "$build" = 1 ] || [ ! -f "$harness" ]; then
  echo "== fuzz: build and instrument"
  dotnet tool restore >/dev/null
  rm -rf "$bin"
  dotnet publish fuzz/AgentVault.Fuzz -c Release -o "$bin" -nologo -clp:ErrorsOnly >/dev/null
  for dll in agent-vault.dll AgentVault.Plugins.Shared.dll YamlDotNet.dll; do
    dotnet tool run sharpfuzz "$bin/$dll" >/dev/null
  done
fi

# Containers: no CPU governor to check, core dumps may go to a pipe, and two shared cores (no pinning).
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
# The program AFL starts is the dotnet host, not an instrumented binary; SharpFuzz speaks AFL's fork-server protocol.
export AFL_SKIP_BIN_CHECK=1 AFL_FAST_CAL=1

failed=0
summary=()
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  [ -d "$corpus" ] || { echo "no seed corpus $corpus" >&2; exit 2; }
  echo "== fuzz: $target (${seconds}s)"
  if ! dotnet "$plain" "$target" --replay "$corpus"; then
    echo "FUZZ CRASH: a seed of $corpus crashes $target (above)"
    failed=1
    summary+=("$target: seed crashes")
    continue
  fi

  out="$work/findings/$target"
  rm -rf "$out"; mkdir -p "$work/findings"
  afl-fuzz -i "$corpus" -o "$out" -V "$seconds" -t 10000 -m none -- "$(command -v dotnet)" "$harness" "$target" >"$work/afl-$target.log" 2>&1 || {
    echo "afl-fuzz failed for $target; its output:"; tail -30 "$work/afl-$target.log"; failed=1; summary+=("$target: afl-fuzz failed"); continue; }

  stats="$out/default/fuzzer_stats"
  stat() { sed -n "s/^$1 *: //p" "$stats"; }
  summary+=("$target: $(stat execs_done) execs, $(stat corpus_count) paths, $(stat bitmap_cvg) map, $(stat saved_crashes) crashes, $(stat saved_hangs) hangs")
  for crash in "$out"/default/crashes/id:*; do
    [ -e "$crash" ] || continue
    failed=1
    echo "FUZZ CRASH: $target $crash"
    dotnet "$plain" "$target" --replay "$crash" | head -20 || true
  done
  for hang in "$out"/default/hangs/id:*; do
    [ -e "$hang" ] && echo "fuzz hang (over 10 s; not counted as a failure, check it): $target $hang"
  done
done

echo "== fuzz summary (commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), ${seconds}s per target)"
printf '  %s\n' "${summary[@]}"
exit "$failed"
