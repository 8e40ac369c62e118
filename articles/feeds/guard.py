"""The connections a feed fetch may make: only to public addresses, checked on the address actually connected to.

A feed's URL is typed by an editor, and a feed can redirect anywhere: without a check, newsroom could be made to
fetch from the machines beside it (a database's HTTP port, a cloud's metadata service at 169.254.169.254). Checking
the name before the request is not enough, since the name may resolve to another address when the connection is
made (DNS rebinding). So the check lives in the network layer httpx connects through: the host is resolved once,
every address checked, and the connection made to that checked address, while TLS still verifies the certificate
against the host name (SNI and the Host header are those of the URL). Every redirect is a new connection, checked
again the same way.
"""

import ipaddress
import socket
import time
from collections.abc import Callable

import httpcore

DEADLINE_PASSED = "The fetch's deadline passed before the server finished answering."


class AddressRefused(httpcore.ConnectError):
    """The feed's host resolves to an address newsroom does not fetch from (private, loopback, link-local...)."""


def is_public(address: str) -> bool:
    """Return whether `address` (an IPv4 or IPv6 address) is one a feed may be fetched from."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to addresses `allowed` accepts (public ones: `is_public`) and
    cutting every read at `deadline` (a `time.monotonic()` value): a server that trickles its answer byte by byte,
    each byte within the read timeout, is stopped there all the same."""

    def __init__(self, *, allowed: Callable[[str], bool] | None, deadline: float):
        self.allowed, self.deadline = allowed, deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        if self.allowed is not None:
            refused = [address for address in addresses if not self.allowed(address)]
            if refused:
                raise AddressRefused(
                    f"{host} resolves to {', '.join(refused)}, a private, loopback or link-local address: feeds "
                    "are fetched from public addresses only (NEWSROOM_FEEDS_ALLOW_PRIVATE=1 allows others)."
                )
        stream = super().connect_tcp(
            addresses[0],
            port,
            timeout=self._within(timeout),
            local_address=local_address,
            socket_options=socket_options,
        )
        return DeadlineStream(stream, self)

    def _within(self, timeout: float | None) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout(DEADLINE_PASSED)
        return left if timeout is None else min(timeout, left)


def resolve(host: str, port: int) -> list[str]:
    """Return the addresses `host` resolves to, in the resolver's order (the first is the one connected to)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise httpcore.ConnectError(f"{host} could not be resolved: {error.strerror}") from error
    addresses = []
    for *_, sockaddr in found:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits no longer than what is left before the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, backend: GuardedBackend):
        self.stream, self.backend = stream, backend

    def read(self, max_bytes, timeout=None):
        within = self.backend._within(timeout)
        try:
            return self.stream.read(max_bytes, timeout=within)
        except httpcore.ReadTimeout:
            if timeout is None or within < timeout:  # the deadline, not the read timeout, ran out
                raise httpcore.ReadTimeout(DEADLINE_PASSED) from None
            raise

    def write(self, buffer, timeout=None):
        return self.stream.write(buffer, timeout=self.backend._within(timeout))

    def close(self):
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        tls = self.stream.start_tls(ssl_context, server_hostname=server_hostname, timeout=self.backend._within(timeout))
        return DeadlineStream(tls, self.backend)

    def get_extra_info(self, info):
        return self.stream.get_extra_info(info)
