#!/usr/bin/env bash
# The benchmark harness: builds every contender, runs every scenario against each, and writes raw results (CSV),
# a report (Markdown) and a chart (PNG) under bench/results/<timestamp>/. See bench/README.md.
#
#   bench/run.sh [--quick] [--no-build] [--no-jmh] [--contenders a,b,...] [--scenarios 1,2,...]
#                [--limits tuned|defaults|both]
#
# --quick runs every scenario briefly (seconds each): for developing the harness, not for publishing numbers.
# Scenario 9 (a real application) runs on the petclinic-* contenders only, and they run nothing else.
# Scenario 10 (WebSocket) runs on the contenders with a WebSocket echo: the MVC and WebFlux ones.
# Scenario 11 (HTTP/3 against HTTP/2 and HTTP/1.1 on the same server) runs on the hybrid MVC and WebFlux contenders.
# Scenarios 12-16 (issue 20): throughput and p99 against connections, response size and request body size; memory
# against idle connections; requests/s in 5 s windows from launch. --limits defaults runs everything with each
# server's own defaults instead of run.sh's lifted limits; both runs both (the CSV's limits column tells them apart).
# The -vt contenders (mvc-hybrid-vt, mvc-tomcat-vt) run with spring.threads.virtual.enabled=true: Java 21+.
# Environment: JAVA_HOME (default: java on PATH), SERVER_CPU (0), LOAD_CPU (1), RATE (open-loop rate, scenario 6),
# BENCH_PORT (18080).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"

# ---------------------------------------------------------------------------------------------------------- settings
QUICK=0; BUILD=1; JMH=1
CONTENDERS="bare-netty,mvc-hybrid,mvc-tomcat,mvc-jetty,webflux-reactor-netty,webflux-hybrid,webflux-hybrid-el"
CONTENDERS="$CONTENDERS,petclinic-hybrid,petclinic-tomcat,petclinic-jetty"
SCENARIOS="1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"
LIMITS_MODE=tuned
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --no-jmh) JMH=0 ;;
    --contenders) CONTENDERS="$2"; shift ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    --limits) LIMITS_MODE="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

# LAUNCH_WARMUP: load right after each launch, before any measurement. On one core a Spring application needs about
# 20 s of load before the JIT has compiled its hot paths (the compiler threads share the core with the server).
if [ "$QUICK" = 1 ]; then
  LAUNCH_WARMUP=20; WARMUP=2; DURATION=5; IDLE_CONNECTIONS=2000; IDLE_HOLD=8; RATE_WARMUP=3; RATE_SECONDS=8
else
  LAUNCH_WARMUP=40; WARMUP=5; DURATION=15; IDLE_CONNECTIONS=10000; IDLE_HOLD=15; RATE_WARMUP=5; RATE_SECONDS=20
fi
# APP_PAGE_WARMUP: scenario 9's load on each page before it is measured. Switching the real application from the mix
# to one page sets the JIT compiling again: with 5 s, profiles of the measured 15 s (bench/profile.sh, 100 s of mix
# first) showed the compiler threads taking 24-58% of the server's core on both Tomcat and the hybrid server, and a JFR
# recording of one page from launch showed compilations settling about 40 s into its load. 30 s of the page itself
# measures the server, not the compiler.
if [ "$QUICK" = 1 ]; then APP_PAGE_WARMUP=2; else APP_PAGE_WARMUP=30; fi
RATE="${RATE:-3000}"                      # scenario 6: requests/s, below every contender's saturation here
RATE_CONNECTIONS=64
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PORT="${BENCH_PORT:-18080}"        # another port when someone else benchmarks on this machine
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The same JVM, flags and heap for every contender. AlwaysPreTouch commits the whole heap at start, so that RSS
# growth under load is native memory (sockets, TLS, direct buffers), and heap is measured apart, as live objects.
JVM_FLAGS=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:+PerfDisableSharedMem)
# Limits that would otherwise cut a scenario short, lifted the same way on every server that has them: no cap on
# requests per keep-alive connection (Tomcat defaults to 100, the hybrid server to 1000), room for the idle
# connections, and idle timeouts longer than the idle scenario.
declare -A SERVER_PROPS=(
  [bare-netty]=""
  [mvc-hybrid]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s"
  [mvc-tomcat]="--server.tomcat.max-keep-alive-requests=-1 --server.tomcat.max-connections=20000 --server.tomcat.keep-alive-timeout=300s"
  [mvc-jetty]="--server.jetty.connection-idle-timeout=300s"
  [webflux-reactor-netty]="--server.netty.idle-timeout=300s"
  [webflux-hybrid]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s"
  # The same jar with handlers on the event loops.
  [webflux-hybrid-el]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s --server.hybrid.reactive.dispatch=event-loop"
  # Scenario 9's real application, the same limits as the MVC contenders.
  [petclinic-hybrid]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s"
  [petclinic-tomcat]="--server.tomcat.max-keep-alive-requests=-1 --server.tomcat.max-connections=20000 --server.tomcat.keep-alive-timeout=300s"
  [petclinic-jetty]="--server.jetty.connection-idle-timeout=300s"
)
# Contenders that are another contender's jar with other properties.
declare -A MODULE_OF=([webflux-hybrid-el]=webflux-hybrid)
# The path that tells that a contender is up, and whose body must be the same on every contender of its kind.
declare -A PROBE_PATH=([petclinic-hybrid]=/api/vets [petclinic-tomcat]=/api/vets [petclinic-jetty]=/api/vets)
is_app() { [[ "$1" == petclinic-* ]]; }   # scenario 9's contenders run scenario 9 only, and only they run it
# What a contender's log must say once it is up: proof that the intended server (and mode) answers, not a fallback.
declare -A STARTED_LOG=(
  [petclinic-hybrid]="Hybrid server started"
  [webflux-hybrid]="Hybrid server started.*WebFlux"
  [webflux-hybrid-el]="Hybrid server started.*WebFlux, handlers on the event loops"
)

# ------------------------------------------------------------------------ issue 20: virtual threads, defaults/tuned
# Virtual threads (Java 21+): the MVC app on the hybrid server and on Tomcat with spring.threads.virtual.enabled=true,
# the same jars as mvc-hybrid and mvc-tomcat. Run them on JDK 25 next to their platform-thread selves:
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run.sh --contenders mvc-hybrid,mvc-hybrid-vt,mvc-tomcat,mvc-tomcat-vt
# Before measuring, GET /thread must answer "virtual" (the app asks Thread.isVirtual()), so that a server that ignored
# the property is never reported as one that used virtual threads.
VT_PROPS="--spring.threads.virtual.enabled=true"
MODULE_OF[mvc-hybrid-vt]=mvc-hybrid
MODULE_OF[mvc-tomcat-vt]=mvc-tomcat
SERVER_PROPS[mvc-hybrid-vt]="${SERVER_PROPS[mvc-hybrid]} $VT_PROPS"
SERVER_PROPS[mvc-tomcat-vt]="${SERVER_PROPS[mvc-tomcat]} $VT_PROPS"
STARTED_LOG[mvc-hybrid-vt]="Hybrid server started.*virtual-thread workers"
is_vt() { [[ "$1" == *-vt ]]; }
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p' | head -n 1)"
JAVA_MAJOR="${JAVA_MAJOR:-0}"
# Java 22+ warns when Netty loads its native libraries (epoll, tcnative) and says a future release will refuse:
# allowed explicitly, for every contender and our client alike.
NATIVE_ACCESS=()
[ "$JAVA_MAJOR" -ge 22 ] 2> /dev/null && NATIVE_ACCESS=(--enable-native-access=ALL-UNNAMED)
JVM_FLAGS+=("${NATIVE_ACCESS[@]}")
# --limits: "tuned" starts each contender with SERVER_PROPS (the limits above lifted), "defaults" with none of them:
# each server as it comes, so that a default that costs throughput (a keep-alive cap, a connection limit, an idle
# timeout shorter than a scenario) shows. Only the properties that make a contender what it is (MODE_PROPS) stay.
declare -A MODE_PROPS=(
  [webflux-hybrid-el]="--server.hybrid.reactive.dispatch=event-loop"
  [mvc-hybrid-vt]="$VT_PROPS"
  [mvc-tomcat-vt]="$VT_PROPS"
)
case "$LIMITS_MODE" in
  tuned) LIMITS_LIST="tuned" ;;
  defaults) LIMITS_LIST="defaults" ;;
  both) LIMITS_LIST="tuned defaults" ;;
  *) echo "--limits takes tuned, defaults or both, not '$LIMITS_MODE'" >&2; exit 2 ;;
