"""The dealer-list import: a distributor uploads a file, checks the columns on a preview, and the whole list is
committed at once, or nothing is.

    upload ──read (task)──▶ mapping ──confirm──▶ pending ──commit (task)──▶ done
       │                                                     ▲  │
       └──────── auto_confirm: read and commit in one run ───┘  └─▶ failed (nothing written; retry if it stopped)

Progress goes to the cache, not the database: the import is one transaction, and nothing it writes to the
database can be seen until it commits. See ``upload_progress``.
"""

from __future__ import annotations

import hashlib
import io
import math
import time
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partners import bulk, permissions
from partners.choices import OrgKind, UploadStatus
from partners.importing import FIELD_LABELS, DealerTable, UnreadableFile, clean_dealer_table, read_dealer_table
from partners.models import DealerListPreset, DealerListUpload, Membership, Organization, SupplyLink
from partners.services.network import _place
from prm.core import activity
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError, error_text
from prm.core.models import ActivityVerb
from prm.core.regions import resolve_address

# The profile fields a distributor's list may set. Tier, credit terms and status are HQ's and never touched.
DISTRIBUTOR_FIELDS = ("name", "representative", "phone", "mobile", "email", "address", "partner_since",
                      "monthly_sales")

# What the import reads of a dealer it already knows: enough to compare and to write back a change.
EXISTING_FIELDS = ("id", "kind", "business_number", *DISTRIBUTOR_FIELDS, "segments", "sido", "sigungu",
                   "region_code", "latitude", "longitude", "needs_review", "updated_at")

ADDRESS_NOT_PLACED = gettext_noop(
    "the address names no 시/도 and 시/군/구 we know; the dealer can't receive customer orders until it is fixed"
)
UNEXPECTED = gettext_noop("The import stopped on an unexpected error. Nothing was imported. "
                          "Try again later; if it happens again, send the file to HQ.")
STOPPED_TOO_OFTEN = gettext_noop("The import stopped several times before it could finish. Nothing was "
                                 "imported. Try again later; if it happens again, send the file to HQ.")

PREVIEW_ROWS = 10  # rows shown (and checked) on the column-mapping screen
MAX_COLUMNS = 300  # a dealer list has a few dozen at most; the mapping screen has one choice per column
TOO_MANY_COLUMNS = gettext_noop("The file has %(columns)s columns; a dealer list may have at most %(limit)s. Delete "
                                "the columns that are not about dealers, save and upload the file again.")
MAX_ATTEMPTS = 3  # runs of one upload's import (a worker killed, a redelivery) before it is given up
PROGRESS_TTL = 24 * 3600
COMMIT_CHUNK = 10_000  # new dealers per COPY, so the progress bar moves while they are written
MB = 1024 * 1024


# --- limits --------------------------------------------------------------------------------------------------


def upload_limits() -> tuple[int, int]:
    """(largest file in bytes, most data rows) for one upload: the tenant's setting, else the site default."""
    tenant = getattr(connection, "tenant", None)
    max_mb = getattr(tenant, "dealer_list_max_mb", None) or settings.DEALER_LIST_MAX_BYTES // MB
    max_rows = getattr(tenant, "dealer_list_max_rows", None) or settings.DEALER_LIST_MAX_ROWS
    return max_mb * MB, max_rows


# --- progress ------------------------------------------------------------------------------------------------


def _progress_key(upload_id: int) -> str:
    return f"dealer-list-progress:{upload_id}"  # the cache's key function adds the tenant's schema


