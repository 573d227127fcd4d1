#!/usr/bin/env bash
# Debian packages the tests drive for real: clients through the proxy (curl, git, python3-requests, awscli, node),
# PostgreSQL for leased database credentials, hey for the benchmark, afl++ for scripts/fuzz.sh, iproute2 for the loopback-only namespace,
# script (bsdutils) for the terminal-output test, moto's Python dependencies, and Chromium with a font (recommends are not installed) for the console's browser tests.
# Skips the install when everything is present already.
set -euo pipefail
source "$(dirname "$0")/../lib/apt.sh"
packages=(curl git iproute2 util-linux bsdutils ca-certificates postgresql awscli hey afl++
  python3 python3-requests python3-boto3 python3-botocore python3-responses python3-werkzeug python3-flask
  python3-flask-cors python3-xmltodict python3-jinja2 python3-cryptography python3-dateutil python3-yaml
  chromium fonts-liberation)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
install_missing_packages "${packages[@]}"
