"""Small factories and the named personas the tests are written with."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from partners.choices import OrgKind, PartnerStatus, Role
from partners.models import Membership, Organization, ProductLine, SupplyLink
from prm.accounts.models import User
from prm.core.actor import Actor
from prm.core.regions import resolve_address

PASSWORD = "pass-word-1"
_seq = itertools.count(1)


def brn_check_digit(nine: str) -> int:
    weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    total = sum(int(d) * w for d, w in zip(nine, weights, strict=True))
    total += (int(nine[8]) * 5) // 10
    return (10 - total % 10) % 10


def business_number(n: int | None = None) -> str:
    """A valid 10-digit business registration number, different for each n."""
    n = next(_seq) if n is None else n
    nine = f"{120 + n % 700:03d}81{n % 10000:04d}"
    return nine + str(brn_check_digit(nine))


def product_line(code: str = "aircon", name: str = "에어컨") -> ProductLine:
    line, _ = ProductLine.objects.get_or_create(code=code, defaults={"name": name, "name_en": code.title()})
    return line


def organization(kind: str, name: str, *, bn: str | None = None, address: str = "",
                 lines: list[ProductLine] | None = None, supplier: Organization | None = None,
                 status: str = PartnerStatus.ACTIVE) -> Organization:
    org = Organization(kind=kind, name=name, business_number=bn if bn is not None else business_number(),
                       address=address, status=status)
    region = resolve_address(address) if address else None
    if region:
        org.sido, org.sigungu, org.region_code = region.sido, region.sigungu, region.code
        org.latitude, org.longitude = region.lat, region.lon
    org.save()
    if lines:
        org.product_lines.set(lines)
    if supplier is not None:
        SupplyLink.objects.create(dealer=org, distributor=supplier, is_primary=True)
    return org


def member(org: Organization, role: str, email: str | None = None) -> User:
    email = email or f"{role}.{org.pk}.{next(_seq)}@example.test"
    user = User.objects.create_user(email, PASSWORD, full_name=role.replace("_", " ").title(), language="en")
    Membership.objects.create(user=user, organization=org, role=role)
    return user


@dataclass
class Network:
    """hq_admin at HQ; seoul_distributor supplying dealer_a (Gangnam) and dealer_b (Busan); busan_distributor
    supplying dealer_c; every dealer authorised for air conditioners."""

    hq: Organization
    hq_admin: User
    seoul_distributor: Organization
    seoul_admin: User
    busan_distributor: Organization
    busan_admin: User
    dealer_a: Organization
    dealer_a_user: User
    dealer_b: Organization
    dealer_b_user: User
    dealer_c: Organization
    dealer_c_user: User
    aircon: ProductLine

    def actor(self, user: User) -> Actor:
        from prm.core.actor import actor_for

        actor = actor_for(user)
        assert actor is not None
        return actor


def network(prefix: str = "") -> Network:
    hq = Organization.objects.filter(kind=OrgKind.HQ).first() or organization(OrgKind.HQ, "HQ", bn=None)
    hq_admin = member(hq, Role.HQ_ADMIN)
    aircon = product_line()
    seoul = organization(OrgKind.DISTRIBUTOR, f"{prefix}서울유통", address="서울특별시 중구 세종대로 1")
    busan = organization(OrgKind.DISTRIBUTOR, f"{prefix}부산유통", address="부산광역시 해운대구 해운대로 1")
    dealer_a = organization(OrgKind.DEALER, f"{prefix}강남전자", address="서울특별시 강남구 테헤란로 10",
                            lines=[aircon], supplier=seoul)
    dealer_b = organization(OrgKind.DEALER, f"{prefix}해운대전자", address="부산광역시 해운대구 해운대로 20",
                            lines=[aircon], supplier=seoul)
    dealer_c = organization(OrgKind.DEALER, f"{prefix}대전전자", address="대전광역시 유성구 대학로 5",
                            lines=[aircon], supplier=busan)
    return Network(
        hq=hq, hq_admin=hq_admin,
        seoul_distributor=seoul, seoul_admin=member(seoul, Role.DISTRIBUTOR_ADMIN),
        busan_distributor=busan, busan_admin=member(busan, Role.DISTRIBUTOR_ADMIN),
        dealer_a=dealer_a, dealer_a_user=member(dealer_a, Role.DEALER_ADMIN),
        dealer_b=dealer_b, dealer_b_user=member(dealer_b, Role.DEALER_ADMIN),
        dealer_c=dealer_c, dealer_c_user=member(dealer_c, Role.DEALER_ADMIN),
        aircon=aircon,
    )


def order(**kwargs):  # type: ignore[no-untyped-def]
    """orders.services.order_create with a reachable customer by default."""
    from orders.services import order_create

    kwargs.setdefault("customer_phone", "010-1234-5678")
    return order_create(**kwargs)
