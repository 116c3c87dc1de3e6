#!/usr/bin/env python3
"""Test tool: what systemd's NOTIFY_SOCKET receives. Binds a unix datagram socket at argv[1] and writes every
message line (READY=1, WATCHDOG=1, STATUS=..., STOPPING=1) to argv[2] as '<epoch ms> <line>'."""
import os
import socket
import sys
import time

path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
with open(log, "a", buffering=1) as out:
    while True:
        data = s.recv(4096).decode("utf-8", "replace")
        now = int(time.time() * 1000)
        for line in data.split("\n"):
            if line:
                out.write(f"{now} {line}\n")