esac
LIMITS=tuned   # the pass being run; every CSV row says which
server_props() { if [ "$LIMITS" = tuned ]; then echo "${SERVER_PROPS[$1]}"; else echo "${MODE_PROPS[$1]:-}"; fi; }
# Scenarios 12 and 15 hold 10,000 and up to 50,000 connections: wrk, our client and the server need a descriptor
# each. Raise the soft limit to the hard one (and the hard one where we may: root with CAP_SYS_RESOURCE); the JVM
# raises its own soft limit to the hard one. Steps above what the limit allows are recorded as unavailable.
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 120000 ]; then ulimit -Hn 120000 2> /dev/null || true; fi
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
FD_LIMIT="$(ulimit -n)"; [ "$FD_LIMIT" = unlimited ] && FD_LIMIT=1048576

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$BENCH_DIR/results/$STAMP"
TLS_DIR="$BENCH_DIR/target/tls"
LOADGEN_JAR="$BENCH_DIR/loadgen/target/bench-loadgen.jar"
mkdir -p "$OUT/logs"
CSV="$OUT/results.csv"
echo "contender,scenario,variant,connections,metric,value,unit,status,note,limits" > "$CSV"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
has_scenario() { [[ ",$SCENARIOS," == *",$1,"* ]]; }
csv_safe() { tr -d '\r' | tr ',"\n' ';  ' | cut -c1-300; }
# record CONTENDER SCENARIO VARIANT CONNECTIONS METRIC VALUE UNIT [STATUS] [NOTE]
record() {
  local note; note="$(printf '%s' "${9:-}" | csv_safe)"
  echo "$1,$2,$3,$4,$5,$6,$7,${8:-ok},$note,$LIMITS" >> "$CSV"
}
# value KEY "key=value key=value ..."
value() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<< "$2" | head -n 1; }

# ------------------------------------------------------------------------------------------------------- the machine
require() { command -v "$1" > /dev/null || { echo "missing $1: apt-get install -y $2" >&2; exit 1; }; }
require wrk wrk; require h2load nghttp2-client; require taskset util-linux; require openssl openssl; require curl curl
PYTHON=/usr/bin/python3; [ -x "$PYTHON" ] || PYTHON=python3

