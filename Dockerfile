# The Agent Vault broker as a container image (docs/operations.md#container-image).
#
# Built from a release archive, not from source: run `scripts/release.sh VERSION` first (it writes dist/), then
#   docker build -t agent-vault:VERSION .            (or: podman build --format docker -t agent-vault:VERSION .)
# The archive is checked against dist/SHA256SUMS before it is unpacked.
#
# The final stage has no RUN step, so BASE_IMAGE may be an image without a shell (a "distroless" or "chiseled" one):
# the broker is self-contained and needs only glibc, libstdc++, OpenSSL 3 and CA certificates from it.
# BUILD_IMAGE only unpacks the archive (it needs sh, tar, gzip, sha256sum).
# BASE_IMAGE has no default: name the image to run on, e.g. Microsoft's .NET 10 "runtime-deps" image with the
# "10.0-noble-chiseled" tag from Microsoft's container registry (docs/operations.md#container-image).
ARG BASE_IMAGE
ARG BUILD_IMAGE=debian:bookworm-slim

FROM ${BUILD_IMAGE} AS unpack
# amd64 or arm64: set by the builder for the platform being built (--platform); older builders need --build-arg.
ARG TARGETARCH
# Pick one version when dist/ holds several.
ARG VERSION=
COPY dist/ /dist/
RUN set -eu; \
    case "${TARGETARCH:-amd64}" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "unsupported architecture ${TARGETARCH}" >&2; exit 1 ;; esac; \
    set -- /dist/agent-vault-${VERSION:-*}-$rid.tar.gz; \
    if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then echo "need exactly one dist/agent-vault-${VERSION:-VERSION}-$rid.tar.gz (found: $*); run scripts/release.sh or pass --build-arg VERSION=" >&2; exit 1; fi; \
    cd /dist && grep " ${1##*/}\$" SHA256SUMS | sha256sum -c -; \
    mkdir -p /out/app /out/data; \
    tar -xzf "$1" -C /out/app --strip-components=1 --no-same-owner; \
    chmod -R go-w /out/app; chmod 0700 /out/data

FROM ${BASE_IMAGE}
# The broker and its plugins belong to root and cannot be changed by the broker's own user; its data can.
COPY --from=unpack /out/app/ /app/
COPY --from=unpack --chown=10001:10001 /out/data/ /data/
USER 10001:10001
ENV HOME=/data \
    AGENT_VAULT_DATA_DIR=/data \
    AGENT_VAULT_API_LISTEN=0.0.0.0:14321 \
    AGENT_VAULT_PROXY_LISTEN=0.0.0.0:14322
VOLUME ["/data"]
EXPOSE 14321 14322
# Exec form, no shell: the binary asks its own /healthz (on loopback, at the port of AGENT_VAULT_API_LISTEN).
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 CMD ["/app/agent-vault", "healthcheck"]
ENTRYPOINT ["/app/agent-vault"]
CMD ["server"]
