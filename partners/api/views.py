from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partners import permissions, selectors, services
from partners.api.serializers import OrganizationIn, OrganizationOut, UploadConfirmIn, UploadIn, UploadOut
from partners.choices import OrgKind
from partners.models import DealerListUpload, Organization, ProductLine
from prm.core.actor import Actor, actor_for
from prm.core.api_docs import READ_ERRORS, WRITE_ERRORS
from prm.core.errors import NotAllowed


def api_actor(request: Request) -> Actor:
    actor = actor_for(request.user)
    if actor is None:
        raise NotAllowed(_("Your account belongs to no organisation here."))
    return actor


@extend_schema_view(get=extend_schema(
    responses={200: OrganizationOut(many=True), **READ_ERRORS},
    parameters=[OpenApiParameter("kind", str, enum=["hq", "distributor", "dealer"],
                                 description="only organisations of this kind")],
))
class OrganizationListCreate(generics.ListAPIView):
    """Organisations the caller may see; HQ creates distributors and dealers."""

    serializer_class = OrganizationOut

    def get_queryset(self) -> Any:
        qs = selectors.organization_visible_to(api_actor(self.request)).prefetch_related(
            "product_lines", "supply_links")
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in OrgKind.values:
                raise ValidationError({"kind": [_("Use hq, distributor or dealer.")]})
            qs = qs.filter(kind=kind)
        return qs

    @extend_schema(request=OrganizationIn, responses={201: OrganizationOut, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        permissions.require(actor, "organization.create")
        data = OrganizationIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        codes = values.pop("product_lines")
        lines = list(ProductLine.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {line.code for line in lines})
        if missing:
            raise ValidationError({"product_lines": [_("Unknown product line code(s): %(codes)s.")
                                                     % {"codes": ", ".join(missing)}]})
        supplier_id = values.pop("primary_distributor_id")
        supplier = None
        if supplier_id is not None:
            supplier = selectors.distributor_visible_to(actor).filter(pk=supplier_id).first()
            if supplier is None:
                raise ValidationError({"primary_distributor_id": [_("No such distributor.")]})
        org = services.organization_create(actor=actor, product_lines=lines, supplier=supplier, **values)
        org = Organization.objects.prefetch_related("product_lines", "supply_links").get(pk=org.pk)
        return Response(OrganizationOut(org).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(responses={200: OrganizationOut, **READ_ERRORS}))
class OrganizationDetail(generics.RetrieveAPIView):
    serializer_class = OrganizationOut

    def get_queryset(self) -> Any:
        return selectors.organization_visible_to(api_actor(self.request)).prefetch_related(
            "product_lines", "supply_links")


@extend_schema_view(get=extend_schema(responses={200: UploadOut(many=True), **READ_ERRORS}))
class UploadListCreate(generics.ListAPIView):
    """Dealer-list uploads: a distributor sends a file; the import runs in the background."""

    serializer_class = UploadOut
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return selectors.upload_visible_to(api_actor(self.request))

    @extend_schema(request={"multipart/form-data": UploadIn}, responses={202: UploadOut, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        if not permissions.can(actor, "dealer_list.upload"):
            raise NotAllowed(_("Only distributors and HQ upload dealer lists."))
        data = UploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        if actor.is_distributor:
            assert actor.organization is not None
            distributor = actor.organization
            asked = data.validated_data.get("distributor_id")
            if asked is not None and asked != actor.organization_id:
                raise ValidationError({"distributor_id": [_("You can upload dealer lists only for your own company.")]})
        else:
            distributor_id = data.validated_data.get("distributor_id")
            if distributor_id is None:
                raise ValidationError({"distributor_id": [_("Name the distributor the list belongs to.")]})
            distributor = get_object_or_404(selectors.distributor_visible_to(actor), pk=distributor_id)
        upload = services.dealer_list_upload_create(actor=actor, distributor=distributor,
                                                    file=data.validated_data["file"],
                                                    auto_confirm=not data.validated_data["review_columns"])
        return Response(UploadOut(upload).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(get=extend_schema(responses={200: UploadOut, **READ_ERRORS}))
class UploadDetail(generics.RetrieveAPIView):
    serializer_class = UploadOut

    def get_queryset(self) -> Any:
        return selectors.upload_visible_to(api_actor(self.request))


def _upload_for_write(request: Request, pk: int) -> tuple[Actor, DealerListUpload]:
    actor = api_actor(request)
    upload = get_object_or_404(selectors.upload_visible_to(actor), pk=pk)
    if not permissions.can(actor, "dealer_list.upload"):
        raise NotAllowed(_("Only distributors and HQ upload dealer lists."))
    return actor, upload


class UploadConfirm(APIView):
    """Confirm (or correct) the columns of an upload in status "mapping"; the import then starts."""

    @extend_schema(request=UploadConfirmIn, responses={202: UploadOut, **WRITE_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        actor, upload = _upload_for_write(request, pk)
        data = UploadConfirmIn(data=request.data)
        data.is_valid(raise_exception=True)
        mapping = data.validated_data.get("mapping")
        upload = services.dealer_list_confirm(actor=actor, upload=upload,
                                              mapping=upload.mapping if mapping is None else mapping,
                                              remember=data.validated_data["remember"])
        return Response(UploadOut(upload).data, status=status.HTTP_202_ACCEPTED)


class UploadCancel(APIView):
    """Drop an upload waiting for its columns; nothing is imported from it."""

    @extend_schema(request=None, responses={200: UploadOut, **WRITE_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        actor, upload = _upload_for_write(request, pk)
        return Response(UploadOut(services.dealer_list_cancel(actor=actor, upload=upload)).data)


class UploadRetry(APIView):
    """Run again an import that stopped (its worker died, or it reported nothing for two minutes)."""

    @extend_schema(request=None, responses={202: UploadOut, **WRITE_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        actor, upload = _upload_for_write(request, pk)
        upload = services.dealer_list_retry(actor=actor, upload=upload)
        return Response(UploadOut(upload).data, status=status.HTTP_202_ACCEPTED)


class UploadRejectedRows(APIView):
    """The rejected rows as they were in the file, with an error column (XLSX); 404 when none were rejected."""

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                              OpenApiTypes.BINARY, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Any:
        from partners.views.uploads import rejected_rows_response

        upload = get_object_or_404(selectors.upload_visible_to(api_actor(request)), pk=pk)
        return rejected_rows_response(upload)
