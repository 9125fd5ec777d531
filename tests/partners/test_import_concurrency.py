"""Two distributors upload lists naming the same new dealers at the same instant.

Each import runs in its own thread on its own database connection, with committed rows (``live_tenant``), so
the two transactions really overlap. Both must succeed: one creates the dealers and supplies them, the other's
links wait for HQ (imports in one tenant take turns, see ``_take_turn`` in partners/services/dealer_lists.py),
and no dealer is created twice or fails on the unique business number.
"""

from __future__ import annotations

import csv
import io
import threading
from typing import Any

from django.db import connection
from django.db.models import Count

from partners.choices import OrgKind, Role
from partners.models import Membership, Organization, SupplyLink
from partners.services import dealer_lists
from partners.services.dealer_lists import ImportReport, dealer_list_apply
from prm.core.actor import Actor
from tests import factories

N = 30
TIMEOUT = 60  # seconds a thread may take; far more than an import of N rows needs


def _numbers() -> list[str]:
    # Business type 87: tests/factories.py gives every organisation it makes type 81, so none can collide.
    nines = [f"{300 + i:03d}87{i + 1:04d}" for i in range(N)]
    return [nine + str(factories.brn_check_digit(nine)) for nine in nines]


def _dealer_list(numbers: list[str], prefix: str, address: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["사업자등록번호", "상호", "대표자", "전화번호", "주소", "업종"])
    for i, number in enumerate(numbers):
        writer.writerow([number, f"{prefix}전자 {i + 1}호점", "홍길동", "02-555-0101", address, "소매"])
    return text.getvalue().encode("utf-8-sig")


def _distributor(name: str) -> tuple[Organization, Actor]:
    distributor = factories.organization(OrgKind.DISTRIBUTOR, name, address="서울특별시 중구 세종대로 1")
    user = factories.member(distributor, Role.DISTRIBUTOR_ADMIN)
    membership = Membership.objects.select_related("organization", "user").get(user=user)
    return distributor, Actor.from_membership(membership)


def test_two_distributors_listing_the_same_new_dealers_at_once_create_each_dealer_once(live_tenant, monkeypatch):
    # given two distributors, each with a list of the same N new business numbers (under names of its own)
    numbers = _numbers()
    seoul, seoul_actor = _distributor("서울유통")
    busan, busan_actor = _distributor("부산유통")
    lists = {
        seoul.pk: _dealer_list(numbers, "서울", "서울특별시 강남구 테헤란로 152"),
        busan.pk: _dealer_list(numbers, "부산", "부산광역시 해운대구 센텀중앙로 79"),
    }
    assert not Organization.objects.filter(business_number__in=numbers).exists()

    # Both imports read and check their list inside their transaction, then wait here for each other: both
    # transactions are open before either writes, whatever the threads' timing. Without the imports taking
    # turns, both would see no dealer and both would insert them.
    both_checked = threading.Barrier(2, timeout=TIMEOUT)
    clean = dealer_lists.clean_dealer_table

    def clean_then_wait(*args: Any, **kwargs: Any) -> Any:
        result = clean(*args, **kwargs)
        both_checked.wait()
        return result

    monkeypatch.setattr(dealer_lists, "clean_dealer_table", clean_then_wait)

    start = threading.Barrier(2, timeout=TIMEOUT)
    reports: dict[int, ImportReport] = {}
    errors: dict[int, BaseException] = {}

    def upload(distributor: Organization, actor: Actor) -> None:
        try:
            connection.set_tenant(live_tenant)
            connection.ensure_connection()
            start.wait()
            reports[distributor.pk] = dealer_list_apply(actor=actor, distributor=distributor,
                                                        data=lists[distributor.pk], filename="dealers.csv")
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors[distributor.pk] = exc
            both_checked.abort()  # don't leave the other thread waiting for this one
        finally:
            connection.close()

    # when both upload at the same instant
    threads = [threading.Thread(target=upload, args=(seoul, seoul_actor), name="seoul-import"),
               threading.Thread(target=upload, args=(busan, busan_actor), name="busan-import")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "an import did not finish"

    # then both succeed
    assert errors == {}, {pk: repr(exc) for pk, exc in errors.items()}
    assert set(reports) == {seoul.pk, busan.pk}

    # and each business number exists exactly once
    counts = {row["business_number"]: row["n"] for row in Organization.objects.filter(
        business_number__in=numbers).values("business_number").annotate(n=Count("id"))}
    assert counts == dict.fromkeys(numbers, 1)

    # and the two reports together: N created once, N flagged once, nothing else
    summary = {pk: (r.created, r.updated, r.unchanged, len(r.flagged), len(r.rejected), len(r.warnings))
               for pk, r in reports.items()}
    assert sorted(summary.values()) == [(0, 0, N, N, 0, 0), (N, 0, 0, 0, 0, 0)], summary
    first = next(pk for pk, r in reports.items() if r.created == N)
    second = busan.pk if first == seoul.pk else seoul.pk
    assert sorted(f["business_number"] for f in reports[second].flagged) == sorted(numbers)

    # and the first is every dealer's primary, approved supplier; the second's link waits for HQ
    links = {}
    for dealer_number, distributor_id, is_primary, is_approved in SupplyLink.objects.filter(
            dealer__business_number__in=numbers).values_list("dealer__business_number", "distributor_id",
                                                             "is_primary", "is_approved"):
        links.setdefault(dealer_number, set()).add((distributor_id, is_primary, is_approved))
    assert links == dict.fromkeys(numbers, {(first, True, True), (second, False, False)})

    # and every dealer is flagged for HQ, with the profile the first list gave it (the second changed nothing)
    dealers = Organization.objects.filter(business_number__in=numbers)
    assert set(dealers.values_list("kind", flat=True)) == {OrgKind.DEALER}
    assert all(dealers.values_list("needs_review", flat=True))
    prefix = "서울" if first == seoul.pk else "부산"
    assert all(name.startswith(prefix) for name in dealers.values_list("name", flat=True))
