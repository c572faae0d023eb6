#!/usr/bin/env bash
# Profiles one contender under one load and reports what each request costs the server: CPU time, bytes allocated,
# context switches. Optionally records where the CPU (or allocation) goes with async-profiler. See bench/README.md.
#
#   bench/profile.sh CONTENDER LOAD [SECONDS]
#
# LOAD: tls64 | tls256 (HTTPS keep-alive GET /json, wrk), plain64 | plain256 (the same over HTTP), post64 (POST /echo
# of 16 KiB, plaintext, 64 connections), handshake (a new connection and full TLS handshake per request, loadgen, 32 at
# a time), upload16 (POST /upload of BODY_BYTES bytes, default 16 MiB, read as a stream, plaintext, 16 connections:
# scenario 14's load). For the real application of scenario 9 (petclinic-hybrid, petclinic-tomcat, petclinic-jetty), one page at
# 16 connections as run.sh measures it: vets16 | owners16 | owner16 | form16 | json16 | static16, after a warm-up of
# every page in turn (wrk/petclinic-mix.lua).
# Environment: JAR (default: the contender's jar), ASYNC_PROFILER (path to libasyncProfiler.so; unset: no profile),
# EVENT (async-profiler event: cpu, alloc, lock, wall; default cpu), WARMUP (seconds of load after start, default 40),
# PAGE_WARMUP (petclinic loads: seconds of the measured page alone after the mix, as run.sh's APP_PAGE_WARMUP; default
# 0), PORT (default 18443), OUT (default bench/results/profile-<timestamp>-<contender>-<load>), SERVER_CPU (0),
# LOAD_CPU (1).
#
# Prints one line: "PROFILE contender=... load=... requests=... server_cpu_s=... cpu_us_per_req=... cpu_us_per_req_without_jit=...
# jit_cpu_s=... alloc_bytes_per_req=...
# ctx_switches_per_req=... server_core_busy_pct=... workers_ran=...". OUT/threads.txt splits the window's CPU and
# context switches by thread (workers_ran: worker threads that got any CPU in the window). With ASYNC_PROFILER,
# OUT/collapsed.txt holds the stacks, one per
# line with the thread name first (flame-graph "collapsed" format). async-profiler is not a dependency of the project:
# fetch its jar from Maven Central (tools.profiler:async-profiler) into /tmp and unzip linux-x64/libasyncProfiler.so.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
NAME="${1:?usage: profile.sh CONTENDER LOAD [SECONDS]}"
LOAD="${2:?usage: profile.sh CONTENDER LOAD [SECONDS]}"
SECONDS_MEASURED="${3:-20}"
MODULE="${NAME%-el}"   # webflux-hybrid-el is webflux-hybrid's jar with handlers on the event loops
JAR="${JAR:-$BENCH_DIR/$MODULE/target/bench-$MODULE.jar}"
EVENT="${EVENT:-cpu}"
WARMUP="${WARMUP:-40}"
PAGE_WARMUP="${PAGE_WARMUP:-0}"
PORT="${PORT:-18443}"
SERVER_CPU="${SERVER_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
OUT="${OUT:-$BENCH_DIR/results/profile-$(date -u +%Y%m%dT%H%M%SZ)-$NAME-$LOAD}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JCMD="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
JFR="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
# The same flags as run.sh, so that a profile describes the benchmarked server.
JVM_FLAGS=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:+PerfDisableSharedMem ${EXTRA_JVM_FLAGS:-})
declare -A SERVER_PROPS=(
  [mvc-hybrid]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s"
  [webflux-hybrid]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s"
  [webflux-hybrid-el]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s --server.hybrid.reactive.dispatch=event-loop"
  [webflux-reactor-netty]="--server.netty.idle-timeout=300s"
  [mvc-tomcat]="--server.tomcat.max-keep-alive-requests=-1 --server.tomcat.max-connections=20000 --server.tomcat.keep-alive-timeout=300s"
  [petclinic-hybrid]="--server.hybrid.max-keep-alive-requests=0 --server.hybrid.max-connections=20000 --server.hybrid.keep-alive-timeout=300s"
  [petclinic-tomcat]="--server.tomcat.max-keep-alive-requests=-1 --server.tomcat.max-connections=20000 --server.tomcat.keep-alive-timeout=300s"
  [petclinic-jetty]="--server.jetty.connection-idle-timeout=300s"
)
[ -f "$JAR" ] || { echo "no jar $JAR: build with ./mvnw -o -q -B -Pbench -DskipTests -Dmaven.jar.forceCreation=true package" >&2; exit 2; }
mkdir -p "$OUT"

