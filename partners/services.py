"""Writes to the partner network: organisations, members, and the dealer-list import."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partners import bulk, permissions
from partners.choices import OrgKind, PartnerStatus, Role, UploadStatus
from partners.models import DealerListUpload, Membership, Organization, ProductLine, SupplyLink
from prm.accounts.models import User
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError, error_text
from prm.core.phones import normalize_phone
from prm.core.regions import resolve_address


def normalize_business_number(value: str) -> str:
    """Ten digits with a valid check digit, or ValidationError naming the field and what is wrong."""
    from partners.importing.normalise import clean_business_number

    digits, problem = clean_business_number(str(value))
    if problem:
        raise ValidationError({"business_number": _("Business registration number: %(problem)s.")
                               % {"problem": _(problem)}})
    return digits


def _place(org: Organization) -> None:
    region = resolve_address(org.address) if org.address else None
    for name, value in bulk.region_fields(region).items():
        setattr(org, name, value)


def hq_bootstrap(*, name: str, admin_email: str, admin_password: str, admin_name: str = "") -> Membership:
    """The HQ organisation and its first admin, in a brand-new tenant schema."""
    hq = Organization.objects.create(kind=OrgKind.HQ, name=name, status=PartnerStatus.ACTIVE)
    user = User.objects.create_user(admin_email, admin_password, full_name=admin_name)
    return Membership.objects.create(user=user, organization=hq, role=Role.HQ_ADMIN)


def hq_organization() -> Organization:
    return Organization.objects.filter(kind=OrgKind.HQ).order_by("id").first()  # type: ignore[return-value]


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    business_number: str | None = None,
    address: str = "",
    email: str = "",
    phone: str = "",
    product_lines: list[ProductLine] | None = None,
    supplier: Organization | None = None,
    **profile: Any,
) -> Organization:
    permissions.require(actor, "organization.create")
    if kind not in (OrgKind.DISTRIBUTOR, OrgKind.DEALER):
        raise ValidationError({"kind": _("Choose distributor or dealer.")})
    if not name or not name.strip():
        raise ValidationError({"name": _("Enter the organisation's name.")})
    bn = normalize_business_number(business_number) if business_number else None
    if kind != OrgKind.HQ and bn is None:
        raise ValidationError({"business_number": _("Enter the business registration number.")})
    if bn and Organization.objects.filter(business_number=bn).exists():
        raise ValidationError({"business_number": _("An organisation with this business number already exists.")})
    org = Organization(kind=kind, name=name.strip(), business_number=bn, address=address.strip(),
                       email=email.strip().lower(), phone=_clean_phone(phone, "phone"), **profile)
    _place(org)
    org.full_clean(exclude=["product_lines"])
    org.save()
    if product_lines:
        org.product_lines.set(product_lines)
    if supplier is not None and kind == OrgKind.DEALER:
        SupplyLink.objects.create(dealer=org, distributor=supplier, is_primary=True)
    audit(actor=actor, action="organization.create", obj=org, kind=kind)
    return org


def _clean_phone(value: str, field_name: str) -> str:
    if not (value or "").strip():
        return ""
    phone = normalize_phone(value)
    if phone is None:
        raise ValidationError({field_name: _("This is not a phone number we can call. Write it like 02-123-4567.")})
    return phone


# The profile fields HQ edits on a partner's page.
HQ_EDITABLE_FIELDS = ("name", "representative", "phone", "mobile", "email", "address", "segments", "capabilities",
                      "credit_status", "credit_limit", "tier", "status")


@transaction.atomic
def organization_update(*, actor: Actor, organization: Organization, product_lines: list[ProductLine] | None = None,
                        **values: Any) -> Organization:
    """HQ corrects a partner's profile and authorisations; the region follows the address."""
    permissions.require(actor, "organization.update")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    unknown = set(values) - set(HQ_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if "name" in values and not str(values["name"]).strip():
        raise ValidationError({"name": _("Enter the organisation's name.")})
    for name in ("phone", "mobile"):
        if name in values:
            values[name] = _clean_phone(values[name], name)
    if "email" in values:
        values["email"] = values["email"].strip().lower()
    changed = {name: value for name, value in values.items() if getattr(org, name) != value}
    for name, value in changed.items():
        setattr(org, name, value.strip() if isinstance(value, str) else value)
    if "address" in changed:
        _place(org)
    org.full_clean(exclude=["product_lines"])
    org.save()
    if product_lines is not None:
        before = set(org.product_lines.values_list("pk", flat=True))
        after = {line.pk for line in product_lines}
        if before != after:
            org.product_lines.set(product_lines)
            changed["product_lines"] = sorted(after)
    audit(actor=actor, action="organization.update", obj=org, fields=sorted(changed))
    return org


@transaction.atomic
def product_line_create(*, actor: Actor, code: str, name: str, name_en: str = "") -> ProductLine:
    permissions.require(actor, "product_line.manage")
    code = code.strip().lower()
    if not code or not name.strip():
        raise ValidationError({"name": _("Enter a code and a name.")})
    if ProductLine.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A product line with this code already exists.")})
    line = ProductLine(code=code, name=name.strip(), name_en=name_en.strip())
    line.full_clean()
    line.save()
    audit(actor=actor, action="product_line.create", obj=line)
    return line


@transaction.atomic
def member_add(*, actor: Actor, organization: Organization, email: str, role: str, password: str | None,
               full_name: str = "", language: str = "ko") -> Membership:
    permissions.require(actor, "membership.create")
    from prm.core.roles import ROLE_KIND

    if ROLE_KIND.get(role) != organization.kind:
        raise ValidationError({"role": _("This role does not fit the organisation's kind.")})
    if not (actor.is_system or actor.is_hq or actor.organization_id == organization.pk):
        raise ServiceError(_("You can only add people to your own organisation."))
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None and user.memberships.exclude(organization=organization).exists():
        raise ValidationError({"email": _("This e-mail address already has an account at another organisation. "
                                          "Use another address for this person.")})
    if user is None:
        user = User.objects.create_user(email.strip().lower(), password, full_name=full_name, language=language)
    membership, _created = Membership.objects.get_or_create(user=user, organization=organization,
                                                            defaults={"role": role})
    audit(actor=actor, action="membership.create", obj=membership, role=role)
    return membership


def member_invite(*, actor: Actor, organization: Organization, email: str, role: str, full_name: str = "",
                  language: str = "ko", domain: str, use_https: bool = False) -> Membership:
    """Add a person with no password yet and e-mail them a link to set one (sent after commit)."""
    membership = member_add(actor=actor, organization=organization, email=email, role=role, password=None,
                            full_name=full_name, language=language)
    user = membership.user

    def send() -> None:
        # Django's reset form skips users without a usable password, which is every invitee: build the link here.
        from django.contrib.auth.tokens import default_token_generator
        from django.core.mail import send_mail
        from django.template.loader import render_to_string
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        hq = hq_organization()
        context = {"organization": organization.name, "portal": hq.name if hq else domain, "site_domain": domain,
                   "protocol": "https" if use_https else "http", "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                   "token": default_token_generator.make_token(user)}
        with translation.override(user.language):
            subject = render_to_string("emails/invitation_subject.txt", context).strip()
            body = render_to_string("emails/invitation.txt", context)
        send_mail(subject, body, None, [user.email])

    transaction.on_commit(send)
    return membership


# --- dealer-list import --------------------------------------------------------------------------------------

# The profile fields a distributor's list may set. Tier, credit terms and status are HQ's and never touched.
DISTRIBUTOR_FIELDS = ("name", "representative", "phone", "mobile", "email", "address", "partner_since",
                      "monthly_sales")


ADDRESS_NOT_PLACED = gettext_noop(
    "the address names no 시/도 and 시/군/구 we know; the dealer can't receive customer orders until it is fixed"
)


# What the import reads of a dealer it already knows: enough to compare and to write back a change.
EXISTING_FIELDS = ("id", "kind", "business_number", *DISTRIBUTOR_FIELDS, "segments", "sido", "sigungu",
                   "region_code", "latitude", "longitude", "needs_review", "updated_at")


@dataclass(frozen=True)
class _Link:
    is_primary: bool
    is_approved: bool


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
            "encoding": self.encoding,
            "data_rows": self.data_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "merged": self.merged,
            "flagged": self.flagged,
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "notices": self.notices,
        }


def _record_values(record: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in DISTRIBUTOR_FIELDS:
        value = getattr(record, name, None)
        if value in (None, ""):
            continue  # a blank cell never erases what we already know
        values[name] = value
    return values


def dealer_list_apply(*, actor: Actor, distributor: Organization, data: bytes, filename: str,
                      on_progress: Any = None) -> ImportReport:
    """Parse a dealer list and write it, all or nothing. Re-applying the same file changes nothing.

    Raises UnreadableFile when the file is not a dealer list; nothing is written then.
    """
    from partners.importing import parse_dealer_list

    permissions.require(actor, "dealer_list.upload")
    if distributor.kind != OrgKind.DISTRIBUTOR:
        raise ServiceError(_("Dealer lists are uploaded for a distributor."), field="distributor")
    result = parse_dealer_list(data, filename)
    if on_progress:
        on_progress(40)
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

    with transaction.atomic():
        numbers = [r.business_number for r in result.records]
        # Existing rows are read as plain values (and locked): a model instance is made only for a dealer
        # that changes, which on a re-upload is almost none.
        existing = {row["business_number"]: row for row in Organization.objects.select_for_update()
                    .filter(business_number__in=numbers).values(*EXISTING_FIELDS)}
        links = {
            (dealer_id, distributor_id): _Link(is_primary, is_approved)
            for dealer_id, distributor_id, is_primary, is_approved in SupplyLink.objects.filter(
                dealer__business_number__in=numbers).values_list("dealer_id", "distributor_id", "is_primary",
                                                                 "is_approved")
        }
        has_primary = {dealer_id for (dealer_id, _d), link in links.items() if link.is_primary}
        primary_of = {dealer_id: dist_id for (dealer_id, dist_id), link in links.items() if link.is_primary}

        to_create: list[tuple[Any, ...]] = []
        created_numbers: list[str] = []
        to_update: list[Organization] = []
        new_links: list[SupplyLink] = []
        now = bulk.now_text()
        for record in result.records:
            values = _record_values(record)
            segment = getattr(record, "segment", "")
            row = existing.get(record.business_number)
            if row is None:
                region = resolve_address(values["address"]) if values.get("address") else None
                if values.get("address") and region is None:
                    report.warnings.append({"row": record.row, "field": "address", "reason": ADDRESS_NOT_PLACED})
                to_create.append(bulk.new_dealer_row({**values, "business_number": record.business_number},
                                                     region=region, segment=segment, now=now))
                created_numbers.append(record.business_number)
                continue
            if row["kind"] != OrgKind.DEALER:
                report.rejected.append({"row": record.row, "field": "business_number",
                                        "reason": gettext_noop("belongs to an organisation that is not a dealer")})
                continue
            dealer_id = row["id"]
            link = links.get((dealer_id, distributor.pk))
            if link is None:
                if dealer_id in has_primary:
                    # Another distributor supplies this dealer: ask HQ, change nothing, see nothing until then.
                    new_links.append(SupplyLink(dealer_id=dealer_id, distributor=distributor, is_primary=False,
                                                is_approved=False))
                    if not row["needs_review"]:
                        to_update.append(Organization(**{**row, "needs_review": True}))
                    report.flagged.append({
                        "row": record.row, "business_number": row["business_number"], "name": row["name"],
                        "reason": gettext_noop("already supplied by another distributor; HQ will review the link"),
                    })
                    report.unchanged += 1
                    continue
                new_links.append(SupplyLink(dealer_id=dealer_id, distributor=distributor, is_primary=True))
            elif not link.is_approved:
                report.flagged.append({"row": record.row, "business_number": row["business_number"],
                                       "name": row["name"],
                                       "reason": gettext_noop("waiting for HQ to approve the link")})
                report.unchanged += 1
                continue
            elif primary_of.get(dealer_id) not in (None, distributor.pk):
                # A secondary supplier: its list doesn't rewrite the profile the primary one keeps.
                report.unchanged += 1
                continue
            changed = {name: value for name, value in values.items() if row[name] != value}
            if segment and segment not in row["segments"]:
                changed["segments"] = [*row["segments"], segment]
            if not changed:
                report.unchanged += 1
                continue
            # Only now a model instance: this dealer is written back.
            org = Organization(**{**row, **changed})
            if "address" in changed:
                _place(org)
                if org.address and not org.region_code:
                    report.warnings.append({"row": record.row, "field": "address", "reason": ADDRESS_NOT_PLACED})
            to_update.append(org)
            report.updated += 1

        # New dealers: one COPY, then their links and product lines set-based (see partners/bulk.py). A new
        # dealer may sell what its distributor supplies; HQ narrows or widens that on the dealer's page.
        bulk.copy_new_dealers(to_create)
        report.created = len(to_create)
        bulk.link_new_dealers(business_numbers=created_numbers, distributor_id=distributor.pk,
                              product_line_ids=list(distributor.product_lines.values_list("pk", flat=True)))
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
        SupplyLink.objects.bulk_create(new_links, batch_size=2000)
        for issues in (report.rejected, report.warnings):
            issues.sort(key=lambda issue: (issue["row"], issue["field"]))
        audit(actor=actor, action="dealer_list.apply", obj=distributor, filename=filename,
              created=report.created, updated=report.updated, unchanged=report.unchanged,
              rejected=len(report.rejected), flagged=len(report.flagged))
    if on_progress:
        on_progress(100)
    return report


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


def dealer_list_upload_create(*, actor: Actor, distributor: Organization, file: UploadedFile) -> DealerListUpload:
    """Store the file and queue its import; the distributor follows progress on the upload's page."""
    permissions.require(actor, "dealer_list.upload")
    if actor.is_distributor and actor.organization_id != distributor.pk:
        raise ServiceError(_("You can upload dealer lists only for your own company."), field="distributor")
    if distributor.kind != OrgKind.DISTRIBUTOR:
        raise ServiceError(_("Dealer lists are uploaded for a distributor."), field="distributor")
    if file.size == 0:
        raise ServiceError(_("The file is empty. Choose the dealer list file again."), field="file")
    if file.size and file.size > settings.DEALER_LIST_MAX_BYTES:
        raise ServiceError(_("The file is larger than 50 MB. Split it and upload the parts."), field="file")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        upload = DealerListUpload.objects.create(
            distributor=distributor, uploaded_by=actor.user, file=file,
            original_name=_display_name(file.name), sha256=digest.hexdigest(),
        )
        audit(actor=actor, action="dealer_list.upload", obj=upload, filename=upload.original_name)
        from partners.tasks import dealer_list_import_task

        transaction.on_commit(lambda: dealer_list_import_task.delay(upload.pk))
    return upload


@transaction.atomic
def supply_link_review(*, actor: Actor, link: SupplyLink, approve: bool) -> SupplyLink:
    """HQ approves (the distributor may now supply and see the dealer) or refuses (the link is removed) a
    supply link a second distributor's list asked for."""
    permissions.require(actor, "supply_link.review")
    link = SupplyLink.objects.select_for_update().select_related("dealer", "distributor").get(pk=link.pk)
    if link.is_approved:
        raise ServiceError(_("This supply link was already approved."))
    if approve:
        link.is_approved = True
        link.is_primary = not SupplyLink.objects.filter(dealer=link.dealer, is_primary=True).exists()
        link.save(update_fields=["is_approved", "is_primary"])
    else:
        link.delete()
    dealer = link.dealer
    if not SupplyLink.objects.filter(dealer=dealer, is_approved=False).exists():
        dealer.needs_review = False
        dealer.save(update_fields=["needs_review", "updated_at"])
    audit(actor=actor, action="supply_link.approve" if approve else "supply_link.refuse", obj=dealer,
          distributor_id=link.distributor_id)
    return link


def _upload_failed(upload: DealerListUpload, message: str) -> DealerListUpload:
    upload.status = UploadStatus.FAILED
    upload.error = message
    upload.progress = 100
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "error", "progress", "finished_at"])
    return upload


