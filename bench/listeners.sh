#!/usr/bin/env bash
# Listener benchmarks for docs/listeners.md, on loopback, bounded in time (about 2 minutes with the defaults):
#   1. requests per second at a fixed open-loop rate over a Unix domain socket against the same over TCP, the load
#      generator connecting to the socket itself (no TCP relay in between);
#   2. new connections per second (one request per connection) with and without server.hybrid.reuse-port.
# Needs the mvc-hybrid contender and the load generator built (bench/run.sh builds both; or
# ./mvnw -B -Pbench -pl bench/loadgen,bench/mvc-hybrid -am package -DskipTests).
#
#   bench/listeners.sh [RATE] [SECONDS]
#
# Environment: JAVA_HOME, SERVER_CPU (0), LOAD_CPU (1), PORT (18080).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PORT="${PORT:-18080}"
RATE="${1:-5000}"
SECONDS_EACH="${2:-15}"
WARMUP=5
SERVER_JAR="$BENCH_DIR/mvc-hybrid/target/bench-mvc-hybrid.jar"
LOADGEN_JAR="$BENCH_DIR/loadgen/target/bench-loadgen.jar"
for jar in "$SERVER_JAR" "$LOADGEN_JAR"; do
  [ -f "$jar" ] || { echo "missing $jar: build it first (see the header of this script)" >&2; exit 1; }
done
WORK="$(mktemp -d)"
SOCKET="$WORK/app.sock"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2> /dev/null || true; wait "$SERVER_PID" 2> /dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_server() {
  # shellcheck disable=SC2068
  taskset -c "$SERVER_CPU" "$JAVA" -Xmx512m -jar "$SERVER_JAR" --server.port="$PORT" \
    --server.hybrid.max-keep-alive-requests=0 --server.hybrid.additional-listeners[0].unix-socket="$SOCKET" $@ \
    > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/json" && return 0
    sleep 0.5
  done
  echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2> /dev/null || true; SERVER_PID=""; }
loadgen() {
  taskset -c "$LOAD_CPU" "$JAVA" -Xmx512m -Dbench.serverPid="$SERVER_PID" -Dbench.clockTicks="$(getconf CLK_TCK)" \
    -jar "$LOADGEN_JAR" "$@" | grep '^RESULT' || echo "RESULT failed"
}

echo "=== 1. ${RATE} req/s, 64 connections, ${SECONDS_EACH}s each"
start_server
echo "tcp:  $(loadgen rate "http://127.0.0.1:$PORT/json" "$RATE" 64 "$WARMUP" "$SECONDS_EACH")"
echo "unix: $(loadgen rate "http+unix://$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$SOCKET")/json" "$RATE" 64 "$WARMUP" "$SECONDS_EACH")"
stop_server

echo "=== 2. new connections per second, 32 clients, ${SECONDS_EACH}s each"
for reuse in false true; do
  start_server --server.hybrid.transport=epoll --server.hybrid.reuse-port=$reuse
  echo "reuse-port=$reuse: $(loadgen handshake "http://127.0.0.1:$PORT/json" 32 "$WARMUP" "$SECONDS_EACH")"
  stop_server
done
