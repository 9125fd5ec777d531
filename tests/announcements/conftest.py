from typing import Any

import pytest

from tests import factories


@pytest.fixture
def net(acme: Any) -> factories.Network:
    """hq_admin; seoul_distributor supplying dealer_a and dealer_b; busan_distributor supplying dealer_c."""
    return factories.network()