describe_machine() {
  {
    echo "date_utc=$STAMP"
    echo "host_cpus=$(nproc --all)"
    echo "cpu_model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
    echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "kernel=$(uname -r)"
    echo "java=$("$JAVA" -version 2>&1 | head -n 1)"
    echo "jvm_flags=${JVM_FLAGS[*]}"
    echo "server_cpu=$SERVER_CPU"
    echo "load_cpu=$LOAD_CPU"
    echo "wrk=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    echo "h2load=$(h2load --version 2>&1 | head -n 1)"
    echo "openssl=$(openssl version)"
    echo "mode=$([ "$QUICK" = 1 ] && echo quick || echo full)"
    echo "warmup_s=$WARMUP duration_s=$DURATION idle_connections=$IDLE_CONNECTIONS rate=$RATE"
    echo "limits=$LIMITS_MODE"
    echo "fd_limit=$FD_LIMIT"
    echo "spring_boot=$(sed -n 's:.*<spring-boot.version>\(.*\)</spring-boot.version>.*:\1:p' "$ROOT/pom.xml")"
    echo "netty=$(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' "$ROOT/pom.xml")"
    echo "netty_tcnative=$(sed -n 's:.*<netty-tcnative.version>\(.*\)</netty-tcnative.version>.*:\1:p' "$ROOT/pom.xml")"
    echo "git=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+dirty')"
    echo "loadavg_at_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$OUT/machine.txt"
}

# Busy share of the two cores over an interval, from /proc/stat: on a shared machine this shows how much of "our"
# cores others were using.
cpu_snapshot() { grep -E "^cpu($SERVER_CPU|$LOAD_CPU) " /proc/stat; }
cpu_busy() { # cpu_busy BEFORE AFTER -> "server_core_pct load_core_pct"
  paste <(echo "$1") <(echo "$2") | awk '{ t1=0; for (i=2;i<=11;i++) t1+=$i; t2=0; for (i=13;i<=22;i++) t2+=$i;
    i1=$5+$6; i2=$16+$17; printf "%.0f ", 100*((t2-t1)-(i2-i1))/((t2-t1)>0?(t2-t1):1) }'
}
proc_cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK="$(getconf CLK_TCK)"
# Our client, on the load core; it reads the server's CPU time itself at the edges of its measured window.
loadgen() {
  taskset -c "$LOAD_CPU" "$JAVA" -Xmx"${LOADGEN_HEAP:-512m}" -XX:+UseParallelGC "${NATIVE_ACCESS[@]}" -Dbench.serverPid="$SERVER_PID" \
    -Dbench.clockTicks="$CLK_TCK" -jar "$LOADGEN_JAR" "$@"
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ------------------------------------------------------------------------------------------------------------ build
if [ "$BUILD" = 1 ]; then
  # forceCreation: without it the jar plugin finds a contender's (content-less) jar up to date, leaves the executable
  # jar of the previous build in its place, and Boot's repackage then keeps that jar's nested copy of the hybrid
  # server: every run after the first would measure the server as it was at the first build.
  log "building: ./mvnw -B -Pbench -DskipTests -Dmaven.jar.forceCreation=true package"
  (cd "$ROOT" && ./mvnw -B -q -Pbench -DskipTests -Dmaven.jar.forceCreation=true package) > "$OUT/logs/build.log" 2>&1 \
    || { tail -n 40 "$OUT/logs/build.log" >&2; exit 1; }
fi
describe_machine

if [ ! -f "$TLS_DIR/key.pem" ]; then
  # A throwaway certificate for localhost, made here and never committed (bench/target is ignored by git).
  mkdir -p "$TLS_DIR"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" 2> /dev/null
fi
TLS_PROPS="--server.ssl.enabled=true --server.ssl.certificate=file:$TLS_DIR/cert.pem --server.ssl.certificate-private-key=file:$TLS_DIR/key.pem"

jar_of() { local module="${MODULE_OF[$1]:-$1}"; echo "$BENCH_DIR/$module/target/bench-$module.jar"; }

# ------------------------------------------------------------------------------------------------ server lifecycle
SERVER_PID=""
declare -A REFERENCE_BODY=()   # probe path -> the body the first contender answered
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2> /dev/null || true
  for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2> /dev/null || true
  wait "$SERVER_PID" 2> /dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

# start_server CONTENDER LAUNCH(plain|tls) [PURPOSE] -> 0 when it answers GET /json; records scenario 7 (startup and
# availability) under the variant LAUNCH, or LAUNCH-PURPOSE for the extra launches of the idle scenario.
start_server() {
  local name="$1" launch="$2" scheme=http props="$(server_props "$1") ${EXTRA_PROPS:-}" logf="$OUT/logs/$1-$2${3:+-$3}.log"
  local tag="$launch${3:+-$3}" probe="${PROBE_PATH[$1]:-/json}"
  if is_vt "$name" && [ "$JAVA_MAJOR" -lt 21 ] 2> /dev/null; then
    log "$name ($tag): NOT AVAILABLE: virtual threads need Java 21+, this is Java $JAVA_MAJOR"
    record "$name" 7 "$tag" 0 available 0 bool unavailable "virtual threads need Java 21+ (JAVA_HOME); this is Java $JAVA_MAJOR"
    return 1
  fi
  [ "$launch" = tls ] && { scheme=https; props="$props $TLS_PROPS"; }
  URL="$scheme://127.0.0.1:$PORT"
  local before; before="$(cpu_snapshot)"; sleep 1
  read -r bg_server bg_load <<< "$(cpu_busy "$before" "$(cpu_snapshot)")"
  record "$name" env "$tag" 0 background_busy_server_core "$bg_server" pct
  record "$name" env "$tag" 0 background_busy_load_core "$bg_load" pct
  local t0; t0="$(date +%s%N)"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" "$JAVA" "${JVM_FLAGS[@]}" -jar "$(jar_of "$name")" --server.port=$PORT $props > "$logf" 2>&1 &
  SERVER_PID=$!
  local deadline=$(( $(date +%s) + 180 ))
  while :; do
    if taskset -c "$LOAD_CPU" curl -skf -o "$OUT/logs/$name-$tag.body" "$URL$probe" 2> /dev/null; then break; fi
    if ! kill -0 "$SERVER_PID" 2> /dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      local reason
      reason="$(grep -A2 -m1 '^Description:' "$logf" | tail -n 1 || true)"
      [ -n "$reason" ] || reason="$(grep -m1 -E 'Exception|Error' "$logf" || echo "did not answer within 180 s")"
      reason="${reason#"${reason%%[![:space:]]*}"}"
      log "$name ($tag): NOT AVAILABLE: $reason"
      record "$name" 7 "$tag" 0 available 0 bool unavailable "$reason"
      stop_server
      return 1
    fi
    sleep 0.01
  done
  local t1; t1="$(date +%s%N)"
  record "$name" 7 "$tag" 0 startup_to_first_response $(( (t1 - t0) / 1000000 )) ms
  local logged=1
  if [ -n "${STARTED_LOG[$name]:-}" ]; then
    # The server may answer a moment before its start line reaches the log.
    logged=0
    for _ in $(seq 1 30); do grep -q -E "${STARTED_LOG[$name]}" "$logf" && { logged=1; break; }; sleep 0.1; done
  fi
  if [ "$logged" = 0 ]; then
    log "$name ($tag): answered, but its log lacks '${STARTED_LOG[$name]}': another server or mode; not measured"
    record "$name" 7 "$tag" 0 available 0 bool failed "log lacks: ${STARTED_LOG[$name]}"
    stop_server
    return 1
  fi
  local body; body="$(cat "$OUT/logs/$name-$tag.body")"
  [ -n "${REFERENCE_BODY[$probe]:-}" ] || REFERENCE_BODY[$probe]="$body"
  if [ "$body" != "${REFERENCE_BODY[$probe]}" ]; then
    log "$name ($tag): GET $probe answered different bytes than the first contender; not measured"
    record "$name" 7 "$tag" 0 available 0 bool failed "GET $probe body differs from the reference"
    stop_server
    return 1
  fi
  if is_vt "$name"; then
    local kind; kind="$(taskset -c "$LOAD_CPU" curl -sk "$URL/thread" 2> /dev/null || true)"
    if [ "$kind" != virtual ]; then
      log "$name ($tag): GET /thread answered '$kind', not 'virtual': not measured"
      record "$name" 7 "$tag" 0 available 0 bool failed "requests run on '$kind' threads, not virtual ones"
      stop_server
      return 1
    fi
  fi
  record "$name" 7 "$tag" 0 available 1 bool
  log "$name ($tag): up in $(( (t1 - t0) / 1000000 )) ms (pid $SERVER_PID)"
  return 0
}

unavailable() { # unavailable CONTENDER SCENARIO VARIANT CONNECTIONS REASON
  record "$1" "$2" "$3" "$4" rps 0 req/s unavailable "$5"
}

# ----------------------------------------------------------------------------------------------------- measurements
# run_wrk CONTENDER SCENARIO VARIANT CONNECTIONS SCRIPT PATH
run_wrk() {
  local name="$1" scenario="$2" variant="$3" conns="$4" script="$5" path="$6"
  local wrk_cmd=(taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" --timeout 10s -s "$script" "$URL$path")
  (cd "$BENCH_DIR/wrk" && "${wrk_cmd[@]}" -d"${WARMUP}s" > /dev/null 2>&1) || true
  local before ticks0 out
  before="$(cpu_snapshot)"; ticks0="$(proc_cpu_ticks "$SERVER_PID")"; tcp_counters_reset
  out="$(cd "$BENCH_DIR/wrk" && "${wrk_cmd[@]}" -d"${DURATION}s" 2>&1)" || true
  read -r busy_server busy_load <<< "$(cpu_busy "$before" "$(cpu_snapshot)")"
  local tcp; tcp="$(tcp_counters)"
  local cpu_s; cpu_s="$(awk -v a="$ticks0" -v b="$(proc_cpu_ticks "$SERVER_PID")" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", (b-a)/hz}')"
  echo "$out" > "$OUT/logs/$name-s$scenario-$variant-c$conns.wrk.txt"
  local line; line="$(grep '^WRKRESULT' <<< "$out" || true)"
  if [ -z "$line" ] || ! kill -0 "$SERVER_PID" 2> /dev/null; then
    record "$name" "$scenario" "$variant" "$conns" rps 0 req/s failed "wrk: $(tail -n 2 <<< "$out")"
    return
  fi
  local requests duration errors
  requests="$(value requests "$line")"; duration="$(value duration_us "$line")"
  errors=$(( $(value errors_connect "$line") + $(value errors_read "$line") + $(value errors_write "$line") \
    + $(value errors_status "$line") + $(value errors_timeout "$line") ))
  local rps; rps="$(awk -v r="$requests" -v d="$duration" 'BEGIN {printf "%.0f", r*1e6/d}')"
  local status=ok note=""
  if [ "$requests" -gt 0 ] && [ $(( errors * 100 )) -gt "$requests" ]; then status=failed; note="$errors errors"; fi
  record "$name" "$scenario" "$variant" "$conns" rps "$rps" req/s "$status" "$note"
  for q in p50 p99 p999 mean; do
    record "$name" "$scenario" "$variant" "$conns" "${q}_ms" "$(awk -v u="$(value ${q}_us "$line")" 'BEGIN {printf "%.3f", u/1000}')" ms "$status"
  done
  # Little's law: with N connections each carrying one request at a time, the mean latency cannot exceed N / rate.
  # A wrk mean above that bound means wrk's latency samples are not the server's (see docs/benchmarks.md).
  record "$name" "$scenario" "$variant" "$conns" little_bound_ms "$(awk -v n="$conns" -v r="$rps" 'BEGIN {printf "%.3f", (r>0)?1000*n/r:0}')" ms "$status"
  record "$name" "$scenario" "$variant" "$conns" errors "$errors" count "$status"
  record "$name" "$scenario" "$variant" "$conns" server_cpu "$cpu_s" s "$status"
  record "$name" "$scenario" "$variant" "$conns" rps_per_server_cpu \
    "$(awk -v r="$requests" -v c="$cpu_s" 'BEGIN {printf "%.0f", (c>0)?r/c:0}')" req/cpu-s "$status"
  record "$name" "$scenario" "$variant" "$conns" busy_server_core "$busy_server" pct "$status"
  record "$name" "$scenario" "$variant" "$conns" busy_load_core "$busy_load" pct "$status"
  if [ -n "$tcp" ]; then
    for k in listen_overflows syn_retransmits retransmitted_segments; do
      record "$name" "$scenario" "$variant" "$conns" "$k" "$(value "$k" "$tcp")" count "$status"
    done
  fi
  log "$name s$scenario $variant c$conns: $rps req/s, p99 $(value p99_us "$line") us, errors $errors, server cpu ${cpu_s}s${tcp:+, $tcp}"
}

# The kernel's TCP counters over one measured run (nstat, from iproute2; machine-wide, so only meaningful while nothing
# else talks TCP). A connect burst that overflows a server's accept queue shows here before it shows in wrk: dropped
# handshakes are retransmitted after 1 s and 3 s, and the requests they carry wait that long before any server sees
# them, so a p99 of seconds at many connections may measure the listen backlog, not the service of requests.
tcp_counters_reset() { command -v nstat > /dev/null && nstat -n > /dev/null 2>&1 || true; }
tcp_counters() {
  command -v nstat > /dev/null || return 0
  nstat -z TcpExtListenOverflows TcpExtTCPSynRetrans TcpRetransSegs 2> /dev/null | awk '
    $1 == "TcpExtListenOverflows" { o = $2 } $1 == "TcpExtTCPSynRetrans" { s = $2 } $1 == "TcpRetransSegs" { r = $2 }
    END { if (o != "") printf "listen_overflows=%d syn_retransmits=%d retransmitted_segments=%d", o, s, r }'
}

# run_loadgen CONTENDER SCENARIO VARIANT CONNECTIONS ARGS... (loadgen prints RESULT key=value ...)
run_loadgen() {
  local name="$1" scenario="$2" variant="$3" conns="$4"; shift 4
  local before ticks0 out
  before="$(cpu_snapshot)"; ticks0="$(proc_cpu_ticks "$SERVER_PID")"
  out="$(loadgen "$@" 2>&1)" || true
  read -r busy_server busy_load <<< "$(cpu_busy "$before" "$(cpu_snapshot)")"
  local cpu_s; cpu_s="$(awk -v a="$ticks0" -v b="$(proc_cpu_ticks "$SERVER_PID")" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", (b-a)/hz}')"
  echo "$out" > "$OUT/logs/$name-s$scenario-$variant-c$conns.loadgen.txt"
  local line; line="$(grep '^RESULT' <<< "$out" || true)"
  # The client's own reading covers the measured window only (not its warm-up): prefer it.
  [ -z "$(value server_cpu_s "$line")" ] || cpu_s="$(value server_cpu_s "$line")"
  if [ -z "$line" ]; then
    record "$name" "$scenario" "$variant" "$conns" rps 0 req/s failed "loadgen: $(tail -n 1 <<< "$out")"
    return
  fi
  local rps; rps="$(value rps "$line")"; [ -n "$rps" ] || rps="$(value achieved_rps "$line")"
  local requests errors status=ok note=""
  requests="$(value requests "$line")"; errors="$(value errors "$line")"
  if [ "${requests:-0}" -gt 0 ] && [ $(( ${errors:-0} * 100 )) -gt "$requests" ]; then status=failed; note="$errors errors"; fi
  [ "$(value timed_out "$line")" = true ] && { status=failed; note="did not finish"; }
  record "$name" "$scenario" "$variant" "$conns" rps "$rps" req/s "$status" "$note"
  for q in p50 p90 p99 p999 max; do
    record "$name" "$scenario" "$variant" "$conns" "${q}_ms" "$(awk -v u="$(value ${q}_us "$line")" 'BEGIN {printf "%.3f", u/1000}')" ms "$status"
  done
  record "$name" "$scenario" "$variant" "$conns" errors "${errors:-0}" count "$status"
  record "$name" "$scenario" "$variant" "$conns" server_cpu "$cpu_s" s "$status"
  record "$name" "$scenario" "$variant" "$conns" rps_per_server_cpu \
    "$(awk -v r="${requests:-0}" -v c="$cpu_s" 'BEGIN {printf "%.0f", (c>0)?r/c:0}')" req/cpu-s "$status"
  record "$name" "$scenario" "$variant" "$conns" busy_server_core "$busy_server" pct "$status"
  record "$name" "$scenario" "$variant" "$conns" busy_load_core "$busy_load" pct "$status"
  log "$name s$scenario $variant c$conns: $rps req/s, p99 $(value p99_us "$line") us, errors ${errors:-0}"
}

# Load right after a launch so that every measurement sees a JIT-compiled server: GET, then POST.
warm_launch() {
  log "$1: warming up for $LAUNCH_WARMUP s"
  (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"$(( LAUNCH_WARMUP * 3 / 4 ))s" -s get.lua "$URL/json" \
    && taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"$(( LAUNCH_WARMUP / 4 ))s" -s post-echo.lua "$URL/echo") > /dev/null 2>&1 || true
}

# warm_endpoint CONNECTIONS SCRIPT PATH: three quarters of a launch warm-up of load on an endpoint the launch's warm-up
# did not touch, before a sweep's first point on it. Switching endpoints makes HotSpot recompile (another message
# converter: the type profiles change): by hand on one core, 18-24 s of load passed before GET /bytes/100 ran at its
# steady rate after GET /json, and GET /json dropped to a third for a while after it.
warm_endpoint() {
  (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c"$1" -d"$(( LAUNCH_WARMUP * 3 / 4 ))s" -s "$2" "$URL$3") \
    > /dev/null 2>&1 || true
}

