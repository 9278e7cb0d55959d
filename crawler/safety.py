"""SSRF policy: which resolved addresses a crawl may connect to (DESIGN.md §6).

A page on the public web can link to, or redirect to, `http://169.254.169.254/` or a host name
that resolves to 10.0.0.1. The crawler refuses private, loopback, link-local, multicast,
reserved and unspecified addresses unless explicitly allowed (`--allow-private`, the tests and
the demo), and checks the address that was resolved, not the name. Pure functions here; the
Scrapy middleware in `crawler/middlewares.py` does the resolving.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(Exception):
    """The target resolves to an address the crawl may not reach."""


def parse_allowlist(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDRs (or single addresses) that stay reachable while private targets are refused."""
    out = []
    for v in values:
        v = v.strip()
        if v:
            out.append(ipaddress.ip_network(v, strict=False))
    return tuple(out)


def refusal_reason(address: str, allowlist: Sequence[Network] = ()) -> str | None:
    """Why connecting to `address` is refused (e.g. "private address 10.0.0.1"), or None."""
    try:
        ip: Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"unparseable address {address!r}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in allowlist):
        return None
    for label, test in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return f"{label} address {ip}"
    if not ip.is_global:
        return f"non-global address {ip}"
    return None


def resolve(host: str, port: int | None) -> list[str]:
    """All addresses `host` resolves to (blocking; call it from a thread).

    An empty list when the name does not resolve: the download then fails with Scrapy's own
    DNS error, which is recorded as such (a DNS failure is not a refusal).
    """
    try:
        infos = socket.getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def check_host(host: str, port: int | None, allowlist: Sequence[Network] = ()) -> None:
    """Raise UnsafeTarget when any address of `host` is refused (blocking)."""
    try:
        addresses = [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        addresses = resolve(host, port)
    for address in addresses:
        reason = refusal_reason(address, allowlist)
        if reason:
            raise UnsafeTarget(f"refused: {host} is a {reason}")
