"""The client's real address: the TCP peer, unless the peer is one of the configured TRUSTED_PROXIES.

A reverse proxy appends the address it received the request from to X-Forwarded-For. Walking that list from the right
and skipping our own proxies gives the first address that no proxy of ours vouches for: the client. A header sent by
anyone else (a client that sets its own X-Forwarded-For to dodge a limit) is ignored. DRF's throttles (every class in
skincare.core.throttling and the apps' own), the login lockout, the OTP limits, consents and the staff audit log all
read the address here; the server command gives uvicorn the same list (--forwarded-allow-ips), so REMOTE_ADDR is
already the client when the request came through a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    out = []
    for item in spec:
        item = item.strip()
        if not item:
            continue
        if item == "*":
            out += [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
            continue
        out.append(ipaddress.ip_network(item, strict=False))
    return tuple(out)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(value: str | None) -> bool:
    networks = trusted_networks()
    return bool(networks) and _in_networks(value or "", networks)  # none configured (the default): no parsing


@lru_cache(maxsize=1024)
def _in_networks(value: str, networks: tuple[Network, ...]) -> bool:
    """Whether `value` is an address in one of `networks`: remembered, as each request asks about its peer."""
    address = _address(value)
    return address is not None and any(address in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address for `request` (a Django or DRF request); None when there is none."""
    if request is None:
        return None
    meta = request.META
    peer = (meta.get("REMOTE_ADDR") or "").strip()
    if not peer:
        return None
    if not is_trusted_proxy(peer):
        return peer
    forwarded = [part.strip() for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        address = _address(hop)
        if address is None:
            return peer  # a garbled header from our own proxy: the proxy is the best we know
        if not any(address in net for net in trusted_networks()):
            return str(address)
    return str(_address(forwarded[0])) if forwarded and _address(forwarded[0]) else peer