memory_probe() { loadgen memory "$SERVER_PID" 2> /dev/null | grep '^RESULT' || true; }

# Scenario 5: memory per idle keep-alive connection. A fresh server, warmed briefly; the first probe loads its JMX
# agent before the baseline; then IDLE_CONNECTIONS connections each make one request and stay open.
# run_idle CONTENDER VARIANT [SCENARIO LOADGEN_MODE PATH]: scenario 10 holds idle WebSocket sessions the same way
# (loadgen ws-idle on /ws/echo, one echo each).
run_idle() {
  local name="$1" variant="$2" scheme="${URL%%://*}" scenario="${3:-5}" mode="${4:-idle}" path="${5:-/json}"
  (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c16 -d"${WARMUP}s" -s get.lua "$URL/json" > /dev/null 2>&1) || true
  memory_probe > /dev/null; sleep 1
  local base_probe base_rss
  base_probe="$(memory_probe)"; base_rss="$(rss_kib "$SERVER_PID")"
  local ready="$OUT/logs/$name-$variant.idle-ready"; rm -f "$ready"
  local client_log="$OUT/logs/$name-s$scenario-$variant.loadgen.txt"
  loadgen "$mode" "$URL$path" "$IDLE_CONNECTIONS" "$IDLE_HOLD" "$ready" > "$client_log" 2>&1 &
  local client=$!
  for _ in $(seq 1 1800); do [ -f "$ready" ] || ! kill -0 "$client" 2> /dev/null && break; sleep 0.1; done
  local open; open="$(value open "$(cat "$ready" 2> /dev/null)")"
  sleep 2
  local probe rss; probe="$(memory_probe)"; rss="$(rss_kib "$SERVER_PID")"
  wait "$client" 2> /dev/null || true
  local result; result="$(grep '^RESULT' "$client_log" || true)"
  local still; still="$(value still_open "$result")"
  if [ -z "$open" ] || [ "${open:-0}" -lt $(( IDLE_CONNECTIONS * 95 / 100 )) ] || [ -z "$probe" ]; then
    record "$name" "$scenario" "$variant" "$IDLE_CONNECTIONS" rss_per_connection 0 KiB failed \
      "opened ${open:-0} of $IDLE_CONNECTIONS; $(tail -n 1 "$client_log")"
    log "$name s$scenario $variant: failed (opened ${open:-0})"
    return
  fi
  local status=ok note=""
  if [ "${still:-0}" -lt "$open" ]; then status=failed; note="server closed $(( open - still )) idle connections during the hold"; fi
  local heap0 heap1 direct0 direct1
  heap0="$(value heap_used "$base_probe")"; heap1="$(value heap_used "$probe")"
  direct0="$(value direct_used "$base_probe")"; direct1="$(value direct_used "$probe")"
  local per_rss per_heap per_direct
  per_rss="$(awk -v a="$base_rss" -v b="$rss" -v n="$open" 'BEGIN {printf "%.2f", (b-a)/n}')"
  per_heap="$(awk -v a="$heap0" -v b="$heap1" -v n="$open" 'BEGIN {printf "%.2f", (b-a)/1024/n}')"
  per_direct="$(awk -v a="$direct0" -v b="$direct1" -v n="$open" 'BEGIN {printf "%.2f", (b-a)/1024/n}')"
  record "$name" "$scenario" "$variant" "$open" rss_per_connection "$per_rss" KiB "$status" "$note"
  record "$name" "$scenario" "$variant" "$open" heap_per_connection "$per_heap" KiB "$status" "$note"
  record "$name" "$scenario" "$variant" "$open" direct_per_connection "$per_direct" KiB "$status" "$note"
  record "$name" "$scenario" "$variant" "$open" total_per_connection \
    "$(awk -v r="$per_rss" -v h="$per_heap" 'BEGIN {printf "%.2f", r+h}')" KiB "$status" "$note"
  record "$name" "$scenario" "$variant" "$open" rss_with_connections "$(( rss / 1024 ))" MiB "$status"
  record "$name" "$scenario" "$variant" "$open" rss_baseline "$(( base_rss / 1024 ))" MiB "$status"
  log "$name s$scenario $variant: $open idle connections: RSS +$per_rss KiB, heap +$per_heap KiB, direct +$per_direct KiB each"
}

# ------------------------------------------------------------------------------------- scenario 9: a real application
# The clinic application (bench/petclinic-common) from its executable jar: server-rendered pages (Thymeleaf, the
# resource chain rewriting every link, JPA on H2), a form post, JSON and a static file, each measured alone at
# APP_CONNECTIONS connections after a mixed warm-up. Before measuring, every page must answer as expected, with a body
# like the first contender's.
APP_CONNECTIONS=16
APP_FORM="firstName=Pat&lastName=Zimmer&address=1+Lake+St.&city=Madison&telephone=6085550101"
declare -A APP_REFERENCE=()   # page -> the body file of the first contender that answered it
# check_app_page CONTENDER PAGE EXPECTED_STATUS CURL_ARGS... -> 0 when the page answers EXPECTED_STATUS with a body
# identical to the first contender's, or within 2% of its length (headers and bodies may differ in what a page leaves
# to the server, but not in the page)
check_app_page() {
  local name="$1" page="$2" expected="$3"; shift 3
  local body="$OUT/logs/$name-s9-$page.body" answer status location
  answer="$(taskset -c "$LOAD_CPU" curl -s -o "$body" -w '%{http_code} %{redirect_url}' "$@")" || answer="000"
  read -r status location <<< "$answer"
  local bytes; bytes="$(stat -c %s "$body" 2> /dev/null || echo 0)"
  record "$name" 9 "$page" "$APP_CONNECTIONS" body_bytes "$bytes" bytes
  if [ "$status" != "$expected" ]; then
    log "$name s9 $page: answered $status, expected $expected; not measured"
    record "$name" 9 "$page" "$APP_CONNECTIONS" rps 0 req/s failed "answered $status instead of $expected"
    return 1
  fi
  if [ "$expected" = 302 ] && [[ "$location" != */owners/101 ]]; then
    log "$name s9 $page: redirected to '$location', expected .../owners/101; not measured"
    record "$name" 9 "$page" "$APP_CONNECTIONS" rps 0 req/s failed "redirected to $location"
    return 1
  fi
  local ref="${APP_REFERENCE[$page]:-}"
  if [ -z "$ref" ]; then APP_REFERENCE[$page]="$body"; return 0; fi
  cmp -s "$ref" "$body" && return 0
  local ref_bytes; ref_bytes="$(stat -c %s "$ref")"
  if [ $(( (bytes - ref_bytes) * (bytes - ref_bytes) * 2500 )) -le $(( ref_bytes * ref_bytes )) ]; then
    log "$name s9 $page: body differs from the first contender's: $bytes vs $ref_bytes bytes (within 2%)"
    return 0
  fi
  log "$name s9 $page: body of $bytes bytes, the first contender's had $ref_bytes; not measured"
  record "$name" 9 "$page" "$APP_CONNECTIONS" rps 0 req/s failed "body of $bytes bytes, first contender's $ref_bytes"
  return 1
}

run_app() {
  local name="$1"
  declare -A page_ok=()
  check_app_page "$name" vets 200 "$URL/vets.html" && page_ok[vets]=1
  # The stylesheet as the pages link it: content-versioned by the resource chain (ResourceUrlEncodingFilter).
  local css; css="$(grep -o -m1 '/css/petclinic-[0-9a-f]*\.css' "$OUT/logs/$name-s9-vets.body" | head -n 1 || true)"
  if [ -z "$css" ]; then
    log "$name s9: the vets page links no versioned stylesheet: the resource chain is not rewriting links"
    css=/css/petclinic.css
  fi
  record "$name" 9 static "$APP_CONNECTIONS" path 0 none ok "$css"
  check_app_page "$name" owners 200 "$URL/owners" && page_ok[owners]=1
  check_app_page "$name" owner 200 "$URL/owners/1" && page_ok[owner]=1
  check_app_page "$name" json 200 "$URL/api/vets" && page_ok[json]=1
  check_app_page "$name" static 200 "$URL$css" && page_ok[static]=1
  check_app_page "$name" post 302 -X POST -d "$APP_FORM" "$URL/owners/101/edit" && page_ok[post]=1
  # The owner page keeps "recently viewed" in the session: its load carries one session's cookie, as a browser would.
  local cookie
  cookie="$(taskset -c "$LOAD_CPU" curl -s -D - -o /dev/null "$URL/owners/1" | tr -d '\r' \
    | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -n 1)"
  [ -n "$cookie" ] || log "$name s9: the owner page set no session cookie"
  log "$name: warming up for $LAUNCH_WARMUP s (every page in turn, $APP_CONNECTIONS connections)"
  (cd "$BENCH_DIR/wrk" && CSS_PATH="$css" COOKIE="$cookie" taskset -c "$LOAD_CPU" \
    wrk -t1 -c"$APP_CONNECTIONS" -d"${LAUNCH_WARMUP}s" -s petclinic-mix.lua "$URL" > /dev/null 2>&1) || true
  # The form post last: each one leaves a session (with its flash message) behind.
  local page script path
  for page in vets owners owner json static post; do
    [ -n "${page_ok[$page]:-}" ] || continue
    script=petclinic-page.lua
    case "$page" in
      vets) path=/vets.html ;;
      owners) path=/owners ;;
      owner) path=/owners/1 ;;
      json) path=/api/vets ;;
      static) path="$css" ;;
      post) path=/owners/101/edit; script=petclinic-post.lua ;;
    esac
    if [ "$page" = owner ]; then export COOKIE="$cookie"; else export COOKIE=""; fi
    WARMUP="$APP_PAGE_WARMUP" run_wrk "$name" 9 "$page" "$APP_CONNECTIONS" "$script" "$path"
  done
  export COOKIE=""
}