def _report_progress(upload_id: int, stage: str, *, read: int = 0, checked: int = 0, committed: int = 0,
                     total: int = 0) -> None:
    # The bar: reading is the first 10 %, checking up to 60 %, saving the rest.
    start, width, done = {"read": (0, 10, read), "check": (10, 50, checked), "wait": (60, 0, 0),
                           "commit": (60, 39, committed)}.get(
        str(stage), (0, 0, 0))
    percent = start + (width * done // total if total else 0)
    cache.set(_progress_key(upload_id), {
        "stage": str(stage), "rows_read": read, "rows_checked": checked, "rows_committed": committed,
        "rows_total": total, "percent": min(percent, 99), "at": time.time(),
    }, PROGRESS_TTL)


def upload_progress(upload: DealerListUpload) -> dict[str, Any]:
    """Where the upload's import is: stage, rows read / checked / saved, percent, and whether it stopped.

    A finished upload answers from its own row; a running one from the cache its worker writes to.
    """
    total = upload.data_rows
    if upload.status == UploadStatus.DONE:
        return {"stage": "", "rows_read": total, "rows_checked": total, "rows_committed": total,
                "rows_total": total, "percent": 100, "stalled": False}
    live = cache.get(_progress_key(upload.pk)) if upload.status == UploadStatus.PROCESSING else None
    progress = {"stage": "", "rows_read": 0, "rows_checked": 0, "rows_committed": 0, "rows_total": total,
                "percent": 100 if upload.is_finished else 0}
    if live:
        progress.update({k: v for k, v in live.items() if k != "at"})
    # Stalled: importing (or still reading the file) with no sign of life for a while: its worker died.
    since = upload.started_at if upload.status == UploadStatus.PROCESSING else upload.created_at
    last = live["at"] if live else (since.timestamp() if since else None)
    progress["stalled"] = bool(upload.status in (UploadStatus.PROCESSING, UploadStatus.ANALYSING)
                               and last is not None and time.time() - last > settings.DEALER_LIST_STALLED_AFTER)
    return progress


# --- upload ----------------------------------------------------------------------------------------------------


def dealer_list_upload_create(*, actor: Actor, distributor: Organization, file: UploadedFile,
                              auto_confirm: bool = False) -> DealerListUpload:
    """Store the file and queue its first read. The distributor then confirms the columns on a preview
    (``dealer_list_confirm``); with ``auto_confirm`` the matched columns are used and the list is imported in
    the same run."""
    permissions.require(actor, "dealer_list.upload")
    if actor.is_distributor and actor.organization_id != distributor.pk:
        raise ServiceError(_("You can upload dealer lists only for your own company."), field="distributor")
    if distributor.kind != OrgKind.DISTRIBUTOR:
        raise ServiceError(_("Dealer lists are uploaded for a distributor."), field="distributor")
    if file.size == 0:
        raise ServiceError(_("The file is empty. Choose the dealer list file again."), field="file")
    max_bytes, _max_rows = upload_limits()
    if file.size and file.size > max_bytes:
        raise ServiceError(_("The file is %(size)s MB; one upload takes at most %(limit)s MB. Split the list "
                             "into smaller files and upload them one by one.")
                           % {"size": f"{math.ceil(file.size * 10 / MB) / 10:,.1f}", "limit": f"{max_bytes // MB:,}"},
                           field="file")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        upload = DealerListUpload.objects.create(
            distributor=distributor, uploaded_by=actor.user, file=file, original_name=_display_name(file.name),
            sha256=digest.hexdigest(), status=UploadStatus.ANALYSING, auto_confirm=auto_confirm,
        )
        audit(actor=actor, action="dealer_list.upload", obj=upload, filename=upload.original_name)
        _queue(upload)
    return upload


def _queue(upload: DealerListUpload) -> None:
    from partners.tasks import dealer_list_import_task

    upload_id = upload.pk
    transaction.on_commit(lambda: dealer_list_import_task.delay(upload_id))


def _display_name(name: str | None) -> str:
    """The uploaded file's name as the distributor knows it: no folders, no control characters, ≤255 chars."""
    import unicodedata
    from pathlib import PurePosixPath

    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip()
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 250 - len(ext)] + "…" + dot + ext) if dot and len(ext) <= 10 else base[:255]
    return base or "dealers"


# --- column mapping ---------------------------------------------------------------------------------------------


def mapping_with_preset(table: DealerTable, preset: DealerListPreset | None) -> tuple[dict[str, int], bool]:
    """The automatic mapping, overridden column by column where a column's header is one the distributor
    confirmed before. Returns (mapping, whether the preset changed or confirmed any column)."""
    mapping = dict(table.guessed_mapping)
    if preset is None or not preset.columns:
        return mapping, False
    remembered = {item["header"]: item["field"] for item in preset.columns if item.get("header")}
    used = False
    for col, header in enumerate(table.headers):
        if not header or header not in remembered:
            continue
        wanted = remembered[header]
        if wanted and wanted not in FIELD_LABELS:
            continue  # a field that no longer exists
        used = True
        for fld, mapped_col in list(mapping.items()):
            if mapped_col == col:
                del mapping[fld]
        if wanted:
            mapping[wanted] = col
    return mapping, used


