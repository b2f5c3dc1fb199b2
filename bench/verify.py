#!/usr/bin/env python3
"""verify.py MANIFEST WORKLOAD DLDIR DATAROOT RUN -> prints ok / FAIL:reason.
Sizes are always checked; contents are compared byte for byte on run 1 (cmp is not free)."""
import filecmp, os, sys

manifest, w, dl, data, run = sys.argv[1:6]
for line in open(manifest):
    wl, bucket, key, size = line.rstrip("\n").split("\t")
    if wl != w:
        continue
    dest = os.path.join(dl, os.path.basename(key))
    if not os.path.exists(dest) or os.path.getsize(dest) != int(size):
        print(f"FAIL:size:{key}"); sys.exit(0)
    if run == "1" and not filecmp.cmp(dest, os.path.join(data, bucket, key), shallow=False):
        print(f"FAIL:content:{key}"); sys.exit(0)
extra = len(os.listdir(dl)) - sum(1 for l in open(manifest) if l.split("\t")[0] == w)
print("ok" if extra == 0 else f"FAIL:{extra} extra files (temporaries?)")
