"""An outbound-network guard for a whole Python process, loaded by `site` at start-up.

Put this folder first on PYTHONPATH and set LANDSCAPE_OUTBOUND_LOG to a file: every attempt to
reach a host other than this machine's loopback (a TCP or UDP connect, a datagram sent to an
address, or the name lookup of a non-local host, which would query DNS) is appended to that file
as one JSON line (what, where, the process and the calling frames) and refused, so the attempt
fails at once instead of waiting on a network that an offline deployment does not have.
Child Python processes inherit the environment, so they are guarded too.

Without LANDSCAPE_OUTBOUND_LOG it does nothing. It sees only what goes through Python's `socket`
module (Streamlit's server, requests, urllib, asyncio's selector loop all do); a C extension
opening its own sockets would pass unseen.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import traceback
from typing import Any

LOG_ENV = "LANDSCAPE_OUTBOUND_LOG"
LOCAL_NAMES = frozenset({"", "localhost", "localhost.localdomain", "ip6-localhost"})


def is_local_host(host: object) -> bool:
    """True for loopback and the unspecified address (which the kernel routes to this machine)."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip().lower().rstrip(".")
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])  # drop an IPv6 scope id
    except ValueError:
        return False  # a name other than localhost: resolving it would ask DNS
    return address.is_loopback or address.is_unspecified


def _is_local_target(family: int, address: object) -> bool:
    if family == getattr(socket, "AF_UNIX", None) or not isinstance(address, tuple):
        return True  # a Unix socket path never leaves the machine
    return is_local_host(address[0])


def record(kind: str, target: object, log_path: str) -> None:
    frames = traceback.extract_stack()[:-2]  # without record() and the wrapper
    entry = {
        "kind": kind,
        "target": repr(target),
        "pid": os.getpid(),
        "stack": [f"{f.filename}:{f.lineno} {f.name}" for f in frames[-8:]],
    }
    with open(log_path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def refusal(kind: str, target: object) -> OSError:
    return ConnectionRefusedError(
        errno.ECONNREFUSED, f"outbound {kind} to {target!r} refused by the test guard"
    )


def install(log_path: str) -> None:
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_sendto = socket.socket.sendto
    original_getaddrinfo = socket.getaddrinfo
    original_gethostbyname = socket.gethostbyname
    original_gethostbyname_ex = socket.gethostbyname_ex

    def connect(self: socket.socket, address: Any) -> None:
        if not _is_local_target(self.family, address):
            record("connect", address, log_path)
            raise refusal("connect", address)
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_local_target(self.family, address):
            record("connect_ex", address, log_path)
            return errno.ECONNREFUSED
        return original_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        address = args[-1]  # sendto(data, address) or sendto(data, flags, address)
        if not _is_local_target(self.family, address):
            record("sendto", address, log_path)
            raise refusal("sendto", address)
        return original_sendto(self, data, *args)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local_host(host):
            try:
                ipaddress.ip_address(str(host).split("%", 1)[0])
            except ValueError:  # a literal address needs no DNS: connect() judges it
                record("getaddrinfo", host, log_path)
                raise socket.gaierror(socket.EAI_NONAME, f"lookup of {host!r} refused") from None
        return original_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host: str) -> str:
        if not is_local_host(host):
            record("gethostbyname", host, log_path)
            raise socket.gaierror(socket.EAI_NONAME, f"lookup of {host!r} refused")
        return original_gethostbyname(host)

    def gethostbyname_ex(host: str) -> Any:
        if not is_local_host(host):
            record("gethostbyname_ex", host, log_path)
            raise socket.gaierror(socket.EAI_NONAME, f"lookup of {host!r} refused")
        return original_gethostbyname_ex(host)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.socket.sendto = sendto  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex


if os.environ.get(LOG_ENV):
    install(os.environ[LOG_ENV])