def mapping_problems(mapping: Mapping[str, int], width: int) -> list[str]:
    """Why a chosen mapping cannot be imported, in sentences naming the field; empty when it can."""
    problems = []
    if len(mapping) > len(FIELD_LABELS):
        return [_("Name at most %(count)s fields.") % {"count": len(FIELD_LABELS)}]
    fields_of: dict[int, list[str]] = {}
    for fld, col in mapping.items():
        if isinstance(col, int) and not isinstance(col, bool):
            fields_of.setdefault(col, []).append(fld)
    for col, fields in sorted(fields_of.items()):
        if len(fields) > 1 and all(fld in FIELD_LABELS for fld in fields):
            problems.append(_("Column %(column)s is chosen for %(fields)s; one column holds one field.")
                            % {"column": column_letter(col) if col < 18_278 else col,
                               "fields": ", ".join(f"“{_(FIELD_LABELS[fld])}”" for fld in fields)})
    for fld, col in mapping.items():
        if fld not in FIELD_LABELS:
            problems.append(_("“%(field)s” is not a dealer-list field.") % {"field": fld[:40]})
        elif isinstance(col, bool) or not isinstance(col, int) or not 0 <= col < width:
            problems.append(_("The column chosen for “%(field)s” is not in the file.")
                            % {"field": _(FIELD_LABELS[fld])})
    for fld in ("business_number", "name"):
        if fld not in mapping:
            problems.append(_("Choose the column that holds the “%(field)s”.") % {"field": _(FIELD_LABELS[fld])})
    return problems


def mapping_from_columns(columns: Mapping[int, str]) -> tuple[dict[str, int], list[str]]:
    """A column -> field choice (as the mapping screen sends it; "" = not imported) as field -> column, and
    the problems of choosing one field for two columns."""
    mapping: dict[str, int] = {}
    problems = []
    for col in sorted(columns):
        fld = columns[col]
        if not fld:
            continue
        if fld in mapping:
            problems.append(_("“%(field)s” is chosen for two columns (%(first)s and %(second)s); keep one.")
                            % {"field": _(FIELD_LABELS.get(fld, fld)), "first": column_letter(mapping[fld]),
                               "second": column_letter(col)})
            continue
        mapping[fld] = col
    return mapping, problems


def column_letter(col: int) -> str:
    """0 -> "A", 26 -> "AA": the column as a spreadsheet names it."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def analysed_table(upload: DealerListUpload) -> DealerTable | None:
    """The first rows of the upload's table as read, for the mapping screen; None before the first read."""
    stored = (upload.analysis or {}).get("table")
    return DealerTable.from_json(stored) if stored else None


def mapping_preview(table: DealerTable, mapping: Mapping[str, int], width: int) -> dict[str, Any]:
    """The first rows cleaned with ``mapping``, for the mapping screen: each cell's text and its problem.

    {"rows": [{"row": 3, "rejected": True, "cells": [{"text": ..., "problem": ..., "rejected": ...}, ...],
               "problems": [row-wide problems]}], "columns": [{"col", "letter", "header", "field", "samples",
               "problems"}], "rejected": n, "warnings": n}
    """
    from partners.importing.normalise import cell_to_text

    try:
        result = clean_dealer_table(table, mapping)
        rejected_issues, warning_issues = result.rejected, result.warnings
    except UnreadableFile:
        rejected_issues, warning_issues = [], []
    col_of = dict(mapping)
    problems: dict[tuple[int, int | None], list[tuple[str, bool]]] = {}
    for issues, is_rejection in ((rejected_issues, True), (warning_issues, False)):
        for issue in issues:
            text = issue.translated(_)
            if issue.field in FIELD_LABELS:
                text = f"{_(FIELD_LABELS[issue.field])}: {text}"
            problems.setdefault((issue.row, col_of.get(issue.field)), []).append((text, is_rejection))
    rejected_rows = {issue.row for issue in rejected_issues}
    by_col = {col: fld for fld, col in mapping.items()}
    headers = table.headers + [""] * max(0, width - len(table.headers))
    columns: list[dict[str, Any]] = [
        {"col": col, "letter": column_letter(col), "header": headers[col], "field": by_col.get(col, ""),
         "samples": [], "problems": 0} for col in range(width)]
    rows = []
    for row, cells in table.body:
        out = []
        for col in range(width):
            text = cell_to_text(cells[col]) if col < len(cells) else ""
            found = problems.get((row, col), [])
            out.append({"text": text, "problem": " / ".join(t for t, _r in found),
                        "rejected": any(r for _t, r in found)})
            if text and len(columns[col]["samples"]) < 3:
                columns[col]["samples"].append(text)
            if found:
                columns[col]["problems"] += 1
        rows.append({"row": row, "rejected": row in rejected_rows, "cells": out,
                     "problems": [t for t, _r in problems.get((row, None), [])]})
    return {"rows": rows, "columns": columns, "rejected": len(rejected_rows),
            "warnings": sum(1 for issue in warning_issues)}


