"""Customer orders: intake, routing to the best-scoring eligible dealer (orders/routing.py), and the dealer's
answer."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders import permissions
from orders.choices import (
    OPEN_STAGES,
    STAGE_ORDER,
    DealStatus,
    DeclineReason,
    EventKind,
    LostReason,
    OfferStatus,
    OrderSource,
    OrderStage,
    OrderStatus,
    RuleStatus,
)
from orders.deadlines import offer_deadline
from orders.models import CustomerOrder, Deal, Offer, OrderEvent, RoutingDecision, RoutingRule
from orders.routing import Candidate, candidate, dealer_stats_refresh, pools, rerank, rule_in_use, score_candidates
from orders.selectors import company_key
from partners.models import ProductLine
from prm.core import activity
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.models import ActivityVerb
from prm.core.phones import normalize_phone
from prm.core.regions import resolve_address


def _msgid(label: object) -> str:
    """A choice's label as its untranslated message id, to store; templates translate it for each reader."""
    with translation.override(None):
        return str(label() if callable(label) else label)


def _next_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_customer_order_number_seq')")
        (value,) = cursor.fetchone()
    return f"ORD-{value:06d}"


@transaction.atomic
def order_create(
    *,
    actor: Actor | None,
    customer_name: str,
    address: str,
    product_line: ProductLine,
    quantity: int = 1,
    customer_phone: str = "",
    customer_email: str = "",
    note: str = "",
    source: str = OrderSource.HQ,
) -> CustomerOrder:
    """Record the order and queue its routing once the transaction commits.

    actor is None for the public quote form (an anonymous customer).
    """
    if actor is not None:
        permissions.require(actor, "order.create")
    errors: dict[str, str] = {}
    if not customer_name.strip():
        errors["customer_name"] = _("Enter the customer's name.")
    if not address.strip():
        errors["address"] = _("Enter the address where the product is needed.")
    elif len(address) > 500:
        errors["address"] = _("The address is too long (500 characters at most).")
    if len(note) > 2000:
        errors["note"] = _("The note is too long (2,000 characters at most).")
    if quantity < 1 or quantity > 100000:
        errors["quantity"] = _("Enter a quantity between 1 and 100,000.")
    if len(customer_email.strip()) > 254:
        errors["customer_email"] = _("This e-mail address is too long.")
    phone = normalize_phone(customer_phone) if customer_phone.strip() else ""
    if phone is None:
        errors["customer_phone"] = _("This is not a phone number we can call. Write it like 010-1234-5678.")
    if not customer_phone.strip() and not customer_email.strip():
        errors["customer_phone"] = _("Enter a phone number or an e-mail address so the dealer can reach the customer.")
    if errors:
        raise ValidationError(errors)
    region = resolve_address(address)
    order = CustomerOrder.objects.create(
        number=_next_number(),
        customer_name=customer_name.strip(),
        customer_phone=phone or "",
        customer_email=customer_email.strip().lower(),
        address=address.strip(),
        region_code=region.code if region else "",
        region_label=region.label if region else "",
        latitude=region.lat if region else None,
        longitude=region.lon if region else None,
        product_line=product_line,
        quantity=quantity,
        note=note.strip(),
        source=source,
        created_by=actor.user if actor else None,
        route_requested_at=timezone.now(),
    )
    OrderEvent.objects.create(order=order, kind=EventKind.RECEIVED, user=actor.user if actor else None,
                              detail=_msgid(order.get_source_display))
    if actor is not None:
        audit(actor=actor, action="order.create", obj=order)
    _ring(order.pk)
    return order


def _offer_notices(offers: list[Offer], orders: dict[int, CustomerOrder], dealer_names: dict[int, str]) -> list:
    """What a new offer tells: the dealer's people, and its primary distributor's admins. One query finds them
    for any number of offers."""
    from prm.accounts.models import User
    from prm.core.notifications import Notice
    from prm.core.roles import Role

    dealer_ids = sorted({offer.dealer_id for offer in offers})
    # the dealers' active people and their primary distributors' active admins, in one statement
    people: dict[int, list] = {}
    admins: dict[int, list] = {}
    primary: dict[int, int] = {}
    users = User.objects.raw("""
        SELECT u.*, m.organization_id AS dealer_id, NULL AS distributor_id
        FROM partners_membership m JOIN accounts_user u ON u.id = m.user_id
        WHERE m.organization_id = ANY(%(dealers)s::int[]) AND m.is_active AND u.is_active
        UNION ALL
        SELECT u.*, l.dealer_id, l.distributor_id
        FROM partners_supplylink l
        JOIN partners_membership m ON m.organization_id = l.distributor_id AND m.is_active AND m.role = %(admin)s
        JOIN accounts_user u ON u.id = m.user_id
        WHERE l.dealer_id = ANY(%(dealers)s::int[]) AND l.is_primary AND l.is_approved AND u.is_active
    """, {"dealers": dealer_ids, "admin": Role.DISTRIBUTOR_ADMIN})
    for user in users:
        dealer_id, distributor_id = getattr(user, "dealer_id"), getattr(user, "distributor_id")  # noqa: B009
        if distributor_id is None:
            people.setdefault(dealer_id, []).append(user)
        else:
            primary[dealer_id] = distributor_id
            admins.setdefault(distributor_id, []).append(user)
    notices = []
    for offer in offers:
        order = orders[offer.order_id]
        params = {"number": order.number, "region": order.region_label or "-",
                  "deadline": timezone.localtime(offer.expires_at).strftime("%m-%d %H:%M")}
        notices.append(Notice(
            users=people.get(offer.dealer_id, []), kind="offer.new", url=f"/dealer/offers/{offer.pk}/",
            params=params,
            message=gettext_noop("New customer order %(number)s in %(region)s: accept it by %(deadline)s.")))
        distributor = primary.get(offer.dealer_id)
        if distributor is not None and admins.get(distributor):
            notices.append(Notice(
                users=admins[distributor], kind="offer.new.distributor", url="",
                params={**params, "dealer": dealer_names.get(offer.dealer_id, "")},
                message=gettext_noop("Your dealer %(dealer)s was offered customer order %(number)s in %(region)s.")))
    return notices


