"""Pacing: a token bucket in Redis per tenant, shared by every worker process sending for that tenant."""

from __future__ import annotations

import uuid
from typing import Any

from notices import conf, throttle


def test_the_bucket_lets_a_burst_through_then_spaces_the_rest() -> None:
    schema = f"pace-{uuid.uuid4().hex[:8]}"
    # a full bucket: the first second's worth goes at once
    assert throttle.take(schema, 40, rate=40) == 0
    # the next 10 must wait about a quarter of a second (the bucket refills at 40 a second)
    waited = throttle.take(schema, 10, rate=40)
    assert 0.1 < waited <= 0.25
    # another tenant has its own bucket
    assert throttle.take(f"{schema}-other", 40, rate=40) == 0


def test_the_rate_is_a_setting_with_a_per_tenant_override(settings: Any) -> None:
    settings.NOTICES_EMAILS_PER_SECOND = 300
    settings.NOTICES_RATE_BY_TENANT = {"slow": 5}
    assert conf.emails_per_second("acme") == 300
    assert conf.emails_per_second("slow") == 5
