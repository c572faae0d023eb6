#!/usr/bin/env bash
# Slow clients against the MVC benchmark app, on the hybrid server and on Tomcat in the same run: a legitimate client
# (wrk, keep-alive GET /json) is measured alone, then during each attack, and the report gives its throughput during
# the attack as a share of its throughput alone. See bench/README.md ("Slow clients").
#
#   bench/slow-clients.sh [--no-build] [--contenders mvc-hybrid,mvc-tomcat] [--attacks slowloris,slow-body,slow-read]
#
# Attacks (bench/loadgen, mode "slow"; ATTACKERS connections, one step per PERIOD_MS each, reopened when closed):
#   slowloris  a request head that never ends, one more header byte per period
#   slow-body  POST /echo with Content-Length: 1024, then one body byte per period
#   slow-read  GET /bytes (16 MiB), reading at most 1 KiB per period through a 4 KiB receive buffer; SLOW_READERS
#              connections (200: as many as either server has workers), not ATTACKERS, because each pins a socket
#              send buffer in the kernel (about 1 MiB on loopback), which a shared machine should not spend by the GiB
# Environment: JAVA_HOME, SERVER_CPU (0), LOAD_CPU (1), ATTACKERS (1000), SLOW_READERS (200), PERIOD_MS (1000), WARMUP (30 s),
# MEASURE (15 s), LEGIT_CONNECTIONS (16), HYBRID_PROPS (more properties for the hybrid server, for an A/B of a setting). Loopback only; every phase ends by itself within 30 s; the whole run takes about 6 minutes.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"

BUILD=1
CONTENDERS="mvc-hybrid,mvc-tomcat"
ATTACKS="slowloris,slow-body,slow-read"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --contenders) CONTENDERS="$2"; shift ;;
    --attacks) ATTACKS="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

ATTACKERS="${ATTACKERS:-1000}"
SLOW_READERS="${SLOW_READERS:-200}"
PERIOD_MS="${PERIOD_MS:-1000}"
MEASURE="${MEASURE:-15}"
LEGIT_CONNECTIONS="${LEGIT_CONNECTIONS:-16}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
SETTLE=3                                  # seconds between the attackers being connected and the measurement
WARMUP="${WARMUP:-30}"                     # seconds of legitimate load after each launch, before any measurement
PORT=18090
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JVM_FLAGS=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:+PerfDisableSharedMem)
# As in run.sh: no cap on requests per keep-alive connection for wrk; everything else is each server's default
# (200 workers each; the hybrid server's body gate and minimum body rate; Tomcat's connection timeout).
declare -A SERVER_PROPS=(
  [mvc-hybrid]="--server.hybrid.max-keep-alive-requests=0 ${HYBRID_PROPS:-}"
  [mvc-tomcat]="--server.tomcat.max-keep-alive-requests=-1"
)

