#!/usr/bin/env python3
"""arrivals.py GROUP PORT SECONDS PACKET_US [IFACE_ADDR]

Joins GROUP:PORT, takes the kernel's receive timestamp (SO_TIMESTAMPNS) of every RTP packet for SECONDS and
prints the inter-arrival intervals of the stream as a receiver in another host sees them: count, p50, p99,
p99.99, max, and bursts (two consecutive packets closer than half a packet time). Packets of another SSRC than
the first one and sequence gaps are counted apart, not mixed into the intervals.
"""
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = 35


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(round(p / 100.0 * (len(sorted_values) - 1))))
    return sorted_values[index]


def main():
    group, port, seconds, packet_us = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    local = sys.argv[5] if len(sys.argv) > 5 else "0.0.0.0"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind((group, port))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                    socket.inet_aton(group) + socket.inet_aton(local))
    sock.settimeout(1.0)
    intervals = []
    ssrc = None
    last_ns = None
    last_seq = None
    foreign = gaps = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            data, ancillary, _, _ = sock.recvmsg(2048, socket.CMSG_SPACE(16))
        except socket.timeout:
            continue
        if len(data) < 12:
            continue
        stamp = None
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
                sec, nsec = struct.unpack("qq", value[:16])
                stamp = sec * 1_000_000_000 + nsec
        if stamp is None:
            continue
        seq, packet_ssrc = struct.unpack("!H", data[2:4])[0], struct.unpack("!I", data[8:12])[0]
        if ssrc is None:
            ssrc = packet_ssrc
        if packet_ssrc != ssrc:
            foreign += 1
            continue
        if last_seq is not None and seq != (last_seq + 1) & 0xFFFF:
            gaps += 1
            last_ns = None  # an interval across a gap is not one packet time
        if last_ns is not None:
            intervals.append((stamp - last_ns) / 1000.0)
        last_ns, last_seq = stamp, seq
    intervals.sort()
    bursts = sum(1 for v in intervals if v < packet_us / 2)
    over = sum(1 for v in intervals if v > packet_us + 100)
    print("arrivals: %d intervals (packet time %.0f us): p50 %.1f us, p99 %.1f us, p99.99 %.1f us, max %.1f us, "
          "min %.1f us; bursts (< %.0f us) %d; over packet time + 100 us %d; sequence gaps %d, other SSRC %d"
          % (len(intervals), packet_us, percentile(intervals, 50), percentile(intervals, 99),
             percentile(intervals, 99.99), intervals[-1] if intervals else float("nan"),
             intervals[0] if intervals else float("nan"), packet_us / 2, bursts, over, gaps, foreign))
    return 0 if intervals else 1


if __name__ == "__main__":
    sys.exit(main())
