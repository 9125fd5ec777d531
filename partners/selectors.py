"""Reads of the partner network. Every view, API endpoint, export and task starts from these querysets."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from partners.choices import OrgKind
from partners.models import DealerListUpload, Organization, SupplyLink
from prm.core.actor import Actor


def organization_visible_to(actor: Actor) -> QuerySet[Organization]:
    """HQ sees the whole network; a distributor itself and the dealers it supplies; a dealer itself."""
    qs = Organization.objects.all()
    if actor.is_system or actor.is_hq:
        return qs
    if actor.is_distributor and actor.organization_id is not None:
        supplied = SupplyLink.objects.filter(distributor_id=actor.organization_id, is_approved=True,
                                             dealer_id=OuterRef("pk"))
        return qs.filter(Q(Exists(supplied)) | Q(pk=actor.organization_id))
    if actor.is_dealer and actor.organization_id is not None:
        return qs.filter(pk=actor.organization_id)
    return qs.none()


def dealer_visible_to(actor: Actor) -> QuerySet[Organization]:
    return organization_visible_to(actor).filter(kind=OrgKind.DEALER)


def distributor_visible_to(actor: Actor) -> QuerySet[Organization]:
    return organization_visible_to(actor).filter(kind=OrgKind.DISTRIBUTOR)


def organization_get(actor: Actor, pk: int) -> Organization:
    """404 for an organisation the actor may not see: never reveal that it exists."""
    return get_object_or_404(organization_visible_to(actor), pk=pk)


def upload_visible_to(actor: Actor) -> QuerySet[DealerListUpload]:
    qs = DealerListUpload.objects.select_related("distributor", "uploaded_by")
    if actor.is_system or actor.is_hq:
        return qs
    if actor.is_distributor:
        return qs.filter(distributor_id=actor.organization_id)
    return qs.none()


def upload_get(actor: Actor, pk: int) -> DealerListUpload:
    return get_object_or_404(upload_visible_to(actor), pk=pk)


def suppliers_of(actor: Actor, dealer: Organization) -> QuerySet[SupplyLink]:
    """The dealer's supply links; pending ones (waiting for HQ) only for HQ."""
    qs = SupplyLink.objects.filter(dealer=dealer).select_related("distributor").order_by("-is_primary", "id")
    return qs if (actor.is_hq or actor.is_system) else qs.filter(is_approved=True)


def supply_link_pending_get(actor: Actor, pk: int) -> SupplyLink:
    qs = SupplyLink.objects.filter(is_approved=False) if (actor.is_hq or actor.is_system) else SupplyLink.objects.none()
    return get_object_or_404(qs.select_related("dealer", "distributor"), pk=pk)


def network_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = Organization.objects.values("kind").annotate(n=Count("id"))
    counts = {row["kind"]: row["n"] for row in rows}
    return {kind: counts.get(kind, 0) for kind in (OrgKind.HQ, OrgKind.DISTRIBUTOR, OrgKind.DEALER)}
