#!/usr/bin/env python3
"""Compares two profile.sh results with stacks (the same page on two servers, or two builds) frame by frame.

    bench/profile-diff.py A_DIR B_DIR [--under FRAME] [--top N]

Both directories come from profile.sh runs with ASYNC_PROFILER (EVENT=cpu). Prints, in microseconds of CPU per
request (each run's cpu_us_per_req shared out by its samples, as profile-split.py does):
  1. profile-split.py's parts side by side;
  2. the methods whose inclusive time differs most between the two, on the request's own threads (the JIT compiler,
     GC and VM threads left out): a method counts once per stack, so a caller's line includes its callees';
  3. the same for self time (the top frame of each sample), which points at the code that actually ran slower.
--under FRAME (a substring, e.g. DispatcherServlet.doService) keeps only the stacks through that frame and only the
frames above it: the application's part of a request, which is the same code on every server.

What it cannot tell: a method that runs slower on one server because its caches are colder and one that runs more
often look alike in a CPU profile; count calls (async-profiler's event=Class.method) to tell them apart.
"""
import argparse
import collections
import importlib.util
import os
import re

_spec = importlib.util.spec_from_file_location("profile_split", os.path.join(os.path.dirname(__file__),
                                                                              "profile-split.py"))
profile_split = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(profile_split)

NOT_THE_REQUEST = ("JIT compiler threads", "GC and VM threads")
# Lambdas, proxies and reflection accessors carry addresses or numbers that differ between runs: one name for each.
ADDRESS = re.compile(r"\$\$Lambda[$./0-9a-fx]*|0x[0-9a-f]+|\$\$SpringCGLIB\$\$[0-9]+|(?<=GeneratedMethodAccessor)[0-9]+"
                     r"|(?<=\$Proxy)[0-9]+")


def load(out_dir):
    summary = open(os.path.join(out_dir, "summary.txt")).read()
    per_request = float(re.search(r"cpu_us_per_req=([0-9.]+)", summary).group(1))
    requests = int(re.search(r"requests=([0-9]+)", summary).group(1))
    stacks = []
    for line in open(os.path.join(out_dir, "collapsed.txt")).read().splitlines():
        stack, _, count = line.rpartition(" ")
        stacks.append((stack.split(";"), int(count)))
    total = sum(count for _, count in stacks)
    return per_request / total, stacks, requests, per_request


def normal(frame):
    return ADDRESS.sub("*", frame.removesuffix("_[j]").removesuffix("_[i]").removesuffix("_[0]"))


def split(run):
    us, stacks, _, _ = run
    parts = collections.Counter()
    for frames, count in stacks:
        parts[profile_split.category(frames, False)] += count * us
    return parts


def methods(run, under):
    """Inclusive and self microseconds per request, per method, on the request's threads."""
    us, stacks, _, _ = run
    inclusive, own = collections.Counter(), collections.Counter()
    for frames, count in stacks:
        if profile_split.category(frames, False) in NOT_THE_REQUEST:
            continue
        body = frames[1:]
        if under:
            at = next((i for i, frame in enumerate(body) if under in frame), None)
            if at is None:
                continue
            body = body[at:]
        names = [normal(frame) for frame in body]
        for name in set(names):
            inclusive[name] += count * us
        if names:
            own[names[-1]] += count * us
    return inclusive, own


def table(title, a, b, top):
    print(f"\n{title}\n")
    print("| method | A | B | A - B |")
    print("|---|---:|---:|---:|")
    for name in sorted(set(a) | set(b), key=lambda n: -abs(a[n] - b[n]))[:top]:
        print(f"| `{name}` | {a[name]:,.1f} | {b[name]:,.1f} | {a[name] - b[name]:+,.1f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--under", help="only stacks through this frame (a substring), from it up")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    a, b = load(args.a), load(args.b)
    print(f"A: {args.a} ({a[3]:,.0f} us per request, {a[2]} requests)")
    print(f"B: {args.b} ({b[3]:,.0f} us per request, {b[2]} requests)\n")
    pa, pb = split(a), split(b)
    print("| part, us per request | A | B | A - B |")
    print("|---|---:|---:|---:|")
    for name in sorted(set(pa) | set(pb), key=lambda n: -(pa[n] + pb[n])):
        print(f"| {name} | {pa[name]:,.0f} | {pb[name]:,.0f} | {pa[name] - pb[name]:+,.0f} |")
    print(f"| **all** | **{a[3]:,.0f}** | **{b[3]:,.0f}** | **{a[3] - b[3]:+,.0f}** |")
    (ia, sa), (ib, sb) = methods(a, args.under), methods(b, args.under)
    where = f" through `{args.under}`" if args.under else ""
    table(f"Inclusive us per request{where}, largest differences first:", ia, ib, args.top)
    table(f"Self us per request{where}, largest differences first:", sa, sb, args.top)


if __name__ == "__main__":
    main()