def _notify_offers(offers: list[Offer], orders: dict[int, CustomerOrder], dealer_names: dict[int, str]) -> None:
    from prm.core.notifications import notify_many

    notify_many(_offer_notices(offers, orders, dealer_names))


# An offer's deadline timer is a Celery task with an ETA when the deadline falls within this many seconds:
# the Redis broker gives an unacknowledged message to another worker after its visibility timeout (an hour),
# so longer timers would be delivered again and again. Later deadlines (and any timer lost with a worker)
# are met by beat's sweep_overdue_offers, which runs every minute.
EXPIRY_TIMER_MAX_SECONDS = 45 * 60


def _queue_expiry(offer_ids: list[int], when: Any) -> None:
    """One timer for offers made together with the same deadline."""
    from orders.tasks import offers_expire_task

    if offer_ids and (when - timezone.now()).total_seconds() <= EXPIRY_TIMER_MAX_SECONDS:
        transaction.on_commit(lambda: offers_expire_task.apply_async(args=(offer_ids,), eta=when))


def _ring(order_id: int | None = None) -> None:
    """The doorbell: a worker will take waiting orders from the inbox (this one first)."""
    from orders.tasks import order_route_task

    transaction.on_commit(lambda: order_route_task.delay(order_id))


def order_candidates(order: CustomerOrder, rule: RoutingRule | None = None) -> list[Candidate]:
    """The dealers the order could be offered to next, best first, as the rule in use scores them (see
    orders/routing.py): dealers already offered it are left out."""
    return score_candidates(order, rule or rule_in_use())[1]


DECISION_CANDIDATES = 10  # the chosen dealer and the runners-up kept with each decision
KEEP_SPARE = 10  # and this many more read per order, in case the batch fills the best ones
ROUTE_BATCH = 100  # orders routed in one transaction
ROUTE_TASK_SECONDS = 5.0  # a routing task keeps taking batches from the inbox this long
AT_CAPACITY = gettext_noop("Every eligible dealer has as many waiting offers as the rule allows; the order waits.")
NO_PLACE = gettext_noop("The address could not be placed in a region.")
ALL_DECLINED_CAP = gettext_noop("The most dealers an order is offered to all declined.")
ALL_DECLINED = gettext_noop("Every eligible dealer declined.")
NO_DEALER = gettext_noop("No active dealer is authorised for this product line.")

# The batch: the orders asked for and up to ``fill`` more from the inbox, locked (those another worker holds
# are skipped), each with the offers of its round so far (since it was last received: HQ's "route again"
# starts a new round) and whether one is still waiting on a dealer.
CLAIM_SQL = """
WITH asked AS (
    SELECT id FROM orders_customerorder
    WHERE id = ANY(%(ids)s::int[]) AND status = 'received'
    ORDER BY id FOR UPDATE SKIP LOCKED
), more AS (
    SELECT id FROM orders_customerorder
    WHERE status = 'received' AND route_requested_at IS NOT NULL
      AND NOT (id = ANY(%(ids)s::int[]))
    ORDER BY route_requested_at, id LIMIT %(fill)s FOR UPDATE SKIP LOCKED
)
SELECT o.id, o.number, o.customer_name, o.region_code, o.region_label, o.latitude, o.longitude,
       o.product_line_id,
       (SELECT count(*) FROM orders_offer f WHERE f.order_id = o.id AND f.created_at >= coalesce(
           (SELECT max(e.created_at) FROM orders_orderevent e WHERE e.order_id = o.id AND e.kind = 'received'),
           '-infinity')),
       EXISTS (SELECT 1 FROM orders_offer f WHERE f.order_id = o.id AND f.status = 'pending')
FROM orders_customerorder o
WHERE o.id IN (SELECT id FROM asked UNION ALL SELECT id FROM more)
ORDER BY o.id
"""
# Everything a batch writes, in one statement: offers, timeline events, decisions, and the orders' new state.
WRITE_SQL = """
WITH offered AS (
    INSERT INTO orders_offer (order_id, dealer_id, rank, distance_km, status, expires_at, decline_reason,
                              decline_note, created_at)
    SELECT v.order_id, v.dealer_id, v.rank, v.km, 'pending', %(expires)s, '', '', %(now)s
    FROM unnest(%(o_orders)s::int[], %(o_dealers)s::int[], %(o_ranks)s::int[], %(o_kms)s::float8[])
        AS v(order_id, dealer_id, rank, km)
    RETURNING id, order_id, dealer_id
), events AS (
    INSERT INTO orders_orderevent (order_id, kind, dealer_id, detail, created_at)
    SELECT v.order_id, v.kind, v.dealer_id, v.detail, %(now)s
    FROM unnest(%(e_orders)s::int[], %(e_kinds)s::text[], %(e_dealers)s::int[], %(e_details)s::text[])
        AS v(order_id, kind, dealer_id, detail)
), decided AS (
    INSERT INTO orders_routingdecision (order_id, rule_id, round, chosen_id, candidates, eligible, reason,
                                        created_at)
    SELECT v.order_id, %(rule)s, v.round, v.chosen_id, v.candidates::jsonb, v.eligible, v.reason, %(now)s
    FROM unnest(%(d_orders)s::int[], %(d_rounds)s::int[], %(d_chosen)s::int[], %(d_candidates)s::text[],
                %(d_eligible)s::int[], %(d_reasons)s::text[])
        AS v(order_id, round, chosen_id, candidates, eligible, reason)
), updated AS (
    -- offered: waiting on the dealer; given up: HQ's queue; waiting for room, or on a dealer already: out of
    -- the inbox (beat's sweep asks again); deferred: left in the inbox for the next batch
    UPDATE orders_customerorder o
    SET status = v.status, dealer_id = v.dealer, unroutable_reason = v.reason,
        route_requested_at = CASE WHEN v.again THEN %(now)s END, updated_at = %(now)s
    FROM unnest(%(u_orders)s::int[], %(u_statuses)s::text[], %(u_dealers)s::int[], %(u_reasons)s::text[],
                %(u_again)s::bool[]) AS v(id, status, dealer, reason, again)
    WHERE o.id = v.id
)
SELECT id, order_id, dealer_id FROM offered
"""
# Capacity: transaction-scoped advisory locks, one per dealer, taken in ascending id order in one statement
# (two workers cannot deadlock); then, in a second statement (whose snapshot sees what the lock holders
# committed), each dealer's waiting offers counted afresh.
LOCK_SQL = """
SELECT count(pg_advisory_xact_lock(hashtext('orders.offer-capacity'), s.id))
FROM (SELECT unnest(%(ids)s::int[]) AS id ORDER BY 1) s
"""
CAPACITY_SQL = """
SELECT d.id, (SELECT count(*) FROM orders_offer p WHERE p.dealer_id = d.id AND p.status = 'pending')
FROM unnest(%(ids)s::int[]) AS d(id)
"""


