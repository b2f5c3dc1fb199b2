#!/usr/bin/env python3
"""The ceiling: curl, 10 at a time, each an 8 MiB ranged GET written straight into the one
destination file (curl's stdout is the file, opened and seeked to the range's offset; no copy).
Objects of at most 8 MiB are one GET each, run by a single `curl --parallel --parallel-max 10`.
No SigV4 signing: works against nginx only (which ignores auth)."""
import os, subprocess, tempfile
from concurrent.futures import ThreadPoolExecutor
from common import args

CHUNK = 8 * 1024 * 1024
endpoint, objs = args()
small = [o for o in objs if o[2] <= CHUNK]
large = [o for o in objs if o[2] > CHUNK]

if small:
    with tempfile.NamedTemporaryFile("w", suffix=".curlrc", delete=False) as cfg:
        for b, k, _, dest in small:
            cfg.write(f'url = "{endpoint}/{b}/{k}"\noutput = "{dest}"\n')
    subprocess.run(["curl", "-sS", "--no-progress-meter", "--fail", "--parallel", "--parallel-max", "10", "-K", cfg.name], check=True)
    os.unlink(cfg.name)


def ranged(job):
    b, k, dest, start, end = job
    fd = os.open(dest, os.O_WRONLY)
    try:
        os.lseek(fd, start, os.SEEK_SET)
        subprocess.run(["curl", "-sS", "--fail", "-r", f"{start}-{end}", f"{endpoint}/{b}/{k}"],
                       stdout=fd, check=True)
    finally:
        os.close(fd)


jobs = []
for b, k, size, dest in large:
    with open(dest, "wb") as f:
        f.truncate(size)
    for start in range(0, size, CHUNK):
        jobs.append((b, k, dest, start, min(start + CHUNK, size) - 1))
with ThreadPoolExecutor(10) as pool:
    list(pool.map(ranged, jobs))
