#!/usr/bin/env python3
"""Turns one harness run (bench/results/<timestamp>/) into report.md and chart.png.

Reads results.csv (written by run.sh), machine.txt and, when present, jmh.csv. Needs only the standard library for
the report; the chart needs matplotlib (Debian: apt-get install -y python3-matplotlib) and is skipped without it.
"""
import csv
import os
import re
import sys
from collections import defaultdict

CONTENDERS = ["bare-netty", "mvc-hybrid", "mvc-tomcat", "mvc-jetty", "webflux-reactor-netty", "webflux-hybrid",
              "webflux-hybrid-el", "petclinic-hybrid", "petclinic-tomcat", "petclinic-jetty",
              "mvc-hybrid-vt", "mvc-tomcat-vt"]
LABELS = {
    "bare-netty": "bare Netty (ceiling)",
    "mvc-hybrid": "MVC on hybrid",
    "mvc-tomcat": "MVC on Tomcat",
    "mvc-jetty": "MVC on Jetty",
    "webflux-reactor-netty": "WebFlux on Reactor Netty",
    "webflux-hybrid": "WebFlux on hybrid (workers)",
    "webflux-hybrid-el": "WebFlux on hybrid (event loops)",
    "petclinic-hybrid": "clinic app on hybrid",
    "petclinic-tomcat": "clinic app on Tomcat",
    "petclinic-jetty": "clinic app on Jetty",
    "mvc-hybrid-vt": "MVC on hybrid, virtual threads",
    "mvc-tomcat-vt": "MVC on Tomcat, virtual threads",
}
TOMCAT = "mvc-tomcat"
BARE = "bare-netty"
# WebFlux rows are also compared with the WebFlux application on Reactor Netty.
REACTOR_NETTY = "webflux-reactor-netty"
# Scenario 9: the real application on each server, and the pages it measures, in run.sh's order.
APP_HYBRID, APP_TOMCAT, APP_JETTY = "petclinic-hybrid", "petclinic-tomcat", "petclinic-jetty"
APP_PAGES = [
    ("vets", "vets list (HTML)", "/vets.html"),
    ("owners", "owners list (HTML)", "/owners"),
    ("owner", "owner detail (HTML, session)", "/owners/1"),
    ("post", "form post, 302 (not followed)", "POST /owners/{101..200}/edit"),
    ("json", "JSON", "/api/vets"),
    ("static", "static file (versioned css)", None),
]


def load_all(run_dir):
    """Rows by the limits they ran with ("tuned": run.sh's lifted limits, "defaults": each server's own; results
    without a limits column ran tuned)."""
    by_limits = defaultdict(lambda: defaultdict(dict))
    with open(os.path.join(run_dir, "results.csv"), newline="") as f:
        for r in csv.DictReader(f):
            key = (r["contender"], r["scenario"], r["variant"], r["connections"])
            by_limits[r.get("limits") or "tuned"][key][r["metric"]] = (r["value"], r["unit"], r["status"], r["note"])
    return by_limits


def load(run_dir):
    """The rows every table reads (key (contender, scenario, variant, connections) -> {metric: (value, unit, status,
    note)}): the tuned ones, or the defaults ones of a run that had only those."""
    by_limits = load_all(run_dir)
    rows = by_limits.get("tuned") or by_limits.get("defaults") or defaultdict(dict)
    return rows, list(rows)


def machine(run_dir):
    info = {}
    path = os.path.join(run_dir, "machine.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    info[k] = v
    return info


def num(cell):
    try:
        return float(cell[0])
    except (TypeError, ValueError, IndexError):
        return None


def find(rows, contender, scenario, variant=None, connections=None):
    """The one row for contender/scenario, optionally narrowed by variant and connection count."""
    for (c, s, v, n), metrics in rows.items():
        if c == contender and s == scenario and (variant is None or v == variant) and \
                (connections is None or n == str(connections)):
            return metrics
    return None


def status_of(metrics, metric="rps"):
    if metrics is None:
        return "not run"
    cell = metrics.get(metric) or next(iter(metrics.values()))
    return cell[2]


def fmt(x, digits=0):
    if x is None:
        return "n/a"
    if digits == 0:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}x"


def cell_or_reason(metrics, metric, digits=0):
    if metrics is None:
        return "not run"
    st = status_of(metrics, metric)
    if st == "unavailable":
        note = (metrics.get(metric) or next(iter(metrics.values())))[3]
        return f"n/a ({note})" if note else "n/a"
    if st == "failed":
        note = (metrics.get(metric) or next(iter(metrics.values())))[3]
        return f"failed ({note})" if note else "failed"
    return fmt(num(metrics.get(metric)), digits)


