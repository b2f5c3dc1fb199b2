#!/usr/bin/env python3
"""Run one command and measure its whole process tree.

  measure.py OUT.json -- CMD ARGS...

Makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so descendants that get orphaned
(daemonised JVMs, double forks) are re-parented to it: they stay in the sampled tree and their
CPU time is collected when they are reaped. Every 50 ms it walks /proc, finds every descendant
and sums their RSS; the peak of that sum is reported. CPU seconds are user+sys from wait4() of
every reaped descendant (each includes what *it* reaped). Wall time runs from the fork until
the last descendant has exited, so a client that leaves processes behind pays for them (and
they are killed after --grace seconds and reported as leftovers).
"""
import ctypes, json, os, signal, sys, time

PAGE = os.sysconf("SC_PAGE_SIZE")
PR_SET_CHILD_SUBREAPER = 36


def children_map():
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                data = f.read()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: split after the last ')'
        rest = data[data.rindex(b")") + 2:].split()
        ppid = int(rest[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def descendants(root, kids):
    out, stack = [], [root]
    while stack:
        p = stack.pop()
        for c in kids.get(p, ()):
            out.append(c)
            stack.append(c)
    return out


def rss_bytes(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def main():
    argv = sys.argv[1:]
    grace = 30.0
    if argv and argv[0].startswith("--grace="):
        grace = float(argv.pop(0).split("=", 1)[1])
    out_path = argv[0]
    assert argv[1] == "--"
    cmd = argv[2:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
    me = os.getpid()
    # SIGCHLD wakes the sampling loop at once, so the end of the tree is seen without delay
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    user = sys_ = 0.0
    peak = 0
    peak_procs = 0
    status = None
    main_end = None
    leftovers = []
    while True:
        # reap everything that has ended
        while True:
            try:
                p, st, ru = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                p = -1
            if p <= 0:
                break
            user += ru.ru_utime
            sys_ += ru.ru_stime
            if p == pid:
                status = os.waitstatus_to_exitcode(st)
                main_end = time.monotonic()
        kids = children_map()
        tree = descendants(me, kids)
        if status is not None and not tree:
            break
        total = sum(rss_bytes(p) for p in tree)
        peak = max(peak, total)
        peak_procs = max(peak_procs, len(tree))
        if main_end is not None and time.monotonic() - main_end > grace and tree:
            leftovers = tree
            for p in tree:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            grace = float("inf")
        signal.sigtimedwait([signal.SIGCHLD], 0.05)
    wall = time.monotonic() - t0
    result = {
        "cmd": cmd, "exit": status, "wall_s": wall,
        "main_wall_s": (main_end - t0) if main_end else None,
        "user_s": user, "sys_s": sys_, "cpu_s": user + sys_,
        "peak_rss_bytes": peak, "peak_procs": peak_procs, "leftover_pids": leftovers,
    }
    with open(out_path, "w") as f:
        json.dump(result, f)
    sys.exit(status if status else (3 if leftovers else 0))


if __name__ == "__main__":
    main()