# ------------------------------------------------------------------------------------ scenario 8: HTTP/2 with h2load
# Issue 14's shape: 64 connections x 10 concurrent streams, GET /json and POST of scenario 4's 16 KiB JSON document to
# /echo; over h2 (TLS, ALPN) and h2c (prior knowledge), server.http2.enabled=true on every contender. h2load's summary
# has mean and max latency only: p50/p90/p99 come from its per-request log (--log-file), read by report.py.
H2_CONNECTIONS=64; H2_STREAMS=10
# Scenario 8 only, per contender. Tomcat gives a connection's window back only as its threads read the request bodies,
# so with fewer threads than streams in flight (200 against 64 x 10) the bodies of streams still waiting for a thread
# hold the whole connection window, the threads that do run wait for body bytes the client may not send, and after
# Tomcat's stream read timeout (20 s) it resets them: every POST run failed or hung. One thread per stream in flight
# ends that. (Its small-DATA-frame overhead count is turned off in the mvc-tomcat module, see TomcatHttp2Settings.)
# The hybrid server needs nothing: its connection window covers every stream window (docs/http2.md), and its request
# queue (1,024) holds 640 streams. Jetty and Reactor Netty need nothing either.
declare -A H2_PROPS=(
  [mvc-tomcat]="--server.tomcat.threads.max=$(( H2_CONNECTIONS * H2_STREAMS + 60 ))"
)
H2_BODY="$BENCH_DIR/target/h2-post-16k.json"
mkdir -p "$BENCH_DIR/target"
# The same 16,384 bytes as post-echo.lua sends.
"$PYTHON" -c 'import sys; f = "0123456789abcdef" * 1023; sys.stdout.write("{\"data\":\"" + f + "x" * (16384 - 12 - len(f)) + "\"}\n")' \
  > "$H2_BODY"

# h2_probe URL -> 0 when the server answers GET /json over HTTP/2 (ALPN h2 on https, prior knowledge on http)
h2_probe() {
  local flag=--http2-prior-knowledge; [[ "$1" == https:* ]] && flag=--http2
  [ "$(taskset -c "$LOAD_CPU" curl -sk "$flag" -o /dev/null -w '%{http_version}' "$1/json" 2> /dev/null)" = 2 ]
}

# to_ms "1.23ms" -> 1.230 (h2load prints us, ms or s)
to_ms() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[0-9]s$/) v *= 1000; printf "%.3f", v }'; }

# run_h2load CONTENDER VARIANT PATH [h2load options...]
run_h2load() {
  local name="$1" variant="$2" path="$3"; shift 3
  # h2load waits for every stream it started; on a loaded machine some runs never ended (Tomcat's POST, once our
  # WebFlux GET warm-up), so each run is bounded and one that overruns is recorded as failed.
  local limit=$(( DURATION + 60 ))
  local h2_cmd=(timeout -k 5 "$limit" taskset -c "$LOAD_CPU" h2load -t 1 -c "$H2_CONNECTIONS" -m "$H2_STREAMS" "$@" "$URL$path")
  "${h2_cmd[@]}" -D "$WARMUP" > /dev/null 2>&1 || true
  local before ticks0 out
  before="$(cpu_snapshot)"; ticks0="$(proc_cpu_ticks "$SERVER_PID")"
  # Each request's latency goes to a log (h2load's summary has only mean and max): p50/p99 are computed from it.
  local latency_log="$OUT/logs/$name-s8-$variant-c$H2_CONNECTIONS.h2load-requests.tsv"
  out="$("${h2_cmd[@]}" -D "$DURATION" --log-file="$latency_log" 2>&1)" || true
  read -r busy_server busy_load <<< "$(cpu_busy "$before" "$(cpu_snapshot)")"
  local cpu_s; cpu_s="$(awk -v a="$ticks0" -v b="$(proc_cpu_ticks "$SERVER_PID")" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", (b-a)/hz}')"
  local conns="$H2_CONNECTIONS"
  echo "$out" > "$OUT/logs/$name-s8-$variant-c$conns.h2load.txt"
  # finished in 15.00s, 1234.50 req/s, 1.23MB/s
  local rps; rps="$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' <<< "$out")"
  # requests: N total, N started, N done, N succeeded, N failed, N errored, N timeout
  local counts; counts="$(grep '^requests:' <<< "$out" || true)"
  if [ -z "$rps" ] || [ -z "$counts" ] || ! kill -0 "$SERVER_PID" 2> /dev/null; then
    local why; why="$(tail -n 2 <<< "$out")"; [ -n "$why" ] || why="did not finish within $limit s"
    record "$name" 8 "$variant" "$conns" rps 0 req/s failed "h2load: $why"
    log "$name s8 $variant: failed"
    return
  fi
  local done succeeded errors not2xx
  read -r done succeeded errors <<< "$(awk '{print $6, $8, $10 + $12 + $14}' <<< "$counts")"
  # status codes: N 2xx, N 3xx, N 4xx, N 5xx (counted as answers arrive, so not always equal to done)
  not2xx="$(awk '/^status codes:/ {print $5 + $7 + $9}' <<< "$out")"; not2xx="${not2xx:-0}"
  local status=ok note=""
  if [ "$done" -eq 0 ] || [ $(( (errors + not2xx) * 100 )) -gt "$done" ]; then
    status=failed; note="$errors failed or errored, $not2xx not 2xx of $done"
  fi
  record "$name" 8 "$variant" "$conns" rps "$(awk -v r="$rps" 'BEGIN {printf "%.0f", r}')" req/s "$status" "$note"
  # time for request:  min  max  mean  sd  +/- sd
  local times; times="$(grep '^time for request:' <<< "$out" || true)"
  local latency; latency="$("$PYTHON" "$BENCH_DIR/report.py" --h2load-latency "$latency_log" 2> /dev/null || true)"
  for q in p50 p90 p99; do
    [ -z "$(value ${q}_ms "$latency")" ] || record "$name" 8 "$variant" "$conns" "${q}_ms" "$(value ${q}_ms "$latency")" ms "$status"
  done
  # The log is large (a line per request) and its percentiles are recorded: keep it compressed.
  [ -f "$latency_log" ] && gzip -f "$latency_log"
  record "$name" 8 "$variant" "$conns" mean_ms "$(to_ms "$(awk '{print $6}' <<< "$times")")" ms "$status"
  record "$name" 8 "$variant" "$conns" max_ms "$(to_ms "$(awk '{print $5}' <<< "$times")")" ms "$status"
  record "$name" 8 "$variant" "$conns" requests "$done" count "$status"
  record "$name" 8 "$variant" "$conns" errors "$(( errors + not2xx ))" count "$status"
  record "$name" 8 "$variant" "$conns" server_cpu "$cpu_s" s "$status"
  record "$name" 8 "$variant" "$conns" rps_per_server_cpu \
    "$(awk -v r="$done" -v c="$cpu_s" 'BEGIN {printf "%.0f", (c>0)?r/c:0}')" req/cpu-s "$status"
  record "$name" 8 "$variant" "$conns" busy_server_core "$busy_server" pct "$status"
  record "$name" 8 "$variant" "$conns" busy_load_core "$busy_load" pct "$status"
  log "$name s8 $variant: $rps req/s, p99 $(value p99_ms "$latency") ms, $done done, $errors failed, $not2xx not 2xx, server cpu ${cpu_s}s"
}

run_h2() {
  local name="$1" launch variant
  for launch in tls plain; do
    variant=h2; [ "$launch" = plain ] && variant=h2c
    EXTRA_PROPS="--server.http2.enabled=true ${H2_PROPS[$name]:-}"
    if start_server "$name" "$launch" h2; then
      if h2_probe "$URL"; then
        warm_launch "$name"
        run_h2load "$name" "$variant-get" /json
        run_h2load "$name" "$variant-post16k" /echo -d "$H2_BODY" -H 'content-type: application/json'
      else
        for v in get post16k; do
          unavailable "$name" 8 "$variant-$v" "$H2_CONNECTIONS" "answers HTTP/1.1 only: no $variant in this contender's build"
        done
      fi
      stop_server
    else
      for v in get post16k; do unavailable "$name" 8 "$variant-$v" "$H2_CONNECTIONS" "server did not start"; done
    fi
    EXTRA_PROPS=""
  done
}

# ------------------------------------------------------------------------------------------ scenario 10: WebSocket
# Issue 15's shape: echo of a WS_MESSAGE_BYTES text message, closed loop, WS_CONNECTIONS sessions (loadgen ws-echo:
# messages/s and round-trip percentiles), on a fresh plaintext launch warmed by the same load; then, on another fresh
# launch, IDLE_CONNECTIONS idle WebSocket sessions and what they cost (RSS, live heap), as scenario 5 measures HTTP.
WS_CONNECTIONS=64; WS_MESSAGE_BYTES=128
# Contenders whose application has /ws/echo: the servlet ones through Spring WebSocket on their Jakarta WebSocket
# container, the WebFlux ones through WebFlux's WebSocketService.
has_websocket() { [[ "$1" == mvc-* || "$1" == webflux-* ]]; }