def throughput_table(rows, scenario, variant, connections, title, out):
    if not any(find(rows, c, scenario, variant, connections) for c in CONTENDERS):
        return
    out.append(f"\n### {title}\n")
    out.append("| contender | req/s | p50 ms | p99 ms | p99.9 ms | req per server CPU-s | x Tomcat | x bare Netty |"
               " x Reactor Netty (req/s; per CPU-s) | others' load on server core |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ref_t = find(rows, TOMCAT, scenario, variant, connections)
    ref_b = find(rows, BARE, scenario, variant, connections)
    ref_r = find(rows, REACTOR_NETTY, scenario, variant, connections)
    rt = num(ref_t.get("rps")) if ref_t and status_of(ref_t) == "ok" else None
    rb = num(ref_b.get("rps")) if ref_b and status_of(ref_b) == "ok" else None
    rr = num(ref_r.get("rps")) if ref_r and status_of(ref_r) == "ok" else None
    rr_cpu = num(ref_r.get("rps_per_server_cpu")) if ref_r and status_of(ref_r) == "ok" else None
    for c in CONTENDERS:
        m = find(rows, c, scenario, variant, connections)
        if m is None:
            continue
        if status_of(m) != "ok":
            out.append(f"| {LABELS[c]} | {cell_or_reason(m, 'rps')} | | | | | | | | |")
            continue
        rps = num(m.get("rps"))
        env = find(rows, c, "env", "tls" if scenario in ("1", "3") else "plain", "0")
        bg = fmt(num(env.get("background_busy_server_core"))) + "%" if env else "n/a"
        vs_rn = ""
        if c.startswith("webflux-") and c != REACTOR_NETTY:
            vs_rn = f"{ratio(rps, rr)}; {ratio(num(m.get('rps_per_server_cpu')), rr_cpu)}"
        flag = " (!)" if latency_inconsistent(m) else ""
        out.append(f"| {LABELS[c]} | {fmt(rps)} | {cell_or_reason(m, 'p50_ms', 2)} | {cell_or_reason(m, 'p99_ms', 2)}{flag} |"
                   f" {cell_or_reason(m, 'p999_ms', 2)}{flag} | {cell_or_reason(m, 'rps_per_server_cpu')} |"
                   f" {ratio(rps, rt)} | {ratio(rps, rb)} | {vs_rn} | {bg} |")
    if any(latency_inconsistent(find(rows, c, scenario, variant, connections)) for c in CONTENDERS):
        out.append("\n(!) wrk's latencies in the rows marked so break Little's law: their mean exceeds connections / throughput "
                   "by more than half, impossible if wrk had recorded each response's latency once (one request per connection "
                   "at a time). Read their tail percentiles as unreliable, not as the server's.")


def app_metric(rows, contender, page, metric):
    m = find(rows, contender, "9", page, 16)
    return num(m.get(metric)) if m and status_of(m) == "ok" else None


def app_table(rows, out, info):
    """Scenario 9: one row per page, the three servers side by side, ratios of the hybrid server to the others."""
    if not any(k[1] == "9" for k in rows):
        return
    out.append("\n## Scenario 9: a real application (server-rendered pages, `java -jar`, 16 connections)\n")
    out.append("The clinic application of `bench/petclinic-common` (Thymeleaf with a layout, webjars, the resource chain"
               " with content versioning, JPA on in-memory H2, a session), run from each server's executable jar; each"
               " page alone after a warm-up of all of them. `us CPU/req` is the server process's CPU time per request"
               " (all its threads: the server, the application, GC, JIT).\n")
    out.append("| page | path | hybrid req/s | Tomcat req/s | Jetty req/s | hybrid x Tomcat | hybrid x Jetty |"
               " us CPU/req hybrid / Tomcat / Jetty | x Tomcat (per CPU-s) | x Jetty (per CPU-s) | p99 ms hybrid / Tomcat / Jetty |")
    out.append("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|")
    for page, label, path in APP_PAGES:
        if path is None:
            m = find(rows, APP_HYBRID, "9", page, 16) or find(rows, APP_TOMCAT, "9", page, 16) or {}
            path = m.get("path", ("", "", "", ""))[3] or "(versioned link)"
        cells = {c: find(rows, c, "9", page, 16) for c in (APP_HYBRID, APP_TOMCAT, APP_JETTY)}
        if all(v is None for v in cells.values()):
            continue
        rps = {c: app_metric(rows, c, page, "rps") for c in cells}
        per_cpu = {c: app_metric(rows, c, page, "rps_per_server_cpu") for c in cells}
        us = " / ".join(fmt(1e6 / per_cpu[c], 0) if per_cpu[c] else "n/a" for c in cells)
        p99 = " / ".join(fmt(app_metric(rows, c, page, "p99_ms"), 2) for c in cells)
        out.append(f"| {label} | `{path}` | {cell_or_reason(cells[APP_HYBRID], 'rps')} |"
                   f" {cell_or_reason(cells[APP_TOMCAT], 'rps')} | {cell_or_reason(cells[APP_JETTY], 'rps')} |"
                   f" {ratio(rps[APP_HYBRID], rps[APP_TOMCAT])} | {ratio(rps[APP_HYBRID], rps[APP_JETTY])} | {us} |"
                   f" {ratio(per_cpu[APP_HYBRID], per_cpu[APP_TOMCAT])} | {ratio(per_cpu[APP_HYBRID], per_cpu[APP_JETTY])} |"
                   f" {p99} |")
    out.append("\n| contender | JVM start to first answer | others' load before the launch (server core / load core) |"
               " server core busy while measured (min-max) | the server's own share of its core while measured (min-max) |")
    out.append("|---|---:|---|---|---|")
    # machine.txt's line "warmup_s=5 duration_s=15 ..." is read as the key warmup_s with the rest in its value.
    measured = re.search(r"duration_s=(\d+)", info.get("warmup_s", ""))
    duration = float(measured.group(1)) if measured else None
    for c in (APP_HYBRID, APP_TOMCAT, APP_JETTY):
        start = find(rows, c, "7", "app", 0)
        env = find(rows, c, "env", "app", 0)
        if start is None and env is None:
            continue
        busy = [app_metric(rows, c, p, "busy_server_core") for p, _, _ in APP_PAGES]
        busy = [b for b in busy if b is not None]
        # CPU seconds the server process used over the measured seconds: below ~90% others' work took part of its core.
        got = [app_metric(rows, c, p, "server_cpu") for p, _, _ in APP_PAGES]
        got = [100 * g / duration for g in got if g is not None and duration]
        out.append(f"| {LABELS[c]} | {cell_or_reason(start, 'startup_to_first_response') if start else 'n/a'} ms |"
                   f" {fmt(num(env.get('background_busy_server_core'))) if env else 'n/a'}% /"
                   f" {fmt(num(env.get('background_busy_load_core'))) if env else 'n/a'}% |"
                   f" {(fmt(min(busy)) + '-' + fmt(max(busy)) + '%') if busy else 'n/a'} |"
                   f" {(fmt(min(got)) + '-' + fmt(max(got)) + '%') if got else 'n/a'} |")


def handshakes_dropped(m):
    """Whether the kernel's accept queue overflowed during a wrk run (run.sh records nstat's counter when it can)."""
    return m is not None and status_of(m) == "ok" and (num(m.get("listen_overflows")) or 0) > 0


def tail_marks(m):
    return (" (!)" if latency_inconsistent(m) else "") + (" (d)" if handshakes_dropped(m) else "")


def latency_inconsistent(m):
    """Whether a wrk row's mean latency exceeds what Little's law allows by more than 50% (recorded runs only)."""
    if m is None or status_of(m) != "ok":
        return False
    mean, bound = num(m.get("mean_ms")), num(m.get("little_bound_ms"))
    return mean is not None and bound is not None and bound > 0 and mean > 1.5 * bound


def goals(rows, out):
    out.append("\n## Goals (issue 6)\n")
    out.append("| goal | measured | verdict |")
    out.append("|---|---|---|")

    def rps(c, s, v, n):
        m = find(rows, c, s, v, n)
        return (num(m.get("rps")) if m and status_of(m) == "ok" else None), m

    def verdict(value, ok):
        if value is None:
            return "pending"
        return "met" if ok else "not met"

    for n in (64, 256):
        h, hm = rps("mvc-hybrid", "1", "tls", n)
        t, _ = rps(TOMCAT, "1", "tls", n)
        r = h / t if h and t else None
        out.append(f"| MVC on hybrid >= 1.5x Tomcat req/s, HTTPS keep-alive, {n} conns (scenario 1) |"
                   f" {ratio(h, t) if r else 'n/a: ' + (cell_or_reason(hm, 'rps') if hm else 'not run')} |"
                   f" {verdict(r, r is not None and r >= 1.5)} |")
    for n in (64, 256):
        h, hm = rps("mvc-hybrid", "2", "plain", n)
        t, _ = rps(TOMCAT, "2", "plain", n)
        r = h / t if h and t else None
        out.append(f"| (beyond the goal) the same over plaintext, {n} conns (scenario 2) | {ratio(h, t)} |"
                   f" {verdict(r, r is not None and r >= 1.5)} |")
    for n in (64, 256):
        hm = find(rows, "mvc-hybrid", "1", "tls", n)
        tm = find(rows, TOMCAT, "1", "tls", n)
        hp = num(hm.get("p99_ms")) if hm and status_of(hm) == "ok" else None
        tp = num(tm.get("p99_ms")) if tm and status_of(tm) == "ok" else None
        doubt = " (!)" if latency_inconsistent(hm) or latency_inconsistent(tm) else ""
        out.append(f"| MVC on hybrid p99 no worse than Tomcat's (scenario 1, {n} conns) |"
                   f" {fmt(hp, 2)} ms vs {fmt(tp, 2)} ms{doubt} |"
                   f" {verdict(hp if tp else None, hp is not None and tp is not None and hp <= tp)} |")
    h, _ = rps("mvc-hybrid", "3", "full-handshake", 32)
    t, _ = rps(TOMCAT, "3", "full-handshake", 32)
    r = h / t if h and t else None
    out.append(f"| handshakes/s >= 3x Tomcat (scenario 3, full handshakes) | {ratio(h, t)} | {verdict(r, r is not None and r >= 3)} |")
    for variant, label in (("tls", "TLS"), ("plain", "plaintext (beyond the goal)")):
        hm = find(rows, "mvc-hybrid", "5", variant)
        tm = find(rows, TOMCAT, "5", variant)
        hv = num(hm.get("total_per_connection")) if hm and status_of(hm, "total_per_connection") == "ok" else None
        tv = num(tm.get("total_per_connection")) if tm and status_of(tm, "total_per_connection") == "ok" else None
        r = hv / tv if hv is not None and tv else None
        out.append(f"| memory per idle {label} connection <= 1/4 of Tomcat's (scenario 5, RSS + live heap) |"
                   f" {fmt(hv, 1)} KiB vs {fmt(tv, 1)} KiB ({ratio(hv, tv)}) | {verdict(r, r is not None and r <= 0.25)} |")
    for s, v, label in (("1", "tls", "HTTPS"), ("2", "plain", "plaintext (beyond the goal)")):
        h, _ = rps("mvc-hybrid", s, v, 64)
        b, _ = rps(BARE, s, v, 64)
        r = h / b if h and b else None
        out.append(f"| MVC on hybrid >= 0.5x bare Netty, {label} keep-alive, 64 conns | {ratio(h, b)} |"
                   f" {verdict(r, r is not None and r >= 0.5)} |")
    for page, label, _ in APP_PAGES:
        h = app_metric(rows, APP_HYBRID, page, "rps")
        t = app_metric(rows, APP_TOMCAT, page, "rps")
        r = h / t if h and t else None
        out.append(f"| (issue 22) real application on hybrid >= 1.5x Tomcat req/s: {label} (scenario 9) |"
                   f" {ratio(h, t)} | {verdict(r, r is not None and r >= 1.5)} |")
    for c, mode in (("webflux-hybrid", "workers"), ("webflux-hybrid-el", "event loops")):
        for s, v, label in (("1", "tls", "HTTPS GET, scenario 1"), ("2", "plain", "plaintext GET, scenario 2"),
                            ("4", "plain", "plaintext POST 16 KiB, scenario 4")):
            h, _ = rps(c, s, v, 64)
            rn, _ = rps(REACTOR_NETTY, s, v, 64)
            r = h / rn if h and rn else None
            out.append(f"| WebFlux on hybrid ({mode}) not slower than Reactor Netty ({label}, 64 conns) |"
                       f" {ratio(h, rn)} | {verdict(r, r is not None and r >= 1.0)} |")


def jmh_table(run_dir, out):
    path = os.path.join(run_dir, "jmh.csv")
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        data = list(csv.DictReader(f))
    if not data:
        return []
    primary = [r for r in data if ":" not in r["Benchmark"]]

    def percentile(row, q):
        base = row["Benchmark"]
        for r in data:
            if r["Benchmark"] == f"{base}:{base.rsplit('.', 1)[-1]}:p{q}" or r["Benchmark"].endswith(f":p{q}") and \
                    r["Benchmark"].startswith(base) and r.get("Param: handOff") == row.get("Param: handOff") and \
                    r.get("Param: idleMicros") == row.get("Param: idleMicros"):
                return float(r["Score"])
        return None

    out.append("\n## JMH: hand-off from a producer thread to a worker\n")
    out.append("Latency: from handing over a task until a worker has started it. `idle us = 200`: the producer"
               " pauses first (outside the measured time), so the workers have parked and must be woken."
               " Throughput: bursts of 1000 tasks, per task. 4 workers where the hand-off has a pool; Netty loops"
               " have one thread. Not pinned: the producer and its consumers share both cores.\n")
    out.append("| hand-off | idle us | mean us | p50 us | p99 us | p99.9 us |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for r in primary:
        if "Latency" not in r["Benchmark"]:
            continue
        out.append(f"| {r.get('Param: handOff', '')} | {r.get('Param: idleMicros', '')} | {float(r['Score']):,.2f} |"
                   f" {fmt(percentile(r, '0.50'), 2)} | {fmt(percentile(r, '0.99'), 2)} | {fmt(percentile(r, '0.999'), 2)} |")
    out.append("\n| hand-off | tasks/s | error (99.9%) |")
    out.append("|---|---:|---:|")
    for r in primary:
        if "Throughput" not in r["Benchmark"]:
            continue
        error = r["Score Error (99.9%)"]
        out.append(f"| {r.get('Param: handOff', '')} | {float(r['Score']):,.0f} |"
                   f" {float(error):,.0f} |" if error not in ("", "NaN") else " n/a |")
    return primary


def chart(run_dir, rows, jmh):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not found: no chart (apt-get install -y python3-matplotlib)", file=sys.stderr)
        return False
    # The real application's contenders (scenario 9) get a row of their own; a run of scenario 9 alone gets only it.
    everyone = [c for c in CONTENDERS if any(k[0] == c for k in rows)]
    app = [c for c in everyone if c.startswith("petclinic-")]
    present = [c for c in everyone if c not in app]
    with_app = any(k[1] == "9" for k in rows)
    with_others = bool(present) or not with_app
    nrows = (2 if with_others else 0) + (1 if with_app else 0)
    fig, axes = plt.subplots(nrows, 2, figsize=(14, 5 * nrows), squeeze=False)
    colors = {c: plt.cm.tab10(i) for i, c in enumerate(CONTENDERS)}

    def bars(ax, series, title, ylabel, log=False):
        # series: list of (group label, {contender: value})
        width = 0.8 / max(1, len(present))
        for i, c in enumerate(present):
            xs, ys = [], []
            for g, (_, values) in enumerate(series):
                xs.append(g + i * width)
                ys.append(values.get(c) or 0)
            ax.bar(xs, ys, width, label=LABELS[c], color=colors[c])
        ax.set_xticks([g + width * (len(present) - 1) / 2 for g in range(len(series))])
        ax.set_xticklabels([label for label, _ in series], fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(ylabel)
        if log and any((v or 0) > 0 for _, values in series for v in values.values()):
            ax.set_yscale("log")
        ax.grid(axis="y", alpha=0.3)

    def values(scenario, variant, connections, metric):
        result = {}
        for c in present:
            m = find(rows, c, scenario, variant, connections)
            if m and status_of(m, metric) == "ok":
                result[c] = num(m.get(metric))
        return result

    if with_others:
        bars(axes[0][0], [
            ("1: HTTPS GET\n64 conns", values("1", "tls", 64, "rps")),
            ("1: HTTPS GET\n256 conns", values("1", "tls", 256, "rps")),
            ("2: HTTP GET\n64 conns", values("2", "plain", 64, "rps")),
            ("2: HTTP GET\n256 conns", values("2", "plain", 256, "rps")),
            ("4: POST 16 KiB\necho, 64 conns", values("4", "plain", 64, "rps")),
            ("3: full TLS\nhandshakes", values("3", "full-handshake", 32, "rps")),
        ], "Throughput (log scale; missing bar: not available yet)", "requests/s", log=True)
        axes[0][0].legend(fontsize=8)
        rate_variant = next((k[2] for k in rows if k[1] == "6"), None)
        bars(axes[0][1], [(q, values("6", rate_variant, 64, f"{q}_ms")) for q in ("p50", "p90", "p99", "p999")],
             f"6: latency at a fixed rate ({rate_variant}, open loop, our client; log scale)", "ms", log=True)
        bars(axes[1][0], [
            ("TLS: RSS", {c: v for c, v in values("5", "tls", None, "rss_per_connection").items()}),
            ("TLS: live heap", values("5", "tls", None, "heap_per_connection")),
            ("plain: RSS", values("5", "plain", None, "rss_per_connection")),
            ("plain: live heap", values("5", "plain", None, "heap_per_connection")),
        ], "5: memory per idle keep-alive connection", "KiB")
        ax = axes[1][1]
        lat = [r for r in jmh if "Latency" in r["Benchmark"]]
        if lat:
            kinds = sorted({r["Param: handOff"] for r in lat})
            idles = sorted({r["Param: idleMicros"] for r in lat}, key=int)
            width = 0.8 / len(idles)
            for i, idle in enumerate(idles):
                ys = [next((float(r["Score"]) for r in lat if r["Param: handOff"] == k and r["Param: idleMicros"] == idle), 0)
                      for k in kinds]
                ax.bar([x + i * width for x in range(len(kinds))], ys, width, label=f"idle {idle} us before")
            ax.set_xticks([x + width * (len(idles) - 1) / 2 for x in range(len(kinds))])
            ax.set_xticklabels(kinds, fontsize=8)
            ax.set_ylabel("us (mean)")
            ax.set_title("JMH: hand-off to a worker, enqueue to pickup", fontsize=10)
            ax.legend(fontsize=8)
            ax.grid(axis="y", alpha=0.3)
        else:
            bars(ax, [("7: JVM start to\nfirst response", values("7", "plain", 0, "startup_to_first_response"))],
                 "7: startup", "ms")
    if with_app:
        present = app
        series = [(label.replace(" (", "\n("), values("9", page, 16, "rps")) for page, label, _ in APP_PAGES]
        bars(axes[-1][0], series, "9: real application, req/s per page (log scale)", "requests/s", log=True)
        axes[-1][0].legend(fontsize=8)
        cpu = [(label.replace(" (", "\n("), {c: 1e6 / v for c, v in values("9", page, 16, "rps_per_server_cpu").items() if v})
               for page, label, _ in APP_PAGES]
        bars(axes[-1][1], cpu, "9: real application, server CPU per request (log scale)", "us", log=True)
    info = machine(run_dir)
    fig.suptitle(f"hybrid-server benchmarks {info.get('date_utc', '')} ({info.get('mode', '')} mode) - "
                 f"{info.get('host_cpus', '?')} cores, server on core {info.get('server_cpu', '?')}, "
                 f"load on core {info.get('load_cpu', '?')}; ratios within this run only", fontsize=11)
    fig.tight_layout()
    fig.savefig(os.path.join(run_dir, "chart.png"), dpi=90)
    return True


# ----------------------------------------------------------------------------------- issue 20: scenarios 12 to 16
SWEEPS = [
    # scenario, title, x label, how the x value is read from a row key, its unit for the tables
    ("12", "Scenario 12: throughput and p99 against connections (GET /json)", "connections", "connections"),
    ("13", "Scenario 13: throughput and p99 against response size (GET /bytes/N, 64 connections)", "response bytes",
     "bytes"),
    ("14", "Scenario 14: throughput and p99 against request body size (POST /upload, 16 connections)",
     "request body bytes", "bytes"),
]
SIZE_VARIANT = re.compile(r"^(plain|tls)-(\d+)b$")
GET_VARIANT = re.compile(r"^(plain|tls)-get(-loadgen)?$")
WINDOW_VARIANT = re.compile(r"^(plain|tls)-t(\d+)$")


def row_order(key):
    """Sorts (contender, scenario, variant, connections) keys by scenario, contender, then the numbers in the variant
    (sizes, seconds) and connections, numerically."""
    c, s, v, n = key
    numbers = tuple(int(x) for x in re.findall(r"\d+", v))
    return (int(s) if s.isdigit() else 99, CONTENDERS.index(c) if c in CONTENDERS else 99, re.sub(r"\d+", "", v),
            numbers, int(n) if n.isdigit() else 0)


def sweep_points(rows, scenario, contender):
    """{launch: [(x, metrics), ...] sorted by x} for one sweep of one contender."""
    points = defaultdict(list)
    for (c, s, v, n), metrics in rows.items():
        if c != contender or s != scenario:
            continue
        if scenario == "12":
            m = GET_VARIANT.match(v)
            x = int(n) if m else None
        elif scenario in ("13", "14"):
            m = SIZE_VARIANT.match(v)
            x = int(m.group(2)) if m else None
        elif scenario == "15":
            m = re.match(r"^(plain|tls)$", v)
            x = int(n) if m else None
        else:
            m = WINDOW_VARIANT.match(v)
            x = int(m.group(2)) if m else None
        if m is not None and x is not None:
            launch = m.group(1)
            if scenario == "12" and m.group(2):
                # The same points measured again by our own closed-loop client (run.sh LOADGEN_SWEEP_CONNECTIONS).
                launch += ", our closed-loop client"
            points[launch].append((x, metrics))
    for launch in points:
        points[launch].sort(key=lambda p: p[0])
    return points


def human(x, unit):
    if unit != "bytes":
        return f"{x:,}"
    for size, suffix in ((1 << 20, " MiB"), (1 << 10, " KiB")):
        if x >= size and x % size == 0:
            return f"{x // size}{suffix}"
    return f"{x:,} B"


def ok_value(metrics, metric):
    return num(metrics.get(metric)) if metrics and status_of(metrics, metric) == "ok" else None


def sweep_tables(rows, out):
    """One table per sweep and launch: rows are contenders, columns the swept values; req/s with its ratio to Tomcat
    (or to Tomcat on virtual threads for the -vt contender), then p99."""
    for scenario, title, _, unit in SWEEPS:
        contenders = [c for c in CONTENDERS if sweep_points(rows, scenario, c)]
        if not contenders:
            continue
        launches = sorted({launch for c in contenders for launch in sweep_points(rows, scenario, c)})
        for launch in launches:
            xs = sorted({x for c in contenders for x, _ in sweep_points(rows, scenario, c).get(launch, [])})
            out.append(f"\n### {title}, {launch}\n")
            out.append("Each cell: req/s (x Tomcat) / p99 ms; the virtual-thread hybrid row's ratio is to Tomcat on"
                       " virtual threads. A failed cell says why (errors: wrk's, or a wrong answer; see `logs/`).\n")
            out.append("| contender | " + " | ".join(human(x, unit) for x in xs) + " |")
            out.append("|---|" + "---:|" * len(xs))
            tomcat = dict(sweep_points(rows, scenario, TOMCAT).get(launch, []))
            for c in contenders:
                points = dict(sweep_points(rows, scenario, c).get(launch, []))
                ref = dict(sweep_points(rows, scenario, "mvc-tomcat-vt").get(launch, [])) \
                    if c == "mvc-hybrid-vt" else tomcat
                cells = []
                for x in xs:
                    m = points.get(x)
                    if m is None:
                        cells.append("")
                    elif status_of(m) != "ok":
                        cells.append(cell_or_reason(m, "rps"))
                    else:
                        rps = num(m.get("rps"))
                        vs = f" ({ratio(rps, ok_value(ref.get(x), 'rps'))})" if ref else ""
                        cells.append(f"{fmt(rps)}{vs} / {cell_or_reason(m, 'p99_ms', 2)}{tail_marks(m)}")
                out.append(f"| {LABELS[c]} | " + " | ".join(cells) + " |")
            marked = [m for c in contenders for _, m in sweep_points(rows, scenario, c).get(launch, [])]
            if any(latency_inconsistent(m) for m in marked):
                out.append("\n(!) wrk's mean latency breaks Little's law (more than 1.5x connections / throughput): read"
                           " that cell's p99 as unreliable, not as the server's.")
            if any(handshakes_dropped(m) for m in marked):
                out.append("\n(d) the kernel dropped handshakes during that run (`TcpExtListenOverflows` > 0, machine-wide):"
                           " those clients retransmitted after 1 s or more, so the p99 includes connection set-up.")


def idle_sweep_table(rows, out):
    contenders = [c for c in CONTENDERS if sweep_points(rows, "15", c)]
    if not contenders:
        return
    out.append("\n### Scenario 15: memory against idle connections (`loadgen idle-steps`, one launch per contender)\n")
    out.append("Connections opened in steps on one server, each with one request, then held; at each step the"
               " server's RSS and its live heap after a full GC. `0` is the server before the first step. Each cell:"
               " RSS MiB / live heap MiB (KiB per connection over the `0` column, RSS + heap).\n")
    for launch in sorted({l for c in contenders for l in sweep_points(rows, "15", c)}):
        xs = sorted({x for c in contenders for x, _ in sweep_points(rows, "15", c).get(launch, [])})
        out.append(f"\n#### {launch}\n")
        out.append("| contender | " + " | ".join(f"{x:,}" for x in xs) + " |")
        out.append("|---|" + "---:|" * len(xs))
        for c in contenders:
            points = dict(sweep_points(rows, "15", c).get(launch, []))
            cells = []
            for x in xs:
                m = points.get(x)
                if m is None:
                    cells.append("")
                    continue
                key = "rss_with_connections" if "rss_with_connections" in m else "rss_per_connection"
                if status_of(m, key) != "ok":
                    cells.append(cell_or_reason(m, key))
                    continue
                per = ""
                if x > 0:
                    r, h = ok_value(m, "rss_per_connection"), ok_value(m, "heap_per_connection")
                    per = f" ({fmt((r or 0) + (h or 0), 1)})" if r is not None else ""
                cells.append(f"{cell_or_reason(m, 'rss_with_connections')} / {cell_or_reason(m, 'heap_live', 0)}{per}")
            out.append(f"| {LABELS[c]} | " + " | ".join(cells) + " |")


def warmup_table(rows, out):
    contenders = [c for c in CONTENDERS if sweep_points(rows, "16", c)]
    if not contenders:
        return
    out.append("\n### Scenario 16: warm-up, requests/s in 5 s windows from the first answer after launch\n")
    out.append("`loadgen windows`, GET /json on 64 keep-alive connections, closed loop; the first window includes"
               " opening the connections. The client warmed its own JIT before the server was launched. Each cell:"
               " req/s (x Tomcat in the same window).\n")
    for launch in sorted({l for c in contenders for l in sweep_points(rows, "16", c)}):
        xs = sorted({x for c in contenders for x, _ in sweep_points(rows, "16", c).get(launch, [])})
        points = {c: dict(sweep_points(rows, "16", c).get(launch, [])) for c in contenders}
        out.append(f"\n#### {launch}\n")
        out.append("| window | " + " | ".join(LABELS[c] for c in contenders) + " |")
        out.append("|---|" + "---:|" * len(contenders))
        for x in xs:
            cells = []
            for c in contenders:
                m = points[c].get(x)
                if m is None:
                    cells.append("")
                elif status_of(m) != "ok":
                    cells.append(cell_or_reason(m, "rps"))
                else:
                    rps = num(m.get("rps"))
                    vs = f" ({ratio(rps, ok_value(points[TOMCAT].get(x), 'rps'))})" if TOMCAT in points else ""
                    cells.append(f"{fmt(rps)}{vs}")
            out.append(f"| {x}-{x + 5} s | " + " | ".join(cells) + " |")
        summary = [find(rows, c, "16", launch) for c in contenders]
        out.append("| mean over the run | " + " | ".join(cell_or_reason(m, "rps") if m and "rps" in m else ""
                                                       for m in summary) + " |")
        out.append("| reconnects | " + " | ".join(cell_or_reason(m, "reconnects") if m and "reconnects" in m else ""
                                                for m in summary) + " |")


def vt_section(rows, out):
    """The virtual-thread contenders next to their platform-thread selves, wherever both ran."""
    pairs = [("mvc-hybrid", "mvc-hybrid-vt"), ("mvc-tomcat", "mvc-tomcat-vt")]
    if not any(k[0].endswith("-vt") for k in rows):
        return
    out.append("\n## Virtual threads (`spring.threads.virtual.enabled=true`) against platform threads\n")
    out.append("The same jar and run, on the JDK of this run (machine.txt). `x platform`: the virtual-thread"
               " contender's req/s over the same server's with platform threads; `x Tomcat VT`: the hybrid server's"
               " virtual-thread req/s over Tomcat's.\n")
    out.append("| scenario | variant | connections | hybrid req/s | hybrid VT req/s | x platform | Tomcat req/s |"
               " Tomcat VT req/s | x platform | hybrid VT x Tomcat VT | p99 ms hybrid / hybrid VT / Tomcat / Tomcat VT |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    # Scenario 16's windows are left out here: its mean over the run stands for them.
    keys = sorted({(s, v, n) for (c, s, v, n) in rows if c.endswith("-vt") and "rps" in rows[(c, s, v, n)]
                   and not WINDOW_VARIANT.match(v)}, key=lambda k: row_order(("", k[0], k[1], k[2])))
    for s, v, n in keys:
        cells = {c: rows.get((c, s, v, n)) for pair in pairs for c in pair}
        r = {c: ok_value(m, "rps") for c, m in cells.items()}
        p99 = " / ".join(fmt(ok_value(cells[c], "p99_ms"), 2) for pair in pairs for c in pair)
        out.append(f"| {s} | {v} | {n} | {cell_or_reason(cells['mvc-hybrid'], 'rps')} |"
                   f" {cell_or_reason(cells['mvc-hybrid-vt'], 'rps')} | {ratio(r['mvc-hybrid-vt'], r['mvc-hybrid'])} |"
                   f" {cell_or_reason(cells['mvc-tomcat'], 'rps')} | {cell_or_reason(cells['mvc-tomcat-vt'], 'rps')} |"
                   f" {ratio(r['mvc-tomcat-vt'], r['mvc-tomcat'])} | {ratio(r['mvc-hybrid-vt'], r['mvc-tomcat-vt'])} |"
                   f" {p99} |")


def limits_section(by_limits, out):
    """Every measurement that ran both with run.sh's lifted limits and with each server's defaults, side by side."""
    tuned, defaults = by_limits.get("tuned"), by_limits.get("defaults")
    if not tuned or not defaults:
        return
    out.append("\n## Each server's defaults against tuned limits (`--limits both`)\n")
    out.append("Tuned: the limits run.sh lifts (README: no keep-alive request cap, 20,000 connections, 300 s idle"
               " timeouts). Defaults: each server as it comes, with nothing but the contender's own mode. `x tuned`:"
               " the default's req/s over the tuned one's, same run.\n")
    out.append("| contender | scenario | variant | connections | req/s tuned | req/s defaults | x tuned |"
               " p99 ms tuned / defaults | errors tuned / defaults |")
    out.append("|---|---|---|---:|---:|---:|---:|---|---|")
    keys = [k for k in defaults if k in tuned and "rps" in defaults[k] and not WINDOW_VARIANT.match(k[2])]
    keys.sort(key=row_order)
    for k in keys:
        t, d = tuned[k], defaults[k]
        out.append(f"| {LABELS.get(k[0], k[0])} | {k[1]} | {k[2]} | {k[3]} | {cell_or_reason(t, 'rps')} |"
                   f" {cell_or_reason(d, 'rps')} | {ratio(ok_value(d, 'rps'), ok_value(t, 'rps'))} |"
                   f" {fmt(ok_value(t, 'p99_ms'), 2)} / {fmt(ok_value(d, 'p99_ms'), 2)} |"
                   f" {fmt(num(t.get('errors')))} / {fmt(num(d.get('errors')))} |")
    memory = [k for k in defaults if k in tuned and k[1] in ("5", "15") and "rss_per_connection" in defaults[k]]
    if memory:
        out.append("\n| contender | scenario | variant | connections | RSS KiB/conn tuned | RSS KiB/conn defaults |")
        out.append("|---|---|---|---:|---:|---:|")
        for k in sorted(memory, key=row_order):
            out.append(f"| {LABELS.get(k[0], k[0])} | {k[1]} | {k[2]} | {k[3]} |"
                       f" {cell_or_reason(tuned[k], 'rss_per_connection', 1)} |"
                       f" {cell_or_reason(defaults[k], 'rss_per_connection', 1)} |")


def scale_charts(run_dir, by_limits):
    """scale.png (scenarios 12-14: req/s and p99 against each swept variable), idle-memory.png (15) and warmup.png
    (16): one line per contender; dashed lines are the same contender with its server's defaults (--limits both).
    Returns the names of the files drawn."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    rows = by_limits.get("tuned") or by_limits.get("defaults") or {}
    defaults = by_limits.get("defaults") if by_limits.get("tuned") else None
    # Ten distinct colours, then black and gold for the virtual-thread contenders.
    palette = [plt.cm.tab10(i) for i in range(10)] + ["black", "goldenrod"]
    colors = {c: palette[i % len(palette)] for i, c in enumerate(CONTENDERS)}
    info = machine(run_dir)
    subtitle = (f"{info.get('date_utc', '')} ({info.get('mode', '')} mode), {info.get('java', '')}\nserver on core"
                f" {info.get('server_cpu', '?')}, load on core {info.get('load_cpu', '?')}; ratios within this run only")
    drawn = []

    def lines(ax, data, scenario, metric, launch):
        plotted = False
        for source, style in ((data, "-"), (defaults, "--")):
            if not source:
                continue
            for c in CONTENDERS:
                points = [(x, ok_value(m, metric)) for x, m in sweep_points(source, scenario, c).get(launch, [])]
                points = [(x, y) for x, y in points if y is not None]
                if not points:
                    continue
                label = LABELS[c] + ("" if style == "-" else ", defaults")
                ax.plot([p[0] for p in points], [p[1] for p in points], style, marker="o", markersize=3,
                        color=colors[c], label=label)
                plotted = True
        return plotted

    sweeps = [(s, t, xl) for s, t, xl, _ in SWEEPS if any(sweep_points(rows, s, c) for c in CONTENDERS)]
    if sweeps:
        fig, axes = plt.subplots(len(sweeps), 2, figsize=(15, 4.8 * len(sweeps)), squeeze=False)
        for i, (scenario, title, xlabel) in enumerate(sweeps):
            launch = sorted({l for c in CONTENDERS for l in sweep_points(rows, scenario, c)})[0]
            for j, (metric, ylabel) in enumerate((("rps", "requests/s"), ("p99_ms", "p99 ms (wrk)"))):
                ax = axes[i][j]
                if lines(ax, rows, scenario, metric, launch):
                    # Scenario 14 starts at an empty body: linear below 1 KiB, so that 0 has a place.
                    if scenario == "14":
                        ax.set_xscale("symlog", linthresh=1024)
                    else:
                        ax.set_xscale("log")
                    ax.set_yscale("log")
                ax.set_title(f"{title.split(': ', 1)[1]}, {launch}: {ylabel}", fontsize=9)
                ax.set_xlabel(xlabel + (" (0, then log)" if scenario == "14" else " (log)"))
                ax.set_ylabel(ylabel + " (log)")
                ax.grid(alpha=0.3, which="both")
            axes[i][0].legend(fontsize=7)
        fig.suptitle("Cost as work grows\n" + subtitle, fontsize=10)
        fig.tight_layout()
        fig.subplots_adjust(top=1 - 1.1 / (4.8 * len(sweeps)))   # 1.1 inches for the three-line title
        fig.savefig(os.path.join(run_dir, "scale.png"), dpi=90)
        plt.close(fig)
        drawn.append("scale.png")
    if any(sweep_points(rows, "15", c) for c in CONTENDERS):
        launch = sorted({l for c in CONTENDERS for l in sweep_points(rows, "15", c)})[0]
        fig, axes = plt.subplots(1, 2, figsize=(15, 4.8), squeeze=False)
        for j, (metric, ylabel) in enumerate((("rss_with_connections", "RSS MiB"), ("heap_live", "live heap MiB"))):
            ax = axes[0][j]
            lines(ax, rows, "15", metric, launch)
            ax.set_xscale("symlog", linthresh=1000)
            ax.set_xlabel("idle connections (0, then log)")
            ax.set_ylabel(ylabel)
            ax.set_title(f"15: {ylabel} against idle {launch} connections", fontsize=9)
            ax.grid(alpha=0.3, which="both")
        axes[0][0].legend(fontsize=7)
        fig.suptitle("Memory against idle connections\n" + subtitle, fontsize=10)
        fig.tight_layout()
        fig.subplots_adjust(top=0.82)
        fig.savefig(os.path.join(run_dir, "idle-memory.png"), dpi=90)
        plt.close(fig)
        drawn.append("idle-memory.png")
    if any(sweep_points(rows, "16", c) for c in CONTENDERS):
        launches = sorted({l for c in CONTENDERS for l in sweep_points(rows, "16", c)})
        fig, axes = plt.subplots(1, len(launches), figsize=(max(10, 7.5 * len(launches)), 5.2), squeeze=False)
        for j, launch in enumerate(launches):
            ax = axes[0][j]
            lines(ax, rows, "16", "rps", launch)
            ax.set_xlabel("seconds after the first answer (start of each 5 s window)")
            ax.set_ylabel("requests/s")
            ax.set_title(f"16: warm-up, GET /json over {launch}, 64 connections", fontsize=9)
            ax.set_ylim(bottom=0)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
        fig.suptitle("Warm-up after launch\n" + subtitle, fontsize=9)
        fig.tight_layout()
        fig.subplots_adjust(top=0.82)
        fig.savefig(os.path.join(run_dir, "warmup.png"), dpi=90)
        plt.close(fig)
        drawn.append("warmup.png")
    return drawn


def main(run_dir):
    rows, _ = load(run_dir)
    info = machine(run_dir)
    out = [f"# Benchmark report {info.get('date_utc', '')}", ""]
    out.append("Generated by `bench/run.sh`; raw numbers in `results.csv`, logs in `logs/`.")
    if info.get("mode") == "quick":
        out.append("\n**Quick mode**: seconds per scenario, for developing the harness. Do not publish these numbers.")
    out.append("\n## Machine and versions\n")
    for k in ("cpu_model", "host_cpus", "memory", "kernel", "java", "jvm_flags", "server_cpu", "load_cpu", "wrk",
              "h2load", "openssl", "spring_boot", "netty", "netty_tcnative", "git", "mode", "warmup_s",
              "loadavg_at_start"):
        if k in info:
            out.append(f"- {k}: `{info[k]}`")

    out.append("\n## Availability and startup (scenario 7)\n")
    out.append("| contender | plaintext | TLS | JVM start to first answered request (plaintext launch) |")
    out.append("|---|---|---|---:|")
    for c in CONTENDERS:
        p = find(rows, c, "7", "plain", 0)
        t = find(rows, c, "7", "tls", 0)
        # A run of scenarios 12-16 alone has only their own launches (plain-sweep, tls-idlesweep, ...).
        p = p or next((m for k, m in rows.items() if k[0] == c and k[1] == "7" and k[2].startswith("plain-")), None)
        t = t or next((m for k, m in rows.items() if k[0] == c and k[1] == "7" and k[2].startswith("tls-")), None)
        if p is None and t is None:
            continue

        def avail(m):
            if m is None:
                return "not run"
            if num(m.get("available")) == 1:
                return "yes"
            return "no: " + m["available"][3]
        start = fmt(num(p.get("startup_to_first_response"))) + " ms" if p and "startup_to_first_response" in p else "n/a"
        out.append(f"| {LABELS[c]} | {avail(p)} | {avail(t)} | {start} |")

    # Issue 6's goals read scenarios 1-10: a run of scenarios 12-16 alone (whose launches record 7 too) leaves them out.
    ran = {k[1] for k in rows}
    older = ran - {"7", "env", "12", "13", "14", "15", "16"}
    if older or not ran & {"12", "13", "14", "15", "16"}:
        goals(rows, out)
    out.append("\n## Throughput (wrk, closed loop, 1 thread; latencies are wrk's)\n")
    out.append("`req per server CPU-s` divides requests by the CPU time the server process used: less sensitive to"
               " other tenants than req/s. The last column is how busy the server's core was, before the launch, with"
               " nothing of ours running.")
    throughput_table(rows, "1", "tls", 64, "Scenario 1: HTTPS keep-alive GET /json, 64 connections", out)
    throughput_table(rows, "1", "tls", 256, "Scenario 1: HTTPS keep-alive GET /json, 256 connections", out)
    throughput_table(rows, "2", "plain", 64, "Scenario 2: HTTP keep-alive GET /json, 64 connections", out)
    throughput_table(rows, "2", "plain", 256, "Scenario 2: HTTP keep-alive GET /json, 256 connections", out)
    throughput_table(rows, "3", "full-handshake", 32,
                     "Scenario 3: a new TLS connection per request, full handshakes (our client, 32 at a time)", out)
    throughput_table(rows, "3", "wrk-close", 32,
                     "Scenario 3b: wrk with `Connection: close` (wrk resumes its TLS session: see the check below)", out)
    check = find(rows, BARE, "3", "session-check", 0)
    if check:
        out.append(f"\nSession check on bare Netty's TLS launch (full-handshake run, then wrk run): `{check['resumed_handshakes'][3]}`."
                   " Our client resumes nothing, so the resumed handshakes are wrk's.")
    throughput_table(rows, "4", "plain", 64, "Scenario 4: HTTP POST /echo of 16 KiB JSON, 64 connections", out)
    app_table(rows, out, info)

    if "6" in ran:
        rate_section(rows, out)
    if "5" in ran:
        idle_section(rows, out)
    if "8" in ran:
        h2_section(rows, out)
    if "10" in ran:
        websocket_section(rows, out)
    if "11" in ran:
        h3_section(rows, out)
    by_limits = load_all(run_dir)
    if ran & {"12", "13", "14", "15", "16"}:
        out.append("\n## Cost as work grows, memory, warm-up (scenarios 12-16)\n")
        sweep_tables(rows, out)
        idle_sweep_table(rows, out)
        warmup_table(rows, out)
    vt_section(rows, out)
    limits_section(by_limits, out)

    jmh = jmh_table(run_dir, out)
    # chart.png shows scenarios 1-10; a run of scenarios 12-16 alone gets their charts only.
    made = chart(run_dir, rows, jmh) if older or not ran & {"12", "13", "14", "15", "16"} else False
    if made:
        out.append("\n## Chart\n\n![chart](chart.png)")
    for png in scale_charts(run_dir, by_limits):
        out.append(f"\n![{png}]({png})")
    with open(os.path.join(run_dir, "report.md"), "w") as f:
        f.write("\n".join(out) + "\n")
    print(os.path.join(run_dir, "report.md"))


def h2_section(rows, out):
    out.append("\n### Scenario 8: HTTP/2 (h2load, 64 connections x 10 streams, 1 thread)\n")
    out.append("`server.http2.enabled=true` on every contender; h2 over TLS by ALPN, h2c by prior knowledge. p50 and p99"
               " come from h2load's per-request log (`--log-file`) of the measured run; its summary has only mean and"
               " max. `errors` counts failed, errored and timed-out requests and answers other than 2xx.")
    for variant, title in (("h2-get", "h2 GET /json"), ("h2-post16k", "h2 POST /echo, 16 KiB"),
                           ("h2c-get", "h2c GET /json"), ("h2c-post16k", "h2c POST /echo, 16 KiB")):
        if not any(find(rows, c, "8", variant) for c in CONTENDERS):
            continue
        out.append(f"\n#### {title}\n")
        out.append("| contender | req/s | p50 ms | p99 ms | mean ms | max ms | errors | req per server CPU-s | x Tomcat |"
                   " p99 x Tomcat | x Reactor Netty |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        ref_t = find(rows, TOMCAT, "8", variant)
        ref_r = find(rows, REACTOR_NETTY, "8", variant)
        rt = num(ref_t.get("rps")) if ref_t and status_of(ref_t) == "ok" else None
        pt = num(ref_t.get("p99_ms")) if ref_t and status_of(ref_t) == "ok" else None
        rr = num(ref_r.get("rps")) if ref_r and status_of(ref_r) == "ok" else None
        for c in CONTENDERS:
            m = find(rows, c, "8", variant)
            if m is None:
                continue
            if status_of(m) != "ok":
                out.append(f"| {LABELS[c]} | {cell_or_reason(m, 'rps')} | | | | | | | | | |")
                continue
            rps = num(m.get("rps"))
            vs_rn = ratio(rps, rr) if c.startswith("webflux-") and c != REACTOR_NETTY else ""
            out.append(f"| {LABELS[c]} | {fmt(rps)} | {cell_or_reason(m, 'p50_ms', 2)} | {cell_or_reason(m, 'p99_ms', 2)} |"
                       f" {cell_or_reason(m, 'mean_ms', 2)} | {cell_or_reason(m, 'max_ms', 2)} |"
                       f" {cell_or_reason(m, 'errors')} | {cell_or_reason(m, 'rps_per_server_cpu')} | {ratio(rps, rt)} |"
                       f" {ratio(num(m.get('p99_ms')), pt)} | {vs_rn} |")


def h3_section(rows, out):
    out.append("\n### Scenario 11: HTTP/3 against HTTP/2 and HTTP/1.1 on the same server (`loadgen closed`)\n")
    out.append("One TLS launch with `server.http2.enabled` and `server.hybrid.http3.enabled`; `GET /json`, closed loop,"
               " the same client (Netty, one event loop) and the same requests in flight for each protocol:"
               " connections x streams over h2 and h3, as many keep-alive connections over HTTP/1.1. Two rounds,"
               " h1-h2-h3 then h3-h2-h1; the ratios are to the same round's HTTP/2 and HTTP/1.1.")
    for c in CONTENDERS:
        if not any(find(rows, c, "11", f"{p}-get-r{r}") for p in ("h1", "h2", "h3") for r in (1, 2)):
            continue
        out.append(f"\n#### {LABELS[c]}\n")
        out.append("| round | protocol | connections | req/s | p50 ms | p99 ms | errors | req per server CPU-s |"
                   " req/s x h2 | req/s x h1 | p99 x h2 | p99 x h1 |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in (1, 2):
            ms = {p: find(rows, c, "11", f"{p}-get-r{r}") for p in ("h1", "h2", "h3")}

            def ok(p):
                return ms[p] is not None and status_of(ms[p]) == "ok"

            for p in ("h1", "h2", "h3"):
                m = ms[p]
                if m is None:
                    continue
                conns = next(k[3] for k in rows if k[0] == c and k[1] == "11" and k[2] == f"{p}-get-r{r}")
                if not ok(p):
                    out.append(f"| {r} | {p} | {conns} | {cell_or_reason(m, 'rps')} | | | | | | | | |")
                    continue
                rps, p99 = num(m.get("rps")), num(m.get("p99_ms"))
                vs = {q: (num(ms[q].get("rps")), num(ms[q].get("p99_ms"))) if ok(q) else (None, None)
                      for q in ("h1", "h2")}
                out.append(f"| {r} | {p} | {conns} | {fmt(rps)} | {cell_or_reason(m, 'p50_ms', 2)} |"
                           f" {cell_or_reason(m, 'p99_ms', 2)} | {cell_or_reason(m, 'errors')} |"
                           f" {cell_or_reason(m, 'rps_per_server_cpu')} | {ratio(rps, vs['h2'][0])} |"
                           f" {ratio(rps, vs['h1'][0])} | {ratio(p99, vs['h2'][1])} | {ratio(p99, vs['h1'][1])} |")


def websocket_section(rows, out):
    out.append("\n### Scenario 10: WebSocket (`bench/loadgen ws-echo` and `ws-idle`, plaintext)\n")
    out.append("Echo: each session sends a text message and waits for it to come back before the next (closed loop);"
               " latency is the round trip. The servlet contenders echo through Spring WebSocket on their Jakarta"
               " WebSocket container, the WebFlux ones through a WebFlux `WebSocketHandler`. Issue 15's goals: ahead"
               " of Tomcat and Reactor Netty in messages/s; idle memory at most a quarter of Tomcat's.\n")
    out.append("| contender | messages/s | p50 ms | p99 ms | p99.9 ms | max ms | msgs per server CPU-s | x Tomcat |"
               " x Reactor Netty |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    echo_keys = [k for k in rows if k[1] == "10" and k[2].startswith("echo-")]
    ref_t = next((rows[k] for k in echo_keys if k[0] == TOMCAT), None)
    ref_r = next((rows[k] for k in echo_keys if k[0] == REACTOR_NETTY), None)
    rt = num(ref_t.get("rps")) if ref_t and status_of(ref_t) == "ok" else None
    rr = num(ref_r.get("rps")) if ref_r and status_of(ref_r) == "ok" else None
    for c in CONTENDERS:
        for k in echo_keys:
            if k[0] != c:
                continue
            m = rows[k]
            if status_of(m) != "ok":
                out.append(f"| {LABELS[c]} | {cell_or_reason(m, 'rps')} | | | | | | | |")
                continue
            rps = num(m.get("rps"))
            out.append(f"| {LABELS[c]} | {fmt(rps)} | {cell_or_reason(m, 'p50_ms', 2)} | {cell_or_reason(m, 'p99_ms', 2)} |"
                       f" {cell_or_reason(m, 'p999_ms', 2)} | {cell_or_reason(m, 'max_ms', 2)} |"
                       f" {cell_or_reason(m, 'rps_per_server_cpu')} | {ratio(rps, rt)} | {ratio(rps, rr)} |")
    out.append("\n| contender | idle sessions | RSS KiB/session | heap KiB/session | direct KiB/session |"
               " total KiB/session | x Tomcat |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    tm = find(rows, TOMCAT, "10", "ws-idle")
    tv = num(tm.get("total_per_connection")) if tm and status_of(tm, "total_per_connection") == "ok" else None
    for c in CONTENDERS:
        m = find(rows, c, "10", "ws-idle")
        if m is None:
            continue
        key = "total_per_connection" if "total_per_connection" in m else "rss_per_connection"
        if status_of(m, key) != "ok":
            out.append(f"| {LABELS[c]} | | {cell_or_reason(m, key)} | | | | |")
            continue
        n = next(k[3] for k in rows if k[0] == c and k[1] == "10" and k[2] == "ws-idle")
        out.append(f"| {LABELS[c]} | {n} | {cell_or_reason(m, 'rss_per_connection', 1)} |"
                   f" {cell_or_reason(m, 'heap_per_connection', 1)} | {cell_or_reason(m, 'direct_per_connection', 1)} |"
                   f" {cell_or_reason(m, 'total_per_connection', 1)} | {ratio(num(m.get('total_per_connection')), tv)} |")


def rate_section(rows, out):
    out.append("\n### Scenario 6: latency at a fixed rate (open loop, `bench/loadgen rate`, 64 connections)\n")
    out.append("Latency counts from when each request was due, so queueing behind a busy connection counts"
               " (no coordinated omission).\n")
    out.append("| contender | target | achieved req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | x Tomcat p99 |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    rate_keys = [k for k in rows if k[1] == "6"]
    tom = next((rows[k] for k in rate_keys if k[0] == TOMCAT), None)
    tp99 = num(tom.get("p99_ms")) if tom and status_of(tom) == "ok" else None
    for c in CONTENDERS:
        for k in rate_keys:
            if k[0] != c:
                continue
            m = rows[k]
            if status_of(m) != "ok":
                out.append(f"| {LABELS[c]} | {k[2]} | {cell_or_reason(m, 'rps')} | | | | | | |")
                continue
            out.append(f"| {LABELS[c]} | {k[2]} | {cell_or_reason(m, 'rps')} | {cell_or_reason(m, 'p50_ms', 2)} |"
                       f" {cell_or_reason(m, 'p90_ms', 2)} | {cell_or_reason(m, 'p99_ms', 2)} |"
                       f" {cell_or_reason(m, 'p999_ms', 2)} | {cell_or_reason(m, 'max_ms', 2)} |"
                       f" {ratio(num(m.get('p99_ms')), tp99)} |")


def idle_section(rows, out):
    out.append("\n### Scenario 5: memory per idle keep-alive connection\n")
    out.append("Each connection made one request, then stayed open. RSS growth is native memory (the heap is"
               " pre-touched: `-XX:+AlwaysPreTouch`), heap is live objects after a full GC, direct is"
               " `ByteBuffer.allocateDirect` (included in RSS). Total = RSS + heap.\n")
    out.append("| contender | transport | connections | RSS KiB/conn | heap KiB/conn | direct KiB/conn | total KiB/conn |"
               " x Tomcat | RSS before -> with |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for variant in ("tls", "plain"):
        tm = find(rows, TOMCAT, "5", variant)
        tv = num(tm.get("total_per_connection")) if tm and status_of(tm, "total_per_connection") == "ok" else None
        for c in CONTENDERS:
            m = find(rows, c, "5", variant)
            if m is None:
                continue
            key = "total_per_connection" if "total_per_connection" in m else "rss_per_connection"
            if status_of(m, key) != "ok":
                out.append(f"| {LABELS[c]} | {variant} | | {cell_or_reason(m, key)} | | | | | |")
                continue
            n = next(k[3] for k in rows if k[0] == c and k[1] == "5" and k[2] == variant)
            out.append(f"| {LABELS[c]} | {variant} | {n} | {cell_or_reason(m, 'rss_per_connection', 1)} |"
                       f" {cell_or_reason(m, 'heap_per_connection', 1)} | {cell_or_reason(m, 'direct_per_connection', 1)} |"
                       f" {cell_or_reason(m, 'total_per_connection', 1)} | {ratio(num(m.get('total_per_connection')), tv)} |"
                       f" {cell_or_reason(m, 'rss_baseline')} -> {cell_or_reason(m, 'rss_with_connections')} MiB |")


def h2load_latency(log_file):
    """Percentiles of h2load's --log-file: one row per request, tab-separated: start (us since the epoch), status
    code, microseconds until the end of the response. h2load's summary has mean and max only. Rows without a status
    (a stream that failed) carry no latency and are left out. Nearest-rank percentiles, in ms."""
    times = []
    with open(log_file) as f:
        for line in f:
            cols = line.split("\t")
            if len(cols) < 3:
                continue
            try:
                status, micros = int(cols[1]), int(cols[2])
            except ValueError:
                continue
            if status > 0:
                times.append(micros)
    if not times:
        return None
    times.sort()

    def rank(q):
        return times[max(0, min(len(times) - 1, -(-len(times) * q // 100) - 1))] / 1000.0

    return {"p50": rank(50), "p90": rank(90), "p99": rank(99), "max": times[-1] / 1000.0, "samples": len(times)}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--h2load-latency":
        # For run.sh: "p50_ms=... p90_ms=... p99_ms=... max_ms=... samples=N", or nothing without samples.
        p = h2load_latency(sys.argv[2])
        if p:
            print(" ".join(f"{k}_ms={p[k]:.3f}" for k in ("p50", "p90", "p99", "max")) + f" samples={p['samples']}")
        sys.exit(0)
    if len(sys.argv) != 2:
        sys.exit("usage: report.py RESULTS_DIR | report.py --h2load-latency H2LOAD_LOG_FILE")
    main(sys.argv[1])
