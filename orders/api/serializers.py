from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from orders.choices import DeclineReason
from orders.models import CustomerOrder, Offer, OrderEvent


class EventOut(serializers.ModelSerializer):
    dealer_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = OrderEvent
        fields = ["kind", "dealer_id", "detail", "created_at"]


class OfferOut(serializers.ModelSerializer):
    dealer_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Offer
        fields = ["id", "dealer_id", "rank", "distance_km", "status", "decline_reason", "decline_note", "created_at",
                  "responded_at"]


class OrderOut(serializers.ModelSerializer):
    product_line: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    dealer_id = serializers.IntegerField(read_only=True, allow_null=True)
    offers = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = CustomerOrder
        fields = ["id", "number", "customer_name", "customer_phone", "customer_email", "address", "region_code",
                  "region_label", "product_line", "quantity", "note", "source", "status", "dealer_id",
                  "unroutable_reason", "created_at", "offers", "events"]

    def to_representation(self, instance: CustomerOrder) -> dict:
        from orders.selectors import order_contact_visible, order_dealer_visible

        data = super().to_representation(instance)
        dealer_ids = self.context.get("dealer_ids")
        if not order_contact_visible(instance, dealer_ids):
            data["customer_phone"] = data["customer_email"] = data["note"] = ""
            data["address"] = instance.region_label
        if not order_dealer_visible(instance, dealer_ids):
            data["dealer_id"] = None
        return data

    def _visible_offers(self, obj: CustomerOrder) -> list[Offer]:
        offers = list(obj.offers.all())
        dealer_ids = self.context.get("dealer_ids")
        return offers if dealer_ids is None else [o for o in offers if o.dealer_id in dealer_ids]

    @extend_schema_field(OfferOut(many=True))
    def get_offers(self, obj: CustomerOrder) -> list[dict]:
        return OfferOut(self._visible_offers(obj), many=True).data  # type: ignore[return-value]

    @extend_schema_field(EventOut(many=True))
    def get_events(self, obj: CustomerOrder) -> list[dict]:
        events = list(obj.events.all())
        dealer_ids = self.context.get("dealer_ids")
        if dealer_ids is not None:  # a partner sees the order's life, not which other dealers were asked
            events = [e for e in events if e.dealer_id is None or e.dealer_id in dealer_ids]
        return EventOut(events, many=True).data  # type: ignore[return-value]


class OrderIn(serializers.Serializer):
    customer_name = serializers.CharField(max_length=120)
    customer_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    customer_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    address = serializers.CharField(max_length=500)
    product_line = serializers.SlugField(help_text="product line code")
    quantity = serializers.IntegerField(min_value=1, max_value=100000, default=1)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DeclineIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
