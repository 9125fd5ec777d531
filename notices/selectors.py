"""Reading notices: the broadcasts an actor may see (HQ: all of them; a distributor: those it sent), their
counts while they run, and the summary other pages (an announcement, a campaign) show of their own notices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404

from notices.choices import BroadcastStatus, DeliveryStatus, NoticeCategory
from notices.models import Broadcast, Delivery, OptOut
from prm.accounts.models import User
from prm.core.actor import Actor


def broadcasts_visible_to(actor: Actor) -> QuerySet[Broadcast]:
    qs = Broadcast.objects.select_related("created_by", "organization", "source_type")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.is_distributor:
        return qs.filter(organization_id=actor.organization_id or 0)
    return qs.none()


def broadcast_get(actor: Actor, pk: int) -> Broadcast:
    item = broadcasts_visible_to(actor).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class Counts:
    """Where a broadcast stands: recipients = sent + failed + opted out + pending."""

    status: str
    recipients: int
    sent: int
    failed: int
    opted_out: int
    pending: int

    @property
    def running(self) -> bool:
        return self.status != BroadcastStatus.DONE

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.opted_out

    @property
    def percent(self) -> int:
        if not self.recipients:
            return 0 if self.running else 100
        return min(100, self.done * 100 // self.recipients)

    @property
    def status_label(self) -> str:
        return str(BroadcastStatus(self.status).label)


def broadcast_counts(items: Iterable[Broadcast]) -> dict[int, Counts]:
    """Each broadcast's counts: stored for a finished one, counted from its deliveries (one query for all the
    running ones) while it runs."""
    items = list(items)
    result: dict[int, Counts] = {}
    running = [b.pk for b in items if b.status != BroadcastStatus.DONE]
    live: dict[int, dict[str, int]] = {pk: {} for pk in running}
    if running:
        for row in (Delivery.objects.filter(broadcast_id__in=running).values("broadcast_id", "status")
                    .annotate(n=Count("id")).order_by()):
            live[row["broadcast_id"]][row["status"]] = row["n"]
    for b in items:
        if b.pk in live:
            by_status = live[b.pk]
            total = sum(by_status.values())
            result[b.pk] = Counts(
                status=b.status, recipients=max(total, b.recipients),
                sent=by_status.get(DeliveryStatus.SENT, 0), failed=by_status.get(DeliveryStatus.FAILED, 0),
                opted_out=by_status.get(DeliveryStatus.OPTED_OUT, 0),
                pending=by_status.get(DeliveryStatus.PENDING, 0) + by_status.get(DeliveryStatus.SENDING, 0))
        else:
            result[b.pk] = Counts(status=b.status, recipients=b.recipients, sent=b.sent, failed=b.failed,
                                  opted_out=b.opted_out,
                                  pending=max(0, b.recipients - b.sent - b.failed - b.opted_out))
    return result


def failed_deliveries(item: Broadcast) -> QuerySet[Delivery]:
    return (Delivery.objects.filter(broadcast=item, status=DeliveryStatus.FAILED)
            .select_related("user").order_by("id"))


def retrying_deliveries(item: Broadcast) -> QuerySet[Delivery]:
    """Waiting for another try after a transient failure (the reason is kept until it is sent)."""
    return (Delivery.objects.filter(broadcast=item, status=DeliveryStatus.PENDING).exclude(error="")
            .select_related("user").order_by("id"))


@dataclass(frozen=True)
class BroadcastSummary:
    broadcast: Broadcast
    counts: Counts


def broadcast_summary(source: Model, *, actor: Actor | None = None) -> list[BroadcastSummary]:
    """The notices sent about ``source`` (an announcement, a campaign), newest first, each with its counts, for
    the source's own page; with ``actor``, only those the actor may see. Empty when none was sent."""
    if source.pk is None:
        return []
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    qs = broadcasts_visible_to(actor) if actor is not None else Broadcast.objects.all()
    items = list(qs.filter(source_type=source_type, source_id=source.pk))
    counts = broadcast_counts(items)
    return [BroadcastSummary(broadcast=b, counts=counts[b.pk]) for b in items]


def email_categories(user: User) -> list[tuple[str, str, bool]]:
    """(category, label, e-mail wanted) for the preferences page."""
    opted_out = set(OptOut.objects.filter(user=user).values_list("category", flat=True))
    return [(value, str(label), value not in opted_out) for value, label in NoticeCategory.choices]


def has_opted_out(user: User, category: str) -> bool:
    return OptOut.objects.filter(Q(user=user) & Q(category=category)).exists()
