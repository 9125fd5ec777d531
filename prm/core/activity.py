"""The activity log: every meaningful partner action, for the data mart (who did what, for which partner, when).

``record`` is called with one line from the service where the action succeeded. It never writes inside the
caller's transaction: the row waits in a per-transaction batch and the whole batch is written with one INSERT
once the transaction commits, so a request that records five actions does one insert, a rolled-back
transaction writes nothing, and a failing insert (logged) never reaches the caller.

Rows recorded inside a savepoint that is later rolled back are dropped too: each row registers a marker with
``transaction.on_commit`` (Django discards the markers of a rolled-back savepoint), and the batch's single
flush runs after the markers, writing only the rows whose marker ran.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from prm.core.models import Activity, ActivityVerb

if TYPE_CHECKING:
    from partners.models import Organization

logger = logging.getLogger(__name__)

_BATCH = "_prm_activity_batch"


class _Batch:
    """The activities of one transaction on one connection."""

    def __init__(self) -> None:
        self.kept: list[Activity] = []
        # an on_commit entry registered with no savepoint, so a rolled-back savepoint never drops the flush
        self.entry: tuple[set[str], Any, bool] = (set(), self.flush, True)

    def keep(self, row: Activity) -> None:
        self.kept.append(row)

    def flush(self) -> None:
        rows, self.kept = self.kept, []
        _write(rows)


class _Marker:
    def __init__(self, batch: _Batch, row: Activity) -> None:
        self.batch, self.row = batch, row

    def __call__(self) -> None:
        self.batch.keep(self.row)


def _write(rows: list[Activity]) -> None:
    if not rows:
        return
    try:
        with transaction.atomic():  # its own transaction (or savepoint): a failure leaves nothing half-done
            Activity.objects.bulk_create(rows)
    except Exception:  # the activity log must never break the action it records
        logger.exception("could not write %d activity row(s)", len(rows))


def _pending(conn: BaseDatabaseWrapper, batch: _Batch | None) -> bool:
    return batch is not None and any(entry is batch.entry for entry in conn.run_on_commit)


def record(*, verb: str, user: Any = None, organization: Organization | int | None = None,
           obj: models.Model | None = None, **data: Any) -> None:
    """Log that ``user`` (of ``organization``) did ``verb`` to ``obj``, once the current transaction commits."""
    try:
        row = Activity(
            verb=verb,
            user_id=getattr(user, "pk", None),
            organization_id=organization if isinstance(organization, int) or organization is None
            else organization.pk,
            object_type=obj._meta.label_lower[:40] if obj is not None else "",
            object_id=str(obj.pk)[:40] if obj is not None else "",
            data=data,
        )
        conn = transaction.get_connection()
        if not conn.in_atomic_block:
            _write([row])
            return
        batch: _Batch | None = getattr(conn, _BATCH, None)
        if not _pending(conn, batch):  # first activity of this transaction (the last one committed or rolled back)
            batch = _Batch()
            setattr(conn, _BATCH, batch)
        else:
            conn.run_on_commit[:] = [entry for entry in conn.run_on_commit if entry is not batch.entry]  # type: ignore[union-attr]
        assert batch is not None
        transaction.on_commit(_Marker(batch, row))
        conn.run_on_commit.append(batch.entry)  # the flush stays after every marker
    except Exception:
        logger.exception("could not record activity %s", verb)


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: a sign-in to a tenant's portal (the operator console, in the public schema, has no log)."""
    from django.db import connection
    from django_tenants.utils import get_public_schema_name

    from prm.core.actor import actor_for

    if getattr(connection, "schema_name", None) in (None, get_public_schema_name()):
        return
    actor = actor_for(user)
    record(verb=ActivityVerb.LOGIN, user=user, organization=actor.organization if actor else None)