# A thousand attackers plus the server's own: raise the descriptor limit (the attackers and the server are children).
NEEDED=$(( ATTACKERS * 2 + 1024 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEEDED" ]; then
  ulimit -n "$NEEDED" 2> /dev/null || ulimit -n "$(ulimit -Hn)"
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEEDED" ]; then
  echo "ulimit -n is $(ulimit -n); $NEEDED descriptors are needed for $ATTACKERS attackers" >&2; exit 1
fi

command -v wrk > /dev/null || { echo "missing wrk: apt-get install -y wrk" >&2; exit 1; }
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$BENCH_DIR/results/slow-$STAMP"
mkdir -p "$OUT/logs"
CSV="$OUT/results.csv"
echo "contender,attack,attackers,legit_rps,alone_rps,share_pct,errors,attacker_answers,attacker_reopenings,legit_per_cpu_s,alone_per_cpu_s,cpu_share_pct" > "$CSV"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
value() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<< "$2" | head -n 1; }
LOADGEN_JAR="$BENCH_DIR/loadgen/target/bench-loadgen.jar"

if [ "$BUILD" = 1 ]; then
  log "building the MVC contenders and the load generator"
  (cd "$ROOT" && ./mvnw -B -q -Pbench -DskipTests -Dmaven.jar.forceCreation=true \
    -pl bench/loadgen,bench/mvc-hybrid,bench/mvc-tomcat -am package) > "$OUT/logs/build.log" 2>&1 \
    || { tail -n 40 "$OUT/logs/build.log" >&2; exit 1; }
fi
{
  echo "date_utc=$STAMP"
  echo "cpu_model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1) x $(nproc --all)"
  echo "java=$("$JAVA" -version 2>&1 | head -n 1)"
  echo "git=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+dirty')"
  echo "attackers=$ATTACKERS period_ms=$PERIOD_MS measure_s=$MEASURE legit_connections=$LEGIT_CONNECTIONS"
  echo "loadavg_at_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

SERVER_PID=""
ATTACK_PID=""
cleanup() {
  [ -z "$ATTACK_PID" ] || { kill "$ATTACK_PID" 2> /dev/null || true; wait "$ATTACK_PID" 2> /dev/null || true; }
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2> /dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
  fi
  SERVER_PID=""; ATTACK_PID=""
}
trap cleanup EXIT

URL="http://127.0.0.1:$PORT"
start_server() {
  local name="$1"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" "$JAVA" "${JVM_FLAGS[@]}" -jar "$BENCH_DIR/$name/target/bench-$name.jar" \
    --server.port=$PORT ${SERVER_PROPS[$name]} > "$OUT/logs/$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 1800); do
    curl -sf -o /dev/null "$URL/json" 2> /dev/null && return 0
    kill -0 "$SERVER_PID" 2> /dev/null || break
    sleep 0.1
  done
  log "$name did not start: see $OUT/logs/$name.log"; return 1
}

proc_cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2> /dev/null || echo 0; }
CLK_TCK="$(getconf CLK_TCK)"

# legit NAME PHASE -> prints "rps errors rps_per_server_cpu_s": the last is legitimate requests per second of the
# server's CPU time, which other tenants of a shared machine disturb far less than req/s (under attack it also pays
# for the attackers, which is the cost being measured).
legit() {
  local out line requests duration errors ticks0 ticks1
  ticks0="$(proc_cpu_ticks "$SERVER_PID")"
  out="$(cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c"$LEGIT_CONNECTIONS" -d"${MEASURE}s" --timeout 5s \
    -s report.lua "$URL/json" 2>&1)" || true
  ticks1="$(proc_cpu_ticks "$SERVER_PID")"
  echo "$out" > "$OUT/logs/$1-$2.wrk.txt"
  line="$(grep '^WRKRESULT' <<< "$out" || true)"
  [ -n "$line" ] || { echo "0 -1 0"; return; }
  requests="$(value requests "$line")"; duration="$(value duration_us "$line")"
  errors=$(( $(value errors_connect "$line") + $(value errors_read "$line") + $(value errors_write "$line") \
    + $(value errors_status "$line") + $(value errors_timeout "$line") ))
  echo "$(awk -v r="$requests" -v d="$duration" 'BEGIN {printf "%.0f", r*1e6/d}') $errors" \
    "$(awk -v r="$requests" -v a="$ticks0" -v b="$ticks1" -v hz="$CLK_TCK" 'BEGIN {printf "%.0f", (b>a)?r*hz/(b-a):0}')"
}

