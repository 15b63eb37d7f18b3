"""Forking many processes, and children that call setsid() to leave the process group."""
import os
import time


def fork_many(x):
    forked, refused = 0, 0
    for _ in range(50):
        try:
            pid = os.fork()
        except OSError:
            refused += 1
            continue
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        forked += 1
    return forked, refused


def escape_setsid(x):
    pids = []
    for _ in range(3):
        try:
            pid = os.fork()
        except OSError:
            continue
        if pid == 0:
            os.setsid()
            if os.fork() == 0:  # the grandchild leaves both the group and its parent
                time.sleep(30)
            os._exit(0)
        pids.append(pid)
    time.sleep(0.2)
    return pids
