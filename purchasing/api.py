"""API for partner ordering (a distributor's or dealer's own system): the catalogue with the caller's prices and
its supplier's stock, and purchase orders (list, one, place). Amounts are decimal strings, never floats."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from catalog import selectors as catalog_selectors
from catalog.models import Product
from partners.api.views import api_actor
from partners.models import Organization
from prm.core.api_docs import READ_ERRORS, WRITE_ERRORS
from purchasing import selectors, services
from purchasing.models import PurchaseOrder


class PriceOut(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    regular = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    promotion = serializers.BooleanField()
    campaign = serializers.CharField()
    next_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    next_from = serializers.DateField(allow_null=True)


class AvailabilityOut(serializers.Serializer):
    level = serializers.ChoiceField(choices=["in_stock", "low", "out"])
    expected_on = serializers.DateField(allow_null=True)


class ProductOut(serializers.ModelSerializer):
    product_line = serializers.CharField(source="product_line.code")
    price = serializers.SerializerMethodField()
    availability = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "sku", "kind", "status", "product_line", "name_ko", "name_en", "unit", "specs", "price",
                  "availability"]

    @extend_schema_field(PriceOut(allow_null=True))
    def get_price(self, product: Product) -> dict[str, Any] | None:
        price = self.context["prices"].get(product.pk)
        return PriceOut(price).data if price else None

    @extend_schema_field(AvailabilityOut(allow_null=True))
    def get_availability(self, product: Product) -> dict[str, Any] | None:
        stock = self.context["stock"].get(product.pk)
        return AvailabilityOut(stock).data if stock else None


class LineOut(serializers.Serializer):
    sku = serializers.CharField(source="product.sku")
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    line_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    shipped = serializers.IntegerField()


class ShipmentOut(serializers.Serializer):
    carrier = serializers.CharField()
    tracking = serializers.CharField()
    shipped_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


class PurchaseOrderOut(serializers.ModelSerializer):
    buyer = serializers.CharField(source="buyer.name")
    supplier = serializers.CharField(source="supplier.name")
    supplier_id = serializers.IntegerField()
    lines = LineOut(many=True)
    shipments = ShipmentOut(many=True)

    class Meta:
        model = PurchaseOrder
        fields = ["id", "number", "status", "terms", "total", "currency", "buyer", "supplier", "supplier_id",
                  "placed_at", "note", "lines", "shipments"]


class LineIn(serializers.Serializer):
    sku = serializers.CharField(max_length=40)
    quantity = serializers.IntegerField(min_value=1, max_value=services.MAX_QUANTITY)


class PurchaseOrderIn(serializers.Serializer):
    supplier_id = serializers.IntegerField(required=False, help_text="Default: the caller's first supplier.")
    lines = serializers.ListField(child=LineIn(), allow_empty=False, max_length=services.MAX_LINES)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


def _supplier(actor: Any, supplier_id: int | None) -> Organization:
    suppliers = services.suppliers_for(actor.organization) if actor.organization else []
    chosen = next((s for s in suppliers if supplier_id in (None, s.pk)), None)
    if chosen is None:
        raise ValidationError({"supplier_id": [_("You can't order from this supplier.")]})
    return chosen


@extend_schema_view(get=extend_schema(responses={200: ProductOut(many=True), **READ_ERRORS}, parameters=[
    OpenApiParameter("q", str, description="part of a name or SKU"),
    OpenApiParameter("line", str, description="product line code"),
    OpenApiParameter("supplier_id", int, description="whose stock to show (default: the caller's first supplier)"),
]))
class CatalogueList(generics.ListAPIView):
    """Products with the caller's own price and its supplier's stock (a word, not a number)."""

    serializer_class = ProductOut

    def get_queryset(self) -> Any:
        from partners.models import ProductLine

        code = self.request.query_params.get("line", "")
        line = ProductLine.objects.filter(code=code).first() if code else None
        if code and line is None:
            raise ValidationError({"line": [_("Unknown product line code.")]})
        return catalog_selectors.catalogue(q=self.request.query_params.get("q", ""), line=line.pk if line else None)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = api_actor(request)
        page = self.paginate_queryset(self.get_queryset())
        products = list(page if page is not None else [])
        ids = [p.pk for p in products]
        prices = catalog_selectors.prices_for(actor.organization, ids) if actor.organization else {}
        stock: dict[int, Any] = {}
        if actor.organization and not actor.is_hq:
            raw = request.query_params.get("supplier_id")
            if raw and not raw.isdigit():
                raise ValidationError({"supplier_id": [_("Enter a number.")]})
            suppliers = services.suppliers_for(actor.organization)
            supplier = next((s for s in suppliers if not raw or str(s.pk) == raw), None)
            if supplier is not None:
                stock = catalog_selectors.availability(supplier, ids, actor)
        data = ProductOut(products, many=True, context={"prices": prices, "stock": stock}).data
        return self.get_paginated_response(data)


@extend_schema_view(get=extend_schema(responses={200: PurchaseOrderOut(many=True), **READ_ERRORS}))
class PurchaseOrderListCreate(generics.ListAPIView):
    """Purchase orders the caller placed or supplies (HQ: all); POST places a new one."""

    serializer_class = PurchaseOrderOut

    def get_queryset(self) -> Any:
        return selectors.order_visible_to(api_actor(self.request)).prefetch_related("lines__product", "shipments")

    @extend_schema(request=PurchaseOrderIn, responses={201: PurchaseOrderOut, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        data = PurchaseOrderIn(data=request.data)
        data.is_valid(raise_exception=True)
        supplier = _supplier(actor, data.validated_data.get("supplier_id"))
        lines = data.validated_data["lines"]
        skus = [line["sku"].strip().upper() for line in lines]
        products = {p.sku.upper(): p for p in Product.objects.filter(sku__in=skus)}
        errors = {f"lines[{i}].sku": [_("Unknown SKU “%(sku)s”.") % {"sku": sku}]
                  for i, sku in enumerate(skus) if sku not in products}
        if len(set(skus)) != len(skus):
            errors["lines"] = [_("Each SKU once per order.")]
        if errors:
            raise ValidationError(errors)
        order = services.order_place_lines(
            actor=actor, supplier=supplier, note=data.validated_data.get("note", ""),
            lines=[(products[sku], line["quantity"]) for sku, line in zip(skus, lines, strict=True)])
        order = selectors.order_visible_to(actor).prefetch_related("lines__product", "shipments").get(pk=order.pk)
        return Response(PurchaseOrderOut(order).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(responses={200: PurchaseOrderOut, **READ_ERRORS}))
class PurchaseOrderDetail(generics.RetrieveAPIView):
    serializer_class = PurchaseOrderOut

    def get_object(self) -> PurchaseOrder:
        actor = api_actor(self.request)
        return get_object_or_404(selectors.order_visible_to(actor).prefetch_related("lines__product", "shipments"),
                                 pk=self.kwargs["pk"])
