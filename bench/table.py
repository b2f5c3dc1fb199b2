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


print("| workload | server | client | runs | wall s | MB/s | objects/s | CPU s | peak RSS MiB | procs | s3pool/peer wall | s3pool/peer CPU | s3pool/peer RSS | check |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (w, s, c), rs in sorted(g.items(), key=lambda kv: (kv[0][0], kv[0][1])):
    if w == "w0":
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
