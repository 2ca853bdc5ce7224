"""Free TCP ports on loopback, for services that must not collide with another run."""

import socket
import time
from contextlib import closing


def free_port() -> int:
    """Ask the kernel for a free port on 127.0.0.1.

    The port is released before it is used, so a race is possible in theory; in practice the
    kernel does not hand the same ephemeral port out again at once.
    """
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout_seconds: float, host: str = "127.0.0.1") -> bool:
    """Poll until something accepts TCP connections on the port, or the budget is spent."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False
