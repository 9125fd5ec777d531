"""Announcement pages. Partners read what is for them (newest first, unread marked, mandatory unread pinned) and
browse the document library; HQ, and a distributor for its own dealers, write, publish and withdraw announcements
and follow who read them. Every object comes through a selector (another partner's announcement or file is a 404);
every write is one service whose refusal is shown as a message, never a 500."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from announcements import permissions, selectors, services
from announcements.choices import AnnouncementStatus, ManageFilter
from announcements.forms import AnnouncementForm, LibrarySearchForm
from partners.models import Organization
from prm.core.actor import Actor
from prm.core.errors import ServiceError, error_text
from prm.core.export import safe_cell
from prm.core.files import serve
from prm.core.forms import add_service_errors
from prm.core.roles import OrgKind
from prm.portals.access import portal_required

PARTNERS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
EVERYONE = (*PARTNERS, OrgKind.HQ)


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


# --- partners -------------------------------------------------------------------------------------------------


@portal_required(*PARTNERS)
def announcements(request: HttpRequest) -> HttpResponse:
    """What is for this partner: mandatory ones not yet opened first, then the newest; unread ones marked."""
    actor = _actor(request)
    page = Paginator(selectors.announcement_for_partner(actor), 20).get_page(request.GET.get("page"))
    return render(request, "announcements/announcement_list.html", {"page": page})


@portal_required(*PARTNERS)
def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    """One announcement; opening it records that this person read it (once)."""
    actor = _actor(request)
    item = selectors.announcement_for_partner_get(actor, pk)
    try:
        services.announcement_mark_read(actor=actor, announcement=item)
    except ServiceError:  # expired or withdrawn between the two queries: as if it were gone
        raise Http404 from None
    return render(request, "announcements/announcement_detail.html", {
        "item": item, "files": list(item.files.all()), "was_unread": not item.is_read,  # type: ignore[attr-defined]
    })


@portal_required(*EVERYONE)
def announcement_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A file of an announcement, to whom may see the announcement (its partners, its author)."""
    stored = selectors.file_get(_actor(request), pk)
    return serve(stored.file, stored.kind, download_name=_download_name(stored.title), inline=False)


def _download_name(title: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', " ", title).strip(" .")
    return name[:80] or "document"


@portal_required(*EVERYONE)
def documents(request: HttpRequest) -> HttpResponse:
    """The document library: brochures, price sheets, manuals of the announcements this partner sees."""
    actor = _actor(request)
    form = LibrarySearchForm(request.GET or None)
    query, category = "", ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    page = Paginator(selectors.document_library(actor, query=query, category=category), 30).get_page(
        request.GET.get("page"))
    return render(request, "announcements/document_list.html", {"page": page, "form": form, "query": query})


# --- HQ and distributors: writing and following ---------------------------------------------------------------


def _urls(portal: str) -> dict[str, str]:
    prefix = f"portals:{portal}_announcement"
    return {"list": f"{prefix}s", "new": f"{prefix}_new", "detail": prefix, "edit": f"{prefix}_edit",
            "publish": f"{prefix}_publish", "withdraw": f"{prefix}_withdraw", "delete": f"{prefix}_delete",
            "unread_csv": f"{prefix}_unread_csv"}


def _writer(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not permissions.can(actor, "announcement.write"):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))
    return actor


def _follower(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not permissions.can(actor, "announcement.figures"):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))
    return actor


