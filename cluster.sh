#!/usr/bin/env bash
# A local TrafficActors cluster on 127.0.0.1 without Docker: a standalone broker (`traffic kafka`), N cluster
# nodes with the ingest, cars and windows roles (all of them seeds) and a web node with the dashboard.
# All nodes share one window journal (PostgreSQL via TRAFFIC_DB_PROVIDER/TRAFFIC_DB_CONNECTION when set, otherwise
# one SQLite file in the cluster folder). `start` records the choice in data/cluster/journal.env and every node it
# or `restart` launches reads it from there, so a restarted node can never open a journal of its own. Logs and
# process ids go to data/cluster/.
#
#   ./cluster.sh start [N]        build if needed, start the broker, N nodes (default 3) and the web node
#   ./cluster.sh status           cluster membership as the first reachable node sees it
#   ./cluster.sh generate [opts]  run the traffic generator against the cluster's broker (e.g. --rate 2000 --duration 1m)
#   ./cluster.sh rules show|set F the rules in force (node 1's view) / put a new rules document F in force on every node
#                                 (set needs TRAFFIC_ADMIN_TOKEN, the same one the cluster was started with)
#   ./cluster.sh kill I           SIGKILL node I (1..N): watch the others take over its shards and partitions
#   ./cluster.sh restart I        start node I again
#   ./cluster.sh stop             graceful stop of every process (nodes leave the cluster, ingest drains)
#
# Fleet: the nodes serve a generated reference fleet of CLUSTER_CARS cars (default 1000) and `generate` draws from it.
# Ports: Akka 4053+I, HTTP API 5080+I (web node 5080), management 9110+I (web node 9110); base ports can be moved
# with CLUSTER_AKKA_BASE, CLUSTER_HTTP_BASE, CLUSTER_MANAGEMENT_BASE, and the folder with CLUSTER_DIR.
# Settings: CLUSTER_CONFIG names a HOCON file (e.g. rule thresholds) that `start` copies to data/cluster/node.conf;
# every node, restarted ones included, is launched with it (`--config`).
# Rules: every node watches one rules file, data/cluster/rules.json (TRAFFIC_RULES_FILE moves it), so a document
# stored there by `./cluster.sh rules set` reaches them all without S3.
set -euo pipefail
cd "$(dirname "$0")"

DIR="${CLUSTER_DIR:-data/cluster}"
DLL="host/bin/Release/net10.0/traffic.dll"
AKKA_BASE="${CLUSTER_AKKA_BASE:-4052}"
HTTP_BASE="${CLUSTER_HTTP_BASE:-5080}"
MGMT_BASE="${CLUSTER_MANAGEMENT_BASE:-9110}"
CARS="${CLUSTER_CARS:-1000}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Every node reads from the embedded broker `traffic kafka` runs here, so they take its client profile.
export TRAFFIC_KAFKA_EMBEDDED_PROFILE=on

die() { echo "cluster.sh: $*" >&2; exit 1; }

build() {
  if [ ! -f "$DLL" ]; then
    echo "==> building (Release)"
    dotnet build host -c Release -nologo -v quiet >/dev/null
  fi
}

# Starts a background process whose log goes to $DIR/<name>.log and whose pid goes to $DIR/<name>.pid.
launch() {
  local name="$1"; shift
  nohup dotnet "$DLL" "$@" >"$DIR/$name.log" 2>&1 &
  echo $! >"$DIR/$name.pid"
}

wait_for() {
  local name="$1" pattern="$2" seconds="${3:-90}"
  for _ in $(seq $((seconds * 4))); do
    if grep -q "$pattern" "$DIR/$name.log" 2>/dev/null; then return 0; fi
    if ! kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then die "$name exited; see $DIR/$name.log"; fi
    sleep 0.25
  done
  die "$name did not log '$pattern' within ${seconds}s; see $DIR/$name.log"
}

# The journal every node uses: chosen once by `start`, read back for every launch (restart included).
JOURNAL_ENV="$DIR/journal.env"

# One rules file for every node, as an absolute path: each node resolves relative paths against its own data folder.
case "$DIR" in /*) ABS_DIR="$DIR" ;; *) ABS_DIR="$PWD/$DIR" ;; esac
export TRAFFIC_RULES_FILE="${TRAFFIC_RULES_FILE:-$ABS_DIR/rules.json}"

save_journal() {
  if [ -z "${TRAFFIC_DB_PROVIDER:-}" ]; then
    TRAFFIC_DB_PROVIDER=sqlite TRAFFIC_DB_CONNECTION="Data Source=$(cd "$DIR" && pwd)/traffic.db;Pooling=true"
  fi
  # May hold a database password: readable by this user only.
  (umask 077; printf 'TRAFFIC_DB_PROVIDER=%q\nTRAFFIC_DB_CONNECTION=%q\n' "$TRAFFIC_DB_PROVIDER" "${TRAFFIC_DB_CONNECTION:-}" >"$JOURNAL_ENV")
}

load_journal() {
  [ -f "$JOURNAL_ENV" ] || die "$JOURNAL_ENV is missing: the cluster was not started with ./cluster.sh start"
  # shellcheck disable=SC1090
  . "$JOURNAL_ENV"
  export TRAFFIC_DB_PROVIDER TRAFFIC_DB_CONNECTION
}

bootstrap() { sed -n 's/.*Kafka bootstrap: \([^ ]*\).*/\1/p' "$DIR/kafka.log" | head -1; }