@transaction.atomic
def dealer_list_confirm(*, actor: Actor, upload: DealerListUpload, mapping: Mapping[str, int],
                        remember: bool = True) -> DealerListUpload:
    """The distributor confirmed (or corrected) the columns: save them as its preset and queue the import."""
    permissions.require(actor, "dealer_list.upload")
    upload = DealerListUpload.objects.select_for_update().select_related("distributor").get(pk=upload.pk)
    if upload.status != UploadStatus.MAPPING:
        raise ServiceError(_("This upload is not waiting for its columns to be confirmed."))
    table = analysed_table(upload)
    assert table is not None  # a MAPPING upload was read
    width = int(upload.analysis.get("width", len(table.headers)))
    problems = mapping_problems(mapping, width)
    if problems:
        raise ServiceError(" ".join(problems), field="mapping")
    upload.mapping = {fld: mapping[fld] for fld in FIELD_LABELS if fld in mapping}
    upload.status = UploadStatus.PENDING
    upload.save(update_fields=["mapping", "status"])
    if remember:
        by_col = {col: fld for fld, col in upload.mapping.items()}
        columns = [{"header": header, "field": by_col.get(col, "")}
                   for col, header in enumerate(table.headers) if header]
        DealerListPreset.objects.update_or_create(distributor=upload.distributor,
                                                  defaults={"columns": columns, "updated_by": actor.user})
    audit(actor=actor, action="dealer_list.confirm", obj=upload, mapping=upload.mapping, remember=remember)
    _queue(upload)
    return upload


@transaction.atomic
def dealer_list_cancel(*, actor: Actor, upload: DealerListUpload) -> DealerListUpload:
    """Drop an upload that waits for its columns: nothing was imported from it."""
    permissions.require(actor, "dealer_list.upload")
    upload = DealerListUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != UploadStatus.MAPPING:
        raise ServiceError(_("Only an upload waiting for its columns to be confirmed can be cancelled."))
    upload.status = UploadStatus.CANCELLED
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "finished_at"])
    audit(actor=actor, action="dealer_list.cancel", obj=upload)
    return upload


def can_retry(upload: DealerListUpload) -> bool:
    """An import that stopped (its worker was killed, or an unexpected error) may be run again; a file that
    could not be read may not: the same bytes would fail the same way."""
    if upload.status == UploadStatus.FAILED:
        return upload.error in (UNEXPECTED, STOPPED_TOO_OFTEN)
    return upload_progress(upload)["stalled"]


@transaction.atomic
def dealer_list_retry(*, actor: Actor, upload: DealerListUpload) -> DealerListUpload:
    permissions.require(actor, "dealer_list.upload")
    upload = DealerListUpload.objects.select_for_update().get(pk=upload.pk)
    if not can_retry(upload):
        raise ServiceError(_("Only an import that stopped can be run again."))
    upload.status = UploadStatus.PENDING if upload.mapping or upload.analysis else UploadStatus.ANALYSING
    upload.attempts = 0
    upload.error = ""
    upload.progress = 0
    upload.finished_at = None
    upload.save(update_fields=["status", "attempts", "error", "progress", "finished_at"])
    cache.delete(_progress_key(upload.pk))
    audit(actor=actor, action="dealer_list.retry", obj=upload)
    _queue(upload)
    return upload


# --- the task's body ------------------------------------------------------------------------------------------


def _upload_failed(upload_id: int, message: str) -> None:
    DealerListUpload.objects.filter(pk=upload_id).update(status=UploadStatus.FAILED, error=message, progress=100,
                                                          finished_at=timezone.now())


def _uploader_language(upload: DealerListUpload) -> str:
    return (upload.uploaded_by.language if upload.uploaded_by else None) or settings.LANGUAGE_CODE