def dealer_list_upload_process(*, upload_id: int) -> DealerListUpload | None:
    """Import one stored upload (the Celery task's body). Running it twice changes nothing the second time."""
    from partners.importing import UnreadableFile

    upload = DealerListUpload.objects.select_related("distributor", "uploaded_by").filter(pk=upload_id).first()
    if upload is None or upload.is_finished:
        return upload
    DealerListUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.PROCESSING, progress=5)

    def progress(pct: int) -> None:
        DealerListUpload.objects.filter(pk=upload.pk).update(progress=pct)

    membership = None
    if upload.uploaded_by_id:
        membership = Membership.objects.filter(user_id=upload.uploaded_by_id, is_active=True).first()
    actor = Actor.from_membership(membership) if membership else Actor.system()
    with upload.file.open("rb") as fh:
        data = fh.read()
    language = (upload.uploaded_by.language if upload.uploaded_by else None) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):  # notes written for the uploader
            report = dealer_list_apply(actor=actor, distributor=upload.distributor, data=data,
                                       filename=upload.original_name, on_progress=progress)
    except UnreadableFile as exc:
        # A message with values (a row number) is stored in the uploader's language; one without stays the
        # English message id and is translated for whoever reads it.
        with translation.override(language):
            message = exc.translated(_) if exc.params else exc.message
        return _upload_failed(upload, message)
    except (ServiceError, ValidationError) as exc:
        return _upload_failed(upload, error_text(exc))
    except Exception:
        # Nothing was written (the import is one transaction); say so instead of spinning forever, then let
        # the error reach the logs.
        _upload_failed(upload, gettext_noop("The import stopped on an unexpected error. Nothing was imported. "
                                            "Try again later; if it happens again, send the file to HQ."))
        raise
    upload.status = UploadStatus.DONE
    upload.progress = 100
    upload.encoding = report.encoding
    upload.data_rows = report.data_rows
    upload.created_count = report.created
    upload.updated_count = report.updated
    upload.unchanged_count = report.unchanged
    upload.rejected_count = len(report.rejected)
    upload.merged_count = len(report.merged)
    upload.report = report.as_dict()
    upload.finished_at = timezone.now()
    upload.save()
    return upload


