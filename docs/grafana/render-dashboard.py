#!/usr/bin/env python3
"""Draws every panel of a Grafana dashboard from a Prometheus's data, as a picture for the docs.

Each panel's queries run through Prometheus's /api/v1/query_range with the dashboard's variables replaced
($job, $instance, $__rate_interval), and each series is drawn as Grafana would name it (legendFormat). A query that
returns nothing leaves its panel saying so, which is how a dashboard and a server that disagree show up in the picture.

  python3 docs/grafana/render-dashboard.py --prometheus http://127.0.0.1:9090 \\
      --dashboard docs/grafana/hybrid-server.json --job hybrid-sample --out docs/images/grafana-dashboard.png

GrafanaDashboardTest runs it with -Dhybrid.dashboard.render=docs/images/grafana-dashboard.png (see docs/metrics.md).
Needs matplotlib (Debian: apt-get install -y python3-matplotlib).
"""
import argparse
import json
import math
import re
import time
import urllib.parse
import urllib.request
from datetime import datetime

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

# How Grafana units read on an axis: a scale and a label (bytes/s and seconds get friendlier scales below).
UNIT_LABELS = {"reqps": "requests/s", "ops": "per second", "cps": "connections/s", "Bps": "bytes/s", "s": "seconds",
               "short": ""}


def query_range(prometheus, expr, start, end, step):
    params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{params}", timeout=30) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise SystemExit(f"Prometheus refused {expr}: {body}")
    return body["data"]["result"]


def legend(fmt, labels):
    if not fmt:
        return ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) or "value"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), fmt)


def scaled(unit, values):
    """Values and axis label in a readable scale: milliseconds for short times, KiB/s or MiB/s for bytes."""
    finite = [v for v in values if math.isfinite(v)]
    peak = max(finite) if finite else 0
    if unit == "percentunit":
        return [v * 100 for v in values], "%"
    if unit == "s" and peak < 1:
        return [v * 1000 for v in values], "milliseconds"
    if unit == "Bps" and peak >= 1024 * 1024:
        return [v / (1024 * 1024) for v in values], "MiB/s"
    if unit == "Bps" and peak >= 1024:
        return [v / 1024 for v in values], "KiB/s"
    return values, UNIT_LABELS.get(unit, unit)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prometheus", required=True)
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--job", required=True)
    parser.add_argument("--instance", default=".*")
    parser.add_argument("--rate-interval", default="30s")
    parser.add_argument("--start", type=float, help="epoch seconds (default: 15 minutes ago)")
    parser.add_argument("--end", type=float, help="epoch seconds (default: now)")
    parser.add_argument("--step", default="5")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    end = args.end or time.time()
    start = args.start or end - 900
    with open(args.dashboard, encoding="utf-8") as file:
        dashboard = json.load(file)
    variables = {"$__rate_interval": args.rate_interval, "$instance": args.instance, "$job": args.job}
    panels = sorted(dashboard["panels"], key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"]))

    columns = 2
    rows = math.ceil(len(panels) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(15, 2.9 * rows), squeeze=False)
    figure.suptitle(f"{dashboard['title']}: job {args.job}, "
                    f"{datetime.fromtimestamp(start):%Y-%m-%d %H:%M:%S} to {datetime.fromtimestamp(end):%H:%M:%S}",
                    fontsize=13)
    empty = []
    for index, panel in enumerate(panels):
        axis = axes[index // columns][index % columns]
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
        drawn = 0
        label = UNIT_LABELS.get(unit, unit)
        for target in panel["targets"]:
            expr = target["expr"]
            for name, value in variables.items():
                expr = expr.replace(name, value)
            for series in query_range(args.prometheus, expr, start, end, args.step):
                times = [datetime.fromtimestamp(float(t)) for t, _ in series["values"]]
                values = [float(v) for _, v in series["values"]]
                values, label = scaled(unit, values)
                axis.plot(times, values, linewidth=1.2, label=legend(target.get("legendFormat"), series["metric"]))
                drawn += 1
        axis.set_title(panel["title"], fontsize=10, loc="left")
        axis.set_ylabel(label, fontsize=8)
        axis.tick_params(labelsize=7)
        axis.set_xlim(datetime.fromtimestamp(start), datetime.fromtimestamp(end))
        axis.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M"))
        axis.grid(True, alpha=0.3)
        if drawn:
            axis.set_ylim(bottom=0)
            axis.legend(fontsize=7, loc="upper left", ncol=3, frameon=False)
        else:
            empty.append(panel["title"])
            axis.text(0.5, 0.5, "no data", ha="center", va="center", transform=axis.transAxes, color="grey")
    for index in range(len(panels), rows * columns):
        axes[index // columns][index % columns].axis("off")
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    figure.savefig(args.out, dpi=80)
    print(f"wrote {args.out}: {len(panels)} panels" + (f", no data in: {', '.join(empty)}" if empty else ""))


if __name__ == "__main__":
    main()
