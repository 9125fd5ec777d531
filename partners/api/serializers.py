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


class UploadProgressOut(serializers.Serializer):
    stage = serializers.CharField(help_text=_("wait, read, check or commit while importing; empty otherwise"))
    rows_read = serializers.IntegerField()
    rows_checked = serializers.IntegerField()
    rows_committed = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    percent = serializers.IntegerField()
    stalled = serializers.BooleanField(help_text=_("true when a running import reported nothing for two minutes: "
                                                   "retry it"))


class UploadColumnOut(serializers.Serializer):
    column = serializers.IntegerField(help_text=_("0-based column index"))
    letter = serializers.CharField()
    header = serializers.CharField()
    field = serializers.CharField(help_text=_("the dealer field read from it; empty: not imported"))
    samples = serializers.ListField(child=serializers.CharField())


class UploadOut(serializers.ModelSerializer):
    distributor_id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=UploadStatus.choices, read_only=True)
    progress = serializers.SerializerMethodField()
    columns = serializers.SerializerMethodField()
    mapping = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                    help_text=_("field -> 0-based column, as suggested or confirmed"))
    rejected_rows_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = DealerListUpload
        fields = ["id", "distributor_id", "original_name", "status", "progress", "encoding", "data_rows",
                  "columns", "mapping", "created_count", "updated_count", "unchanged_count", "rejected_count",
                  "merged_count", "report", "rejected_rows_url", "error", "attempts", "created_at", "finished_at"]

    @extend_schema_field(UploadProgressOut)
    def get_progress(self, upload: DealerListUpload) -> dict:
        from partners.services import upload_progress

        return upload_progress(upload)

    @extend_schema_field(UploadColumnOut(many=True))
    def get_columns(self, upload: DealerListUpload) -> list[dict]:
        """The file's columns with what each is read as, and its first values (once the file was read)."""
        from partners.services.dealer_lists import analysed_table, column_letter

        table = analysed_table(upload)
        if table is None:
            return []
        width = int(upload.analysis.get("width", len(table.headers)))
        headers = table.headers + [""] * max(0, width - len(table.headers))
        by_col = {col: fld for fld, col in (upload.mapping or {}).items()}
        from partners.importing.normalise import cell_to_text

        columns = []
        for col in range(width):
            samples = [cell_to_text(cells[col]) for _row, cells in table.body if col < len(cells)]
            columns.append({"column": col, "letter": column_letter(col), "header": headers[col],
                            "field": by_col.get(col, ""), "samples": [s for s in samples if s][:3]})
        return columns

    @extend_schema_field(serializers.CharField())
    def get_error(self, upload: DealerListUpload) -> str:
        """Why the file could not be imported, in the caller's language."""
        from django.utils.translation import gettext

        return gettext(upload.error) if upload.error else ""

    @extend_schema_field(serializers.DictField())
    def get_report(self, upload: DealerListUpload) -> dict:
        """The import's result; every reason and notice in the caller's language (``reason``), with the
        English message id kept as ``reason_id`` for scripts."""
        from django.utils.translation import gettext

        from partners.templatetags.partners_tags import issue_reason

        report = dict(upload.report or {})
        for kind in ("rejected", "warnings", "merged", "flagged"):
            report[kind] = [{**item, "reason_id": item.get("reason", ""), "reason": issue_reason(item)}
                            for item in report.get(kind, [])]
        report["notices"] = [gettext(notice) for notice in report.get("notices", [])]
        return report

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rejected_rows_url(self, upload: DealerListUpload) -> str | None:
        if not upload.rejected_file:
            return None
        from django.urls import reverse

        return reverse("api:upload_rejected", args=[upload.pk])


class UploadIn(serializers.Serializer):
    file = serializers.FileField()
    distributor_id = serializers.IntegerField(required=False, help_text=_("HQ only: the distributor"))
    review_columns = serializers.BooleanField(
        required=False, default=False,
        help_text=_("true: stop after reading the file (status \"mapping\") until the columns are confirmed "
                    "with POST .../confirm/; false: import at once with the matched columns"))


class UploadConfirmIn(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100_000), required=False,
        help_text=_("field -> 0-based column; omit to confirm the suggested mapping"))

    def validate_mapping(self, value: dict) -> dict:
        from partners.importing import FIELD_LABELS

        unknown = [key for key in value if key not in FIELD_LABELS]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown field(s): %(fields)s. Use: %(known)s.")
                % {"fields": ", ".join(key[:40] for key in unknown[:5]), "known": ", ".join(FIELD_LABELS)})
        return value
    remember = serializers.BooleanField(required=False, default=True,
                                        help_text=_("save the columns as this distributor's preset"))