@dataclass
class RouteResult:
    """What one batch did. ``deferred``: orders whose chosen dealer filled up meanwhile; they stay in the inbox."""

    claimed: int = 0
    offered: int = 0
    unroutable: int = 0
    waiting: int = 0
    deferred: list[int] = field(default_factory=list)


def order_route(*, order_id: int) -> CustomerOrder | None:
    """Offer one order to the best-scoring eligible dealer it has not been offered to yet (see orders_route)."""
    orders_route(order_ids=[order_id])
    return CustomerOrder.objects.filter(pk=order_id).first()


def orders_route(*, order_ids: Sequence[int] = (), fill: int = 0) -> RouteResult:
    """Route the given waiting orders and up to ``fill`` more from the inbox, in one transaction: each is offered
    to the best-scoring eligible dealer it has not been offered to yet, and the decision is stored with why.

    Orders another worker is routing are skipped (it will finish them); orders already offered or accepted are
    left as they are, so a redelivered message changes nothing. A fixed number of statements per batch.
    """
    result = RouteResult()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL, {"ids": list(order_ids), "fill": max(fill, 0)})
            claimed = cursor.fetchall()
        if not claimed:
            return result
        result.claimed = len(claimed)
        orders: dict[int, CustomerOrder] = {}
        tried: dict[int, int] = {}
        waiting_on_dealer: list[int] = []  # a second message for an order already offered: only set straight
        for pk, number, name, region, label, lat, lon, line_id, offers_so_far, pending in claimed:
            orders[pk] = CustomerOrder(id=pk, number=number, customer_name=name, region_code=region,
                                       region_label=label, latitude=lat, longitude=lon, product_line_id=line_id)
            tried[pk] = offers_so_far
            if pending:
                waiting_on_dealer.append(pk)
        todo = [order for pk, order in orders.items() if pk not in waiting_on_dealer]
        rule = rule_in_use()
        # each order's best dealers, scored in the pool query: enough to show the runners-up and to pass over
        # dealers this batch fills
        pooled = pools([o for o in todo if tried[o.pk] < rule.max_candidates], rule,
                       keep=DECISION_CANDIDATES + KEEP_SPARE)

        now = timezone.now()
        expires_at = offer_deadline(now, rule)
        decisions: dict[int, tuple[int | None, list, int, str]] = {}  # order: (chosen, candidates, eligible, reason)
        chosen: dict[int, Candidate] = {}
        batch_load: dict[int, int] = {}
        empty: list[CustomerOrder] = []
        for order in todo:
            rows = pooled[order.pk]
            ranked = rerank(rows, rule, batch_load)
            # dealers this batch has already filled to the rule's limit are passed over
            first = next((i for i, (_row, load, _s) in enumerate(ranked) if load < rule.max_open_offers), None)
            if first is None and rows:  # this batch filled them: the next batch reads the pool again
                result.deferred.append(order.pk)
                continue
            if first is None:
                empty.append(order)
                continue
            row, load, points = ranked[first]
            best = candidate(row, rule, load, points)
            chosen[order.pk] = best
            batch_load[best.dealer_id] = batch_load.get(best.dealer_id, 0) + 1
            # the chosen dealer and the runners-up (those above it were full), stored with their components
            start = max(0, first + 1 - DECISION_CANDIDATES)
            kept = [best.as_dict() if i == first else candidate(row, rule, load, points).as_dict()
                    for i, (row, load, points) in enumerate(ranked[start:start + DECISION_CANDIDATES], start)]
            decisions[order.pk] = (best.dealer_id, kept, pooled.pooled[order.pk], "")

        # Capacity, checked again under locks: another worker may have filled a dealer since the pool was read.
        if chosen:
            with connection.cursor() as cursor:
                dealer_ids = sorted({c.dealer_id for c in chosen.values()})
                cursor.execute(LOCK_SQL, {"ids": dealer_ids})
                cursor.execute(CAPACITY_SQL, {"ids": dealer_ids})
                room = {dealer_id: rule.max_open_offers - n for dealer_id, n in cursor.fetchall()}
            for order_id, best in list(chosen.items()):
                if room[best.dealer_id] > 0:
                    room[best.dealer_id] -= 1
                else:
                    del chosen[order_id], decisions[order_id]
                    result.deferred.append(order_id)

        # Orders with nobody to offer to: waiting for a dealer's room, or given up with the reason.
        held, given_up = _sort_out_empty(empty, rule, tried)
        result.waiting, result.unroutable = len(held), len(given_up)
        if held:  # the wait is recorded once, not at every retry
            seen = set(RoutingDecision.objects.filter(order_id__in=[o.pk for o in held], reason=AT_CAPACITY)
                       .values_list("order_id", "round"))
            for order in held:
                if (order.pk, tried[order.pk] + 1) not in seen:
                    decisions[order.pk] = (None, [], 0, AT_CAPACITY)
        for order, reason in given_up:
            decisions[order.pk] = (None, [], 0, reason)

        events: list[tuple[int, str, int | None, str]] = [
            (pk, EventKind.OFFERED, best.dealer_id, f"{best.distance_km:.1f} km · v{rule.version}")
            for pk, best in chosen.items()]
        events += [(order.pk, EventKind.UNROUTABLE, None, reason) for order, reason in given_up]
        updates: list[tuple[int, str, int | None, str, bool]] = [
            (pk, OrderStatus.OFFERED, best.dealer_id, "", False) for pk, best in chosen.items()]
        updates += [(order.pk, OrderStatus.UNROUTABLE, None, reason, False) for order, reason in given_up]
        updates += [(order.pk, OrderStatus.RECEIVED, None, "", False) for order in held]
        updates += [(pk, OrderStatus.RECEIVED, None, "", True) for pk in result.deferred]
        if waiting_on_dealer:  # set to what the waiting offer says
            pending = dict(Offer.objects.filter(order_id__in=waiting_on_dealer, status=OfferStatus.PENDING)
                           .values_list("order_id", "dealer_id"))
            updates += [(pk, OrderStatus.OFFERED, pending.get(pk), "", False) for pk in waiting_on_dealer]
        with connection.cursor() as cursor:
            cursor.execute(WRITE_SQL, {
                "now": now, "expires": expires_at, "rule": rule.pk,
                "o_orders": list(chosen), "o_dealers": [c.dealer_id for c in chosen.values()],
                "o_ranks": [tried[pk] + 1 for pk in chosen], "o_kms": [c.distance_km for c in chosen.values()],
                "e_orders": [e[0] for e in events], "e_kinds": [str(e[1]) for e in events],
                "e_dealers": [e[2] for e in events], "e_details": [e[3] for e in events],
                "d_orders": list(decisions), "d_rounds": [tried[pk] + 1 for pk in decisions],
                "d_chosen": [d[0] for d in decisions.values()],
                "d_candidates": [json.dumps(d[1], ensure_ascii=False) for d in decisions.values()],
                "d_eligible": [d[2] for d in decisions.values()], "d_reasons": [d[3] for d in decisions.values()],
                "u_orders": [u[0] for u in updates], "u_statuses": [str(u[1]) for u in updates],
                "u_dealers": [u[2] for u in updates], "u_reasons": [u[3] for u in updates],
                "u_again": [u[4] for u in updates],
            })
            offers = [Offer(id=pk, order_id=order_id, dealer_id=dealer_id, expires_at=expires_at)
                      for pk, order_id, dealer_id in cursor.fetchall()]
        result.offered = len(offers)
        _queue_expiry([offer.pk for offer in offers], expires_at)
        if offers:
            names = {best.dealer_id: best.name for best in chosen.values()}
            _notify_offers(offers, orders, names)
        if result.deferred:
            _ring(result.deferred[0])
    return result


