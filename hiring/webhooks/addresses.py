"""Where a webhook may be sent: public addresses only, unless the deployment allows
its own network (``WEBHOOK_ALLOW_PRIVATE_NETWORKS``).

Otherwise anyone who may register an endpoint could make the worker POST to the
service's own admin, a cache on localhost or a cloud metadata address, and learn
from the replies (server-side request forgery). The rule is applied when an endpoint
is saved (``hiring.validators.WebhookUrlValidator``) and again at every delivery,
after resolving the name (``hiring.webhooks.delivery``): a name may point elsewhere
by then. Imports nothing of ours.
"""

import re
import socket
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import idna
from django.conf import settings

IPAddress = IPv4Address | IPv6Address

# Names that are this machine or a local network by definition (RFC 6761 localhost,
# RFC 6762 .local, RFC 8375 .home.arpa, ICANN's .internal).
LOCAL_NAMES = ("localhost",)
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")

# IPv6 addresses that carry an IPv4 one, which is what they reach.
_NAT64 = (ip_network("64:ff9b::/96"), ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ip_network("::/96")  # deprecated ::a.b.c.d (:: and ::1 aside)
_UNIQUE_LOCAL = ip_network("fc00::/7")
_SITE_LOCAL = ip_network("fec0::/10")

# A host written the way inet_aton reads it but not as four decimal numbers:
# 2130706433, 0x7f000001, 0177.0.0.1, 127.1 all mean 127.0.0.1 to a resolver.
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}", re.I)


def private_networks_allowed() -> bool:
    return settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _NAT64) or (
        address in _IPV4_COMPATIBLE and int(address) > 1
    ):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def non_public(address: IPAddress) -> str | None:
    """What keeps an address off the public internet ("a loopback address"), or None
    for a public one. An IPv6 address carrying an IPv4 one is judged by the latter."""
    if isinstance(address, IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            kind = non_public(inner)
            return f"{kind} ({inner})" if kind else None
    kinds = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, IPv6Address) and address in _UNIQUE_LOCAL, "a unique-local address"),
        (isinstance(address, IPv6Address) and address in _SITE_LOCAL, "a site-local address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a public address"),
    )
    return next((kind for refused, kind in kinds if refused), None)


def literal_address(host: str) -> IPAddress | None:
    """The address a host names when it is an IP address (IPv6 without brackets)."""
    try:
        return ip_address(host)
    except ValueError:
        return None


def numeric_spelling(host: str) -> IPv4Address | None:
    """The IPv4 address a host means when it is written in a resolver's other
    spellings (decimal, octal, hex, fewer than four parts), else None."""
    if not _NUMERIC_HOST.fullmatch(host) or literal_address(host) is not None:
        return None
    try:
        return IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def local_name(host: str) -> bool:
    name = host.lower()
    return name in LOCAL_NAMES or name.endswith(LOCAL_SUFFIXES)


def ascii_host(host: str) -> str:
    """The host as it goes on the wire: an internationalised name in its IDNA 2008
    (UTS #46) form, e.g. bücher.example -> xn--bcher-kva.example. Raises
    ``idna.IDNAError`` (a ``UnicodeError``) for a name that has none."""
    if host.isascii():
        return host.lower()
    return idna.encode(host, uts46=True).decode("ascii")


def refusal(host: str) -> str | None:
    """Why a URL's host (ASCII, no brackets) may not receive webhooks, from its
    spelling alone; None if it may (names are checked again once resolved)."""
    if private_networks_allowed():
        return None
    address = literal_address(host)
    if address is not None:
        kind = non_public(address)
        return f"{host} is {kind}" if kind else None
    if local_name(host):
        return f"{host} names this machine or a local network"
    return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses a name resolves to now, in the resolver's order (the one place
    the worker looks a name up)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in found))


class Refused(Exception):
    """The receiver's address is not public (and private networks are not allowed)."""


def addresses_to_connect(host: str, port: int) -> list[str]:
    """The checked addresses to connect to for ``host``: the caller connects to one
    of these and never resolves the name again, so what was checked is what is
    reached. Raises ``Refused`` when any address is not public, ``OSError`` when
    the name does not resolve."""
    literal = literal_address(host)
    addresses = [str(literal)] if literal is not None else resolve(host, port)
    if not private_networks_allowed():
        for address in addresses:
            kind = non_public(ip_address(address))
            if kind:
                named = host if literal is not None else f"{host} resolves to {address}, which"
                raise Refused(f"{named} is {kind}")
    return addresses
