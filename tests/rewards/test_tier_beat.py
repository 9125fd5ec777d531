"""Beat's nightly tier job, run for real through a Celery worker: every tenant with a published program gets a
run in its own schema, touching only its own partners, and a tenant without a program is left alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from partners.models import Organization
from rewards.models import PartnerTier, TierRun
from rewards.models.tiers import RunStatus
from tests import factories
from tests.conftest import wait_for
from tests.rewards import tiers_data as data

pytestmark = pytest.mark.worker


def test_the_nightly_run_computes_each_tenant_in_its_own_schema(tenant_factory: Any, celery_worker: Any) -> None:
    from rewards.tier_tasks import recompute_tiers

    # given two tenants whose dealers share ids (each schema has its own sequences), each with its own program,
    first = tenant_factory()
    net1 = factories.network()
    data.program(name="First", tiers=[{"name": "First-Bronze", "rank": 1},
                                      {"name": "First-Gold", "rank": 2, "min_sales": Decimal(100)}])
    data.sale(net1.dealer_a, net1.seoul_distributor, 1_000)
    second = tenant_factory()
    net2 = factories.network()
    data.program(name="Second", tiers=[{"name": "Second-Bronze", "rank": 1},
                                       {"name": "Second-Gold", "rank": 2, "min_sales": Decimal(10_000_000)}])
    data.sale(net2.dealer_b, net2.seoul_distributor, 20_000_000)
    assert net1.dealer_a.pk == net2.dealer_a.pk and net1.dealer_b.pk == net2.dealer_b.pk
    # and a third tenant with no program at all
    third = tenant_factory()
    net3 = factories.network()

    # when beat's job runs (it is queued from the public schema, as beat does)
    connection.set_schema_to_public()
    recompute_tiers.delay()

    # then each tenant's run is done in its own schema with its own tiers
    def tiers_in(tenant: Any) -> dict[int, str]:
        connection.set_tenant(tenant)
        if not TierRun.objects.filter(status=RunStatus.DONE).exists():
            return {}
        return dict(Organization.objects.filter(kind="dealer").values_list("pk", "tier"))

    got_first = wait_for(lambda: tiers_in(first), timeout=60)
    got_second = wait_for(lambda: tiers_in(second), timeout=60)
    assert got_first == {net1.dealer_a.pk: "First-Gold", net1.dealer_b.pk: "First-Bronze",
                         net1.dealer_c.pk: "First-Bronze"}
    assert got_second == {net2.dealer_a.pk: "Second-Bronze", net2.dealer_b.pk: "Second-Gold",
                          net2.dealer_c.pk: "Second-Bronze"}
    connection.set_tenant(first)
    assert TierRun.objects.count() == 1
    assert set(PartnerTier.objects.values_list("tier__name", flat=True)) <= {"First-Bronze", "First-Gold"}
    connection.set_tenant(second)
    assert TierRun.objects.count() == 1
    connection.set_tenant(third)
    assert not TierRun.objects.exists() and not PartnerTier.objects.exists()
    assert set(Organization.objects.filter(kind="dealer").values_list("tier", flat=True)) == {""}
    assert net3.dealer_a.pk == net1.dealer_a.pk
