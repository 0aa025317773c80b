#!/usr/bin/env bash
# Gradescope autograder setup (runs once, as root, when the image is built): Node.js 20 from
# NodeSource when the image has no Node 20+, then the certification's dependencies.
# PostgreSQL comes with the embedded-postgres package; nothing else is needed.
set -euo pipefail
SOURCE="${AUTOGRADER_SOURCE:-${AUTOGRADER_ROOT:-/autograder}/source}"
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y ca-certificates curl gnupg
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs
fi
cd "$SOURCE"
npm ci --no-audit --no-fund
# PostgreSQL refuses to run as root: the embedded server runs as the 'postgres' OS user, which must read the binaries.
chmod -R a+rX "$SOURCE"
