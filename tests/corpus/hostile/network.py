"""Opening sockets: connecting to a listener on 127.0.0.1."""
import socket


def connect(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.0)
    s.connect(("127.0.0.1", port))
    s.sendall(b"stolen")
    return "connected"


def connect_ipv6(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.connect(("::1", port))
    return "connected"
