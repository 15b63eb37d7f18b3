"""Looking for the machine around the sandbox: other processes, unix sockets of the host."""
import os
import socket


def processes():
    """Every pid this process can see in /proc, with its command line where readable."""
    seen = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    seen[entry] = fh.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError as exc:
                seen[entry] = type(exc).__name__
    return {"me": os.getpid(), "seen": seen}


def _try(fn):
    try:
        fn()
        return "allowed"
    except OSError as exc:
        return type(exc).__name__


def host_sockets(stream_path, datagram_path):
    """Connect to a stream socket and send to a datagram socket that the host bound at paths."""
    found = {}

    def connect():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(stream_path)
        s.sendall(b"escaped")

    def sendto():
        socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"escaped", datagram_path)

    def sendmsg():
        socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendmsg([b"escaped"], [], 0, datagram_path)

    for name, fn in (("connect", connect), ("sendto", sendto), ("sendmsg", sendmsg)):
        found[name] = _try(fn)
    a, b = socket.socketpair()  # a pair of its own still works (no address involved)
    a.send(b"ping")
    found["socketpair"] = b.recv(4).decode()
    return found
