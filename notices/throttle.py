"""Pacing e-mail per tenant: a token bucket in Redis, shared by every worker process sending for the tenant."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings

# Reserves ``n`` tokens (the bucket may go below zero) and answers how long the caller must wait before sending
# them; the bucket refills at ``rate`` per second up to ``burst``. Redis' clock, so workers on several machines
# agree.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate) - n
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], 3600)
if tokens >= 0 then return '0' end
return tostring(-tokens / rate)
"""

_local_lock = threading.Lock()
_local: dict[str, tuple[float, float]] = {}
_script: Any = None


def _redis_url() -> str | None:
    cache = settings.CACHES.get("default", {})
    if str(cache.get("BACKEND", "")).endswith("RedisCache"):
        return str(cache["LOCATION"])
    return None


def take(schema: str, n: int, *, rate: float) -> float:
    """Wait until ``n`` more e-mails of tenant ``schema`` may go out at ``rate`` per second; returns the seconds
    waited. Without Redis (a bare laptop's demo) the pacing is per process."""
    global _script
    if n <= 0 or rate <= 0:
        return 0.0
    burst = max(rate, float(n))
    url = _redis_url()
    if url is not None:
        if _script is None:
            import redis

            _script = redis.Redis.from_url(url).register_script(_TAKE)
        wait = float(_script(keys=[f"notices:rate:{schema}"], args=[rate, burst, n]))
    else:
        with _local_lock:
            now = time.monotonic()
            tokens, ts = _local.get(schema, (burst, now))
            tokens = min(burst, tokens + (now - ts) * rate) - n
            _local[schema] = (tokens, now)
            wait = -tokens / rate if tokens < 0 else 0.0
    if wait > 0:
        time.sleep(wait)
    return wait
