#!/usr/bin/env bash
# Release archives (docs/operations.md#releases):
#   scripts/release.sh [--rid RID]... [--output DIR] [--no-ready-to-run] VERSION
# For each runtime (default: linux-x64 and linux-arm64) a self-contained single-file broker, stamped with VERSION and
# the git commit (`agent-vault version` prints both), packed as DIR/agent-vault-VERSION-RID.tar.gz with one top folder
# agent-vault-VERSION-RID/ holding:
#   agent-vault         the executable (server and CLI)
#   libe_sqlite3.so     SQLite's native library, loaded from beside the executable (nothing is extracted at run time)
#   wwwroot/, *.json    the web console's framework scripts
#   plugins/<Name>/     every plugin of ./plugins, laid out as the normal build lays them out
#   plugins.lock        SHA-256 of every plugin file, written by the host's `agent-vault plugins lock`
# and DIR/SHA256SUMS over the archives of this run. DIR defaults to dist/ (ignored by git).
# Works offline when the runtime packs (Microsoft.NETCore.App.Runtime.RID, Microsoft.AspNetCore.App.Runtime.RID,
# Microsoft.NETCore.App.Host.RID and, for ReadyToRun, the host's Crossgen2 pack) restore from the configured feed;
# a runtime whose pack is missing is reported by name and the script exits 1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

