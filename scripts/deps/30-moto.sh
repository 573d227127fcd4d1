#!/usr/bin/env bash
# moto (AWS emulator) is packaged in Debian trixie only and is pure Python: download just its .deb with a private
# apt list that reuses this machine's own configured mirror, and unpack it into .ci/work/moto (no system change).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/.ci/work/moto"
[ -d "$work/root/usr/lib/python3/dist-packages/moto" ] && exit 0
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/root"
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list)
fi
echo "deb $mirror trixie main" > "$work/sources.list"
opts=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists="$work/lists" -o Dir::Cache::Archives="$work/archives" -o APT::Get::List-Cleanup=0)
apt-get "${opts[@]}" update -qq
(cd "$work" && apt-get "${opts[@]}" download python3-moto >/dev/null)
dpkg -x "$work"/python3-moto_*.deb "$work/root"
test -d "$work/root/usr/lib/python3/dist-packages/moto"
