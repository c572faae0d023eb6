#!/usr/bin/env python3
"""Splits one profile.sh result (async-profiler's collapsed stacks) into where a request's cost goes, per request.

    bench/profile-split.py bench/results/profile-...     # the OUT directory of a profile.sh run with ASYNC_PROFILER

CPU profiles (EVENT=cpu) are split in microseconds of server CPU per request (summary.txt's cpu_us_per_req times each
part's share of the samples); allocation profiles (EVENT=alloc) in KiB per request, where what the server allocates
when Spring MVC calls it (request attributes, headers, response writes) gets a line of its own. Each stack is counted
once, in the first category that matches, in the order below: a class-path lookup made while Thymeleaf renders a link
counts as a class-path lookup, not as Thymeleaf. The categories name the real application's parts (scenario 9); for the
/json contenders most of them are empty. "Calls into the server" are the samples (or allocations) whose innermost
frame outside the JDK is the server's own (the hybrid server's and Netty's, Tomcat's, Jetty's) while Spring MVC runs:
the request and response facades as the application sees them, and its response writes.
"""
import collections
import os
import re
import sys

WORKERS = ("hybrid-worker-", "http-nio", "qtp", "exec-", "reactor-http")
# The servers' own code, as the application calls it (each server's request facade, response buffers).
SERVER_CODE = ("io/hybridserver/", "io/netty/", "org/apache/catalina/", "org/apache/coyote/", "org/apache/tomcat/",
               "org/eclipse/jetty/")
# The benchmark's own applications share the server's package prefix.
APPLICATIONS = ("io/hybridserver/bench/",)
DATA = ("org/hibernate", "org/h2/", "com/zaxxer", "springframework/data", "springframework/orm",
        "springframework/transaction")


def category(frames, alloc):
    thread, stack = frames[0], ";".join(frames)
    if not alloc:
        if "CompilerThre" in thread:
            return "JIT compiler threads"
        if "GC Thread" in thread or "G1 " in thread or "VM Thread" in thread:
            return "GC and VM threads"
    if not any(w in thread for w in WORKERS) or "Poller" in thread or "Acceptor" in thread:
        return "I/O and other threads (event loops, pollers, watchdogs)"
    if "DispatcherServlet.doService" not in stack:
        return "worker, outside Spring MVC (the container, filters, waiting for work)"
    if in_server_code(frames, alloc):
        return "Spring MVC: calls into the server (attributes, headers, response writes)"
    if "ServletContextResource" in stack:
        return "Spring MVC: servlet-context lookups (ServletContextResource, answered by the server)"
    if "ClassPathResource." in stack:
        return "Spring MVC: class-path lookups (ClassPathResource, answered by Boot's class loader)"
    if "org/thymeleaf/" in stack:
        return "Spring MVC: Thymeleaf rendering (the rest)"
    if any(d in stack for d in DATA):
        return "Spring MVC: JPA, Hibernate, H2"
    if "jackson" in stack:
        return "Spring MVC: Jackson"
    return "Spring MVC: the rest (dispatch, views, resource handler, ...)"


def in_server_code(frames, alloc):
    """Whether the innermost frame that is not the JDK's (nor native or the kernel's) is the server's: below an
    allocation (an allocation profile's last frame is the allocated type), or on top of a CPU sample."""
    for frame in reversed(frames[1:-1] if alloc else frames[1:]):
        if "/" not in frame or frame.endswith("_[k]") or frame.startswith(("java/", "jdk/", "sun/")):
            continue
        return frame.startswith(SERVER_CODE) and not frame.startswith(APPLICATIONS)
    return False


def main(out_dir):
    summary = open(os.path.join(out_dir, "summary.txt")).read()
    lines = open(os.path.join(out_dir, "collapsed.txt")).read().splitlines()
    # An allocation profile's stacks end in the allocated type, marked _[i] (in a TLAB) or _[k] (outside one); a CPU
    # profile's end in a method or a kernel function (also _[k]): _[i] tells them apart.
    alloc = any(line.rpartition(" ")[0].endswith("_[i]") for line in lines)
    key, unit, scale = ("alloc_bytes_per_req", "KiB", 1 / 1024) if alloc else ("cpu_us_per_req", "us", 1)
    per_request = float(re.search(key + r"=([0-9.]+)", summary).group(1)) * scale
    parts, total = collections.Counter(), 0
    for line in lines:
        stack, _, count = line.rpartition(" ")
        total += int(count)
        parts[category(stack.split(";"), alloc)] += int(count)
    print(f"| where | share | {unit} per request |")
    print("|---|---:|---:|")
    for name, count in parts.most_common():
        print(f"| {name} | {100 * count / total:.1f}% | {per_request * count / total:,.0f} |")
    print(f"| **all** ({total} samples) | 100% | **{per_request:,.0f}** |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: profile-split.py PROFILE_OUT_DIR")
    main(sys.argv[1])