TLS_DIR="$BENCH_DIR/target/tls"
if [ ! -f "$TLS_DIR/key.pem" ]; then
  mkdir -p "$TLS_DIR"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" 2> /dev/null
fi
# PROPS replaces the contender's limits (for example to keep a default such as max-keep-alive-requests=100).
props="${PROPS-${SERVER_PROPS[$NAME]:-}}"
PROBE=/json
case "$LOAD" in
  plain64|plain256|post64|upload16) scheme=http ;;
  vets16|owners16|owner16|form16|json16|static16)
    [[ "$NAME" == petclinic-* ]] || { echo "$LOAD is a page of the petclinic contenders" >&2; exit 2; }
    scheme=http; PROBE=/api/vets ;;
  tls64|tls256|handshake) scheme=https; props="$props --server.ssl.enabled=true --server.ssl.certificate=file:$TLS_DIR/cert.pem --server.ssl.certificate-private-key=file:$TLS_DIR/key.pem" ;;
  *) echo "unknown load $LOAD" >&2; exit 2 ;;
esac
URL="$scheme://127.0.0.1:$PORT"

# JFR and async-profiler are loaded with the JVM, not attached to the warmed one: starting a recording or loading an agent
# later makes HotSpot deoptimise and recompile, and that recompilation then fills the measured window (C2 was half the
# samples). Allocation is read from the JFR events inside the window; async-profiler only starts sampling there.
PROFILING_FLAGS=(-XX:StartFlightRecording=name=profile,settings="$BENCH_DIR/profile.jfc")
[ -z "${ASYNC_PROFILER:-}" ] || PROFILING_FLAGS+=(-agentpath:"$ASYNC_PROFILER")
# shellcheck disable=SC2086
taskset -c "$SERVER_CPU" "$JAVA" "${JVM_FLAGS[@]}" "${PROFILING_FLAGS[@]}" -jar "$JAR" --server.port="$PORT" $props > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2> /dev/null || true' EXIT
for _ in $(seq 1 3600); do curl -skf -o /dev/null "$URL$PROBE" 2> /dev/null && break; sleep 0.05; done
if [ "$PROBE" = /api/vets ]; then
  # The versioned stylesheet link as the pages emit it, and a session cookie for the owner page (see run.sh).
  CSS_PATH="$(curl -s "$URL/vets.html" | grep -o -m1 '/css/petclinic-[0-9a-f]*\.css' | head -n 1 || true)"
  COOKIE="$(curl -s -D - -o /dev/null "$URL/owners/1" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | head -n 1)"
  export CSS_PATH COOKIE
fi

loadgen() {
  taskset -c "$LOAD_CPU" "$JAVA" -Xmx512m -XX:+UseParallelGC -Dbench.serverPid="$PID" -Dbench.clockTicks="$(getconf CLK_TCK)" \
    -jar "$BENCH_DIR/loadgen/target/bench-loadgen.jar" "$@"
}
app_path() {
  case "$LOAD" in
    vets16) echo /vets.html ;; owners16) echo /owners ;; owner16) echo /owners/1 ;; form16) echo /owners/101/edit ;;
    json16) echo /api/vets ;; static16) echo "$CSS_PATH" ;;
  esac
}
wrk_load() { # wrk_load CONNECTIONS SECONDS
  if [ "$PROBE" = /api/vets ]; then
    local script=petclinic-page.lua
    [ "$LOAD" = form16 ] && script=petclinic-post.lua
    # Only the owner page carries the session cookie, as in run.sh.
    (cd "$BENCH_DIR/wrk" && { [ "$LOAD" = owner16 ] || COOKIE=""; } && COOKIE="$COOKIE" taskset -c "$LOAD_CPU" \
      wrk -t1 -c"$1" -d"$2s" --timeout 10s -s "$script" "$URL$(app_path)")
  elif [ "$LOAD" = post64 ]; then
    (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c"$1" -d"$2s" --timeout 10s -s post-echo.lua "$URL/echo")
  elif [ "$LOAD" = upload16 ]; then
    (cd "$BENCH_DIR/wrk" && BODY_BYTES="${BODY_BYTES:-16777216}" taskset -c "$LOAD_CPU" \
      wrk -t1 -c"$1" -d"$2s" --timeout 10s -s upload.lua "$URL/upload")
  else
    (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c"$1" -d"$2s" --timeout 10s -s get.lua "$URL/json")
  fi
}
connections="${LOAD//[!0-9]/}"
if [ "$PROBE" = /api/vets ]; then
  (cd "$BENCH_DIR/wrk" && taskset -c "$LOAD_CPU" wrk -t1 -c16 -d"${WARMUP}s" -s petclinic-mix.lua "$URL" > /dev/null 2>&1) || true