def _manage_list(request: HttpRequest, portal: str) -> HttpResponse:
    actor = _follower(request)
    status = request.GET.get("status", "")
    if status not in ManageFilter.values:
        status = ""
    qs = selectors.in_state(selectors.announcement_managed_by(actor).order_by("-created_at", "-id"), status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    selectors.with_figures(list(page.object_list))
    return render(request, "announcements/manage_list.html", {
        "page": page, "urls": _urls(portal), "portal": portal, "status": status,
        "statuses": ManageFilter.choices, "can_write": permissions.can(actor, "announcement.write"),
    })


def _manage_edit(request: HttpRequest, portal: str, pk: int | None) -> HttpResponse:
    actor = _writer(request)
    item = selectors.announcement_managed_get(actor, pk) if pk is not None else None
    urls = _urls(portal)
    if item is not None and not item.is_correctable:
        messages.error(request, _("A withdrawn announcement can't be changed: partners no longer see it. Post a "
                                  "new one (“New announcement”) with the corrected text."))
        return redirect(urls["detail"], pk=item.pk)
    form = AnnouncementForm(request.POST or None, request.FILES or None, announcement=item,
                            for_distributor=portal == "distributor")
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.announcement_save(actor=actor, announcement=item, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            if saved.status == AnnouncementStatus.PUBLISHED:
                messages.success(request, _("“%(title)s” is corrected. Partners see the new version; nobody is "
                                            "notified again.") % {"title": saved.title})
            else:
                messages.success(request, _("“%(title)s” is saved. Publish it when it is ready.")
                                 % {"title": saved.title})
            return redirect(urls["detail"], pk=saved.pk)
    return render(request, "announcements/manage_form.html", {
        "form": form, "item": item, "urls": urls, "portal": portal, "known_tiers": _known_tiers(actor),
    })


def _known_tiers(actor: Actor) -> list[str]:
    qs = Organization.objects.exclude(tier="")
    if actor.is_distributor:
        from partners.selectors import dealer_visible_to

        qs = dealer_visible_to(actor).exclude(tier="")
    return sorted(set(qs.values_list("tier", flat=True)), key=str.casefold)


def _manage_detail(request: HttpRequest, portal: str, pk: int) -> HttpResponse:
    actor = _follower(request)
    item = selectors.announcement_managed_get(actor, pk)
    figures = selectors.read_figures([item.pk])[item.pk]
    unread = None
    if item.mandatory and item.status != AnnouncementStatus.DRAFT:
        unread = Paginator(selectors.unread_partners(item), 50).get_page(request.GET.get("page"))
    audience = item.audience_summary()
    from_distributor = item.author_organization.kind == OrgKind.DISTRIBUTOR
    if from_distributor and item.kinds:
        audience = audience[1:]  # always "Dealers": said as "the dealers you supply" instead
    return render(request, "announcements/manage_detail.html", {
        "item": item, "figures": figures, "unread": unread, "files": list(item.files.all()),
        "audience": audience, "from_distributor": from_distributor, "urls": _urls(portal), "portal": portal,
        "can_write": permissions.can(actor, "announcement.write"),
        "is_live": item.is_live(),
        "expired": item.expires_at is not None and item.expires_at <= timezone.now(),
        "publish_later": item.publish_at is not None and item.publish_at > timezone.now(),
    })


def _manage_action(request: HttpRequest, portal: str, pk: int, action: str) -> HttpResponse:
    actor = _writer(request)
    item = selectors.announcement_managed_get(actor, pk)
    urls = _urls(portal)
    try:
        if action == "publish":
            item = services.announcement_publish(actor=actor, announcement=item)
            if item.status == AnnouncementStatus.SCHEDULED and item.publish_at is not None:
                messages.success(request, _("“%(title)s” will be published on %(when)s; partners are told then.")
                                 % {"title": item.title,
                                    "when": timezone.localtime(item.publish_at).strftime("%Y-%m-%d %H:%M")})
            else:
                messages.success(request, _("“%(title)s” is published: the partners it is for see it now and are "
                                            "being told.") % {"title": item.title})
        elif action == "withdraw":
            services.announcement_withdraw(actor=actor, announcement=item)
            messages.success(request, _("“%(title)s” is withdrawn: partners no longer see it.") % {"title": item.title})
        else:
            title = item.title
            services.announcement_delete(actor=actor, announcement=item)
            messages.success(request, _("The draft “%(title)s” is deleted.") % {"title": title})
            return redirect(urls["list"])
    except (ServiceError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect(urls["detail"], pk=item.pk)


def _manage_unread_csv(request: HttpRequest, portal: str, pk: int) -> HttpResponseBase:
    """The people (by partner) who have not opened the announcement, for a spreadsheet (UTF-8 with a BOM)."""
    actor = _follower(request)
    item = selectors.announcement_managed_get(actor, pk)
    people = selectors.unread_people(item)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        writer.writerow([_("Partner"), _("Business number"), _("Kind"), _("Tier"), _("Region"), _("Person"),
                         _("E-mail")])
        for membership in people.iterator(chunk_size=2000):
            org = membership.organization
            writer.writerow([safe_cell(v) for v in (
                org.name, org.business_number_display, org.get_kind_display(), org.tier, org.region_label,
                membership.user.full_name, membership.user.email)])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="announcement-{item.pk}-unread.csv"'
    return response


def _portal_views(portal: str, kind: str) -> dict[str, Any]:
    guard = portal_required(kind)

    @guard
    def manage_list(request: HttpRequest) -> HttpResponse:
        return _manage_list(request, portal)

    @guard
    def manage_new(request: HttpRequest) -> HttpResponse:
        return _manage_edit(request, portal, None)

    @guard
    def manage_edit(request: HttpRequest, pk: int) -> HttpResponse:
        return _manage_edit(request, portal, pk)

    @guard
    def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
        return _manage_detail(request, portal, pk)

    @require_POST
    @guard
    def manage_publish(request: HttpRequest, pk: int) -> HttpResponse:
        return _manage_action(request, portal, pk, "publish")

    @require_POST
    @guard
    def manage_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
        return _manage_action(request, portal, pk, "withdraw")

    @require_POST
    @guard
    def manage_delete(request: HttpRequest, pk: int) -> HttpResponse:
        return _manage_action(request, portal, pk, "delete")

    @guard
    def manage_unread_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
        return _manage_unread_csv(request, portal, pk)

    return {"list": manage_list, "new": manage_new, "edit": manage_edit, "detail": manage_detail,
            "publish": manage_publish, "withdraw": manage_withdraw, "delete": manage_delete,
            "unread_csv": manage_unread_csv}


hq = _portal_views("hq", OrgKind.HQ)
distributor = _portal_views("distributor", OrgKind.DISTRIBUTOR)