def _unreadable_message(exc: UnreadableFile, language: str) -> str:
    # A message with values (a row number) is stored in the uploader's language; one without stays the
    # English message id and is translated for whoever reads it.
    if not exc.params:
        return exc.message
    with translation.override(language):
        return exc.translated(_)


def _read(upload: DealerListUpload) -> DealerTable:
    _max_bytes, max_rows = upload_limits()
    with upload.file.open("rb") as fh:
        data = fh.read()
    return read_dealer_table(data, max_rows=max_rows)


def dealer_list_upload_process(*, upload_id: int) -> DealerListUpload | None:
    """The import task's body: read a new upload (and stop for the columns to be confirmed, unless
    ``auto_confirm``), or commit a confirmed one. Running it twice changes nothing the second time."""
    upload = DealerListUpload.objects.select_related("distributor", "uploaded_by").filter(pk=upload_id).first()
    if upload is None or upload.is_finished or upload.status == UploadStatus.MAPPING:
        return upload
    table = None
    if upload.status == UploadStatus.ANALYSING:
        try:
            table = _analyse(upload)
        except Exception:
            _upload_failed(upload_id, UNEXPECTED)  # not left "reading" for ever; the error goes to the logs
            raise
        if table is None:
            return DealerListUpload.objects.get(pk=upload_id)
    dealer_list_commit(upload_id=upload_id, table=table)
    return DealerListUpload.objects.filter(pk=upload_id).first()


def _analyse(upload: DealerListUpload) -> DealerTable | None:
    """Read the file once: header, first rows, the mapping (automatic, then the distributor's preset).
    Returns the table when the import goes straight on (auto_confirm), else None."""
    try:
        table = _read(upload)
    except UnreadableFile as exc:
        _upload_failed(upload.pk, _unreadable_message(exc, _uploader_language(upload)))
        return None
    preset = DealerListPreset.objects.filter(distributor_id=upload.distributor_id).first()
    mapping, preset_used = mapping_with_preset(table, preset)
    head = table.head(PREVIEW_ROWS)
    width = max([len(table.headers), *(len(cells) for _row, cells in head.body), *(c + 1 for c in mapping.values())])
    if width > MAX_COLUMNS:
        with translation.override(_uploader_language(upload)):
            _upload_failed(upload.pk, _(TOO_MANY_COLUMNS) % {"columns": f"{width:,}", "limit": MAX_COLUMNS})
        return None
    analysis = {"table": head.to_json(), "data_rows": len(table.body), "width": width,
                "preset_used": preset_used,
                "preset_at": preset.updated_at.isoformat() if preset and preset_used else None}
    status = UploadStatus.PENDING if upload.auto_confirm else UploadStatus.MAPPING
    claimed = DealerListUpload.objects.filter(pk=upload.pk, status=UploadStatus.ANALYSING).update(
        status=status, analysis=analysis, mapping=mapping, encoding=table.encoding[:20], data_rows=len(table.body))
    return table if claimed and upload.auto_confirm else None


@dataclass
class ImportReport:
    encoding: str = ""
    data_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    merged: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding, "data_rows": self.data_rows, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "rejected": self.rejected,
            "warnings": self.warnings, "merged": self.merged, "flagged": self.flagged, "columns": self.columns,
            "ignored_columns": self.ignored_columns, "notices": self.notices,
        }


