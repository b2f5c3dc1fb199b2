#!/usr/bin/env python3
"""Sum `perf script -F pid,tid,comm,ip,sym,dso` samples (stdin) by process and kind of work.

  profile.py SAMPLES_PER_SECOND < perf-script-output

A process is named by its threads: s3pool-worker-N (worker), s3pool-submitter-N (submitter), a
JVM with neither (the driver, with the embedded broker), nginx, the idle task (pid 0: where the
sampling clock ticks on an idle CPU); anything else is "other" (the kernel's threads among it). The
kinds: the JIT compiler threads, the bytecode interpreter, compiled Java (with the JVM's stubs,
array copies among them), the JVM's own code (class loading, GC, linking), the kernel (system
calls, network, disk), other native code. Prints CPU seconds: samples / SAMPLES_PER_SECOND.
"""
import collections
import re
import sys

LINE = re.compile(r"\s*(?P<comm>.+?)\s+(?P<pid>\d+)/(?P<tid>\d+)\s+[0-9a-f]+\s+(?P<sym>.*?)\s*\((?P<dso>[^()]*)\)\s*$")
KINDS = ["compiler", "interpreter", "compiled", "jvm", "kernel", "native"]
ROLES = ["driver", "submitter", "worker", "nginx", "other", "idle"]


def kind(comm, sym, dso):
    if comm.startswith(("C1 Compiler", "C2 Compiler")):
        return "compiler"
    if "kernel" in dso:
        return "kernel"
    if sym.startswith("Interpreter"):
        return "interpreter"
    if "/perf-" in dso or "[JIT]" in dso:
        return "compiled"
    if dso.endswith("libjvm.so"):
        return "jvm"
    return "native"


def main():
    rate = float(sys.argv[1])
    samples = collections.Counter()
    roles = {}
    jvms = set()
    for line in sys.stdin:
        m = LINE.match(line)
        if not m:
            continue
        comm, pid = m.group("comm"), m.group("pid")
        if pid == "0":
            roles[pid] = "idle"
        elif comm.startswith("s3pool-worker-"):
            roles[pid] = "worker"
        elif comm.startswith("s3pool-submitt"):  # a thread name is cut at 15 characters
            roles[pid] = "submitter"
        elif comm == "nginx":
            roles.setdefault(pid, "nginx")
        if comm.startswith(("C1 Compiler", "C2 Compiler", "VM Thread")):
            jvms.add(pid)
        samples[(pid, kind(comm, m.group("sym"), m.group("dso")))] += 1
    table = collections.defaultdict(collections.Counter)
    for (pid, k), n in samples.items():
        role = roles.get(pid) or ("driver" if pid in jvms else "other")
        table[role][k] += n
    def show(name, row):
        print(f"{name:<14}" + "".join(f"{row[k] / rate:12.2f}" for k in KINDS)
              + f"{sum(row.values()) / rate:10.2f}")

    print("CPU seconds   " + "".join(f"{k:>12}" for k in KINDS) + f"{'total':>10}")
    busy = collections.Counter()
    for role in ROLES[:-1]:
        if role in table:
            busy.update(table[role])
            show(role, table[role])
    show("busy", busy)
    show("idle", table["idle"])


if __name__ == "__main__":
    main()
