#!/usr/bin/env bash
# The chat page (/chat.html) in a real browser: starts the sample's executable jar, lets headless Chromium type a
# message into the page while a second client (a raw socket in browser-check.py) listens and answers, and writes a
# screenshot of the page to docs/images/chat-browser-check.png. Fails unless the message went both ways.
# Not part of .ci/run (a browser costs CI time); run it by hand after changing the page or the WebSocket container:
#
#   apt-get install -y chromium python3          # once (Debian)
#   sample-app/browser-check.sh [--no-build]      # PORT=18090 by default
set -euo pipefail

SAMPLE_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$SAMPLE_DIR")"
PORT="${PORT:-18090}"
JAR="$SAMPLE_DIR/target/sample-app-0.1.0-SNAPSHOT.jar"
SCREENSHOT="$ROOT/docs/images/chat-browser-check.png"
LOG="$SAMPLE_DIR/target/browser-check.log"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

command -v chromium > /dev/null || { echo "missing chromium: apt-get install -y chromium" >&2; exit 1; }
if [ "${1:-}" != "--no-build" ]; then
  (cd "$ROOT" && ./mvnw -B -q -o -pl sample-app -am package -DskipTests)
fi
[ -f "$JAR" ] || { echo "no $JAR: build the sample first" >&2; exit 1; }

"$JAVA" -jar "$JAR" --server.port="$PORT" > "$LOG" 2>&1 &
APP_PID=$!
stop_app() { kill -TERM "$APP_PID" 2> /dev/null || true; wait "$APP_PID" 2> /dev/null || true; }
trap stop_app EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/chat.html" && break
  kill -0 "$APP_PID" 2> /dev/null || { echo "the sample did not start: see $LOG" >&2; exit 1; }
  sleep 0.5
done
grep -q "Hybrid server started" "$LOG" || { echo "the sample answered, but not on the hybrid server: see $LOG" >&2; exit 1; }

mkdir -p "$(dirname "$SCREENSHOT")"
python3 "$SAMPLE_DIR/browser-check.py" "http://127.0.0.1:$PORT" "$SCREENSHOT"
echo "browser check passed ($(chromium --version 2> /dev/null))"