def dealer_list_commit(*, upload_id: int, table: DealerTable | None = None) -> None:
    """Import a confirmed upload in one transaction that also marks it done: all of it, or none of it.

    The upload's row is locked for the whole run, so a second delivery of the task waits and then finds it
    done. A worker killed mid-run leaves the upload "importing" with nothing written; the task is delivered
    again (acks_late) or the distributor retries it, up to MAX_ATTEMPTS runs.
    """
    claimed = DealerListUpload.objects.filter(
        pk=upload_id, status__in=[UploadStatus.PENDING, UploadStatus.PROCESSING]).update(
        status=UploadStatus.PROCESSING, attempts=F("attempts") + 1, started_at=timezone.now(), progress=1)
    if not claimed:
        return
    attempts = DealerListUpload.objects.filter(pk=upload_id).values_list("attempts", flat=True).first() or 0
    if attempts > MAX_ATTEMPTS:
        # Killed mid-run again and again (a file too large for the worker's memory?): stop redelivering it.
        _upload_failed(upload_id, STOPPED_TOO_OFTEN)
        return
    language = settings.LANGUAGE_CODE
    written: list[str] = []
    try:
        with transaction.atomic():
            upload = (DealerListUpload.objects.select_for_update(of=("self",))
                      .select_related("distributor", "uploaded_by").get(pk=upload_id))
            if upload.status != UploadStatus.PROCESSING:
                return  # another run finished it while this one waited for the lock
            language = _uploader_language(upload)
            membership = (Membership.objects.filter(user_id=upload.uploaded_by_id, is_active=True).first()
                          if upload.uploaded_by_id else None)
            actor = Actor.from_membership(membership) if membership else Actor.system()
            if table is None:
                table = _read(upload)

            def progress(stage: str, done: int, total: int) -> None:
                counts = {"read": total}
                if stage == "check":
                    counts["checked"] = done
                elif stage in ("wait", "commit"):
                    counts.update(checked=total, committed=done)
                _report_progress(upload_id, stage, total=total, **counts)

            with translation.override(language):  # notes written for the uploader
                report, rejected_rows = _apply(actor=actor, distributor=upload.distributor, table=table,
                                               mapping=upload.mapping or None, filename=upload.original_name,
                                               on_progress=progress, chosen=not upload.auto_confirm)
                if rejected_rows:
                    content = rejected_rows_workbook(table, rejected_rows)
                    upload.rejected_file.save(f"rejected-{upload.pk}.xlsx", ContentFile(content), save=False)
                    written.append(upload.rejected_file.name or "")
            upload.status = UploadStatus.DONE
            upload.progress = 100
            upload.encoding = report.encoding[:20]
            upload.data_rows = report.data_rows
            upload.created_count = report.created
            upload.updated_count = report.updated
            upload.unchanged_count = report.unchanged
            upload.rejected_count = len(report.rejected)
            upload.merged_count = len(report.merged)
            upload.report = report.as_dict()
            upload.error = ""
            upload.finished_at = timezone.now()
            upload.save()
            activity.record(verb=ActivityVerb.UPLOAD_DONE, user=upload.uploaded_by, organization=upload.distributor,
                            obj=upload, created=report.created, updated=report.updated, rejected=len(report.rejected))
    except UnreadableFile as exc:
        _discard(written)
        _upload_failed(upload_id, _unreadable_message(exc, language))
    except (ServiceError, ValidationError) as exc:
        _discard(written)
        _upload_failed(upload_id, error_text(exc))
    except Exception:
        # Nothing was written (the import is one transaction); say so instead of spinning forever, then let
        # the error reach the logs.
        _discard(written)
        _upload_failed(upload_id, UNEXPECTED)
        raise
    finally:
        cache.delete(_progress_key(upload_id))