run_websocket() {
  local name="$1"
  if start_server "$name" plain ws; then
    log "$name s10: echo, $WS_CONNECTIONS sessions, $WS_MESSAGE_BYTES-byte messages (the first $LAUNCH_WARMUP s warm up)"
    run_loadgen "$name" 10 "echo-${WS_MESSAGE_BYTES}b" "$WS_CONNECTIONS" ws-echo "$URL/ws/echo" "$WS_CONNECTIONS" \
      "$WS_MESSAGE_BYTES" "$(( LAUNCH_WARMUP + WARMUP ))" "$DURATION"
    local line failed
    line="$(grep '^RESULT' "$OUT/logs/$name-s10-echo-${WS_MESSAGE_BYTES}b-c$WS_CONNECTIONS.loadgen.txt" || true)"
    failed="$(value failed_connections "$line")"
    if [ -n "$line" ] && [ "${failed:-0}" -gt 0 ]; then
      record "$name" 10 "echo-${WS_MESSAGE_BYTES}b" "$WS_CONNECTIONS" failed_connections "$failed" count failed \
        "$failed of $WS_CONNECTIONS sessions did not open"
    fi
    stop_server
  else
    unavailable "$name" 10 "echo-${WS_MESSAGE_BYTES}b" "$WS_CONNECTIONS" "server did not start"
  fi
  if start_server "$name" plain wsidle; then
    run_idle "$name" ws-idle 10 ws-idle /ws/echo
    stop_server
  else
    record "$name" 10 ws-idle 0 rss_per_connection 0 KiB unavailable "server did not start"
  fi
}

# ------------------------------------------------------------------------ scenarios 12-14: cost as work grows
# Throughput and p99 (wrk, closed loop, 1 thread, as scenarios 1-4) against one variable at a time, on one fresh
# plaintext launch per contender (SWEEP_SCHEME=tls: over HTTPS), warmed as every launch is:
#   12: connections, GET /json;  13: response size, GET /bytes/N at SIZE_CONNECTIONS;
#   14: request body size, POST /upload of N bytes at BODY_CONNECTIONS (the server reads the body as a stream and
#       answers its length, so the response stays small: wrk/upload.lua counts a wrong length as an error).
# Each list can be set in the environment (space-separated), e.g. SWEEP_CONNECTIONS="1 64" for a short run.
if [ "$QUICK" = 1 ]; then
  SWEEP_CONNECTIONS="${SWEEP_CONNECTIONS:-1 64 1024}"
  SWEEP_RESPONSE_BYTES="${SWEEP_RESPONSE_BYTES:-100 10240 1048576}"
  SWEEP_BODY_BYTES="${SWEEP_BODY_BYTES:-0 16384 1048576}"
  IDLE_STEPS="${IDLE_STEPS:-1000 5000}"
  WARMUP_RUN_SECONDS="${WARMUP_RUN_SECONDS:-30}"; WARMUP_SCHEMES="${WARMUP_SCHEMES:-plain}"; CLIENT_WARMUP=5
else
  SWEEP_CONNECTIONS="${SWEEP_CONNECTIONS:-1 16 64 256 1024 10000}"
  SWEEP_RESPONSE_BYTES="${SWEEP_RESPONSE_BYTES:-100 1024 10240 102400 1048576}"
  SWEEP_BODY_BYTES="${SWEEP_BODY_BYTES:-0 1024 16384 262144 1048576 16777216}"
  IDLE_STEPS="${IDLE_STEPS:-1000 5000 10000 20000 50000}"
  WARMUP_RUN_SECONDS="${WARMUP_RUN_SECONDS:-90}"; WARMUP_SCHEMES="${WARMUP_SCHEMES:-plain tls}"; CLIENT_WARMUP=10
fi
SIZE_CONNECTIONS=64; BODY_CONNECTIONS=16
LOADGEN_SWEEP_CONNECTIONS="${LOADGEN_SWEEP_CONNECTIONS:-256 1024}"
SWEEP_LAUNCH="${SWEEP_SCHEME:-plain}"

run_sweeps() {
  local name="$1" launch="$SWEEP_LAUNCH" c size s
  if ! start_server "$name" "$launch" sweep; then
    # One row per point, so that the sweep's table says why the contender's cells are empty.
    if has_scenario 12; then for c in $SWEEP_CONNECTIONS; do unavailable "$name" 12 "$launch-get" "$c" "server did not start"; done; fi
    if has_scenario 13; then
      for size in $SWEEP_RESPONSE_BYTES; do unavailable "$name" 13 "$launch-${size}b" "$SIZE_CONNECTIONS" "server did not start"; done
    fi
    if has_scenario 14; then
      for size in $SWEEP_BODY_BYTES; do unavailable "$name" 14 "$launch-${size}b" "$BODY_CONNECTIONS" "server did not start"; done
    fi
    return 0
  fi
  warm_launch "$name"
  if has_scenario 12; then
    for c in $SWEEP_CONNECTIONS; do
      if [ $(( c + 200 )) -gt "$FD_LIMIT" ]; then
        unavailable "$name" 12 "$launch-get" "$c" "needs $(( c + 200 )) file descriptors; ulimit -n is $FD_LIMIT"
        continue
      fi
      run_wrk "$name" 12 "$launch-get" "$c" get.lua /json
      # wrk's own tail at many connections breaks Little's law in some runs (its mean exceeds connections /
      # throughput), so these points are measured again by our closed-loop client, whose samples keep it.
      if [ "$launch" = plain ] && [[ " $LOADGEN_SWEEP_CONNECTIONS " == *" $c "* ]]; then
        run_loadgen "$name" 12 "$launch-get-loadgen" "$c" closed h1 "$URL/json" "$c" 1 "$WARMUP" "$DURATION"
      fi
    done
  fi
  if has_scenario 13; then
    # The launch was warmed on /json: the sweep's first point must not pay for the JIT's work on a new endpoint.
    warm_endpoint "$SIZE_CONNECTIONS" get.lua /bytes/1024
    for size in $SWEEP_RESPONSE_BYTES; do
      # The body must be the size asked for: wrk counts responses, not their bytes.
      local got; got="$(taskset -c "$LOAD_CPU" curl -sk -o /dev/null -w '%{http_code} %{size_download}' "$URL/bytes/$size" || true)"
      if [ "$got" != "200 $size" ]; then
        record "$name" 13 "$launch-${size}b" "$SIZE_CONNECTIONS" rps 0 req/s failed "GET /bytes/$size answered '$got'"
        continue
      fi
      run_wrk "$name" 13 "$launch-${size}b" "$SIZE_CONNECTIONS" get.lua "/bytes/$size"
    done
  fi
  if has_scenario 14; then
    BODY_BYTES=16384 warm_endpoint "$BODY_CONNECTIONS" upload.lua /upload
    for size in $SWEEP_BODY_BYTES; do
      export BODY_BYTES="$size"
      run_wrk "$name" 14 "$launch-${size}b" "$BODY_CONNECTIONS" upload.lua /upload
    done
    export BODY_BYTES=0
  fi
  stop_server
}

