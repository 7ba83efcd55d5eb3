#!/usr/bin/env bash
# Runs the whole TrafficActors test suite on a fresh machine: restores packages, builds, and runs every test
# against real components (the embedded Kafka-protocol broker runs inside the test process).
# Usage: ./test.sh [--fast] [extra `dotnet test` arguments, e.g. --filter FullyQualifiedName~Kafka]
#   (no option)  every tier: fast, integration, cluster and soak (tests/Support/Tier.cs).
#   --fast       the fast tier alone (--filter Tier=Fast: pure logic and Akka TestKit tests in the test process, no
#                broker, database, browser or child process), well under a minute; it installs nothing with apt
#                but Node.js when missing, which the dashboard's build needs. Extra arguments still pass through;
#                a --filter among them narrows the tier (Tier=Fast&(your filter)).
set -euo pipefail
cd "$(dirname "$0")"

fast=false
tier_filter=""
# What is restored, built and tested: the whole solution, or for the fast tier the test project and what it needs.
target=TrafficActors.sln
if [ "${1:-}" = "--fast" ]; then
  fast=true
  shift
  # dotnet test takes one --filter only, so a filter passed along is joined to the tier's.
  passed_on=()
  narrow=""
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --filter) narrow="${2:-}"; shift $(($# > 1 ? 2 : 1)) ;;
      --filter=*) narrow="${1#--filter=}"; shift ;;
      *) passed_on+=("$1"); shift ;;
    esac
  done
  set -- "${passed_on[@]}"
  tier_filter="Tier=Fast${narrow:+&($narrow)}"
  target=tests/TrafficActors.Tests.csproj
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://dot.net)" >&2
  exit 1
fi

# What the integration tests start, installed from Debian's packages when missing, in one apt run: throw-away
# PostgreSQL servers (as the postgres user), a real S3-compatible server (s3rver through
# tools/s3-server/launcher.js, on Node.js), Debian's Chromium for the dashboard's browser test (driven through
# Playwright, never a downloaded browser build) and Prometheus with promtool for the shipped monitoring config
# (observability/).
# The fast tier starts none of them; only the build needs npm.
missing=()
$fast || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
$fast || [ -x /usr/bin/chromium ] || missing+=(chromium)
$fast || { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || missing+=(prometheus)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing ${missing[*]} (apt)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# NuGet restore (network-bound) runs while npm installs the dashboard's browser libraries and the S3 test server's
# dependencies; the web project's build would otherwise run npm ci itself when node_modules is missing. The fast
# tier leaves that to the build and needs no S3 server.
restore_log="$(mktemp)"
if $fast; then
  echo "==> restore (NuGet)"
  dotnet restore "$target" -nologo -v quiet >"$restore_log" 2>&1 &
  restore_pid=$!
else
  echo "==> restore (NuGet) and npm ci (dashboard assets, S3 test server)"
  dotnet restore TrafficActors.sln -nologo -v quiet >"$restore_log" 2>&1 &
  restore_pid=$!
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  (cd tools/s3-server && npm ci --no-audit --no-fund --loglevel=error)
fi
if ! wait "$restore_pid"; then
  cat "$restore_log" >&2
  exit 1
fi

echo "==> build"
dotnet build "$target" -c Release --no-restore -nologo -v quiet

results="$(mktemp -d)"
# Long cluster tests write their steps here as they go (tests/Support/ProgressOutput.cs), shown below on failure.
export TRAFFIC_TEST_PROGRESS="$results/progress.log"
# The hang guard is per test: the soak runs for about 3 minutes and fails by itself after 6; no fast test
# takes more than a few seconds.
if $fast; then
  echo "==> test (fast tier)"
  tier=(--filter "$tier_filter")
  hang=2m
else
  echo "==> test"
  tier=()
  hang=8m
fi
set +e
test_started=$SECONDS
dotnet test "$target" -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  --blame-hang-timeout "$hang" "${tier[@]}" "$@"
status=$?
set -e
echo "==> tests ran for $((SECONDS - test_started)) s"
if [ "$status" -ne 0 ]; then
  # Name each failed test with the first lines of its message, so a CI log that keeps only its tail says what broke.
  for trx in "$results"/*.trx "$results"/*/*.trx; do
    [ -f "$trx" ] || continue
    perl -0777 -ne 'while (/<UnitTestResult [^>]*testName="([^"]*)"[^>]*outcome="Failed"(.*?)<\/UnitTestResult>/gs) {
        my ($name, $body) = ($1, $2); my ($msg) = $body =~ /<Message>(.*?)<\/Message>/s; $msg //= "";
        $msg =~ s/&lt;/</g; $msg =~ s/&gt;/>/g; $msg =~ s/&quot;/"/g; $msg =~ s/&amp;/&/g;
        my @lines = grep { length } split /\n/, $msg; print "FAILED $name\n", map { "    $_\n" } @lines[0 .. ($#lines < 5 ? $#lines : 5)]; }' "$trx"
  done
fi
if [ "$status" -ne 0 ] && [ -s "$TRAFFIC_TEST_PROGRESS" ]; then
  echo "==> last steps of the long cluster tests"
  tail -n 40 "$TRAFFIC_TEST_PROGRESS"
fi

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
