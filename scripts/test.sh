#!/usr/bin/env bash
# The whole test suite, on a fresh machine with only the .NET SDK (run as root, or with sudo rights for apt):
#   1. installs what the tests drive for real (scripts/deps/*.sh: apt packages, npm ci, moto),
#   2. builds the solution (Release),
#   3. runs every test inside a network namespace that has only loopback, so no bug can send a packet
#      off the machine (the SSRF-guard tests rely on it: a dial to 10.0.0.1 fails with "network unreachable"),
#   4. fuzzes every parser briefly (scripts/fuzz.sh --quick, about three minutes; no network I/O, so no namespace),
#   5. ends with one line for the whole run: "N passed, N failed" (every test, and every fuzz target).
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
fuzz_log=.ci/work/fuzz-output.log
set +e
scripts/fuzz.sh --quick 2>&1 | tee "$fuzz_log"
fuzz_rc=${PIPESTATUS[0]}
set -e
if [ "$fuzz_rc" != 0 ]; then
  echo "== fuzzing found a crash or could not run (exit $fuzz_rc; see FUZZ CRASH lines above)"
fi

# One line for the whole run. Tests: the per-assembly summaries dotnet test prints at normal verbosity ("Total tests: N"
# then "Passed: N", "Failed: N", "Skipped: N"); fuzz: one per target (passed when it ran and found no crash). A run that
# failed without a summary (build or test host failure), or one with no summary at all, counts as one failure.
read -r tests_passed tests_failed tests_skipped assemblies < <(awk '
  /^Total tests: [0-9]+/ { n++ }
  /^ +Passed: [0-9]+$/ { p += $2 }
  /^ +Failed: [0-9]+$/ { f += $2 }
  /^ +Skipped: [0-9]+$/ { s += $2 }
  END { print p + 0, f + 0, s + 0, n + 0 }' "$log")
read -r fuzz_passed fuzz_failed < <(sed -n '/^== fuzz summary/,$p' "$fuzz_log" | grep -E '^  [A-Za-z]' |
  awk '/ 0 crashes,/ { p++; next } { f++ } END { print p + 0, f + 0 }')
if [ "$assemblies" = 0 ]; then echo "== no test summary found in $log"; tests_failed=$((tests_failed + 1)); fi
[ "$rc" != 0 ] && [ "$tests_failed" = 0 ] && tests_failed=1
[ "$fuzz_rc" != 0 ] && [ "$fuzz_failed" = 0 ] && fuzz_failed=1
echo "== tests: $tests_passed passed, $tests_failed failed, $tests_skipped skipped in $assemblies assemblies; fuzz targets: $fuzz_passed passed, $fuzz_failed failed"
echo "$((tests_passed + fuzz_passed)) passed, $((tests_failed + fuzz_failed)) failed"
[ "$rc" != 0 ] && exit "$rc"
exit "$fuzz_rc"
