"""Address allow-lists from settings (``METRICS_ALLOWED_NETWORKS``, ``ROUTES_TRUSTED_NETWORKS``)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def networks(setting: str, entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of a setting's entries; a bad entry is an error naming the setting."""
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{setting}: {exc}") from exc


def address_in(address: str | None, allowed: Iterable[Network]) -> bool:
    """Is ``address`` inside one of ``allowed``? An IPv4 client seen through an IPv6 socket
    (``::ffff:a.b.c.d``) counts as its IPv4 address; anything unparsable is outside."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in allowed)
