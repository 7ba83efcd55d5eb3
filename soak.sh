#!/usr/bin/env bash
# The soak run: a local cluster (standalone broker, three nodes, web node, PostgreSQL, S3 server) under steady fleet
# telemetry while a fault schedule repeats (broker outages, kill -9, S3 outage and a bad reference version, database
# outage, CPU hog, poison messages); then it proves nothing was lost or doubled and prints its report.
#   ./soak.sh                  # 30 minutes
#   ./soak.sh --duration 2h    # any length: 90s, 45m, 2h (one fault cycle lasts about 2.5 minutes)
# The report goes to data/soak/report.md, every process's log to data/soak/logs/ and the steps as they happen to
# data/soak/progress.log (fault by fault, consumer lag every 5 s). CI runs the short version
# (one cycle) as part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")"

duration="30m"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="${2:?--duration needs a value, e.g. 30m}"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (use --duration 30m)" >&2; exit 2 ;;
  esac
done
[[ "$duration" =~ ^[0-9]+(\.[0-9]+)?[smh]$ ]] || { echo "soak.sh: --duration must look like 90s, 30m or 2h" >&2; exit 2; }

# The hang guard allows the run itself, its start-up and its drain (a third of the run, like the soak's own wait).
minutes=$(awk -v d="$duration" 'BEGIN { n = substr(d, 1, length(d) - 1); u = substr(d, length(d));
  m = (u == "s") ? n / 60 : (u == "h") ? n * 60 : n; printf "%d", m * 4 / 3 + 30 }')

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$PWD/data/soak"
rm -rf "$out"; mkdir -p "$out"
echo "==> build"
(cd web && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
(cd tools/s3-server && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
dotnet build TrafficActors.sln -c Release -nologo -v quiet >"$out/build.txt" 2>&1 || { cat "$out/build.txt"; exit 1; }
echo "==> soak for $duration (report: $out/report.md)"
status=0
echo "    progress: tail -f $out/progress.log"
TRAFFIC_SOAK_DURATION="$duration" TRAFFIC_SOAK_REPORT="$out/report.md" TRAFFIC_SOAK_LOGS="$out/logs" \
  TRAFFIC_TEST_PROGRESS="$out/progress.log" \
  dotnet test tests -c Release --no-build -nologo --filter "FullyQualifiedName~Soak.SoakTests" \
  --logger "console;verbosity=normal" --blame-hang-timeout "${minutes}m" >"$out/test-output.txt" 2>&1 || status=$?
if [ -f "$out/report.md" ]; then cat "$out/report.md"; fi
if [ "$status" -ne 0 ]; then
  echo "soak FAILED; see $out/test-output.txt and $out/logs/" >&2
  exit 1
fi
echo "soak passed"
