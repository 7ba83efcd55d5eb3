#!/usr/bin/env bash
# Runs the whole TrafficActors test suite on a fresh machine: restores packages, builds, and runs every test
# against real components (the embedded Kafka-protocol broker runs inside the test process).
# Usage: ./test.sh [extra `dotnet test` arguments, e.g. --filter FullyQualifiedName~Kafka]
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://dot.net)" >&2
  exit 1
fi

# Integration tests start throw-away PostgreSQL servers (as the postgres user); install the server if missing.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> installing PostgreSQL server (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

# The reference-data tests start a real S3-compatible server (s3rver through tools/s3-server/launcher.js).
if ! command -v node >/dev/null 2>&1; then
  echo "==> installing Node.js (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
# The dashboard's browser test drives Debian's Chromium through Playwright (never a downloaded browser build).
if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Chromium (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# The dashboard's browser libraries (the web project's build would also run this when node_modules is missing).
echo "==> dashboard assets (npm ci)"
(cd web && npm ci --no-audit --no-fund --loglevel=error)

echo "==> S3 test server dependencies (npm ci)"
(cd tools/s3-server && npm ci --no-audit --no-fund --loglevel=error)

echo "==> restore and build"
dotnet build TrafficActors.sln -c Release -nologo -v quiet

results="$(mktemp -d)"
echo "==> test"
set +e
dotnet test TrafficActors.sln -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  --blame-hang-timeout 5m "$@"
status=$?
set -e

# One plain summary line that any CI reads: "tests: N passed, N failed".
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx "$results"/*/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
