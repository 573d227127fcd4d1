#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks of the data path's hot components (route match, token lookup, substitution, redaction).
#   bench/run-micro.sh                      every benchmark, in process, default job
#   bench/run-micro.sh --filter '*Redaction*' --job short
# Arguments go to BenchmarkSwitcher (see --help). By default the benchmarks run in the host process (--inProcess): the
# out-of-process toolchain generates and builds one more project per run, which costs minutes on a small machine.
# Results land in bench/micro/BenchmarkDotNet.Artifacts/ (not committed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$root/bench/micro" -c Release -nologo -clp:ErrorsOnly >/dev/null
args=()
in_process=(--inProcess)
for a in "$@"; do
  case "$a" in
    --outOfProcess) in_process=() ;;
    --inProcess|-i) ;;
    *) args+=("$a") ;;
  esac
done
[ ${#args[@]} -gt 0 ] || args=(--filter '*')
args+=("${in_process[@]}")
cd "$root/bench/micro"
exec dotnet "bin/Release/net10.0/AgentVault.Broker.Tests.dll" "${args[@]}"