else
  (wrk_load 64 "$WARMUP" > /dev/null 2>&1) || true
fi
[ "$LOAD" = handshake ] && { loadgen handshake "$URL/json" 32 20 1 > /dev/null 2>&1 || true; }
# The page alone before its window: switching from the mix to one page sets the JIT compiling again (run.sh gives each
# page 30 s); a long one (minutes) lets the compiler go idle, so that the window measures the steady state.
if [ "$PROBE" = /api/vets ] && [ "$PAGE_WARMUP" -gt 0 ]; then (wrk_load "$connections" "$PAGE_WARMUP" > /dev/null 2>&1) || true; fi

ticks() { awk '{print $14+$15}' "/proc/$PID/stat"; }
# The JIT compiler's threads apart: on one core they share it with the request threads, and how much of it they get
# depends on how many threads are runnable beside them (docs/benchmarks.md, scenario 9), not on the request's cost.
jit_ticks() {
  local t total=0 comm
  for t in /proc/"$PID"/task/*; do
    comm="$(cat "$t/comm" 2> /dev/null)" || continue
    case "$comm" in C1\ CompilerThre*|C2\ CompilerThre*) total=$((total + $(awk '{print $14+$15}' "$t/stat" 2> /dev/null || echo 0))) ;; esac
  done
  echo "$total"
}
switches() { cat /proc/"$PID"/task/*/status 2> /dev/null | awk '/ctxt_switches/ {s+=$2} END {print s}'; }
core() { grep "^cpu$SERVER_CPU " /proc/stat; }
# Per thread: id, CPU ticks, voluntary and involuntary context switches, name (which worker ran the requests, and who
# woke whom: on one core every switch is a thread giving the CPU to another).
per_thread() {
  local t
  for t in /proc/"$PID"/task/*; do
    awk -v id="${t##*/}" -v name="$(cat "$t/comm" 2> /dev/null)" -v ticks="$(awk '{print $14+$15}' "$t/stat" 2> /dev/null)" \
      '/^voluntary_ctxt_switches/ {v=$2} /^nonvoluntary_ctxt_switches/ {n=$2} END {if (ticks != "") print id, ticks, v, n, name}' \
      "$t/status" 2> /dev/null || true
  done
}
[ -z "${ASYNC_PROFILER:-}" ] || "$JCMD" "$PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=$EVENT,threads\"" > /dev/null
per_thread > "$OUT/threads-before.txt"
t0="$(ticks)"; j0="$(jit_ticks)"; s0="$(switches)"; c0="$(core)"; w0="$(date +%s%N)"
if [ "$LOAD" = handshake ]; then loadgen handshake "$URL/json" 32 0 "$SECONDS_MEASURED" > "$OUT/load.txt" 2>&1
else wrk_load "$connections" "$SECONDS_MEASURED" > "$OUT/load.txt" 2>&1; fi
t1="$(ticks)"; j1="$(jit_ticks)"; s1="$(switches)"; c1="$(core)"; w1="$(date +%s%N)"
per_thread > "$OUT/threads-after.txt"
[ -z "${ASYNC_PROFILER:-}" ] || "$JCMD" "$PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$OUT/collapsed.txt,collapsed\"" > /dev/null
"$JCMD" "$PID" JFR.dump name=profile filename="$OUT/profile.jfr" > /dev/null
# Linux keeps 15 characters of a thread's name (Tomcat's are all "http-nio-PORT-"): the JVM's names by native id.
"$JCMD" "$PID" Thread.print 2> /dev/null | sed -n 's/^"\([^"]*\)".* nid=\(0x[0-9a-f]*\) .*/\2 \1/p' > "$OUT/thread-names.txt" || true
kill "$PID"; wait "$PID" 2> /dev/null || true