def _discard(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _record_values(record: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in DISTRIBUTOR_FIELDS:
        value = getattr(record, name, None)
        if value in (None, ""):
            continue  # a blank cell never erases what we already know
        values[name] = value
    return values


def dealer_list_apply(*, actor: Actor, distributor: Organization, data: bytes, filename: str,
                      mapping: Mapping[str, int] | None = None) -> ImportReport:
    """Parse a dealer list and write it, all or nothing, without an upload (the import_dealers command).
    Re-applying the same file changes nothing. Raises UnreadableFile when the file is not a dealer list."""
    permissions.require(actor, "dealer_list.upload")
    _max_bytes, max_rows = upload_limits()
    table = read_dealer_table(data, max_rows=max_rows)
    with transaction.atomic():
        report, _rows = _apply(actor=actor, distributor=distributor, table=table, mapping=mapping,
                               filename=filename)
    return report


def _apply(*, actor: Actor, distributor: Organization, table: DealerTable, mapping: Mapping[str, int] | None,
           filename: str, on_progress: Callable[[str, int, int], None] | None = None,
           chosen: bool | None = None) -> tuple[ImportReport, dict[int, list[str]]]:
    """Clean the table and write it (inside the caller's transaction). Returns the report and, for each
    rejected row, its reasons (in the current language) for the rejected-rows spreadsheet."""
    permissions.require(actor, "dealer_list.upload")
    if distributor.kind != OrgKind.DISTRIBUTOR:
        raise ServiceError(_("Dealer lists are uploaded for a distributor."), field="distributor")
    result = clean_dealer_table(table, mapping, on_progress=on_progress, chosen=chosen)
    report = ImportReport(encoding=result.encoding, data_rows=result.data_rows)
    report.rejected = [issue.as_dict() for issue in result.rejected]
    report.warnings = [issue.as_dict() for issue in result.warnings]
    # A merge names the row that won ("merged into row 302"): keep the message id and its values to translate.
    report.merged = [{**issue.as_dict(), "template": issue.template, "params": issue.params}
                     for issue in result.duplicates_merged]
    report.columns = [{"column": col + 1, "header": header, "field": fld}
                      for col, header, fld in result.mapped_columns()]
    report.ignored_columns = list(result.ignored_columns)
    report.notices = list(result.notices)
    total = len(result.records)

    _take_turn(on_progress, total)
    if on_progress:
        on_progress("commit", 0, total)

    numbers = [r.business_number for r in result.records]
    existing = _existing_dealers(numbers)
    links = {
        (dealer_id, distributor_id): (is_primary, is_approved)
        for dealer_id, distributor_id, is_primary, is_approved in _rows(
            "SELECT l.dealer_id, l.distributor_id, l.is_primary, l.is_approved FROM partners_supplylink l "
            "JOIN partners_organization o ON o.id = l.dealer_id WHERE o.business_number = ANY(%s)", [numbers])
    }
    primary_of = {dealer_id: dist_id for (dealer_id, dist_id), (is_primary, _a) in links.items() if is_primary}

    to_create: list[tuple[Any, ...]] = []
    created_numbers: list[str] = []
    to_update: list[Organization] = []
    new_links: list[SupplyLink] = []
    now = bulk.now_text()
    for record in result.records:
        values = _record_values(record)
        segments = list(record.segments or ((record.segment,) if record.segment else ()))
        row = existing.get(record.business_number)
        if row is None:
            region = resolve_address(values["address"]) if values.get("address") else None
            if values.get("address") and region is None:
                report.warnings.append({"row": record.row, "field": "address", "reason": ADDRESS_NOT_PLACED})
            to_create.append(bulk.new_dealer_row({**values, "business_number": record.business_number},
                                                 region=region, segments=segments, now=now))
            created_numbers.append(record.business_number)
            continue
        if row.kind != OrgKind.DEALER:
            report.rejected.append({"row": record.row, "field": "business_number",
                                    "reason": gettext_noop("belongs to an organisation that is not a dealer")})
            continue
        dealer_id = row.id
        link = links.get((dealer_id, distributor.pk))
        if link is None:
            if dealer_id in primary_of:
                # Another distributor supplies this dealer: ask HQ, change nothing, see nothing until then.
                new_links.append(SupplyLink(dealer_id=dealer_id, distributor=distributor, is_primary=False,
                                            is_approved=False))
                if not row.needs_review:
                    to_update.append(Organization(**{**row._asdict(), "needs_review": True}))
                # The name as this distributor's file has it: what the other distributor's record says is not
                # this distributor's to read.
                report.flagged.append({
                    "row": record.row, "business_number": row.business_number, "name": record.name,
                    "reason": gettext_noop("already supplied by another distributor; HQ will review the link"),
                })
                report.unchanged += 1
                continue
            new_links.append(SupplyLink(dealer_id=dealer_id, distributor=distributor, is_primary=True))
        elif not link[1]:
            report.flagged.append({"row": record.row, "business_number": row.business_number,
                                   "name": record.name,
                                   "reason": gettext_noop("waiting for HQ to approve the link")})
            report.unchanged += 1
            continue
        elif primary_of.get(dealer_id) not in (None, distributor.pk):
            # A secondary supplier: its list doesn't rewrite the profile the primary one keeps.
            report.unchanged += 1
            continue
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        added = [segment for segment in segments if segment not in row.segments]
        if added:
            changed["segments"] = [*row.segments, *added]
        if not changed:
            report.unchanged += 1
            continue
        # Only now a model instance: this dealer is written back.
        org = Organization(**{**row._asdict(), **changed})
        if "address" in changed:
            _place(org)
            if org.address and not org.region_code:
                report.warnings.append({"row": record.row, "field": "address", "reason": ADDRESS_NOT_PLACED})
        to_update.append(org)
        report.updated += 1

    committed = report.unchanged + len(report.rejected) - len(result.rejected)
    if to_update:
        stamp = timezone.now()
        for org in to_update:
            org.updated_at = stamp  # bulk_update doesn't touch auto_now fields by itself
        Organization.objects.bulk_update(
            to_update,
            [*DISTRIBUTOR_FIELDS, "segments", "sido", "sigungu", "region_code", "latitude", "longitude",
             "needs_review", "updated_at"],
            batch_size=2000,
        )
    committed += report.updated
    if on_progress:
        on_progress("commit", committed, total)
    # New dealers: COPY in chunks (the bar moves), then their links and product lines set-based (see
    # partners/bulk.py). A new dealer may sell what its distributor supplies; HQ narrows or widens that later.
    for start in range(0, len(to_create), COMMIT_CHUNK):
        chunk = to_create[start:start + COMMIT_CHUNK]
        bulk.copy_new_dealers(chunk)
        committed += len(chunk)
        if on_progress:
            on_progress("commit", committed, total)
    report.created = len(to_create)
    bulk.link_new_dealers(business_numbers=created_numbers, distributor_id=distributor.pk,
                          product_line_ids=list(distributor.product_lines.values_list("pk", flat=True)))
    SupplyLink.objects.bulk_create(new_links, batch_size=2000)
    for issues in (report.rejected, report.warnings):
        issues.sort(key=lambda issue: (issue["row"], issue["field"]))
    audit(actor=actor, action="dealer_list.apply", obj=distributor, filename=filename,
          created=report.created, updated=report.updated, unchanged=report.unchanged,
          rejected=len(report.rejected), flagged=len(report.flagged))
    if on_progress:
        on_progress("commit", total, total)

    from partners.templatetags.partners_tags import import_field_label, issue_reason

    rejected_rows: dict[int, list[str]] = {}
    for issue in report.rejected:
        rejected_rows.setdefault(issue["row"], []).append(
            f"{import_field_label(issue['field'])}: {issue_reason(issue)}")
    return report, rejected_rows


_ExistingDealer = namedtuple("_ExistingDealer", EXISTING_FIELDS)  # type: ignore[misc]  # fields from a tuple


def _rows(sql: str, params: list[Any]) -> Any:
    """Rows of a read inside the import's transaction, through a server-side cursor (never all in memory)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            yield from batch


def _existing_dealers(numbers: list[str]) -> dict[str, Any]:
    """The organisations already known by these business numbers, as plain named tuples, locked until the
    import commits: a model instance is made only for a dealer that changes (on a re-upload, almost none).
    One array parameter, not 100,000 placeholders."""
    columns = ", ".join(EXISTING_FIELDS)
    rows: Any = map(_ExistingDealer._make, _rows(
        f"SELECT {columns} FROM partners_organization WHERE business_number = ANY(%s) FOR UPDATE", [numbers]))
    return {row.business_number: row for row in rows}


def _take_turn(on_progress: Callable[[str, int, int], None] | None, total: int) -> None:
    """Imports in one tenant take turns (a transaction-scoped lock per schema): two distributors listing the
    same new dealer at once then give one new dealer and one second link for HQ, not a duplicate-key error.
    While it waits, the import keeps reporting progress, so it does not look stopped."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || ':dealer-list-import'))")
            if cursor.fetchone()[0]:
                return
            if on_progress:
                on_progress("wait", 0, total)
            time.sleep(0.5)


def rejected_rows_workbook(table: DealerTable, reasons: Mapping[int, list[str]]) -> bytes:
    """The rejected rows exactly as they were in the file, under the file's own header, with an error column
    last: the distributor fixes them there and uploads that file. Text cells are written as text (never as a
    formula); numbers and dates keep their type."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rejected rows"))

    def cells(values: list[Any]) -> list[Any]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=None)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # a leading "=" stays text: nothing in this sheet is a formula
            elif isinstance(value, (int, float, bool)) or value is None or hasattr(value, "isoformat"):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"
            out.append(cell)
        return out

    width = max([len(table.header_cells), *(len(c) for row, c in table.body if row in reasons)], default=0)
    header = list(table.header_cells) + [None] * (width - len(table.header_cells))
    sheet.append(cells([*header, _("Error")]))
    for row, row_cells in table.body:
        if row in reasons:
            padded = list(row_cells) + [None] * (width - len(row_cells))
            sheet.append(cells([*padded, " / ".join(reasons[row])]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
