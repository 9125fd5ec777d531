"""Notices pages: HQ's list of broadcasts and each one's counts (live while it sends, the failures with their
reasons); everyone's e-mail preferences; and the unsubscribe link of every notice e-mail (no login: the link's
signed token says who and which category)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from notices import permissions, selectors, services
from notices.choices import NoticeCategory
from notices.tokens import BadToken, read_token
from prm.accounts.models import User
from prm.core.actor import Actor
from prm.core.roles import OrgKind
from prm.portals.access import portal_required

EVERYONE = (OrgKind.HQ, OrgKind.DISTRIBUTOR, OrgKind.DEALER)


def _reader(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.can(actor, "broadcast.view"):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))
    return actor


@portal_required(OrgKind.HQ)
def hq_notices(request: HttpRequest) -> HttpResponse:
    """Every notice sent, newest first, with its counts."""
    actor = _reader(request)
    page = Paginator(selectors.broadcasts_visible_to(actor), 25).get_page(request.GET.get("page"))
    counts = selectors.broadcast_counts(page.object_list)
    rows = [(b, counts[b.pk]) for b in page.object_list]
    return render(request, "notices/hq_broadcast_list.html", {"page": page, "rows": rows})


@portal_required(OrgKind.HQ)
def hq_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice: recipients, sent, failed, opted out, pending (live while it runs), then the failed ones."""
    actor = _reader(request)
    item = selectors.broadcast_get(actor, pk)
    failed = Paginator(selectors.failed_deliveries(item), 50).get_page(request.GET.get("page"))
    return render(request, "notices/hq_broadcast_detail.html", {
        "broadcast": item, "counts": selectors.broadcast_counts([item])[item.pk], "failed": failed,
        "page": failed, "retrying": list(selectors.retrying_deliveries(item)[:50]),
    })


@portal_required(OrgKind.HQ, OrgKind.DISTRIBUTOR)
def notice_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The counts and progress bar alone (htmx polls it while the notice is being sent)."""
    actor = _reader(request)
    item = selectors.broadcast_get(actor, pk)
    counts = selectors.broadcast_counts([item])[item.pk]
    if request.GET.get("compact"):  # the line an announcement's or campaign's page shows ({% broadcast_summary %})
        return render(request, "notices/_broadcast_summary_item.html", {
            "broadcast": item, "counts": counts, "can_poll": True, "is_hq": actor.is_hq})
    response = render(request, "notices/_broadcast_progress.html", {"broadcast": item, "counts": counts})
    if request.GET.get("was_running") and not counts.running:
        response["HX-Refresh"] = "true"  # done: the whole page again, with the final list of failures
    return response


@portal_required(*EVERYONE)
def notice_preferences(request: HttpRequest) -> HttpResponse:
    """Which notices reach me by e-mail (the portal shows them all)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not permissions.can(actor, "preferences.edit"):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        wanted = [c for c in request.POST.getlist("email") if c in NoticeCategory.values]
        services.set_preferences(user=user, email_categories=wanted)
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("portals:notice_preferences")
    return render(request, "notices/preferences.html", {"categories": selectors.email_categories(user)})


@csrf_exempt  # the signed token is the credential; mail clients' one-click unsubscribe posts without a form
def notice_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: confirm; POST: stop that category's e-mail for the link's person, at once (RFC 8058 one-click too)."""
    try:
        user_id, category = read_token(token, schema=connection.schema_name)  # type: ignore[attr-defined]
    except BadToken:
        return render(request, "notices/unsubscribe_invalid.html", status=400)
    user = User.objects.filter(pk=user_id).first()
    if user is None or category not in NoticeCategory.values:
        return render(request, "notices/unsubscribe_invalid.html", status=400)
    label = NoticeCategory(category).label
    language = user.language if not request.user.is_authenticated else translation.get_language()
    with translation.override(language):
        if request.method == "POST":
            if request.POST.get("action") == "resubscribe":
                services.opt_in(user=user, category=category)
                return render(request, "notices/unsubscribe.html", {
                    "state": "resubscribed", "category": label, "token": token, "email": user.email})
            services.opt_out(user=user, category=category)
            return render(request, "notices/unsubscribe.html", {
                "state": "done", "category": label, "token": token, "email": user.email})
        state = "already" if selectors.has_opted_out(user, category) else "confirm"
        return render(request, "notices/unsubscribe.html", {
            "state": state, "category": label, "token": token, "email": user.email})
