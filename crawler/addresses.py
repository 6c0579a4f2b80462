"""Which addresses the crawler may reach: public ones, plus what ``allow_private_networks`` lists.

A listed network (``"10.1.2.0/24"``) or address admits the private addresses inside it; a listed
host name admits whatever that name resolves to. Cloud instance metadata addresses are never
admitted by a broader entry (a ``169.254.0.0/16`` or a host name): only an entry naming exactly
that address, because a crawler that reaches them can leak the machine's credentials.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# AWS/GCP/Azure/OpenStack, AWS ECS task metadata, Alibaba Cloud, AWS over IPv6.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"))


def parse_ip(address: str) -> IPAddress:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def is_public_address(address: str) -> bool:
    ip = parse_ip(address)
    return ip.is_global and not ip.is_multicast


class AddressPolicy:
    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.networks: list[IPNetwork] = []
        self.hosts: set[str] = set()
        for entry in allowed:
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry.lower().rstrip("."))

    def refused(self, host: str, addresses: list[str]) -> list[str]:
        """The addresses of ``host`` the crawler may not reach."""
        named = host.lower().rstrip(".") in self.hosts
        return [a for a in addresses if not is_public_address(a) and not self._allowed(parse_ip(a), named)]

    def _allowed(self, ip: IPAddress, named: bool) -> bool:
        if ip in METADATA_ADDRESSES:
            return any(net.num_addresses == 1 and ip in net for net in self.networks)
        return named or any(ip in net for net in self.networks)