# ---------------------------------------------------------------------- scenario 15: memory against idle connections
# One fresh TLS launch (IDLE_SWEEP_SCHEME=plain for plaintext), then `loadgen idle-steps`: connections, each with one
# request, up to each of IDLE_STEPS in turn, held IDLE_HOLD seconds, then the server's RSS and live heap (after a full
# GC) measured at each step, as scenario 5 measures at one count. Past 20,000 the client spreads its connections over
# the source addresses 127.0.0.1, .2, ... (about 28,000 ephemeral ports per source address towards one port). A step
# needs a file descriptor per connection in the server and in the client: steps above the limit are recorded as
# unavailable. The tuned pass raises the connection caps of the servers that have one to 60,000 for this launch, and
# their idle timeouts to 900 s.
run_idle_sweep() {
  local name="$1" launch="${IDLE_SWEEP_SCHEME:-tls}" steps="" step top=0
  for step in $IDLE_STEPS; do
    if [ $(( step + 500 )) -gt "$FD_LIMIT" ]; then
      record "$name" 15 "$launch" "$step" rss_per_connection 0 KiB unavailable \
        "needs $(( step + 500 )) file descriptors per process; the limit here is $FD_LIMIT (raise the hard limit: limits.conf; or run as root with CAP_SYS_RESOURCE)"
    else
      steps="${steps:+$steps,}$step"; top="$step"
    fi
  done
  [ -n "$steps" ] || return 0
  local saved="${SERVER_PROPS[$name]}" props
  # Spring joins a property given twice into a list, so the caps are replaced, not added. The first step's
  # connections stay open through every later step: idle timeouts of 900 s outlast them all.
  props="${saved//max-connections=20000/max-connections=60000}"
  SERVER_PROPS[$name]="${props//=300s/=900s}"
  if ! start_server "$name" "$launch" idlesweep; then
    SERVER_PROPS[$name]="$saved"
    record "$name" 15 "$launch" 0 rss_per_connection 0 KiB unavailable "server did not start"
    return 0
  fi
  SERVER_PROPS[$name]="$saved"
  (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c16 -d"${WARMUP}s" -s get.lua "$URL/json" > /dev/null 2>&1) || true
  memory_probe > /dev/null; sleep 1
  local base_probe base_rss
  base_probe="$(memory_probe)"; base_rss="$(rss_kib "$SERVER_PID")"
  local heap0 direct0; heap0="$(value heap_used "$base_probe")"; direct0="$(value direct_used "$base_probe")"
  record "$name" 15 "$launch" 0 rss_with_connections "$(( base_rss / 1024 ))" MiB
  record "$name" 15 "$launch" 0 heap_live "$(awk -v h="${heap0:-0}" 'BEGIN {printf "%.1f", h/1048576}')" MiB
  local prefix="$OUT/logs/$name-s15-$launch.ready" client_log="$OUT/logs/$name-s15-$launch.loadgen.txt"
  rm -f "$prefix".*
  local heap="512m"; [ "$top" -gt 20000 ] && heap="2g"   # the client's TLS state for 50,000 connections
  LOADGEN_HEAP="$heap" loadgen idle-steps "$URL/json" "$steps" "$IDLE_HOLD" "$prefix" > "$client_log" 2>&1 &
  local client=$! stopped=""
  IFS=, read -r -a step_list <<< "$steps"
  for step in "${step_list[@]}"; do
    if [ -z "$stopped" ]; then
      for _ in $(seq 1 6000); do [ -f "$prefix.$step" ] || ! kill -0 "$client" 2> /dev/null && break; sleep 0.1; done
    fi
    if [ -n "$stopped" ] || [ ! -f "$prefix.$step" ]; then
      stopped=1
      record "$name" 15 "$launch" "$step" rss_per_connection 0 KiB failed "the client stopped before this step: $(tail -n 1 "$client_log")"
      continue
    fi
    local probe rss; probe="$(memory_probe)"; rss="$(rss_kib "$SERVER_PID")"
    local line open still; line="$(cat "$prefix.$step")"; open="$(value open "$line")"; still="$(value still_open "$line")"
    local status=ok note=""
    if [ -z "$probe" ] || [ "${open:-0}" -lt $(( step * 95 / 100 )) ]; then
      status=failed; note="opened ${open:-0} of $step; $(tail -n 1 "$client_log")"
    elif [ "${still:-0}" -lt "$open" ]; then
      status=failed; note="server closed $(( open - still )) idle connections during the hold"
    fi
    local heap1 direct1; heap1="$(value heap_used "$probe")"; direct1="$(value direct_used "$probe")"
    record "$name" 15 "$launch" "$step" open_connections "${open:-0}" count "$status" "$note"
    record "$name" 15 "$launch" "$step" rss_with_connections "$(( rss / 1024 ))" MiB "$status" "$note"
    record "$name" 15 "$launch" "$step" heap_live "$(awk -v h="${heap1:-0}" 'BEGIN {printf "%.1f", h/1048576}')" MiB "$status" "$note"
    record "$name" 15 "$launch" "$step" direct_used "$(awk -v h="${direct1:-0}" 'BEGIN {printf "%.1f", h/1048576}')" MiB "$status" "$note"
    if [ "${open:-0}" -gt 0 ]; then
      record "$name" 15 "$launch" "$step" rss_per_connection "$(awk -v a="$base_rss" -v b="$rss" -v n="$open" 'BEGIN {printf "%.2f", (b-a)/n}')" KiB "$status" "$note"
      record "$name" 15 "$launch" "$step" heap_per_connection "$(awk -v a="${heap0:-0}" -v b="${heap1:-0}" -v n="$open" 'BEGIN {printf "%.2f", (b-a)/1024/n}')" KiB "$status" "$note"
    fi
    log "$name s15 $launch: $step idle connections (${open:-0} open): RSS $(( rss / 1024 )) MiB (from $(( base_rss / 1024 ))), live heap $(awk -v h="${heap1:-0}" 'BEGIN {printf "%.0f", h/1048576}') MiB"
    touch "$prefix.$step.measured"
  done
  wait "$client" 2> /dev/null || true
  stop_server
}

# ------------------------------------------------------------------------------------ scenario 16: warm-up from launch
# Requests/s in WARMUP_WINDOW-second windows for the first WARMUP_RUN_SECONDS after launch, counted from the server's
# first answer, GET /json on WARMUP_CONNECTIONS keep-alive connections (plaintext, and TLS in the full run). wrk prints
# one number per run and would need a run per window, each opening its connections again with a gap between runs, so
# our client (`loadgen windows`) counts the windows. It warms its own JIT against a server of its own first (over TLS
# for a TLS run), so that the first windows measure the server, not the client; then the harness launches the server, the client polls every
# 10 ms, and its first 200 is time zero.
WARMUP_CONNECTIONS=64; WARMUP_WINDOW=5
run_warmup() {
  local name="$1" launch
  for launch in $WARMUP_SCHEMES; do
    local scheme=http; [ "$launch" = tls ] && scheme=https
    local ready="$OUT/logs/$name-s16-$launch.ready" client_log="$OUT/logs/$name-s16-$launch.loadgen.txt"
    if is_vt "$name" && [ "$JAVA_MAJOR" -lt 21 ] 2> /dev/null; then
      record "$name" 16 "$launch" "$WARMUP_CONNECTIONS" rps 0 req/s unavailable "virtual threads need Java 21+; this is Java $JAVA_MAJOR"
      continue
    fi
    rm -f "$ready"
    # Started directly rather than through loadgen(), so that $! is the client's JVM itself (taskset execs it) and
    # can be stopped if the server does not start. It starts before the server, so it reads no server CPU time.
    # It warms itself over TLS, with the harness's certificate, before a TLS run.
    taskset -c "$LOAD_CPU" "$JAVA" -Xmx512m -XX:+UseParallelGC "${NATIVE_ACCESS[@]}" -Dbench.tlsCertificate="$TLS_DIR/cert.pem" \
      -Dbench.tlsKey="$TLS_DIR/key.pem" -jar "$LOADGEN_JAR" windows "$scheme://127.0.0.1:$PORT/json" \
      "$WARMUP_CONNECTIONS" "$WARMUP_RUN_SECONDS" "$WARMUP_WINDOW" "$CLIENT_WARMUP" 240 "$ready" > "$client_log" 2>&1 &
    local client=$!
    for _ in $(seq 1 1200); do [ -f "$ready" ] || ! kill -0 "$client" 2> /dev/null && break; sleep 0.1; done
    if [ ! -f "$ready" ]; then
      record "$name" 16 "$launch" "$WARMUP_CONNECTIONS" rps 0 req/s failed "the client did not get ready: $(tail -n 1 "$client_log")"
      kill "$client" 2> /dev/null || true; wait "$client" 2> /dev/null || true
      continue
    fi
    if ! start_server "$name" "$launch" warmup; then
      kill "$client" 2> /dev/null || true; wait "$client" 2> /dev/null || true
      record "$name" 16 "$launch" "$WARMUP_CONNECTIONS" rps 0 req/s unavailable "server did not start"
      continue
    fi
    wait "$client" 2> /dev/null || true
    stop_server
    local result; result="$(grep '^RESULT' "$client_log" || true)"
    if [ -z "$result" ] || [ "$(value timed_out "$result")" = true ]; then
      record "$name" 16 "$launch" "$WARMUP_CONNECTIONS" rps 0 req/s failed "loadgen: $(tail -n 1 "$client_log")"
      continue
    fi
    local line start rps requests errors status note
    while read -r line; do
      start="$(value start_s "$line")"; rps="$(value rps "$line")"
      requests="$(value requests "$line")"; errors="$(value errors "$line")"
      status=ok; note=""
      if [ $(( ${errors:-0} * 100 )) -gt "${requests:-0}" ]; then status=failed; note="$errors errors"; fi
      record "$name" 16 "$launch-t$start" "$WARMUP_CONNECTIONS" rps "$rps" req/s "$status" "$note"
      for q in p50 p99; do
        record "$name" 16 "$launch-t$start" "$WARMUP_CONNECTIONS" "${q}_ms" \
          "$(awk -v u="$(value ${q}_us "$line")" 'BEGIN {printf "%.3f", u/1000}')" ms "$status"
      done
      record "$name" 16 "$launch-t$start" "$WARMUP_CONNECTIONS" errors "${errors:-0}" count "$status"
    done < <(grep '^WINDOW' "$client_log")
    # The mean over the whole run: what the defaults and virtual-thread tables compare for this scenario.
    record "$name" 16 "$launch" "$WARMUP_CONNECTIONS" rps \
      "$(awk -v r="$(value requests "$result")" -v s="$WARMUP_RUN_SECONDS" 'BEGIN {printf "%.0f", r/s}')" req/s
    record "$name" 16 "$launch" "$WARMUP_CONNECTIONS" reconnects "$(value reconnects "$result")" count
    record "$name" 16 "$launch" "$WARMUP_CONNECTIONS" requests "$(value requests "$result")" count
    log "$name s16 $launch: $(grep '^WINDOW' "$client_log" | sed -n 's/.* rps=\([0-9]*\).*/\1/p' | tr '\n' ' ')req/s per ${WARMUP_WINDOW} s window"
  done
}

