from typing import Any

import pytest

from tests import factories


@pytest.fixture
def net(acme: Any) -> factories.Network:
    """hq_admin; seoul_distributor supplying dealer_a (Seoul) and dealer_b (Busan); busan_distributor supplying
    dealer_c (Daejeon); every dealer authorised for air conditioners."""
    return factories.network()
