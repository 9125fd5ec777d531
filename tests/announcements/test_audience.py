"""The shared targeting (prm/core/audience.py): each criterion alone and combined, empty meaning everyone, tiers
without regard to case, the renamed 강원 (42/51) and 전북 (45/52) codes, product lines. Every case is checked three
ways that must agree: ``audience_q`` (what one partner is shown), ``audience_partners`` (who is told) and the
announcements' set-based read figures (how many HQ counts)."""

from __future__ import annotations

from typing import Any

import pytest

from announcements.models import Announcement
from announcements.selectors import read_figures
from partners.choices import OrgKind, PartnerStatus
from partners.models import Organization, SupplyLink
from prm.core.audience import audience_alias, audience_partners, audience_q
from tests import factories


def partner(name: str, *, kind: str = OrgKind.DEALER, tier: str = "", segments: tuple[str, ...] = (),
            region: str = "", lines: tuple[Any, ...] = (), status: str = PartnerStatus.ACTIVE) -> Organization:
    org = factories.organization(kind, name, status=status)
    org.tier, org.segments, org.region_code = tier, list(segments), region
    org.save(update_fields=["tier", "segments", "region_code"])
    if lines:
        org.product_lines.set(lines)
    return org


@pytest.fixture
def hq(acme: Any) -> Organization:
    return Organization.objects.filter(kind=OrgKind.HQ).first() or factories.organization(OrgKind.HQ, "HQ", bn=None)


def aimed(hq: Organization, *, lines: tuple[Any, ...] = (), **criteria: Any) -> Announcement:
    made = Announcement.objects.create(author_organization=hq, title="공지", **criteria)
    if lines:
        made.product_lines.set(lines)
    return made


def targeted(item: Announcement, *, within: Any = None) -> set[str]:
    """Who ``item`` is for, by name; asserts that the three ways of asking agree."""
    by_partners = set(audience_partners(item, within=within).values_list("name", flat=True))
    if within is None:
        shown_to = {org.name for org in Organization.objects.filter(
            status=PartnerStatus.ACTIVE, kind__in=[OrgKind.DEALER, OrgKind.DISTRIBUTOR])
            if audience_alias(Announcement.objects.filter(pk=item.pk)).filter(
                audience_q(Announcement, org)).exists()}
        assert shown_to == by_partners, (shown_to, by_partners)
        assert read_figures([item.pk])[item.pk].partners == len(by_partners)
    return by_partners


def test_an_empty_audience_is_every_active_partner_but_not_hq(hq):
    partner("딜러"), partner("대리점", kind=OrgKind.DISTRIBUTOR)
    partner("정지된 딜러", status=PartnerStatus.SUSPENDED)
    assert targeted(aimed(hq)) == {"딜러", "대리점"}


def test_partner_kinds_alone(hq):
    partner("딜러"), partner("대리점", kind=OrgKind.DISTRIBUTOR)
    assert targeted(aimed(hq, kinds=[OrgKind.DEALER])) == {"딜러"}
    assert targeted(aimed(hq, kinds=[OrgKind.DISTRIBUTOR])) == {"대리점"}
    assert targeted(aimed(hq, kinds=[OrgKind.DEALER, OrgKind.DISTRIBUTOR])) == {"딜러", "대리점"}


def test_tiers_alone_match_whatever_the_case_and_surrounding_spaces(hq):
    partner("소문자", tier="gold"), partner("대문자", tier="GOLD"), partner("공백", tier=" Gold ")
    partner("실버", tier="Silver"), partner("없음")
    assert targeted(aimed(hq, tiers=["Gold"])) == {"소문자", "대문자", "공백"}
    assert targeted(aimed(hq, tiers=["gold", "silver"])) == {"소문자", "대문자", "공백", "실버"}


def test_a_partner_without_a_tier_is_in_no_tiered_audience(hq):
    partner("없음")
    assert targeted(aimed(hq, tiers=["Gold"])) == set()
    assert targeted(aimed(hq)) == {"없음"}


def test_segments_alone_match_any_one_in_common(hq):
    partner("교육", segments=("education", "retail")), partner("기업", segments=("corporate",)), partner("없음")
    assert targeted(aimed(hq, segments=["education", "healthcare"])) == {"교육"}
    assert targeted(aimed(hq, segments=["retail", "corporate"])) == {"교육", "기업"}


def test_regions_alone_match_the_first_two_digits_of_the_partners_region_code(hq):
    partner("강남", region="11680"), partner("해운대", region="26350"), partner("미상")
    assert targeted(aimed(hq, regions=["11"])) == {"강남"}
    assert targeted(aimed(hq, regions=["11", "26"])) == {"강남", "해운대"}


@pytest.mark.parametrize(("chosen", "placed"), [("51", "42110"), ("42", "51110"), ("52", "45111"), ("45", "52111")])
def test_renamed_provinces_match_under_their_old_and_new_codes(hq, chosen, placed):
    # 강원 42 -> 51 and 전북 45 -> 52: a partner placed under either code is in a region chosen under either
    partner("개명 지역", region=placed), partner("서울", region="11680")
    assert targeted(aimed(hq, regions=[chosen])) == {"개명 지역"}


def test_product_lines_alone_match_partners_authorised_for_any_of_them(hq):
    aircon, tv, fridge = (factories.product_line(c, n) for c, n in (("aircon", "에어컨"), ("tv", "TV"),
                                                                     ("fridge", "냉장고")))
    partner("에어컨", lines=(aircon,)), partner("둘 다", lines=(aircon, tv)), partner("없음")
    assert targeted(aimed(hq, lines=(tv,))) == {"둘 다"}
    assert targeted(aimed(hq, lines=(aircon, fridge))) == {"에어컨", "둘 다"}
    assert targeted(aimed(hq, lines=(fridge,))) == set()


def test_every_criterion_set_must_match(hq):
    aircon = factories.product_line()
    partner("전부 맞음", tier="Gold", segments=("retail",), region="11680", lines=(aircon,))
    partner("지역 다름", tier="Gold", segments=("retail",), region="26350", lines=(aircon,))
    partner("등급 다름", tier="Silver", segments=("retail",), region="11680", lines=(aircon,))
    partner("부문 다름", tier="Gold", segments=("education",), region="11680", lines=(aircon,))
    partner("제품군 없음", tier="Gold", segments=("retail",), region="11680")
    partner("대리점", kind=OrgKind.DISTRIBUTOR, tier="Gold", segments=("retail",), region="11680", lines=(aircon,))
    item = aimed(hq, kinds=[OrgKind.DEALER], tiers=["gold"], segments=["retail"], regions=["11"], lines=(aircon,))
    assert targeted(item) == {"전부 맞음"}


def test_within_narrows_the_audience_to_a_distributors_own_dealers(hq):
    distributor = partner("대리점", kind=OrgKind.DISTRIBUTOR)
    mine, theirs = partner("우리 딜러", tier="Gold"), partner("남의 딜러", tier="Gold")
    pending = partner("승인 대기 딜러", tier="Gold")
    SupplyLink.objects.create(distributor=distributor, dealer=mine, is_primary=True)
    SupplyLink.objects.create(distributor=distributor, dealer=pending, is_approved=False)
    own = Organization.objects.filter(supply_links__distributor=distributor, supply_links__is_approved=True)
    assert targeted(aimed(hq, tiers=["Gold"]), within=own) == {"우리 딜러"}
    assert theirs.name in targeted(aimed(hq, tiers=["Gold"]))
