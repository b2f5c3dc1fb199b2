"""Shared by the Python clients: argv is ENDPOINT MANIFEST WORKLOAD OUTDIR."""
import os, sys


def args():
    endpoint, manifest, workload, outdir = sys.argv[1:5]
    objs = []
    with open(manifest) as f:
        for line in f:
            w, bucket, key, size = line.rstrip("\n").split("\t")
            if w == workload:
                objs.append((bucket, key, int(size), os.path.join(outdir, os.path.basename(key))))
    return endpoint, objs
