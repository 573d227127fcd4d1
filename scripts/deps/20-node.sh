#!/usr/bin/env bash
# Real vendor clients and servers from npm (node-vault, @infisical/sdk, oidc-provider), from the committed lock file.
set -euo pipefail
cd "$(dirname "$0")/../../tests/node"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
