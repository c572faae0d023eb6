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
# ATTACK_WARMUP (20 s under each attack before any measurement), ROUNDS (3), MEASURE (10 s), LEGIT_CONNECTIONS (16),
# HYBRID_PROPS (more properties for the hybrid server, for an A/B of a setting). Loopback only; every phase ends by itself
# within 30 s; with the defaults a contender takes about 5 minutes.
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
MEASURE="${MEASURE:-10}"
LEGIT_CONNECTIONS="${LEGIT_CONNECTIONS:-16}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
SETTLE=3                                  # seconds between the attackers being connected and the measurement
WARMUP="${WARMUP:-30}"                     # seconds of legitimate load after each launch, before any measurement
ATTACK_WARMUP="${ATTACK_WARMUP:-20}"       # then seconds under each attack, legitimate load included, not measured
ROUNDS="${ROUNDS:-3}"                      # rounds of (alone, each attack); shares are medians over the rounds
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
RAW="$OUT/rounds.csv"   # every measurement; results.csv holds the medians
echo "contender,attack,attackers,round,legit_rps,errors,attacker_answers,attacker_reopenings,legit_per_cpu_s" > "$RAW"
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

# attack NAME ATTACK SECONDS TAG -> starts the attackers in the background (ATTACK_PID), waits until they are connected
attack() {
  local name="$1" attack="$2" seconds="$3" tag="$4" count="$ATTACKERS"
  [ "$attack" != slow-read ] || count="$SLOW_READERS"
  local ready="$OUT/logs/$name-$attack-$tag.ready"; rm -f "$ready"
  taskset -c "$LOAD_CPU" "$JAVA" -Xmx256m -XX:+UseSerialGC -jar "$LOADGEN_JAR" slow "$attack" "$URL" "$count" \
    "$seconds" "$PERIOD_MS" "$ready" > "$OUT/logs/$name-$attack-$tag.loadgen.txt" 2>&1 &
  ATTACK_PID=$!
  for _ in $(seq 1 100); do [ -f "$ready" ] || ! kill -0 "$ATTACK_PID" 2> /dev/null && break; sleep 0.1; done
}
# The attackers stop by themselves; the bound is only for a wedged client.
end_attack() {
  for _ in $(seq 1 100); do kill -0 "$ATTACK_PID" 2> /dev/null || break; sleep 0.1; done
  kill "$ATTACK_PID" 2> /dev/null || true; wait "$ATTACK_PID" 2> /dev/null || true; ATTACK_PID=""
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print v[(NR+1)/2]; else printf "%.0f\n", (v[NR/2]+v[NR/2+1])/2}'; }

for name in "${contenders[@]}"; do
  log "$name: starting"
  start_server "$name" || continue
  log "$name: warming up for $WARMUP s alone, then $ATTACK_WARMUP s under each attack"
  (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c"$LEGIT_CONNECTIONS" -d"${WARMUP}s" "$URL/json") > /dev/null 2>&1 || true
  # The JIT compiles what it has seen: a server measured under an attack it has never met runs the attack's code paths
  # (and, when it ends, the legitimate ones it had to deoptimise) half-interpreted, on the measured core. Each attack
  # is met once before any measurement, so that rounds compare steady states.
  for attack in "${attacks[@]}"; do
    attack "$name" "$attack" $(( ATTACK_WARMUP + 2 )) warmup
    (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c"$LEGIT_CONNECTIONS" -d"${ATTACK_WARMUP}s" "$URL/json") > /dev/null 2>&1 || true
    end_attack; sleep "$SETTLE"
  done
  declare -A rps_of=() cpu_of=() answers_of=() reopenings_of=() errors_of=()
  for round in $(seq 1 "$ROUNDS"); do
    read -r rps errors per_cpu <<< "$(legit "$name" "alone-r$round")"
    log "$name round $round: alone $rps req/s ($errors errors)"
    echo "$name,alone,0,$round,$rps,$errors,,,$per_cpu" >> "$RAW"
    rps_of[alone]+="$rps "; cpu_of[alone]+="$per_cpu "; errors_of[alone]=$(( ${errors_of[alone]:-0} + errors ))
    for attack in "${attacks[@]}"; do
      count="$ATTACKERS"; [ "$attack" != slow-read ] || count="$SLOW_READERS"
      attack "$name" "$attack" $(( SETTLE + MEASURE + 2 )) "r$round"
      sleep "$SETTLE"
      read -r rps errors per_cpu <<< "$(legit "$name" "$attack-r$round")"
      end_attack
      result="$(grep '^RESULT' "$OUT/logs/$name-$attack-r$round.loadgen.txt" || true)"
      log "$name round $round under $count $attack: $rps req/s ($errors errors); attackers: $(value answers "$result") answers, $(value reopenings "$result") reopenings"
      echo "$name,$attack,$count,$round,$rps,$errors,$(value answers "$result"),$(value reopenings "$result"),$per_cpu" >> "$RAW"
      rps_of[$attack]+="$rps "; cpu_of[$attack]+="$per_cpu "
      errors_of[$attack]=$(( ${errors_of[$attack]:-0} + errors ))
      answers_of[$attack]="$(value answers "$result")"; reopenings_of[$attack]+="$(value reopenings "$result") "
      # Let the server shed what the attackers left (lingering closes, Tomcat's blocked reads) before the next phase.
      sleep "$SETTLE"
    done
  done
  alone="$(median <<< "${rps_of[alone]}")"; alone_cpu="$(median <<< "${cpu_of[alone]}")"
  log "$name: median alone $alone req/s ($alone_cpu req/cpu-s) over $ROUNDS rounds: ${rps_of[alone]}"
  echo "$name,none,0,$alone,$alone,,${errors_of[alone]},,,$alone_cpu,$alone_cpu," >> "$CSV"
  for attack in "${attacks[@]}"; do
    count="$ATTACKERS"; [ "$attack" != slow-read ] || count="$SLOW_READERS"
    rps="$(median <<< "${rps_of[$attack]}")"; per_cpu="$(median <<< "${cpu_of[$attack]}")"
    reopenings="$(median <<< "${reopenings_of[$attack]}")"
    share="$(awk -v a="$rps" -v b="$alone" 'BEGIN {printf "%.1f", (b>0)?100*a/b:0}')"
    cpu_share="$(awk -v a="$per_cpu" -v b="$alone_cpu" 'BEGIN {printf "%.1f", (b>0)?100*a/b:0}')"
    log "$name under $count $attack: median $rps req/s = $share% of alone (rounds: ${rps_of[$attack]})"
    echo "$name,$attack,$count,$rps,$alone,$share,${errors_of[$attack]},${answers_of[$attack]},$reopenings,$per_cpu,$alone_cpu,$cpu_share" >> "$CSV"
  done
  unset rps_of cpu_of answers_of reopenings_of errors_of
  cleanup
done

{
  echo "| server | attack | legit req/s | alone req/s | share | legit req per server CPU-s (alone) | share | legit errors | attackers' answers | reopenings |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|---:|"
  tail -n +2 "$CSV" | awk -F, '$2 !~ /^none/ {printf "| %s | %s x %s | %s | %s | %s%% | %s (%s) | %s%% | %s | %s | %s |\n", $1, $3, $2, $4, $5, $6, $10, $11, $12, $7, $8, $9}'
} > "$OUT/summary.md"
cat "$OUT/summary.md"
log "results in $OUT"