requests="$(sed -n 's/.*\brequests=\([0-9]*\).*/\1/p' "$OUT/load.txt" | head -n 1)"
[ -n "$requests" ] || { tail -n 5 "$OUT/load.txt" >&2; exit 1; }
# Bytes allocated: JFR's per-thread running totals (sampled each second), last sample inside the measured window minus
# the first, summed over threads, and scaled from the span between those samples to the whole window.
allocated="$("$JFR" print --json --events jdk.ThreadAllocationStatistics "$OUT/profile.jfr" | python3 -c '
import datetime, json, sys
w0, w1 = int(sys.argv[1]), int(sys.argv[2])
def nanos(text):  # JFR prints e.g. 2026-12-01T11:30:00.123456789Z; keep microseconds for datetime
    head, _, frac = text.rstrip("Z").partition(".")
    when = datetime.datetime.fromisoformat(head).replace(tzinfo=datetime.timezone.utc)
    return int(when.timestamp()) * 10**9 + int((frac + "000000000")[:9])
first, last = {}, {}
for event in json.load(sys.stdin)["recording"]["events"]:
    at = nanos(event["values"]["startTime"])
    if event["values"]["thread"] is None or not w0 <= at <= w1:
        continue
    thread = event["values"]["thread"]["javaThreadId"]
    first.setdefault(thread, (at, event["values"]["allocated"]))
    last[thread] = (at, event["values"]["allocated"])
spans = [last[t][0] - first[t][0] for t in last if last[t][0] > first[t][0]]
scale = (w1 - w0) / max(spans) if spans else 1
print(int(scale * sum(last[t][1] - first[t][1] for t in last)))' "$w0" "$w1")"
# The window per thread, busiest first: CPU ms and switches per request (threads that started in the window count from 0).
workers_ran="$(python3 - "$OUT" "$requests" "$(getconf CLK_TCK)" <<'PY'
import sys
out, requests, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def read(name):
    rows = {}
    for line in open(f"{out}/{name}"):
        tid, ticks, vol, invol, comm = (line.rstrip("\n").split(" ", 4) + [""])[:5]
        rows[tid] = (int(ticks), int(vol or 0), int(invol or 0), comm)
    return rows
before, after = read("threads-before.txt"), read("threads-after.txt")
names = {}
for line in open(f"{out}/thread-names.txt"):
    nid, _, name = line.rstrip("\n").partition(" ")
    names[str(int(nid, 16))] = name
rows = []
for tid, (ticks, vol, invol, comm) in after.items():
    t0, v0, n0, _ = before.get(tid, (0, 0, 0, comm))
    if ticks - t0 or vol - v0 or invol - n0:
        rows.append((ticks - t0, vol - v0, invol - n0, names.get(tid, comm), tid))
rows.sort(reverse=True)
with open(f"{out}/threads.txt", "w") as f:
    f.write(f"{'thread':<28} {'tid':>7} {'cpu_ms':>8} {'us/req':>8} {'vol/req':>8} {'invol/req':>9}\n")
    for ticks, vol, invol, comm, tid in rows:
        f.write(f"{comm[:28]:<28} {tid:>7} {1000 * ticks / hz:>8.0f} {1e6 * ticks / hz / requests:>8.1f} "
                f"{vol / requests:>8.3f} {invol / requests:>9.3f}\n")
workers = ("hybrid-worker", "http-nio-", "qtp", "exec-")
print(sum(1 for ticks, _, _, comm, _ in rows
          if ticks > 0 and comm.startswith(workers) and not any(x in comm for x in ("Poller", "Acceptor", "watchdog"))))
PY
)"
busy="$(paste <(echo "$c0") <(echo "$c1") | awk '{ t1=0; for (i=2;i<=11;i++) t1+=$i; t2=0; for (i=13;i<=22;i++) t2+=$i;
  printf "%.0f", 100*((t2-t1)-($16+$17-$5-$6))/((t2-t1)>0?(t2-t1):1) }')"
awk -v n="$NAME" -v l="$LOAD" -v r="$requests" -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v a="$allocated" \
  -v s="$((s1 - s0))" -v b="$busy" -v j="$((j1 - j0))" -v w="$workers_ran" 'BEGIN { printf "PROFILE contender=%s load=%s requests=%d server_cpu_s=%.2f cpu_us_per_req=%.1f cpu_us_per_req_without_jit=%.1f jit_cpu_s=%.2f alloc_bytes_per_req=%.0f ctx_switches_per_req=%.2f server_core_busy_pct=%s workers_ran=%s\n",
  n, l, r, t/hz, 1e6*t/hz/r, 1e6*(t-j)/hz/r, j/hz, a/r, s/r, b, w }' | tee "$OUT/summary.txt"
grep -h -E '^(WRKRESULT|RESULT)' "$OUT/load.txt" || true
