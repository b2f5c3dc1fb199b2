#!/usr/bin/env python3
"""table.py results.jsonl -> Markdown tables of medians (wall, CPU, peak summed RSS)."""
import json, statistics, sys
from collections import defaultdict

BYTES = {"w0": 1, "w1": 1 << 30, "w2": 500 * 65536, "w3": 16 * (64 << 20)}
OBJS = {"w0": 1, "w1": 1, "w2": 500, "w3": 16}
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
g = defaultdict(list)
for r in rows:
    g[(r["workload"], r["server"], r["client"])].append(r)


def med(rs, k):
    return statistics.median(r[k] for r in rs)


def summary(rs):
    return med(rs, "wall_s"), med(rs, "cpu_s"), med(rs, "peak_rss_bytes") / 2**20


settles = sorted({r.get("settle_s", 0.0) for r in rows if r["workload"] != "w0"})
if settles:
    print("Each timed run started " + " or ".join(f"{s:g}" for s in settles) + " s after the previous run's output was deleted (SETTLE).")
    print()
print("| workload | server | client | runs | wall s | MB/s | objects/s | CPU s | peak RSS MiB | procs | s3pool/peer wall | s3pool/peer CPU | s3pool/peer RSS | check |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (w, s, c), rs in sorted(g.items(), key=lambda kv: (kv[0][0], kv[0][1])):
    if w == "w0" or c.endswith("-warm"):
        continue
    wall, cpu, rss = summary(rs)
    base = g.get((w, s, "s3pool"))
    if base and c != "s3pool":
        bw, bc, br = summary(base)
        ratios = f"{bw / wall:.2f} | {bc / cpu:.2f} | {br / rss:.2f}"
    else:
        ratios = "– | – | –"
    ok = ",".join(sorted({r["verified"] for r in rs} | ({"exit!=0"} if any(r["exit"] for r in rs) else set())))
    print(f"| {w} | {s} | {c} | {len(rs)} | {wall:.2f} | {BYTES[w] / 1e6 / wall:.1f} | {OBJS[w] / wall:.1f} | {cpu:.2f} | {rss:.0f} | {max(r['peak_procs'] for r in rs)} | {ratios} | {ok} |")

warm = {k: v for k, v in g.items() if k[2].endswith("-warm")}
if warm:
    print()
    print("Warm: the same workload again in the same process (downloader, pool or JVMs already running),")
    print("timed inside the process:")
    print()
    print("| workload | server | client | runs | batch s | MB/s | objects/s | s3pool/peer time |")
    print("|---|---|---|---|---|---|---|---|")
    for (w, s, c), rs in sorted(warm.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        t = med(rs, "phase_s")
        base = g.get((w, s, "s3pool-warm"))
        ratio = f"{med(base, 'phase_s') / t:.2f}" if base and c != "s3pool-warm" else "–"
        print(f"| {w} | {s} | {c} | {len(rs)} | {t:.2f} | {BYTES[w] / 1e6 / t:.1f} | {OBJS[w] / t:.1f} | {ratio} |")

cold = {k: v for k, v in g.items() if k[0] == "w0"}
if cold:
    print()
    print("Cold start, one 1-byte object (process start included):")
    print()
    print("| server | client | runs | wall s | CPU s | peak RSS MiB | procs | check |")
    print("|---|---|---|---|---|---|---|---|")
    for (w, s, c), rs in sorted(cold.items()):
        wall, cpu, rss = summary(rs)
        ok = ",".join(sorted({r["verified"] for r in rs}))
        print(f"| {s} | {c} | {len(rs)} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {max(r['peak_procs'] for r in rs)} | {ok} |")
    if any(c == "s3pool-cp-fleet" for (_, _, c) in cold):
        print()
        print("s3pool-cp-fleet: `./s3pool cp --broker` to a fleet (broker, submitter, worker) started before")
        print("the runs; only the cp command's JVM starts, and only it is measured.")
    for c in sorted({c for (_, _, c) in cold if c.startswith("s3pool-cp-jdk")}):
        print()
        print(f"{c}: the same `./s3pool cp` on JDK {c[len('s3pool-cp-jdk'):]} (JAVA_HOME), where the launcher's JVM")
        print("and the children use AOT caches instead of class-data archives.")

# The targets of the performance issue, checked against these medians (nginx, the near-free server).
def rate(w, c, s="nginx"):
    rs = g.get((w, s, c))
    return None if not rs else (BYTES[w] / 1e6 / med(rs, "wall_s"), OBJS[w] / med(rs, "wall_s"))


checks = []


def speed_checks(client, on=""):
    """The speed targets against the reference and curl, for s3pool as `client` runs it."""
    for w in ("w1", "w3"):
        me, ref, curl = rate(w, client), rate(w, "reference"), rate(w, "curl")
        if me and ref:
            checks.append((f"{w} MB/s ≥ 1.3 × reference{on}", me[0], 1.3 * ref[0]))
        if me and curl:
            checks.append((f"{w} MB/s ≥ 0.85 × curl ceiling{on}", me[0], 0.85 * curl[0]))
    me, ref = rate("w2", client), rate("w2", "reference")
    if me and ref:
        checks.append((f"w2 objects/s ≥ 3 × reference{on}", me[1], 3 * ref[1]))


speed_checks("s3pool")
for w in ("w1", "w2", "w3"):
    me, crt = rate(w, "s3pool"), rate(w, "crt")
    if me and crt:
        checks.append((f"{w} {'objects' if w == 'w2' else 'MB'}/s > CRT transfer manager", me[w == "w2"], crt[w == "w2"]))
w1, w3 = g.get(("w1", "nginx", "s3pool")), g.get(("w3", "nginx", "s3pool"))
if w1:
    checks.append(("w1 peak RSS MiB ≤ 500 (lower is better)", -summary(w1)[2], -500.0))
if w1 and w3:
    r1, r3 = summary(w1)[2], summary(w3)[2]
    checks.append(("peak RSS w1 vs w3 within 20% (ratio)", -abs(r1 / r3 - 1), -0.2))
cold_me, cold_ref = g.get(("w0", "nginx", "s3pool-cp")), g.get(("w0", "nginx", "reference"))
if cold_me and cold_ref:
    checks.append(("1-byte cp wall s ≤ 1.5 × reference (lower is better)", -med(cold_me, "wall_s"), -1.5 * med(cold_ref, "wall_s")))
# s3pool's bench driver on a JDK 25 or later (run.sh's s3pool-jdkN): the same speed targets
for c in sorted({c for (_, _, c) in g if c.startswith("s3pool-jdk")}):
    speed_checks(c, f" on JDK {c[len('s3pool-jdk'):]} (not the default JDK here)")
for (w, s, c), rs in sorted(g.items()):
    if w == "w0" and s == "nginx" and c.startswith("s3pool-cp-jdk") and cold_ref:
        checks.append((f"1-byte cp on JDK {c[len('s3pool-cp-jdk'):]} wall s ≤ 1.5 × reference (not the default JDK here)", -med(rs, "wall_s"), -1.5 * med(cold_ref, "wall_s")))
if checks:
    print()
    print("Targets (nginx medians; for memory and cold start lower is better):")
    print()
    print("| target | s3pool | needed | met |")
    print("|---|---|---|---|")
    for name, got, need in checks:
        print(f"| {name} | {abs(got):.2f} | {abs(need):.2f} | {'yes' if got >= need else 'no'} |")
