#!/usr/bin/env python3
"""Watches the engine threads of every daemon on the host and reports each one that did not run for more than
THRESHOLD_MS: its scheduler state (R = runnable but kept off the CPU, S/D = waiting), wait channel and kernel
stack when the stall is seen, and when it ends how long it lasted and how much CPU the clock threads of all
daemons took meanwhile. It complements stall-trace.sh (late wake-ups from a kernel trace): a thread kept off
the CPU by a spinning one shows here. Run it at a priority above the engine's so it is not kept off itself:

    chrt -f 99 bundles/org.aes67d.driver.userspace/bench/thread-stalls.py [THRESHOLD_MS [SECONDS]]

Needs root (kernel stacks). Threads are found by name (aes67d-clock, aes67d-rx), again every 2 s. An engine
without streams shows as waiting (state S): its clock thread sleeps 50-100 ms at a time and its receiver waits in
epoll; that is idle, not a stall.
"""
import glob
import sys
import time

THRESHOLD = float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else 0.150
DURATION = float(sys.argv[2]) if len(sys.argv) > 2 else 600
NAMES = ("aes67d-clock", "aes67d-rx")
PERIOD = 0.005


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def engine_threads():
    found = {}
    for comm in glob.glob("/proc/[0-9]*/task/[0-9]*/comm"):
        name = read(comm).strip()
        if name in NAMES:
            found[comm[:-len("/comm")]] = name
    return found


def main():
    threads, ran, since, stalled, clock_cpu_at_stall = {}, {}, {}, set(), {}
    start = time.monotonic()
    last_scan = -10.0
    while time.monotonic() - start < DURATION:
        now = time.monotonic()
        if now - last_scan > 2:
            threads, last_scan = engine_threads(), now
        for task, name in list(threads.items()):
            fields = read(task + "/schedstat").split()
            if not fields:
                threads.pop(task)  # the thread or its daemon ended
                continue
            run_ns = int(fields[0])
            if ran.get(task) != run_ns:
                if task in stalled:
                    stalled.discard(task)
                    before = clock_cpu_at_stall.pop(task)
                    used = sum(ran.get(t, 0) - ns for t, ns in before.items()) / 1e6
                    print(f"{time.strftime('%H:%M:%S')} {task} {name} ran again after "
                          f"{1000 * (now - since[task]):.0f} ms; meanwhile the clock threads ran {used:.0f} ms",
                          flush=True)
                ran[task], since[task] = run_ns, now
            elif task not in stalled and now - since[task] > THRESHOLD:
                stat = read(task + "/stat")
                state = stat.rsplit(") ", 1)[-1].split()[0] if stat else "?"
                stack = " | ".join(read(task + "/stack").split("\n")).strip(" |")
                print(f"{time.strftime('%H:%M:%S')} {task} {name} has not run for {1000 * (now - since[task]):.0f} ms:"
                      f" state {state}, wchan {read(task + '/wchan') or '-'}\n  kernel stack: {stack}", flush=True)
                stalled.add(task)
                clock_cpu_at_stall[task] = {t: ran.get(t, 0) for t, n in threads.items() if n == "aes67d-clock"}
        time.sleep(PERIOD)


if __name__ == "__main__":
    main()
