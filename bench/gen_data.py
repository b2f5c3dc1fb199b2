#!/usr/bin/env python3
"""Generate the benchmark objects once (deterministic pseudo-random bytes).

  gen_data.py ROOT        -> ROOT/bench/{w0,w1,w2,w3}/... and ROOT/manifest.tsv

The tree is served as-is by nginx (ROOT is its document root: /BUCKET/KEY) and uploaded to
S3Proxy. Skips work when the manifest exists and every file has its size.
"""
import os, random, sys

MiB = 1024 * 1024
BUCKET = "bench"
WORKLOADS = {
    "w0": [("w0/one-byte.bin", 1)],
    "w1": [("w1/object-1GiB.bin", 1024 * MiB)],
    "w2": [(f"w2/obj-{i:04d}.bin", 64 * 1024) for i in range(500)],
    "w3": [(f"w3/obj-{i:02d}.bin", 64 * MiB) for i in range(16)],
}


def write(path, size, seed):
    rng = random.Random(seed)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        left = size
        while left:
            n = min(left, 4 * MiB)
            f.write(rng.randbytes(n))
            left -= n
    os.replace(tmp, path)


def main():
    root = sys.argv[1]
    manifest = os.path.join(root, "manifest.tsv")
    rows = []
    for w, objs in WORKLOADS.items():
        for key, size in objs:
            rows.append((w, key, size))
    for i, (w, key, size) in enumerate(rows):
        path = os.path.join(root, BUCKET, key)
        if os.path.exists(path) and os.path.getsize(path) == size:
            continue
        write(path, size, seed=f"s3pool-bench:{key}")
    with open(manifest + ".tmp", "w") as f:
        for w, key, size in rows:
            f.write(f"{w}\t{BUCKET}\t{key}\t{size}\n")
    os.replace(manifest + ".tmp", manifest)


if __name__ == "__main__":
    main()