def _sort_out_empty(empty: list[CustomerOrder], rule: RoutingRule,
                    tried: dict[int, int]) -> tuple[list[CustomerOrder], list[tuple[CustomerOrder, str]]]:
    """Orders no dealer could take: (those that wait because every eligible dealer is at its limit, those given
    up with the reason)."""
    if not empty:
        return [], []
    # Would a dealer be eligible but for its waiting offers?
    could = [o for o in empty if o.latitude is not None and tried[o.pk] < rule.max_candidates]
    full = pools(could, rule, max_open=32767, keep=1) if could else None
    held, given_up = [], []
    for order in empty:
        if full is not None and full[order.pk]:
            held.append(order)
            continue
        count = tried[order.pk]
        if order.latitude is None:
            reason = NO_PLACE
        elif count >= rule.max_candidates:
            reason = ALL_DECLINED_CAP
        elif count:
            reason = ALL_DECLINED
        else:
            reason = NO_DEALER
        given_up.append((order, reason))
    return held, given_up


def orders_route_waiting(*, first: int | None = None, batch: int = ROUTE_BATCH,
                         seconds: float = ROUTE_TASK_SECONDS) -> int:
    """A routing worker's turn: ``first`` and then the inbox's oldest waiting orders, a batch per transaction,
    until the inbox is empty or ``seconds`` have passed; then it rings again for the rest, behind the other
    tenants' messages. Returns how many orders were offered or given up."""
    import time

    from orders.tasks import order_route_task

    done = 0
    started = time.monotonic()
    ids = [first] if first is not None else []
    while True:
        result = orders_route(order_ids=ids, fill=batch - len(ids))
        done += result.offered + result.unroutable
        ids = []
        if result.claimed == 0:
            return done
        if time.monotonic() - started > seconds:
            order_route_task.delay(None)
            return done


