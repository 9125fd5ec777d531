from typing import Any, cast

from django.db import connection


def use_public_schema() -> None:
    """Point the connection at the public schema (django-tenants' backend; the stubs don't know it)."""
    cast(Any, connection).set_schema_to_public()
