from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.choices import OrgKind, UploadStatus
from partners.models import DealerListUpload, Organization


class OrganizationOut(serializers.ModelSerializer):
    product_lines: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", many=True,
                                                                              read_only=True)
    primary_distributor_id = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "kind", "name", "business_number", "representative", "phone", "mobile", "email",
                  "address", "sido", "sigungu", "region_code", "latitude", "longitude", "segments",
                  "capabilities", "product_lines", "status", "tier", "partner_since", "primary_distributor_id",
                  "created_at", "updated_at"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_primary_distributor_id(self, obj: Organization) -> int | None:
        link = next((link for link in obj.supply_links.all() if link.is_primary), None)
        return link.distributor_id if link else None


class OrganizationIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[OrgKind.DISTRIBUTOR, OrgKind.DEALER])
    name = serializers.CharField(max_length=200)
    business_number = serializers.CharField(max_length=20)
    representative = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    product_lines = serializers.ListField(child=serializers.SlugField(), required=False, default=list,
                                          help_text=_("product line codes"))
    primary_distributor_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class UploadOut(serializers.ModelSerializer):
    distributor_id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=UploadStatus.choices, read_only=True)

    class Meta:
        model = DealerListUpload
        fields = ["id", "distributor_id", "original_name", "status", "progress", "encoding", "data_rows",
                  "created_count", "updated_count", "unchanged_count", "rejected_count", "merged_count", "report",
                  "error", "created_at", "finished_at"]


class UploadIn(serializers.Serializer):
    file = serializers.FileField()
    distributor_id = serializers.IntegerField(required=False, help_text=_("HQ only: the distributor"))
