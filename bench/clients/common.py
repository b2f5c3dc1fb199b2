"""Shared by the Python clients: argv is ENDPOINT MANIFEST WORKLOAD OUTDIR [warm]."""
import os, sys, time


def warm(batch, objs):
    """Runs the workload; with "warm" in argv, once untimed, then, $BENCH_SETTLE seconds after
    its files were deleted, again, timed, into $BENCH_PHASE_FILE (the downloader already
    running: a long-lived user's view)."""
    if len(sys.argv) > 5 and sys.argv[5] == "warm":
        batch()
        for _, _, _, dest in objs:
            os.remove(dest)
        time.sleep(float(os.environ.get("BENCH_SETTLE") or 0))
        start = time.monotonic()
        batch()
        with open(os.environ["BENCH_PHASE_FILE"], "w") as f:
            f.write(str(time.monotonic() - start))
    else:
        batch()


def args():
    endpoint, manifest, workload, outdir = sys.argv[1:5]
    objs = []
    with open(manifest) as f:
        for line in f:
            w, bucket, key, size = line.rstrip("\n").split("\t")
            if w == workload:
                objs.append((bucket, key, int(size), os.path.join(outdir, os.path.basename(key))))
    return endpoint, objs
