#!/usr/bin/env python3
"""Explains the late wake-ups of paced real-time threads in a kernel trace (written by stall-trace.sh).

A late interval is either a marker the timer test wrote ("aes67d-late ns=N": it ran N ns after its deadline) or a
wake-up of a watched real-time thread (priority < 100 in the trace, COMM_REGEX) that ran more than THRESHOLD
after its sleep timer's expiry. For each one the trace tells where the time went, on the CPU concerned:
  other tasks  tasks that ran there meanwhile (under PREEMPT_NONE a kernel path runs to its next scheduling
               point even against a SCHED_FIFO thread), named with their share;
  no timer interrupt  the sleep timer's interrupt came late (hrtimer_expire_entry `now` after `expires`): the
               guest takes it as soon as its vCPU runs with interrupts on, so the hypervisor did not run the vCPU
               or the current task (named) had interrupts off in the kernel that long;
  idle CPU did not run it  the timer fired on time and the thread was woken, but the CPU it was woken on
               stayed idle: the reschedule interrupt to a halted vCPU came late (the hypervisor again);
  unexplained  none of these: the thread had the CPU as far as the guest knows: a stall inside the thread (a JVM
               safepoint, a page fault, a lock) or the hypervisor stealing the running vCPU (see the steal time
               stall-trace.sh prints).
usage: analyse-stalls.py TRACE COMM_REGEX [THRESHOLD_MS] [TOP]
"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r'^\s*(?P<comm>.+?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+\S+\s+(?P<ts>\d+\.\d+):\s+(?P<ev>\w+):\s+(?P<rest>.*)$')
FIELDS = re.compile(r'(\w+)=(\S+)')
SWITCH = re.compile(r'prev_comm=(.*?) prev_pid=(\d+) .*next_comm=(.*?) next_pid=(\d+) next_prio=(\d+)')
KEEP_NS = 2_000_000_000  # history kept per CPU: longer than any stall worth explaining
# timers that re-arm themselves without an hrtimer_start event (hrtimer_forward): their expiry in the trace is stale
PERIODIC = {'tick_nohz_handler', 'tick_sched_timer', 'sched_rt_period_timer', 'watchdog_timer_fn'}


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    path, watched = sys.argv[1], re.compile(sys.argv[2])
    threshold = float(sys.argv[3]) * 1e6 if len(sys.argv) > 3 else 1e6
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 15

    armed = {}                # hrtimer pointer -> (expires, function, pid that armed it)
    fired = {}                # pid -> expiry of its sleep timer, once that timer fired
    woken = {}                # pid -> expiry of the sleep timer that woke it
    running = {}              # cpu -> (comm, pid, since)
    ran = defaultdict(list)   # cpu -> [(start, end, comm, pid)]
    late_irqs = defaultdict(list)  # cpu -> [(expires, now, function)] of timer interrupts >= 0.5 ms late
    intervals = []            # (start, end, cpu, pid, comm, source)
    events = 0

    with open(path, errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            events += 1
            ts = int(round(float(m['ts']) * 1e9))
            ev, rest, cpu, pid = m['ev'], m['rest'], int(m['cpu']), int(m['pid'])
            if ev == 'hrtimer_start':
                fl = dict(FIELDS.findall(rest))
                armed[fl.get('hrtimer')] = (int(fl['expires']), fl.get('function', '?'), pid)
            elif ev == 'hrtimer_expire_entry':
                fl = dict(FIELDS.findall(rest))
                t = armed.pop(fl.get('hrtimer'), None)
                if t is None:
                    continue
                expires, function, owner = t
                now = int(fl['now'])
                if now - expires >= 500_000 and function not in PERIODIC:
                    late_irqs[cpu].append((expires, now, function))
                if function == 'hrtimer_wakeup':
                    fired[owner] = expires
            elif ev == 'sched_wakeup':
                target = int(dict(FIELDS.findall(rest)).get('pid', -1))
                if target in fired:
                    woken[target] = fired.pop(target)
            elif ev == 'sched_switch':
                s = SWITCH.search(rest)
                if not s:
                    continue
                cur = running.get(cpu)
                if cur:
                    ran[cpu].append((cur[2], ts, cur[0], cur[1]))
                    while ran[cpu] and ran[cpu][0][1] < ts - KEEP_NS:
                        ran[cpu].pop(0)
                npid, ncomm, nprio = int(s[4]), s[3], int(s[5])
                running[cpu] = (ncomm, npid, ts)
                expires = woken.pop(npid, None)
                if expires is not None and nprio < 100 and watched.search(ncomm) and ts - expires >= threshold:
                    intervals.append((expires, ts, cpu, npid, ncomm, 'wake-up'))
            elif ev == 'tracing_mark_write':
                mk = re.search(r'aes67d-late ns=(\d+)', rest)
                if mk:
                    intervals.append((ts - int(mk[1]), ts, cpu, pid, m['comm'].strip(), 'marker'))

    # the history lists hold only the last KEEP_NS per CPU at the end; explain against the whole trace instead
    ran_all = defaultdict(list)
    running.clear()
    with open(path, errors='replace') as f:
        for line in f:
            if 'sched_switch' not in line:
                continue
            m = LINE.match(line)
            if not m or m['ev'] != 'sched_switch':
                continue
            s = SWITCH.search(m['rest'])
            if not s:
                continue
            ts, cpu = int(round(float(m['ts']) * 1e9)), int(m['cpu'])
            cur = running.get(cpu)
            if cur:
                ran_all[cpu].append((cur[2], ts, cur[0], cur[1]))
            running[cpu] = (s[3], int(s[4]), ts)

    results = []
    for start, end, cpu, pid, comm, source in intervals:
        busy = defaultdict(int)
        for s0, e0, c, p in ran_all[cpu]:
            if e0 > start and s0 < end and p != pid:
                busy[f"{c.strip()}-{p}" if p else "idle"] += min(e0, end) - max(s0, start)
        absent = max((now - max(exp, start) for exp, now, _ in late_irqs[cpu] if now > start and exp < end),
                     default=0)
        others = sum(v for k, v in busy.items() if k != "idle")
        total = end - start
        # a late timer interrupt comes first: no task in user mode can hold one off, so whoever was current
        # then (named anyway) either ran with interrupts off in the kernel or was frozen with the vCPU
        cause = 'no timer interrupt' if absent >= total / 2 else 'other tasks' if others >= total / 2 \
            else 'idle CPU did not run it' if busy.get('idle', 0) >= total / 2 else 'unexplained'
        results.append((total, end, cpu, pid, comm, source, cause, absent, busy))
    results.sort(reverse=True)

    print(f"{events} events; {len(results)} late intervals of at least {threshold / 1e6:.1f} ms "
          f"(timer-test markers and wake-ups of real-time /{watched.pattern}/)")
    causes = defaultdict(int)
    for r in results:
        causes[r[6]] += 1
    print("by cause: " + (", ".join(f"{k} {v}" for k, v in sorted(causes.items())) or "-"))
    for total, end, cpu, pid, comm, source, cause, absent, busy in results[:top]:
        who = ", ".join(f"{k} {v / 1e6:.2f} ms" for k, v in sorted(busy.items(), key=lambda x: -x[1])[:4]) or "-"
        print(f"  {end / 1e9:.6f} cpu{cpu} {comm}-{pid} ({source}) {total / 1e6:.2f} ms late: {cause}; "
              f"timer interrupt up to {absent / 1e6:.2f} ms late; ran meanwhile: {who}")
    worst = sorted(((now - exp, cpu, fn, now) for cpu, lst in late_irqs.items() for exp, now, fn in lst),
                   reverse=True)[:8]
    print("latest timer interrupts anywhere (vCPU not running): " + (", ".join(
        f"{d / 1e6:.2f} ms cpu{cpu} {fn} at {now / 1e9:.3f}" for d, cpu, fn, now in worst) or "-"))


if __name__ == '__main__':
    main()