# Every processing node is a seed, so any of them (the first included) can restart and rejoin the running cluster.
seeds() {
  local n; n="$(cat "$DIR/nodes")"
  for i in $(seq 1 "$n"); do printf 'akka.tcp://traffic@127.0.0.1:%s ' $((AKKA_BASE + i)); done
}

start_node() {
  local i="$1"
  [ -n "$(bootstrap)" ] || die "the broker is not running; use ./cluster.sh start"
  mkdir -p "$DIR/node$i"
  load_journal
  # Keep the previous run's log (a killed node's last words) next to the new one.
  if [ -f "$DIR/node$i.log" ]; then mv "$DIR/node$i.log" "$DIR/node$i.$(date +%H%M%S).log"; fi
  TRAFFIC_CARS="$(cat "$DIR/cars")" TRAFFIC_MANAGEMENT_PORT=$((MGMT_BASE + i)) launch "node$i" node \
    --roles ingest cars windows --port $((AKKA_BASE + i)) --seed-nodes $(seeds) \
    --kafka-bootstrap "$(bootstrap)" --urls "http://127.0.0.1:$((HTTP_BASE + i))" --data-dir "$DIR/node$i" $(node_config)
}

# `--config` with the cluster's settings file, when `start` was given one.
node_config() { if [ -f "$DIR/node.conf" ]; then printf -- '--config %s' "$DIR/node.conf"; fi; }

start() {
  local n="${1:-3}"
  [ "$n" -ge 1 ] 2>/dev/null || die "node count must be a positive number"
  if [ -f "$DIR/kafka.pid" ] && kill -0 "$(cat "$DIR/kafka.pid")" 2>/dev/null; then die "already running; ./cluster.sh stop first"; fi
  build
  rm -rf "$DIR"; mkdir -p "$DIR"
  echo "$n" >"$DIR/nodes"
  echo "$CARS" >"$DIR/cars"
  save_journal
  if [ -n "${CLUSTER_CONFIG:-}" ]; then
    [ -f "$CLUSTER_CONFIG" ] || die "CLUSTER_CONFIG: no such file: $CLUSTER_CONFIG"
    cp "$CLUSTER_CONFIG" "$DIR/node.conf"
  fi
  echo "==> broker"
  launch kafka kafka
  wait_for kafka "Kafka bootstrap:" 60
  echo "    $(bootstrap)"
  for i in $(seq 1 "$n"); do
    echo "==> node$i (akka $((AKKA_BASE + i)), http $((HTTP_BASE + i)), management $((MGMT_BASE + i)))"
    start_node "$i"
    # The seed must be up before the others join it.
    if [ "$i" -eq 1 ]; then wait_for node1 "Node up:"; fi
  done
  for i in $(seq 2 "$n"); do wait_for "node$i" "Node up:"; done
  echo "==> web node (dashboard http://127.0.0.1:$HTTP_BASE, management $MGMT_BASE)"
  mkdir -p "$DIR/web"
  load_journal
  TRAFFIC_CARS="$CARS" TRAFFIC_MANAGEMENT_PORT=$MGMT_BASE launch web node --roles web --port "$AKKA_BASE" --seed-nodes $(seeds) \
    --kafka-bootstrap "$(bootstrap)" --urls "http://127.0.0.1:$HTTP_BASE" --data-dir "$DIR/web" $(node_config)
  wait_for web "Node up:"
  echo "cluster up: dashboard http://127.0.0.1:$HTTP_BASE  broker $(bootstrap)"
  echo "next: ./cluster.sh generate --rate 2000   |   ./cluster.sh status   |   ./cluster.sh stop"
}

stop_one() {
  local name="$1" pid
  [ -f "$DIR/$name.pid" ] || return 0
  pid="$(cat "$DIR/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$DIR/$name.pid"
}

stop() {
  [ -d "$DIR" ] || { echo "nothing running"; return 0; }
  local n; n="$(cat "$DIR/nodes" 2>/dev/null || echo 0)"
  echo "==> stopping web node and $n nodes"
  stop_one web
  for i in $(seq "$n" -1 1); do stop_one "node$i"; done
  stop_one kafka
  echo "stopped (logs kept in $DIR)"
}

node_index() {
  local i="${1:-}" n; n="$(cat "$DIR/nodes" 2>/dev/null || echo 0)"
  [ -n "$i" ] && [ "$i" -ge 1 ] 2>/dev/null && [ "$i" -le "$n" ] || die "node index must be 1..$n"
  echo "$i"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status)
    build
    # Ask the first node that answers (node1 may be the one that was killed).
    for port in $(seq $((MGMT_BASE + 1)) $((MGMT_BASE + $(cat "$DIR/nodes" 2>/dev/null || echo 0)))) "$MGMT_BASE"; do
      if dotnet "$DLL" cluster show --node "http://127.0.0.1:$port" 2>/dev/null; then exit 0; fi
    done
    die "no node answers on the management ports" ;;
  rules) shift; build; dotnet "$DLL" rules "$@" --node "http://127.0.0.1:$((MGMT_BASE + 1))" ;;
  generate) shift; build; TRAFFIC_GENERATOR_CARS="$(cat "$DIR/cars")" dotnet "$DLL" generate --kafka-bootstrap "$(bootstrap)" "$@" ;;
  kill) i="$(node_index "${2:-}")"; kill -KILL "$(cat "$DIR/node$i.pid")"; echo "node$i killed (SIGKILL)" ;;
  restart) i="$(node_index "${2:-}")"; start_node "$i"; wait_for "node$i" "Node up:"; echo "node$i up again" ;;
  *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
