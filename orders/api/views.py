from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from orders import selectors, services
from orders.api.serializers import DeclineIn, OrderIn, OrderOut
from orders.choices import OfferStatus, OrderSource
from orders.models import Offer
from partners.api.views import api_actor
from partners.models import ProductLine
from prm.core.api_docs import READ_ERRORS, WRITE_ERRORS


def _context(request: Request) -> dict[str, Any]:
    actor = api_actor(request)
    # whose offers, timeline entries and customer contacts the caller sees; None: all (HQ)
    dealer_ids = selectors.partner_dealer_ids(actor)
    return {"request": request, "actor": actor, "dealer_ids": dealer_ids}


@extend_schema_view(get=extend_schema(responses={200: OrderOut(many=True), **READ_ERRORS}))
class OrderListCreate(generics.ListAPIView):
    """Customer orders the caller may see; HQ enters new ones, which are routed in the background."""

    serializer_class = OrderOut

    def get_queryset(self) -> Any:
        return selectors.order_visible_to(api_actor(self.request)).prefetch_related("offers", "events")

    def get_serializer_context(self) -> dict[str, Any]:
        return _context(self.request)

    @extend_schema(request=OrderIn, responses={201: OrderOut, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        data = OrderIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        line = ProductLine.objects.filter(code=values.pop("product_line")).first()
        if line is None:
            raise ValidationError({"product_line": [_("Unknown product line code.")]})
        order = services.order_create(actor=actor, product_line=line, source=OrderSource.API, **values)
        return Response(OrderOut(order, context=_context(request)).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(responses={200: OrderOut, **READ_ERRORS}))
class OrderDetail(generics.RetrieveAPIView):
    serializer_class = OrderOut

    def get_queryset(self) -> Any:
        return selectors.order_visible_to(api_actor(self.request)).prefetch_related("offers", "events")

    def get_serializer_context(self) -> dict[str, Any]:
        return _context(self.request)


def _pending_offer(request: Request, pk: int) -> Offer:
    """The caller's pending offer for this order; 404 if the order was never offered to the caller."""
    actor = api_actor(request)
    order = selectors.order_get(actor, pk)
    offers = selectors.offer_visible_to(actor).filter(order=order)
    offer = offers.filter(status=OfferStatus.PENDING).first() or offers.first()
    if offer is None or (actor.is_dealer and offer.dealer_id != actor.organization_id):
        get_object_or_404(Offer.objects.none())
    assert offer is not None
    return offer


class OrderAccept(APIView):
    @extend_schema(request=None, responses={200: OrderOut, **WRITE_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        offer = _pending_offer(request, pk)
        services.offer_accept(actor=actor, offer=offer)
        order = selectors.order_get(actor, pk)
        return Response(OrderOut(order, context=_context(request)).data)


class OrderDecline(APIView):
    @extend_schema(request=DeclineIn, responses={200: OrderOut, **WRITE_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        data = DeclineIn(data=request.data)
        data.is_valid(raise_exception=True)
        offer = _pending_offer(request, pk)
        services.offer_decline(actor=actor, offer=offer, **data.validated_data)
        order = selectors.order_get(actor, pk)
        return Response(OrderOut(order, context=_context(request)).data)
