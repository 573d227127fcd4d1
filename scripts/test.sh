#!/usr/bin/env bash
# The whole test suite, on a fresh machine with only the .NET SDK (run as root, or with sudo rights for apt):
#   1. installs what the tests drive for real (scripts/deps/*.sh: apt packages, npm ci, moto),
#   2. builds the solution (Release),
#   3. runs every test inside a network namespace that has only loopback, so no bug can send a packet
#      off the machine (the SSRF-guard tests rely on it: a dial to 10.0.0.1 fails with "network unreachable"),
#   4. fuzzes every parser briefly (scripts/fuzz.sh --quick, about three minutes; no network I/O, so no namespace).
# Servers the tests use (upstreams, moto, PostgreSQL, fakes) are started by the tests on 127.0.0.1 and stopped by them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for dep in scripts/deps/*.sh; do
  echo "== $dep"
  bash "$dep"
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export AGENT_VAULT_TEST_ROOT="$root"
export AGENT_VAULT_TEST_NODE_MODULES="$root/tests/node/node_modules"
export AGENT_VAULT_TEST_MOTO_PATH="$root/.ci/work/moto/root/usr/lib/python3/dist-packages"

echo "== build"
dotnet build AgentVault.sln -c Release -nologo -clp:ErrorsOnly

echo "== test (loopback-only network namespace)"
mkdir -p .ci/work
log=.ci/work/test-output.log
run_tests='ip link set lo up && exec dotnet test AgentVault.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@"'
if [ "$(id -u)" = 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
set +e
"${ns[@]}" sh -c "$run_tests" sh "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# CI shows only the end of the output: repeat every failed test there, compactly (name, message, top of the trace).
if [ "$rc" != 0 ]; then
  echo
  echo "== failed tests (exit $rc; whole output in $log)"
  awk '
    /^  Failed / { part = "name"; n = 0; print; next }
    /^  (Passed|Skipped) / || /^\[xUnit/ || /^Test Run/ || /^Total tests/ { part = "" }
    part != "" && /^  Error Message:/ { part = "message"; n = 0 }
    part != "" && /^  Stack Trace:/ { part = "trace"; n = 0; print }
    part != "" && /^  Standard (Output|Error) Messages:/ { part = "" }
    part == "message" && n++ < 12 { print }
    part == "trace" && /AgentVault\./ && n++ < 3 { print }
  ' "$log"
  grep -E "^(Total tests|     (Passed|Failed)):|^Test Run" "$log" || true
fi

echo "== fuzz (scripts/fuzz.sh --quick)"
fuzz_rc=0
scripts/fuzz.sh --quick || fuzz_rc=$?
if [ "$fuzz_rc" != 0 ]; then
  echo "== fuzzing found a crash or could not run (exit $fuzz_rc; see FUZZ CRASH lines above)"
fi
[ "$rc" != 0 ] && exit "$rc"
exit "$fuzz_rc"