IFS=',' read -r -a contenders <<< "$CONTENDERS"
IFS=',' read -r -a attacks <<< "$ATTACKS"
for name in "${contenders[@]}"; do
  log "$name: starting"
  start_server "$name" || continue
  log "$name: warming up for $WARMUP s"
  (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c"$LEGIT_CONNECTIONS" -d"${WARMUP}s" "$URL/json") > /dev/null 2>&1 || true
  read -r alone_before errors_before cpu_before <<< "$(legit "$name" alone-before)"
  log "$name: alone $alone_before req/s ($errors_before errors)"
  rows=()
  for attack in "${attacks[@]}"; do
    ready="$OUT/logs/$name-$attack.ready"; rm -f "$ready"
    count="$ATTACKERS"; [ "$attack" != slow-read ] || count="$SLOW_READERS"
    taskset -c "$LOAD_CPU" "$JAVA" -Xmx256m -XX:+UseSerialGC -jar "$LOADGEN_JAR" slow "$attack" "$URL" "$count" \
      $(( SETTLE + MEASURE + 2 )) "$PERIOD_MS" "$ready" > "$OUT/logs/$name-$attack.loadgen.txt" 2>&1 &
    ATTACK_PID=$!
    for _ in $(seq 1 100); do [ -f "$ready" ] || ! kill -0 "$ATTACK_PID" 2> /dev/null && break; sleep 0.1; done
    sleep "$SETTLE"
    read -r rps errors per_cpu <<< "$(legit "$name" "$attack")"
    # The attackers stop by themselves; the bound is only for a wedged client.
    for _ in $(seq 1 100); do kill -0 "$ATTACK_PID" 2> /dev/null || break; sleep 0.1; done
    kill "$ATTACK_PID" 2> /dev/null || true; wait "$ATTACK_PID" 2> /dev/null || true; ATTACK_PID=""
    result="$(grep '^RESULT' "$OUT/logs/$name-$attack.loadgen.txt" || true)"
    log "$name under $count $attack: $rps req/s ($errors errors); attackers: $(value answers "$result") answers, $(value reopenings "$result") reopenings"
    rows+=("$attack,$count,$rps,$errors,$(value answers "$result"),$(value reopenings "$result"),$per_cpu")
    # Let the server shed what the attackers left (lingering closes, Tomcat's blocked reads) before the next phase.
    sleep "$SETTLE"
  done
  # Alone again: the server may still have been warming up at the first measurement. The share is taken against the
  # better of the two, so that a server still getting faster cannot look better under attack than alone.
  read -r alone_after errors_after cpu_after <<< "$(legit "$name" alone-after)"
  alone="$(( alone_before > alone_after ? alone_before : alone_after ))"
  alone_cpu="$(( cpu_before > cpu_after ? cpu_before : cpu_after ))"
  log "$name: alone again $alone_after req/s ($errors_after errors); shares against $alone req/s, $alone_cpu req/cpu-s"
  echo "$name,none-before,0,$alone_before,$alone,,$errors_before,,,$cpu_before,$alone_cpu," >> "$CSV"
  echo "$name,none-after,0,$alone_after,$alone,,$errors_after,,,$cpu_after,$alone_cpu," >> "$CSV"
  for row in "${rows[@]}"; do
    IFS=',' read -r attack count rps errors answers reopenings per_cpu <<< "$row"
    share="$(awk -v a="$rps" -v b="$alone" 'BEGIN {printf "%.1f", (b>0)?100*a/b:0}')"
    cpu_share="$(awk -v a="$per_cpu" -v b="$alone_cpu" 'BEGIN {printf "%.1f", (b>0)?100*a/b:0}')"
    echo "$name,$attack,$count,$rps,$alone,$share,$errors,$answers,$reopenings,$per_cpu,$alone_cpu,$cpu_share" >> "$CSV"
  done
  cleanup
done

{
  echo "| server | attack | legit req/s | alone req/s | share | legit req per server CPU-s (alone) | share | legit errors | attackers' answers | reopenings |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|---:|"
  tail -n +2 "$CSV" | awk -F, '$2 !~ /^none/ {printf "| %s | %s x %s | %s | %s | %s%% | %s (%s) | %s%% | %s | %s | %s |\n", $1, $3, $2, $4, $5, $6, $10, $11, $12, $7, $8, $9}'
} > "$OUT/summary.md"
cat "$OUT/summary.md"
log "results in $OUT"