@transaction.atomic
def order_route_again(*, actor: Actor, order: CustomerOrder) -> CustomerOrder:
    """HQ sends an unroutable order round again (after adding dealers, product lines or fixing the address);
    dealers that already declined it are not asked twice."""
    permissions.require(actor, "order.reroute")
    order = CustomerOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.UNROUTABLE:
        raise ServiceError(_("Only an order no dealer was found for can be routed again."))
    region = resolve_address(order.address)
    order.region_code = region.code if region else ""
    order.region_label = region.label if region else ""
    order.latitude, order.longitude = (region.lat, region.lon) if region else (None, None)
    order.status = OrderStatus.RECEIVED
    order.unroutable_reason = ""
    order.route_requested_at = timezone.now()
    order.save()
    OrderEvent.objects.create(order=order, kind=EventKind.RECEIVED, user=actor.user,
                              detail=gettext_noop("Routed again by HQ"))
    audit(actor=actor, action="order.route_again", obj=order)
    _ring(order.pk)
    return order


def _respondable(actor: Actor, offer: Offer) -> Offer:
    permissions.require(actor, "offer.respond")
    locked = Offer.objects.select_for_update().select_related("order").get(pk=offer.pk)
    if not actor.is_system and locked.dealer_id != actor.organization_id:
        raise ServiceError(_("This offer was made to another dealer."))
    if locked.status != OfferStatus.PENDING:
        raise ServiceError(_("This offer was already answered (%(status)s).") %
                           {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def offer_accept(*, actor: Actor, offer: Offer) -> Offer:
    offer = _respondable(actor, offer)
    offer.status = OfferStatus.ACCEPTED
    offer.responded_at = timezone.now()
    offer.responded_by = actor.user
    offer.save(update_fields=["status", "responded_at", "responded_by"])
    order = CustomerOrder.objects.select_for_update().get(pk=offer.order_id)
    order.status = OrderStatus.ACCEPTED
    order.dealer_id = offer.dealer_id
    order.stage = OrderStage.ACCEPTED
    order.stage_changed_at = timezone.now()
    order.save(update_fields=["status", "dealer", "stage", "stage_changed_at", "updated_at"])
    OrderEvent.objects.create(order=order, kind=EventKind.ACCEPTED, dealer_id=offer.dealer_id, user=actor.user)
    dealer_stats_refresh([offer.dealer_id])
    from rewards.services.events import tier_recompute_soon

    tier_recompute_soon([offer.dealer_id])  # lead acceptance may lift the tier
    audit(actor=actor, action="offer.accept", obj=offer)
    activity.record(verb=ActivityVerb.OFFER_ACCEPTED, user=actor.user, organization=offer.dealer_id, obj=offer)
    return offer


@transaction.atomic
def offer_decline(*, actor: Actor, offer: Offer, reason: str, note: str = "") -> Offer:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    offer = _respondable(actor, offer)
    offer.status = OfferStatus.DECLINED
    offer.decline_reason = reason
    offer.decline_note = note.strip()[:300]
    offer.responded_at = timezone.now()
    offer.responded_by = actor.user
    offer.save(update_fields=["status", "decline_reason", "decline_note", "responded_at", "responded_by"])
    order = CustomerOrder.objects.select_for_update().get(pk=offer.order_id)
    order.status = OrderStatus.RECEIVED
    order.dealer = None
    order.route_requested_at = timezone.now()
    order.save(update_fields=["status", "dealer", "route_requested_at", "updated_at"])
    OrderEvent.objects.create(order=order, kind=EventKind.DECLINED, dealer_id=offer.dealer_id, user=actor.user,
                              detail=_msgid(offer.get_decline_reason_display))
    dealer_stats_refresh([offer.dealer_id])
    audit(actor=actor, action="offer.decline", obj=offer, reason=reason)
    activity.record(verb=ActivityVerb.OFFER_DECLINED, user=actor.user, organization=offer.dealer_id, obj=offer,
                    reason=reason)
    _ring(order.pk)
    return offer


# --- routing rules --------------------------------------------------------------------------------------------


@transaction.atomic
def routing_rule_draft(*, actor: Actor) -> RoutingRule:
    """HQ's draft of the next rule version: the existing one, or a copy of the rule in use."""
    permissions.require(actor, "routing.manage")
    draft = RoutingRule.objects.select_for_update().filter(status=RuleStatus.DRAFT).first()
    if draft is not None:
        return draft
    current = rule_in_use()
    version = (RoutingRule.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    draft = RoutingRule.objects.create(version=version, status=RuleStatus.DRAFT, created_by=actor.user,
                                       **current.settings_dict())
    audit(actor=actor, action="routing_rule.draft", obj=draft, copied_from=current.version)
    return draft


@transaction.atomic
def routing_rule_draft_update(*, actor: Actor, draft: RoutingRule, note: str = "", **values: Any) -> RoutingRule:
    permissions.require(actor, "routing.manage")
    draft = RoutingRule.objects.select_for_update().get(pk=draft.pk)
    if draft.status != RuleStatus.DRAFT:
        raise ServiceError(_("Only a draft can be changed; a published rule is kept as it was."))
    unknown = set(values) - set(RoutingRule.SETTINGS)
    if unknown:
        raise ServiceError(_("Unknown rule setting(s): %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name, value in values.items():
        setattr(draft, name, value)
    draft.note = note.strip()[:300]
    draft.full_clean()
    draft.save()
    return draft


def _jsonable(value: Any) -> Any:
    """A rule setting as the audit log stores it (times and dates as ISO text)."""
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def routing_rule_publish(*, actor: Actor, draft: RoutingRule) -> RoutingRule:
    """The draft becomes the rule in use (the next orders follow it); the previous one is kept, retired.
    The audit entry lists every setting that changed, old and new."""
    permissions.require(actor, "routing.manage")
    draft = RoutingRule.objects.select_for_update().get(pk=draft.pk)
    if draft.status != RuleStatus.DRAFT:
        raise ServiceError(_("This rule version is not a draft."))
    current = RoutingRule.objects.select_for_update().filter(status=RuleStatus.PUBLISHED).first()
    changes = {}
    if current is not None:
        before, after = current.settings_dict(), draft.settings_dict()
        changes = {name: [_jsonable(before[name]), _jsonable(after[name])]
                   for name in after if before[name] != after[name]}
        current.status = RuleStatus.RETIRED
        current.save(update_fields=["status"])
    draft.status = RuleStatus.PUBLISHED
    draft.published_by = actor.user
    draft.published_at = timezone.now()
    draft.save(update_fields=["status", "published_by", "published_at"])
    audit(actor=actor, action="routing_rule.publish", obj=draft, version=draft.version,
          replaced=current.version if current else None, changes=changes)
    return draft


def offer_expire(*, offer_id: int) -> Offer | None:
    """The dealer let the deadline pass: the offer expires and the order moves on to the next dealer.
    Idempotent, and a no-op before the deadline or once the offer was answered."""
    with transaction.atomic():
        offer = Offer.objects.select_for_update().filter(pk=offer_id).first()
        if offer is None or offer.status != OfferStatus.PENDING or offer.expires_at is None:
            return offer
        if offer.expires_at > timezone.now():
            return offer
        offer.status = OfferStatus.EXPIRED
        offer.responded_at = timezone.now()
        offer.save(update_fields=["status", "responded_at"])
        order = CustomerOrder.objects.select_for_update().get(pk=offer.order_id)
        order.status = OrderStatus.RECEIVED
        order.dealer = None
        order.route_requested_at = timezone.now()
        order.save(update_fields=["status", "dealer", "route_requested_at", "updated_at"])
        OrderEvent.objects.create(order=order, kind=EventKind.EXPIRED, dealer_id=offer.dealer_id)
        dealer_stats_refresh([offer.dealer_id])
        _ring(order.pk)
    return offer


# --- deal registration ---------------------------------------------------------------------------------------

DEAL_PROTECTION_DAYS = 90
DEAL_EXPIRY_NOTICE_DAYS = 7


@transaction.atomic
def deal_register(*, actor: Actor, customer_name: str, product_line: ProductLine, value: int,
                  expected_close: Any, customer_business_number: str = "", address: str = "",
                  note: str = "") -> Deal:
    """A partner registers an opportunity; HQ reviews it (with any conflicting deal) before it is protected."""
    import unicodedata

    from partners.services import normalize_business_number

    permissions.require(actor, "deal.register")
    assert actor.organization is not None
    name = " ".join(unicodedata.normalize("NFC", customer_name).split())
    if not name:
        raise ValidationError({"customer_name": _("Enter the customer's name.")})
    number = ""
    if customer_business_number.strip():
        try:
            number = normalize_business_number(customer_business_number)
        except ValidationError as exc:
            raise ValidationError({"customer_business_number": exc.messages}) from exc
    if value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")})
    if expected_close < timezone.localdate():
        raise ValidationError({"expected_close": _("The expected close date is in the past.")})
    region = resolve_address(address) if address.strip() else None
    deal = Deal.objects.create(
        partner=actor.organization, customer_name=name, customer_key=company_key(name),
        customer_business_number=number,
        address=unicodedata.normalize("NFC", address.strip()), region_code=region.code if region else "",
        region_label=region.label if region else "", product_line=product_line, value=value,
        expected_close=expected_close, note=note.strip(), created_by=actor.user,
    )
    audit(actor=actor, action="deal.register", obj=deal)
    activity.record(verb=ActivityVerb.DEAL_REGISTERED, user=actor.user, organization=deal.partner_id, obj=deal)
    return deal


@transaction.atomic
def deal_review(*, actor: Actor, deal: Deal, approve: bool, reason: str = "") -> Deal:
    """HQ approves (the customer is protected for the partner for DEAL_PROTECTION_DAYS) or rejects with a reason."""
    permissions.require(actor, "deal.review")
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    if deal.status != DealStatus.SUBMITTED:
        raise ServiceError(_("This deal was already reviewed."))
    if approve:
        deal.status = DealStatus.APPROVED
        deal.protected_until = timezone.localdate() + timedelta(days=DEAL_PROTECTION_DAYS)
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the deal is rejected; the partner sees it.")})
        deal.status = DealStatus.REJECTED
        deal.reject_reason = reason.strip()[:300]
    deal.reviewed_by = actor.user
    deal.reviewed_at = timezone.now()
    deal.save()
    audit(actor=actor, action="deal.approve" if approve else "deal.reject", obj=deal, reason=deal.reject_reason)
    return deal


def deals_expire(*, today: Any = None) -> tuple[int, int]:
    """The scheduled job: end the protection of deals past their date, and note the ones ending within
    DEAL_EXPIRY_NOTICE_DAYS (each once), so the partner hears of it beforehand. Returns (expired, noticed)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        expired = Deal.objects.filter(status=DealStatus.APPROVED, protected_until__lt=today).update(
            status=DealStatus.EXPIRED)
        ending = Deal.objects.filter(status=DealStatus.APPROVED, expiry_notice_sent_at__isnull=True,
                                     protected_until__lte=today + timedelta(days=DEAL_EXPIRY_NOTICE_DAYS))
        noticed = list(ending.values_list("pk", flat=True))
        ending.update(expiry_notice_sent_at=timezone.now())
    for deal_id in noticed:
        _send_deal_expiry_notice(deal_id)  # after the commit above: a failed e-mail never undoes an expiry
    return expired, len(noticed)


def _send_deal_expiry_notice(deal_id: int) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from partners.models import Membership

    deal = Deal.objects.select_related("partner").filter(pk=deal_id).first()
    if deal is None:
        return
    for membership in Membership.objects.filter(organization=deal.partner, is_active=True).select_related("user"):
        user = membership.user
        with translation.override(user.language):
            context = {"deal": deal, "user": user}
            subject = render_to_string("emails/deal_expiry_subject.txt", context).strip()
            body = render_to_string("emails/deal_expiry.txt", context)
        send_mail(subject, body, None, [user.email])


# --- after acceptance: the dealer's funnel ------------------------------------------------------------------

STAGE_EVENTS = {OrderStage.CONTACTED: EventKind.CONTACTED, OrderStage.QUOTED: EventKind.QUOTED,
                OrderStage.WON: EventKind.WON, OrderStage.LOST: EventKind.LOST}


@transaction.atomic
def order_progress(*, actor: Actor, order: CustomerOrder, stage: str, won_value: int | None = None,
                   lost_reason: str = "", note: str = "") -> CustomerOrder:
    """The dealer that accepted the order moves it on. Stages only go forward; won and lost are final."""
    permissions.require(actor, "order.progress")
    order = CustomerOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ACCEPTED or order.dealer_id != actor.organization_id:
        raise ServiceError(_("Only the dealer that accepted this order can move it on."))
    if stage not in STAGE_EVENTS:
        raise ValidationError({"stage": _("Choose contacted, quoted, won or lost.")})
    if order.stage not in OPEN_STAGES:
        raise ServiceError(_("This order is already closed (%(stage)s).") % {"stage": order.get_stage_display()})
    if STAGE_ORDER[OrderStage(stage)] <= STAGE_ORDER[OrderStage(order.stage)]:
        raise ServiceError(_("The order is already past that stage."))
    if stage == OrderStage.WON:
        if won_value is None or won_value < 0:
            raise ValidationError({"won_value": _("Enter the value of the sale in KRW.")})
        order.won_value = won_value
    if stage == OrderStage.LOST:
        if lost_reason not in LostReason.values:
            raise ValidationError({"lost_reason": _("Choose why the order was lost.")})
        order.lost_reason = lost_reason
    order.stage = stage
    order.stage_changed_at = timezone.now()
    order.save(update_fields=["stage", "stage_changed_at", "won_value", "lost_reason", "updated_at"])
    detail = note.strip()[:300]
    if stage == OrderStage.WON:
        detail = f"₩{won_value:,}" + (f" · {detail}" if detail else "")
    elif stage == OrderStage.LOST:
        detail = _msgid(order.get_lost_reason_display) + (f" · {detail}" if detail else "")
    OrderEvent.objects.create(order=order, kind=STAGE_EVENTS[OrderStage(stage)], dealer_id=order.dealer_id,
                              user=actor.user, detail=detail)
    if stage in (OrderStage.WON, OrderStage.LOST) and order.dealer_id is not None:
        dealer_stats_refresh([order.dealer_id])  # the win rate
    if stage == OrderStage.WON and order.dealer is not None:
        # the dealer's points for a won customer order, and its tier recomputed (orders won count towards it)
        from rewards.services.events import PointsEvent, partner_did

        partner_did(partner=order.dealer, event=PointsEvent.DEAL_WON, reference=f"order:{order.pk}",
                    amount=won_value, actor=actor, detail=order.number)
    audit(actor=actor, action=f"order.{stage}", obj=order, won_value=order.won_value, lost_reason=lost_reason)
    return order


@transaction.atomic
def order_rate(*, actor: Actor, order: CustomerOrder, satisfaction: Any) -> CustomerOrder:
    """HQ records how satisfied the customer was with the dealer (1–5, e.g. after a follow-up call). It counts
    towards the dealer's tier; a later call may correct it (audited with the value before)."""
    permissions.require(actor, "order.rate")
    try:
        value = int(str(satisfaction).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"satisfaction": _("Choose a rating from 1 (very unhappy) to 5 (very happy).")})
    order = CustomerOrder.objects.select_for_update().get(pk=order.pk)
    if order.dealer_id is None or order.status != OrderStatus.ACCEPTED:
        raise ServiceError(_("Only an order a dealer accepted can be rated."))
    before = order.satisfaction
    order.satisfaction = value
    order.save(update_fields=["satisfaction", "updated_at"])
    audit(actor=actor, action="order.rate", obj=order, satisfaction=value, before=before, dealer=order.dealer_id)
    from rewards.services.events import tier_recompute_soon

    tier_recompute_soon([order.dealer_id])
    return order


def orders_flag_stale(*, days: int | None = None) -> int:
    """Accepted orders with no step for ``days`` (settings.ORDER_STALE_DAYS) are flagged, once per quiet
    spell, to the dealer's people and to HQ. A thousand at a time, in one transaction, a fixed number of
    statements."""
    from django.conf import settings

    from partners.models import Membership
    from prm.core.notifications import Notice, notify_many

    days = days or settings.ORDER_STALE_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        stale = list(CustomerOrder.objects.select_for_update(of=("self",), skip_locked=True)
                     .filter(status=OrderStatus.ACCEPTED, stage__in=OPEN_STAGES, stage_changed_at__lt=cutoff)
                     .filter(Q(stale_notified_at__isnull=True) | Q(stale_notified_at__lt=F("stage_changed_at")))
                     .select_related("dealer").order_by("stage_changed_at", "pk")[:1000])
        if not stale:
            return 0
        hq_people = [m.user for m in Membership.objects.filter(organization__kind="hq", is_active=True)
                     .select_related("user")]
        people: dict[int, list] = {}
        for m in Membership.objects.filter(organization_id__in={o.dealer_id for o in stale if o.dealer_id},
                                           is_active=True).select_related("user"):
            people.setdefault(m.organization_id, []).append(m.user)
        notices = []
        for order in stale:
            params = {"number": order.number, "days": days, "dealer": order.dealer.name if order.dealer else "-"}
            notices.append(Notice(
                users=people.get(order.dealer_id or 0, []), kind="order.stale", url="/dealer/orders/",
                params=params, message=gettext_noop("Order %(number)s has had no update for %(days)s days: tell "
                                                    "HQ and the customer where it stands.")))
            notices.append(Notice(
                users=hq_people, kind="order.stale.hq", url=f"/hq/orders/{order.pk}/", params=params,
                message=gettext_noop("Order %(number)s at %(dealer)s has had no update for %(days)s days.")))
        notify_many(notices)
        CustomerOrder.objects.filter(pk__in=[o.pk for o in stale]).update(stale_notified_at=timezone.now())
    return len(stale)


# --- HQ control ----------------------------------------------------------------------------------------------


def _withdraw_pending(order: CustomerOrder, actor: Actor, reason: str) -> Offer | None:
    offer = Offer.objects.select_for_update().filter(order=order, status=OfferStatus.PENDING).first()
    if offer is not None:
        offer.status = OfferStatus.WITHDRAWN
        offer.responded_at = timezone.now()
        offer.responded_by = actor.user
        offer.save(update_fields=["status", "responded_at", "responded_by"])
    return offer


@transaction.atomic
def order_reassign(*, actor: Actor, order: CustomerOrder, dealer: Any, reason: str) -> Offer:
    """HQ hands an order that is not yet accepted to a dealer of its choice, with a reason (audited). The
    dealer must be active; a waiting offer to another dealer is withdrawn."""
    from partners.choices import OrgKind, PartnerStatus

    permissions.require(actor, "order.reroute")
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why the order is reassigned.")})
    order = CustomerOrder.objects.select_for_update().get(pk=order.pk)
    if order.status == OrderStatus.ACCEPTED:
        raise ServiceError(_("An accepted order is no longer reassigned."))
    if dealer.kind != OrgKind.DEALER or dealer.status != PartnerStatus.ACTIVE:
        raise ValidationError({"dealer": _("Choose an active dealer.")})
    previous = Offer.objects.filter(order=order, dealer=dealer).first()
    if previous is not None and previous.status == OfferStatus.PENDING:
        raise ServiceError(_("The order is already waiting on this dealer."))
    if previous is not None:  # the offer history is kept whole: one offer per dealer per order
        raise ServiceError(_("%(dealer)s was already offered this order (%(status)s); choose another dealer.")
                           % {"dealer": dealer.name, "status": previous.get_status_display()})
    withdrawn = _withdraw_pending(order, actor, reason)
    rule = rule_in_use()
    expires_at = offer_deadline(timezone.now(), rule)
    rank = Offer.objects.filter(order=order).count() + 1
    offer = Offer.objects.create(order=order, dealer=dealer, rank=rank, expires_at=expires_at)
    RoutingDecision.objects.create(order=order, rule=rule, round=rank, chosen=dealer, eligible=1,
                                   reason=gettext_noop("Reassigned by HQ"),
                                   candidates=[{"dealer_id": dealer.pk, "name": dealer.name, "manual": True,
                                                "reason": reason, "score": 0, "components": {},
                                                "distance_km": 0, "tier": dealer.tier, "acceptance": 0,
                                                "response_hours": 0, "open_offers": 0, "protected": False,
                                                "tie_break": ""}])
    order.status = OrderStatus.OFFERED
    order.dealer = dealer
    order.unroutable_reason = ""
    order.save(update_fields=["status", "dealer", "unroutable_reason", "updated_at"])
    OrderEvent.objects.create(order=order, kind=EventKind.REASSIGNED, dealer=dealer, user=actor.user, detail=reason)
    audit(actor=actor, action="order.reassign", obj=order, dealer_id=dealer.pk, reason=reason,
          withdrawn_from=withdrawn.dealer_id if withdrawn else None)
    _queue_expiry([offer.pk], expires_at)
    _notify_offers([offer], {order.pk: order}, {dealer.pk: dealer.name})
    return offer


@transaction.atomic
def dealer_offers_reroute(*, actor: Actor, dealer: Any, reason: str) -> int:
    """Withdraw every offer waiting on a dealer (suspended, say) and route those orders again: each goes to the
    next best dealer. Returns how many orders were sent on. A fixed number of statements for any number."""
    permissions.require(actor, "order.reroute")
    reason = reason.strip()[:300]
    order_ids = list(CustomerOrder.objects.select_for_update(of=("self",)).filter(
        offers__dealer=dealer, offers__status=OfferStatus.PENDING).order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    Offer.objects.filter(order_id__in=order_ids, dealer=dealer, status=OfferStatus.PENDING).update(
        status=OfferStatus.WITHDRAWN, responded_at=now, responded_by=actor.user)
    CustomerOrder.objects.filter(pk__in=order_ids).update(status=OrderStatus.RECEIVED, dealer=None,
                                                          route_requested_at=now, updated_at=now)
    OrderEvent.objects.bulk_create([
        OrderEvent(order_id=pk, kind=EventKind.REASSIGNED, dealer=dealer, user=actor.user,
                   detail=reason or gettext_noop("Re-routed by HQ")) for pk in order_ids])
    audit(actor=actor, action="dealer.offers_reroute", obj=dealer, orders=order_ids, reason=reason)
    if order_ids:
        _ring(order_ids[0])
    return len(order_ids)