usage() { echo "usage: scripts/release.sh [--rid RID]... [--output DIR] [--no-ready-to-run] VERSION" >&2; exit 2; }
rids=() output="$root/dist" ready_to_run=true version=""
while (($#)); do
  case "$1" in
    --rid) [ $# -ge 2 ] || usage; rids+=("$2"); shift 2 ;;
    --output) [ $# -ge 2 ] || usage; output="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --no-ready-to-run) ready_to_run=false; shift ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [ -z "$version" ] || usage; version="$1"; shift ;;
  esac
done
[ -n "$version" ] || usage
# SemVer 2.0 without build metadata: the commit is added as build metadata (VERSION+COMMIT) by the build itself.
if ! [[ "$version" =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$ ]]; then
  echo "VERSION must look like 1.2.3 or 1.2.3-rc.1 (got '$version')" >&2
  exit 2
fi
((${#rids[@]})) || rids=(linux-x64 linux-arm64)

commit="${AGENT_VAULT_COMMIT:-$(git rev-parse HEAD 2>/dev/null || true)}"
[[ "$commit" =~ ^[0-9a-f]{40}$ ]] || { echo "cannot read the git commit (not a git checkout? set AGENT_VAULT_COMMIT)" >&2; exit 1; }
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  echo "warning: the working tree has uncommitted changes; the binaries are stamped with HEAD ($commit) all the same" >&2
fi
# Archive entries get the commit's time, so two runs on one commit pack the same bytes where the build is deterministic.
stamp="$(git log -1 --format=%ct 2>/dev/null || date +%s)"

case "$(uname -m)" in
  x86_64) host_rid=linux-x64 ;;
  aarch64) host_rid=linux-arm64 ;;
  *) host_rid="" ;;
esac
# The host's runtime first: its binary writes the lock files of every archive.
ordered=()
for rid in "${rids[@]}"; do [ "$rid" = "$host_rid" ] && ordered+=("$rid"); done
for rid in "${rids[@]}"; do [ "$rid" != "$host_rid" ] && ordered+=("$rid"); done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Everything is built from scratch under $work (--artifacts-path): a release never reuses, nor disturbs, the checkout's
# own bin/ and obj/ (a release's global properties would otherwise leak into the shared outputs of the libraries).
work="$(mktemp -d "${TMPDIR:-/tmp}/agent-vault-release.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$output"

# Publishes with the output in $work/NAME.log; on failure names a missing runtime pack clearly, else shows the errors.
publish() {
  local what="$1" log="$work/$2.log"; shift 2
  if ! dotnet "$@" -nologo -clp:ErrorsOnly >"$log" 2>&1; then
    if grep -qE "NU110[1-3]|NETSDK1(083|084|094|112|187)" "$log"; then
      echo "error: $what: a runtime pack this build needs is not available from the package feed:" >&2
      grep -oE "(NU110[1-3]|NETSDK1[0-9]+): [^[]*" "$log" | sort -u | sed 's/^/  /' >&2
    else
      echo "error: $what failed:" >&2
      tail -n 30 "$log" >&2
    fi
    return 1
  fi
}

# The binary for this machine, as shipped: it reports the version and commit, starts (--dev, loopback, a throw-away
# data directory) and loads every plugin under the lock.
smoke_test() {
  local dir="$1" data="$work/smoke" pid api
  "$dir/agent-vault" version
  HOME="$data" "$dir/agent-vault" server --dev --data-dir "$data/data" --api-listen 127.0.0.1:0 --proxy-listen 127.0.0.1:0 >"$data.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    api=$(sed -n 's#^api listening on \(http://[^ ]*\).*#\1#p' "$data.log" 2>/dev/null)
    [ -n "$api" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.2
  done
  if [ -z "$api" ]; then kill "$pid" 2>/dev/null; echo "error: the $rid binary did not start:" >&2; cat "$data.log" >&2; return 1; fi
  local plugins
  plugins=$(AGENT_VAULT_ADDR="$api" AGENT_VAULT_DATA_DIR="$data/data" "$dir/agent-vault" plugins list --json || true)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if ! grep -q '"status": *"loaded"' <<<"$plugins" || grep -q '"status": *"failed"' <<<"$plugins"; then
    echo "error: the $rid binary does not load its plugins:" >&2; echo "$plugins" >&2; return 1
  fi
  echo "   smoke test: started, $(grep -o '"status": *"loaded"' <<<"$plugins" | wc -l) plugin(s) loaded"
}

echo "== plugins (framework-dependent, the same for every runtime)"
cat > "$work/plugins.proj" <<'XML'
<Project>
  <ItemGroup>
    <Plugin Include="$(RepoRoot)/plugins/*/*.csproj" Exclude="$(RepoRoot)/plugins/Shared/*.csproj" />
  </ItemGroup>
  <Target Name="PublishPlugins">
    <MSBuild Projects="@(Plugin)" Targets="Restore" Properties="Configuration=Release;ReleaseRestore=true" />
    <MSBuild Projects="@(Plugin)" Targets="Publish" Properties="Configuration=Release;PublishDir=$(PluginsOut)/%(Plugin.Filename)/" />
  </Target>
</Project>
XML
# The same version as the broker: the plugins bind to AgentVault.Abstractions of that version, and .NET loads a plugin
# only when the host's copy is at least the version the plugin was built against.
publish "the plugins" plugins msbuild "$work/plugins.proj" -t:PublishPlugins -p:RepoRoot="$root" -p:PluginsOut="$work/plugins" \
  -p:UseArtifactsOutput=true -p:ArtifactsPath="$work/artifacts" -p:Version="$version"
find "$work/plugins" -name '*.pdb' -delete

archives=() lock_writer=""
for rid in "${ordered[@]}"; do
  name="agent-vault-$version-$rid"
  out="$work/$name"
  echo "== $name (ReadyToRun: $ready_to_run)"
  publish "$rid" "$rid" publish src/Broker -c Release -r "$rid" --self-contained true -o "$out" \
    --artifacts-path "$work/artifacts" -p:PublishSingleFile=true -p:PublishReadyToRun="$ready_to_run" \
    -p:SkipPluginCopy=true -p:Version="$version" -p:SourceRevisionId="$commit"
  find "$out" -maxdepth 1 \( -name '*.pdb' -o -name '*.xml' \) -delete
  cp -R "$work/plugins" "$out/plugins"
  if [ -n "$lock_writer" ] || [ "$rid" = "$host_rid" ]; then
    "${lock_writer:-$out/agent-vault}" plugins lock --plugins-dir "$out/plugins" --plugins-lock "$out/plugins.lock" >/dev/null
  else
    # No binary for this machine: the same format, which `sha256sum` prints inside the plugins folder (docs/plugins.md#pinning).
    (cd "$out/plugins" && find . -type f | sed 's#^\./##' | LC_ALL=C sort | xargs -d '\n' sha256sum) > "$out/plugins.lock"
  fi
  (cd "$out/plugins" && sha256sum --quiet --strict -c ../plugins.lock)
  if [ "$rid" = "$host_rid" ]; then
    lock_writer="$out/agent-vault"
    smoke_test "$out"
  fi
  chmod -R u+rwX,go+rX,go-w "$out"
  tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -cf - "$name" | gzip -n -9 > "$output/$name.tar.gz"
  archives+=("$name.tar.gz")
  printf '   %s  %s MiB (binary %s MiB)\n' "$name.tar.gz" \
    "$(($(stat -c %s "$output/$name.tar.gz") / 1048576))" "$(($(stat -c %s "$out/agent-vault") / 1048576))"
done

(cd "$output" && sha256sum "${archives[@]}" > SHA256SUMS)
echo "== $output/SHA256SUMS"
cat "$output/SHA256SUMS"