# ------------------------------------------------------------------------ scenario 11: HTTP/3 against HTTP/2 and 1.1
# Issue 21's comparison: GET /json over HTTP/3 (QUIC), HTTP/2 (TLS, ALPN) and HTTP/1.1 (TLS) on one launch of the same
# server, with server.http2.enabled and server.hybrid.http3.enabled. One client for all three (loadgen closed: Netty
# on one event loop; h2load and wrk speak no QUIC, and mixing C and Java clients would compare the clients too), with
# the same requests in flight: H3_CONNECTIONS connections x H3_STREAMS streams over h2 and h3, that many HTTP/1.1
# keep-alive connections. Each protocol gets an unmeasured run first (the server compiles each protocol's code path
# when it first meets it), then the measured one; the order is h1, h2, h3, then once more h3, h2, h1, so that a trend
# in the machine's background load shows as a difference between the two rounds rather than favouring a protocol.
# Only the hybrid server serves HTTP/3 here (Jetty's needs its quiche-based QUIC connector and a native library that
# its Boot starter does not bring; Tomcat and Reactor Netty have none).
H3_CONNECTIONS=16; H3_STREAMS=8
has_http3() { [[ "$1" == mvc-hybrid || "$1" == webflux-hybrid || "$1" == webflux-hybrid-el ]]; }

run_h3() {
  local name="$1" protocol round conns
  EXTRA_PROPS="--server.http2.enabled=true --server.hybrid.http3.enabled=true"
  if start_server "$name" tls h3; then
    local log_file="$OUT/logs/$name-tls-h3.log"
    if ! grep -q "HTTP/3 started on UDP port" "$log_file"; then
      for protocol in h1 h2 h3; do unavailable "$name" 11 "$protocol-get" "$H3_CONNECTIONS" "no HTTP/3 listener in the log"; done
    else
      warm_launch "$name"
      for protocol in h1 h2 h3; do
        loadgen closed "$protocol" "$URL/json" "$H3_CONNECTIONS" "$H3_STREAMS" "$(( LAUNCH_WARMUP / 2 ))" 1 \
          > "$OUT/logs/$name-s11-$protocol-warmup.loadgen.txt" 2>&1 || true
      done
      for round in 1 2; do
        local order="h1 h2 h3"; [ "$round" = 2 ] && order="h3 h2 h1"
        for protocol in $order; do
          conns="$H3_CONNECTIONS"; [ "$protocol" = h1 ] && conns=$(( H3_CONNECTIONS * H3_STREAMS ))
          run_loadgen "$name" 11 "$protocol-get-r$round" "$conns" closed "$protocol" "$URL/json" \
            "$H3_CONNECTIONS" "$H3_STREAMS" "$WARMUP" "$DURATION"
        done
      done
    fi
    stop_server
  else
    for protocol in h1 h2 h3; do unavailable "$name" 11 "$protocol-get-r1" "$H3_CONNECTIONS" "server did not start"; done
  fi
  EXTRA_PROPS=""
}

# --------------------------------------------------------------------------------------------------------- the runs
IFS=, read -r -a CONTENDER_LIST <<< "$CONTENDERS"
for name in "${CONTENDER_LIST[@]}"; do
  [ -f "$(jar_of "$name")" ] || { echo "no such contender (or not built): $name" >&2; exit 2; }
done
log "results: $OUT"

# --limits both: every contender runs the chosen scenarios with run.sh's lifted limits, then again with each server's
# own defaults; the defaults pass's logs go to logs-defaults/. (The contender loop is left unindented inside it.)
for LIMITS in $LIMITS_LIST; do
if [ "$LIMITS" = defaults ] && [ "$LIMITS_LIST" != defaults ]; then mv "$OUT/logs" "$OUT/logs-tuned"; mkdir -p "$OUT/logs"; fi
log "limits: $LIMITS"
for name in "${CONTENDER_LIST[@]}"; do
  if is_app "$name"; then
    # Scenario 9 only: the real application, plaintext (the pages, not TLS, are what it measures).
    if has_scenario 9; then
      if start_server "$name" app; then
        run_app "$name"
        stop_server
      else
        unavailable "$name" 9 vets "$APP_CONNECTIONS" "server did not start"
      fi
    fi
    continue
  fi
  # Plaintext launch: startup (7), keep-alive GET (2), POST echo (4), open-loop latency (6).
  if has_scenario 2 || has_scenario 4 || has_scenario 6 || has_scenario 7; then
    if start_server "$name" plain; then
      warm_launch "$name"
      if has_scenario 2; then for c in 64 256; do run_wrk "$name" 2 plain "$c" get.lua /json; done; fi
      # After scenario 2's GETs the POST would be measured while HotSpot recompiles for it, as the sweeps' first
      # points were (see warm_endpoint).
      if has_scenario 4; then
        if has_scenario 2; then warm_endpoint 64 post-echo.lua /echo; fi
        run_wrk "$name" 4 plain 64 post-echo.lua /echo
      fi
      if has_scenario 6; then
        run_loadgen "$name" 6 "plain-${RATE}rps" "$RATE_CONNECTIONS" rate "$URL/json" "$RATE" "$RATE_CONNECTIONS" "$RATE_WARMUP" "$RATE_SECONDS"
      fi
      stop_server
    else
      for s in 2 4 6; do has_scenario $s && unavailable "$name" $s plain 0 "server did not start"; done
    fi
  fi
  # TLS launch: keep-alive GET (1), full handshake per request (3), and wrk's reconnects (3, resumed sessions).
  if has_scenario 1 || has_scenario 3; then
    if start_server "$name" tls; then
      warm_launch "$name"
      if has_scenario 1; then for c in 64 256; do run_wrk "$name" 1 tls "$c" get.lua /json; done; fi
      if has_scenario 3; then
        run_loadgen "$name" 3 full-handshake 32 handshake "$URL/json" 32 "$WARMUP" "$DURATION"
        run_wrk "$name" 3 wrk-close 32 close.lua /json
      fi
      stop_server
      if [ "$name" = bare-netty ]; then
        stats="$(grep -h 'bare-netty stats' "$OUT/logs/bare-netty-tls.log" | tail -n 1 || true)"
        [ -n "$stats" ] && log "bare-netty TLS session check: $stats"
        [ -n "$stats" ] && record bare-netty 3 session-check 0 resumed_handshakes "$(value resumed "$stats")" count ok "$stats"
      fi
    else
      has_scenario 1 && { unavailable "$name" 1 tls 64 "TLS not available"; unavailable "$name" 1 tls 256 "TLS not available"; }
      has_scenario 3 && unavailable "$name" 3 full-handshake 32 "TLS not available"
    fi
  fi
  # Scenario 5: idle connections, each on a fresh server: TLS (the goal) and plaintext.
  if has_scenario 5; then
    for launch in tls plain; do
      if start_server "$name" "$launch" idle; then
        run_idle "$name" "$launch"
        stop_server
      else
        record "$name" 5 "$launch" 0 rss_per_connection 0 KiB unavailable "server did not start ($launch)"
      fi
    done
  fi
  # Scenario 8: HTTP/2 (h2 and h2c), each on a fresh server with server.http2.enabled=true.
  if has_scenario 8; then
    if [ "$name" = bare-netty ]; then
      for v in h2-get h2-post16k h2c-get h2c-post16k; do
        unavailable "$name" 8 "$v" "$H2_CONNECTIONS" "the bare Netty server speaks HTTP/1.1 only"
      done
    else
      run_h2 "$name"
    fi
  fi
  # Scenario 11: HTTP/3 against HTTP/2 and HTTP/1.1 on one TLS launch of the hybrid server.
  if has_scenario 11; then
    if has_http3 "$name"; then
      run_h3 "$name"
    else
      unavailable "$name" 11 h3-get-r1 "$H3_CONNECTIONS" "no HTTP/3 in this contender's build"
    fi
  fi
  # Scenario 10: WebSocket echo and idle sessions, each on a fresh plaintext server.
  if has_scenario 10; then
    if has_websocket "$name"; then
      run_websocket "$name"
    else
      unavailable "$name" 10 "echo-${WS_MESSAGE_BYTES}b" "$WS_CONNECTIONS" "no WebSocket endpoint in this contender's build"
    fi
  fi

  # Scenarios 12-14 (issue 20): throughput and p99 against connections, response size, request body size.
  if has_scenario 12 || has_scenario 13 || has_scenario 14; then run_sweeps "$name"; fi
  # Scenario 15: memory against idle connections, in steps up to 50,000, on one fresh TLS launch.
  if has_scenario 15; then run_idle_sweep "$name"; fi
  # Scenario 16: requests/s in 5 s windows from the first answer after launch.
  if has_scenario 16; then run_warmup "$name"; fi
done
if [ "$LIMITS" = defaults ] && [ "$LIMITS_LIST" != defaults ]; then mv "$OUT/logs" "$OUT/logs-defaults"; mv "$OUT/logs-tuned" "$OUT/logs"; fi
done

# ----------------------------------------------------------------------------------------------------------- JMH
if [ "$JMH" = 1 ]; then
  if [ "$QUICK" = 1 ]; then jmh_args=(-f 1 -wi 2 -w 1s -i 3 -r 1s); else jmh_args=(-f 2 -wi 3 -w 2s -i 5 -r 2s); fi
  log "JMH: queue hand-off benchmarks (both cores: a producer and its consumers)"
  "$JAVA" -jar "$BENCH_DIR/jmh/target/bench-jmh.jar" "${jmh_args[@]}" -rf csv -rff "$OUT/jmh.csv" \
    'io.hybridserver.bench.jmh.*' > "$OUT/logs/jmh.txt" 2>&1 || log "JMH failed: see logs/jmh.txt"
fi

# ---------------------------------------------------------------------------------------------------------- report
log "writing report"
"$PYTHON" "$BENCH_DIR/report.py" "$OUT" || log "report failed"
log "done: $OUT/report.md"
