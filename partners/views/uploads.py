"""Dealer-list upload pages: the distributor uploads, checks the columns on a preview, follows the progress and
downloads what was rejected; HQ sees every distributor's uploads."""

import csv
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import permissions, selectors
from partners.choices import OrgKind, UploadStatus
from partners.forms import ColumnMappingForm, DealerListUploadForm
from partners.models import DealerListUpload
from partners.services import (
    can_retry,
    dealer_list_cancel,
    dealer_list_confirm,
    dealer_list_retry,
    dealer_list_upload_create,
    upload_progress,
)
from partners.services.dealer_lists import analysed_table, mapping_preview
from partners.templatetags.partners_tags import import_field_label, issue_reason
from partners.views.network import _page
from prm.core.errors import ServiceError, error_text
from prm.core.export import safe_cell
from prm.portals.access import portal_required


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_uploads(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    assert actor.organization is not None  # the portal guard let a distributor in
    form = DealerListUploadForm()
    if request.method == "POST":
        form = DealerListUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload = dealer_list_upload_create(actor=actor, distributor=actor.organization,
                                                   file=form.cleaned_data["file"])
            except (ServiceError, ValidationError) as exc:
                form.add_error("file", error_text(exc))
            else:
                return redirect("portals:distributor_upload", pk=upload.pk)
    uploads = selectors.upload_visible_to(actor)
    return render(request, "partners/upload_list.html", {
        "form": form, "page": _page(request, uploads, 20),
        "can_upload": permissions.can(actor, "dealer_list.upload"),
    })


@portal_required(OrgKind.HQ)
def hq_uploads(request: HttpRequest) -> HttpResponse:
    """Every dealer list every distributor sent, newest first."""
    uploads = selectors.upload_visible_to(request.actor)  # type: ignore[attr-defined]
    return render(request, "partners/upload_list.html", {"page": _page(request, uploads, 25), "can_upload": False,
                                                         "show_distributor": True})


def _context(request: HttpRequest, upload: DealerListUpload, portal: str,
             form: ColumnMappingForm | None = None) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    distributor_portal = portal == "distributor"
    context: dict[str, Any] = {
        "upload": upload, "report": upload.report or {}, "progress": upload_progress(upload),
        "status_url": reverse(f"portals:{portal}_upload", args=[upload.pk]),
        "report_url": reverse(f"portals:{portal}_upload_report", args=[upload.pk]),
        "rejected_url": reverse(f"portals:{portal}_upload_rejected", args=[upload.pk]),
        "retry_url": reverse(f"portals:{portal}_upload_retry", args=[upload.pk]),
        "back_url": reverse("portals:distributor_uploads" if distributor_portal else "portals:hq_uploads"),
        "can_retry": permissions.can(actor, "dealer_list.upload") and can_retry(upload),
        "can_confirm": distributor_portal and permissions.can(actor, "dealer_list.upload"),
    }
    if upload.status == UploadStatus.MAPPING:
        table = analysed_table(upload)
        if table is not None:
            width = int(upload.analysis.get("width", len(table.headers)))
            headers = table.headers + [""] * max(0, width - len(table.headers))
            if form is None:
                form = ColumnMappingForm(headers=headers, initial_mapping=upload.mapping)
            context.update({
                "form": form, "preview": mapping_preview(table, form.mapping, width),
                "columns_url": reverse("portals:distributor_upload_columns", args=[upload.pk]),
                "cancel_url": reverse("portals:distributor_upload_cancel", args=[upload.pk]),
            })
            context["mapping_columns"] = list(zip(context["preview"]["columns"],
                                                  [form[name] for name in form.column_names], strict=False))
    return context


def _upload_page(request: HttpRequest, pk: int, portal: str) -> HttpResponse:
    upload = selectors.upload_get(request.actor, pk)  # type: ignore[attr-defined]
    template = "partners/_upload_status.html" if request.headers.get("HX-Request") else "partners/upload_detail.html"
    return render(request, template, _context(request, upload, portal))


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_page(request, pk, "distributor")


@portal_required(OrgKind.HQ)
def hq_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_page(request, pk, "hq")


@require_POST
@portal_required(OrgKind.DISTRIBUTOR)
def distributor_upload_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping screen's form: "check" shows the first rows read with the chosen columns, "confirm" saves
    the choice (and the preset) and starts the import."""
    actor = request.actor  # type: ignore[attr-defined]
    upload = selectors.upload_get(actor, pk)
    if upload.status != UploadStatus.MAPPING:
        if request.headers.get("HX-Request"):
            return render(request, "partners/_upload_status.html", _context(request, upload, "distributor"))
        return redirect("portals:distributor_upload", pk=upload.pk)
    table = analysed_table(upload)
    if table is None:
        raise Http404
    width = int(upload.analysis.get("width", len(table.headers)))
    headers = table.headers + [""] * max(0, width - len(table.headers))
    form = ColumnMappingForm(request.POST, headers=headers, initial_mapping=upload.mapping)
    valid = form.is_valid()
    if request.POST.get("action") == "confirm" and valid:
        try:
            dealer_list_confirm(actor=actor, upload=upload, mapping=form.mapping,
                                remember=form.cleaned_data.get("remember", False))
        except (ServiceError, ValidationError) as exc:
            upload.refresh_from_db()
            if upload.status != UploadStatus.MAPPING:  # confirmed (or cancelled) meanwhile, e.g. a double click
                return redirect("portals:distributor_upload", pk=upload.pk)
            form.add_error(None, error_text(exc))
        else:
            if request.headers.get("HX-Request"):
                upload.refresh_from_db()
                return render(request, "partners/_upload_status.html", _context(request, upload, "distributor"))
            return redirect("portals:distributor_upload", pk=upload.pk)
    template = "partners/_upload_status.html" if request.headers.get("HX-Request") else "partners/upload_detail.html"
    return render(request, template, _context(request, upload, "distributor", form=form))


@require_POST
@portal_required(OrgKind.DISTRIBUTOR)
def distributor_upload_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    upload = selectors.upload_get(request.actor, pk)  # type: ignore[attr-defined]
    try:
        dealer_list_cancel(actor=request.actor, upload=upload)  # type: ignore[attr-defined]
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The upload was cancelled. Nothing was imported from it."))
    return redirect("portals:distributor_uploads")


def _retry(request: HttpRequest, pk: int, portal: str) -> HttpResponse:
    upload = selectors.upload_get(request.actor, pk)  # type: ignore[attr-defined]
    try:
        dealer_list_retry(actor=request.actor, upload=upload)  # type: ignore[attr-defined]
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The import starts again."))
    return redirect(f"portals:{portal}_upload", pk=upload.pk)


@require_POST
@portal_required(OrgKind.DISTRIBUTOR)
def distributor_upload_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _retry(request, pk, "distributor")


@require_POST
@portal_required(OrgKind.HQ)
def hq_upload_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _retry(request, pk, "hq")


def rejected_rows_response(upload: DealerListUpload) -> FileResponse:
    """The rejected rows spreadsheet, named after the distributor's own file."""
    if not upload.rejected_file:
        raise Http404
    stem = PurePosixPath(upload.original_name).stem.lstrip(".")[:80] or "dealers"
    return FileResponse(upload.rejected_file.open("rb"), as_attachment=True,
                        filename=f"{stem}-{_('rejected')}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_upload_rejected(request: HttpRequest, pk: int) -> FileResponse:
    return rejected_rows_response(selectors.upload_get(request.actor, pk))  # type: ignore[attr-defined]


@portal_required(OrgKind.HQ)
def hq_upload_rejected(request: HttpRequest, pk: int) -> FileResponse:
    return rejected_rows_response(selectors.upload_get(request.actor, pk))  # type: ignore[attr-defined]


@portal_required(OrgKind.HQ)
def hq_upload_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_report(request, pk)


@portal_required(OrgKind.DISTRIBUTOR)
def distributor_upload_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_report(request, pk)


def _upload_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The import result as CSV: one line per rejected row, warning, merge and flag."""
    upload = selectors.upload_get(request.actor, pk)  # type: ignore[attr-defined]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-report-{upload.pk}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM as UTF-8
    writer = csv.writer(response)
    report = upload.report or {}
    # The totals first, then one line per row that needs a look.
    writer.writerow([_("created"), _("updated"), _("unchanged"), _("rejected")])
    writer.writerow([report.get("created", 0), report.get("updated", 0), report.get("unchanged", 0),
                     len(report.get("rejected", []))])
    writer.writerow([])
    writer.writerow([_("Result"), _("Row"), _("Field"), _("Reason"), _("Business no."), _("Name")])
    for kind, label in (("rejected", _("rejected")), ("warnings", _("warning")), ("merged", _("merged")),
                        ("flagged", _("flagged for HQ"))):
        for item in report.get(kind, []):
            writer.writerow([label, item.get("row", ""),
                             safe_cell(import_field_label(item.get("field", "business_number"))),
                             safe_cell(issue_reason(item)), safe_cell(item.get("business_number", "")),
                             safe_cell(item.get("name", ""))])
    return response
