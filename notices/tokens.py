"""The unsubscribe link's token: who, which category, which tenant, signed (no login needed to use it)."""

from __future__ import annotations

from django.core import signing

SALT = "notices.unsubscribe"


class BadToken(Exception):
    """The link was altered, cut short, or belongs to another tenant."""


def make_token(*, user_id: int, category: str, schema: str) -> str:
    return signing.dumps([user_id, category, schema], salt=SALT, compress=False)


def read_token(token: str, *, schema: str) -> tuple[int, str]:
    """(user id, category) of a token made for tenant ``schema``; BadToken for anything else."""
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise BadToken from None
    if (not isinstance(value, list) or len(value) != 3 or not isinstance(value[0], int)
            or not isinstance(value[1], str) or value[2] != schema):
        raise BadToken
    return value[0], value[1]
