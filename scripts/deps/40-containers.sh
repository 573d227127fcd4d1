#!/usr/bin/env bash
# The container test's image (tests/AgentVault.Functional.Tests/Container): podman, buildah, runc and mmdebstrap from
# Debian, then ./Dockerfile built exactly as a user builds it, on base images made here from Debian packages, because no
# container registry is reachable from these machines:
#   1. mmdebstrap bookworm (minbase + the broker's few libraries) from this machine's own configured apt sources
#      → podman import as the build base (has a shell) and as the run base (every shell removed: proves that the final
#      stage and the health check need none);
#   2. scripts/release.sh for this machine's runtime (without ReadyToRun, to save CI time) → podman build --pull=never.
# Needs the network (the Debian mirror, NuGet), so it runs before the tests' loopback-only namespace. Cached: the base
# images by tag, the test image by a hash of everything that goes into it. Writes the image name to
# .ci/work/container/image, or — only when this machine cannot run a container at all — the reason to
# .ci/work/container/unavailable, which makes the test skip with that reason.
set -euo pipefail
source "$(dirname "$0")/../lib/apt.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/.ci/work/container"
mkdir -p "$work"
rm -f "$work/image" "$work/unavailable"

packages=(podman buildah runc mmdebstrap uidmap)
install_missing_packages "${packages[@]}"

export BUILDAH_ISOLATION=chroot
base_build=localhost/agent-vault-base:bookworm-build
base_run=localhost/agent-vault-base:bookworm-run

if ! podman image exists "$base_build" || ! podman image exists "$base_run"; then
  sources=/etc/apt/sources.list.d/debian.sources
  [ -f "$sources" ] || sources=/etc/apt/sources.list
  rootfs="$work/rootfs"
  rm -rf "$rootfs"
  echo "mmdebstrap bookworm (this machine's apt sources) → $base_build, $base_run"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates,libssl3,libstdc++6,libgcc-s1,zlib1g,tzdata \
    bookworm "$rootfs" "$sources"
  rm -rf "$rootfs"/etc/apt/sources.list "$rootfs"/etc/apt/sources.list.d/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*
  tar -C "$rootfs" --numeric-owner -cf - . | podman import --quiet - "$base_build" >/dev/null
  # The run base has no shell at all (merged /usr: /bin is a link to /usr/bin).
  rm -f "$rootfs"/usr/bin/sh "$rootfs"/usr/bin/bash "$rootfs"/usr/bin/rbash "$rootfs"/usr/bin/dash
  tar -C "$rootfs" --numeric-owner -cf - . | podman import --quiet - "$base_run" >/dev/null
  rm -rf "$rootfs"
fi

# Can this machine run a container at all? (crun is refused here; Debian's runc works with explicit ulimits.)
run=(podman --runtime runc run --rm --network host --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
if ! probe=$("${run[@]}" "$base_run" /usr/bin/true 2>&1); then
  printf 'this machine cannot run containers: %s\n' "$probe" | tee "$work/unavailable" >&2
  exit 0
fi

hash=$(cd "$root" && {
  git ls-files -co --exclude-standard -- src plugins Directory.Build.props Dockerfile .dockerignore scripts/release.sh scripts/deps/40-containers.sh |
    LC_ALL=C sort | while IFS= read -r f; do [ -f "$f" ] && sha256sum "$f"; done
} | sha256sum | cut -c1-16)
image="localhost/agent-vault:test-$hash"
if ! podman image exists "$image"; then
  context="$work/context"
  rm -rf "$context"
  mkdir -p "$context"
  case "$(uname -m)" in aarch64) arch=arm64 ;; *) arch=amd64 ;; esac
  "$root/scripts/release.sh" --rid "linux-${arch/amd64/x64}" --no-ready-to-run --output "$context/dist" 0.0.0-test
  cp "$root/Dockerfile" "$root/.dockerignore" "$context/"
  podman build --quiet --pull=never --format docker --build-arg BASE_IMAGE="$base_run" --build-arg BUILD_IMAGE="$base_build" \
    --build-arg TARGETARCH="$arch" -t "$image" "$context" >/dev/null
  rm -rf "$context"
  # Older test images of this checkout are of no further use.
  podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/agent-vault:test-' | grep -vx "$image" | xargs -r podman rmi --force >/dev/null || true
  podman image prune --force >/dev/null || true
fi
echo "$image" > "$work/image"
echo "container test image: $image"
