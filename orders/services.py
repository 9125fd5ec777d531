"""Customer orders: intake, routing to the best-scoring eligible dealer (orders/routing.py), and the dealer's
answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q
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
from orders.models import CustomerOrder, Deal, Offer, OrderEvent, RoutingDecision, RoutingRule
from orders.routing import Candidate, rule_in_use, score_candidates
from orders.selectors import company_key
from partners.models import ProductLine
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
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


def _notify_offer(offer: Offer, order: CustomerOrder, deadline: Any) -> None:
    """The dealer's people and its primary distributor's admins hear of a new offer, in the portal and by e-mail."""
    from partners.models import Membership, Organization, SupplyLink
    from prm.core.notifications import notify
    from prm.core.roles import Role

    params = {"number": order.number, "region": order.region_label or "-",
              "deadline": timezone.localtime(deadline).strftime("%m-%d %H:%M")}
    dealer_people = [m.user for m in Membership.objects.filter(organization_id=offer.dealer_id, is_active=True)
                     .select_related("user")]
    notify(users=dealer_people, kind="offer.new", url=f"/dealer/offers/{offer.pk}/", params=params,
           message=gettext_noop("New customer order %(number)s in %(region)s: accept it by %(deadline)s."))
    primary = SupplyLink.objects.filter(dealer_id=offer.dealer_id, is_primary=True, is_approved=True).values(
        "distributor_id")
    admins = [m.user for m in Membership.objects.filter(organization_id__in=primary, is_active=True,
                                                         role=Role.DISTRIBUTOR_ADMIN).select_related("user")]
    dealer_name = Organization.objects.filter(pk=offer.dealer_id).values_list("name", flat=True).first() or ""
    notify(users=admins, kind="offer.new.distributor", url="", params={**params, "dealer": dealer_name},
           message=gettext_noop("Your dealer %(dealer)s was offered customer order %(number)s in %(region)s."))


def _queue_expiry(offer_id: int, when: Any) -> None:
    """A timer for the offer's deadline. If it is lost (a worker restart keeps ETA tasks only in memory until
    the broker's visibility timeout), beat's sweep_overdue_offers expires the offer within a minute anyway."""
    from orders.tasks import offer_expire_task

    transaction.on_commit(lambda: offer_expire_task.apply_async(args=(offer_id,), eta=when))


def _queue_routing(order_id: int) -> None:
    from orders.tasks import order_route_task

    transaction.on_commit(lambda: order_route_task.delay(order_id))


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
    )
    OrderEvent.objects.create(order=order, kind=EventKind.RECEIVED, user=actor.user if actor else None,
                              detail=_msgid(order.get_source_display))
    if actor is not None:
        audit(actor=actor, action="order.create", obj=order)
    _queue_routing(order.pk)
    return order


def order_candidates(order: CustomerOrder, rule: RoutingRule | None = None) -> list[Candidate]:
    """The dealers the order could be offered to next, best first, as the rule in use scores them (see
    orders/routing.py): dealers already offered it are left out."""
    return score_candidates(order, rule or rule_in_use())[1]


DECISION_CANDIDATES = 10  # the chosen dealer and the runners-up kept with each decision
CAPACITY_BATCH = 10  # the best candidates whose capacity is locked and checked at once
AT_CAPACITY = gettext_noop("Every eligible dealer has as many waiting offers as the rule allows; the order waits.")


def _claim_capacity(candidates: list[Candidate], rule: RoutingRule) -> Candidate | None:
    """The best candidate that still has room for one more waiting offer, checked under a lock per dealer.

    The score's open-load figure was read without locks; two workers routing two orders at once could both
    pick a dealer's last free slot. Transaction-scoped advisory locks (one per dealer, always taken in
    ascending id order, so two workers cannot deadlock) make the count and the new offer one step.
    """
    top = candidates[:CAPACITY_BATCH]
    ids = sorted({c.dealer_id for c in top})
    with connection.cursor() as cursor:  # one statement, the locks taken in ascending id order
        cursor.execute("SELECT count(pg_advisory_xact_lock(hashtext('orders.offer-capacity'), d.id)) "
                       "FROM (SELECT unnest(%s::int[]) AS id ORDER BY 1) d", [ids])
    waiting = dict(Offer.objects.filter(dealer_id__in=ids, status=OfferStatus.PENDING).values("dealer_id")
                   .annotate(n=Count("id")).values_list("dealer_id", "n"))
    return next((c for c in top if waiting.get(c.dealer_id, 0) < rule.max_open_offers), None)


def _capacity_full(order: CustomerOrder, rule: RoutingRule) -> bool:
    """Whether a dealer would be eligible but for its waiting offers."""
    if order.latitude is None:
        return False
    unlimited = RoutingRule(**{**rule.settings_dict(), "max_open_offers": 32767, "pool_size": 1})
    return bool(score_candidates(order, unlimited)[1])


def order_route(*, order_id: int) -> CustomerOrder | None:
    """Offer the order to the best-scoring eligible dealer it has not been offered to yet, and record why.

    Idempotent: an order that already waits on a dealer, or is accepted, is left as it is.
    """
    with transaction.atomic():
        order = CustomerOrder.objects.select_for_update().filter(pk=order_id).first()
        if order is None or order.status in (OrderStatus.ACCEPTED, OrderStatus.UNROUTABLE):
            return order
        if Offer.objects.filter(order=order, status=OfferStatus.PENDING).exists():
            return order
        # The cap counts the offers of this round: HQ's "route again" starts a new one.
        restarted = order.events.filter(kind=EventKind.RECEIVED).order_by("-created_at").values("created_at")[:1]
        tried = Offer.objects.filter(order=order, created_at__gte=restarted).count()
        rule = rule_in_use()
        eligible, candidates = (score_candidates(order, rule) if tried < rule.max_candidates else (0, []))
        decision = RoutingDecision(order=order, rule=rule, round=tried + 1, eligible=eligible,
                                   candidates=[c.as_dict() for c in candidates[:DECISION_CANDIDATES]])
        best = _claim_capacity(candidates, rule) if candidates else None
        if best is None and (candidates or (tried < rule.max_candidates and _capacity_full(order, rule))):
            # Eligible dealers exist but each has as many waiting offers as the rule allows: the order waits
            # (beat's sweep_waiting_orders tries again) instead of being given up.
            decision.reason = AT_CAPACITY
            if not order.decisions.filter(round=tried + 1, reason=AT_CAPACITY).exists():
                decision.save()  # once per wait, not at every retry
            return order
        if best is None:
            # Stored as the English message id, shown in each reader's language.
            if order.latitude is None:
                reason = gettext_noop("The address could not be placed in a region.")
            elif tried >= rule.max_candidates:
                reason = gettext_noop("The most dealers an order is offered to all declined.")
            elif tried:
                reason = gettext_noop("Every eligible dealer declined.")
            else:
                reason = gettext_noop("No active dealer is authorised for this product line.")
            decision.reason = reason
            decision.save()
            order.status = OrderStatus.UNROUTABLE
            order.unroutable_reason = reason
            order.dealer = None
            order.save(update_fields=["status", "unroutable_reason", "dealer", "updated_at"])
            OrderEvent.objects.create(order=order, kind=EventKind.UNROUTABLE, detail=reason)
            return order
        decision.chosen_id = best.dealer_id
        decision.save()
        expires_at = timezone.now() + timedelta(hours=rule.sla_hours)
        offer = Offer.objects.create(order=order, dealer_id=best.dealer_id, rank=tried + 1,
                                     distance_km=best.distance_km, expires_at=expires_at)
        _queue_expiry(offer.pk, expires_at)
        _notify_offer(offer, order, expires_at)
        order.status = OrderStatus.OFFERED
        order.dealer_id = best.dealer_id
        order.save(update_fields=["status", "dealer", "updated_at"])
        OrderEvent.objects.create(order=order, kind=EventKind.OFFERED, dealer_id=best.dealer_id,
                                  detail=f"{best.distance_km:.1f} km · v{rule.version}")
    return order


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
    order.save()
    OrderEvent.objects.create(order=order, kind=EventKind.RECEIVED, user=actor.user,
                              detail=gettext_noop("Routed again by HQ"))
    audit(actor=actor, action="order.route_again", obj=order)
    _queue_routing(order.pk)
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
    audit(actor=actor, action="offer.accept", obj=offer)
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
    order.save(update_fields=["status", "dealer", "updated_at"])
    OrderEvent.objects.create(order=order, kind=EventKind.DECLINED, dealer_id=offer.dealer_id, user=actor.user,
                              detail=_msgid(offer.get_decline_reason_display))
    audit(actor=actor, action="offer.decline", obj=offer, reason=reason)
    _queue_routing(order.pk)
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
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
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
        order.save(update_fields=["status", "dealer", "updated_at"])
        OrderEvent.objects.create(order=order, kind=EventKind.EXPIRED, dealer_id=offer.dealer_id)
        _queue_routing(order.pk)
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
    audit(actor=actor, action=f"order.{stage}", obj=order, won_value=order.won_value, lost_reason=lost_reason)
    return order


def orders_flag_stale(*, days: int | None = None) -> int:
    """Accepted orders with no step for ``days`` (settings.ORDER_STALE_DAYS) are flagged, once per quiet
    spell, to the dealer's people and to HQ."""
    from django.conf import settings

    from partners.models import Membership
    from prm.core.notifications import notify

    days = days or settings.ORDER_STALE_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    stale = CustomerOrder.objects.filter(status=OrderStatus.ACCEPTED, stage__in=OPEN_STAGES,
                                         stage_changed_at__lt=cutoff).filter(
        Q(stale_notified_at__isnull=True) | Q(stale_notified_at__lt=F("stage_changed_at")))
    hq_people = [m.user for m in Membership.objects.filter(organization__kind="hq", is_active=True)
                 .select_related("user")]
    flagged = 0
    for order in stale.select_related("dealer")[:1000]:
        with transaction.atomic():
            params = {"number": order.number, "days": days, "dealer": order.dealer.name if order.dealer else "-"}
            dealer_people = [m.user for m in Membership.objects.filter(organization_id=order.dealer_id or 0,
                                                                        is_active=True).select_related("user")]
            notify(users=dealer_people, kind="order.stale", url="/dealer/orders/", params=params,
                   message=gettext_noop("Order %(number)s has had no update for %(days)s days: tell HQ and the "
                                        "customer where it stands."))
            notify(users=hq_people, kind="order.stale.hq", url=f"/hq/orders/{order.pk}/", params=params,
                   message=gettext_noop("Order %(number)s at %(dealer)s has had no update for %(days)s days."))
            CustomerOrder.objects.filter(pk=order.pk).update(stale_notified_at=timezone.now())
            flagged += 1
    return flagged


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
    expires_at = timezone.now() + timedelta(hours=rule.sla_hours)
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
    _queue_expiry(offer.pk, expires_at)
    _notify_offer(offer, order, expires_at)
    return offer


@transaction.atomic
def dealer_offers_reroute(*, actor: Actor, dealer: Any, reason: str) -> int:
    """Withdraw every offer waiting on a dealer (suspended, say) and route those orders again: each goes to the
    next best dealer. Returns how many orders were sent on."""
    permissions.require(actor, "order.reroute")
    order_ids = list(Offer.objects.filter(dealer=dealer, status=OfferStatus.PENDING).values_list("order_id",
                                                                                                flat=True))
    for order in CustomerOrder.objects.select_for_update().filter(pk__in=order_ids):
        _withdraw_pending(order, actor, reason)
        order.status = OrderStatus.RECEIVED
        order.dealer = None
        order.save(update_fields=["status", "dealer", "updated_at"])
        OrderEvent.objects.create(order=order, kind=EventKind.REASSIGNED, dealer=dealer, user=actor.user,
                                  detail=reason.strip()[:300] or gettext_noop("Re-routed by HQ"))
        _queue_routing(order.pk)
    audit(actor=actor, action="dealer.offers_reroute", obj=dealer, orders=order_ids, reason=reason)
    return len(order_ids)
