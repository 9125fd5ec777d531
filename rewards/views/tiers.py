"""Tier program pages: HQ defines programs and tiers, tries a change (dry run), publishes it and follows the runs
and the history; a partner sees its own tier, what it gives and what the next one takes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prm.core.errors import ServiceError, error_text
from prm.core.forms import add_service_errors
from prm.core.roles import OrgKind
from prm.portals.access import portal_required
from rewards.forms.tiers import ProgramForm, TierFormSet, initial_tiers
from rewards.models.tiers import Direction, ProgramStatus, RunStatus
from rewards.permissions import can
from rewards.selectors import tiers as selectors
from rewards.services import tiers as services


def _require(actor: Any, action: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(_("Your role can't do this. Ask an administrator of your organisation."))


def _id(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 10 else 0


@portal_required(OrgKind.HQ)
def hq_tiers(request: HttpRequest) -> HttpResponseBase:
    """Every program with its partners per tier, the latest runs, and "recompute now"."""
    actor = request.actor  # type: ignore[attr-defined]
    _require(actor, "tiers.view")
    if request.method == "POST":
        _require(actor, "tiers.run")
        try:
            run = services.tiers_recompute(actor=actor)
        except (ServiceError, ValidationError) as exc:
            messages.error(request, error_text(exc))
            return redirect("portals:hq_tiers")
        messages.success(request, _("Tiers are being recomputed for every published program."))
        return redirect("portals:hq_tier_run", pk=run.pk)
    programs = list(selectors.program_visible_to(actor).order_by("status", "priority", "id"))
    return render(request, "rewards/tier_programs.html", {
        "programs": [(p, selectors.tier_distribution(p)) for p in programs],
        "runs": selectors.run_visible_to(actor)[:8],
        "can_edit": can(actor, "tiers.edit"), "can_run": can(actor, "tiers.run"),
        "any_published": any(p.status == ProgramStatus.PUBLISHED for p in programs),
    })


@portal_required(OrgKind.HQ)
def hq_tier_program_new(request: HttpRequest) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    _require(actor, "tiers.edit")
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_save(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Program saved. Now give it its tiers."))
            return redirect("portals:hq_tier_program", pk=program.pk)
    return render(request, "rewards/tier_program_new.html", {"form": form})


def _formset(program: Any, data: Any = None) -> Any:
    initial = initial_tiers(program)
    factory = TierFormSet if initial else _starting_formset()
    return factory(data, initial=initial or None, prefix="tiers")


def _starting_formset() -> Any:
    from django import forms

    from rewards.forms.tiers import MAX_TIERS, BaseTierFormSet, TierForm

    # a program without tiers starts with four empty ones (Bronze, Silver, Gold, Platinum are the usual names)
    return forms.formset_factory(TierForm, formset=BaseTierFormSet, extra=4, can_delete=True, max_num=MAX_TIERS,
                                 validate_max=True, absolute_max=MAX_TIERS + 5)


@portal_required(OrgKind.HQ)
def hq_tier_program(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One program: its settings and tiers. Save, try the change on every partner first (dry run), publish,
    recompute now or archive."""
    actor = request.actor  # type: ignore[attr-defined]
    _require(actor, "tiers.view")
    program = get_object_or_404(selectors.program_visible_to(actor), pk=pk)
    can_edit = can(actor, "tiers.edit") and program.status != ProgramStatus.ARCHIVED
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ProgramForm(request.POST if action in ("save", "dry_run") else None, instance=program)
    tiers = _formset(program, request.POST if action in ("save", "dry_run") else None)
    if action:
        _require(actor, "tiers.run" if action == "recompute" else "tiers.edit")
        response = _program_action(request, actor, program, action, form, tiers)
        if response is not None:
            return response
        program.refresh_from_db()
    changes = selectors.tier_change_visible_to(actor).filter(program=program)[:10]
    return render(request, "rewards/tier_program.html", {
        "program": program, "form": form, "tiers": tiers, "can_edit": can_edit,
        "can_run": can(actor, "tiers.run"), "distribution": selectors.tier_distribution(program),
        "changes": changes, "runs": selectors.run_visible_to(actor).filter(Q(program=program) | Q(program=None))[:5],
        "is_published": program.status == ProgramStatus.PUBLISHED,
        "is_draft": program.status == ProgramStatus.DRAFT,
    })


def _program_action(request: HttpRequest, actor: Any, program: Any, action: str, form: Any,
                    tiers: Any) -> HttpResponseBase | None:
    """Carry out one button of the program page; None re-renders the page with the errors shown."""
    try:
        if action in ("save", "dry_run"):
            if not (form.is_valid() and tiers.is_valid()):
                messages.error(request, _("Check the fields marked below."))
                return None
            if action == "dry_run":
                run = services.tiers_dry_run(actor=actor, program=program, rows=tiers.rows(),
                                             window_days=form.cleaned_data["window_days"],
                                             grace_days=form.cleaned_data["grace_days"])
                messages.success(request, _("Trying the change on every partner: nothing is saved."))
                return redirect("portals:hq_tier_run", pk=run.pk)
            services.program_save(actor=actor, program=program, **form.cleaned_data)
            services.tiers_save(actor=actor, program=program, rows=tiers.rows())
            messages.success(request, _("Program saved; its partners are being recomputed.")
                             if program.status == ProgramStatus.PUBLISHED else _("Program saved."))
        elif action == "publish":
            services.program_publish(actor=actor, program=program)
            messages.success(request, _("Program published: every partner's tier is being computed."))
        elif action == "archive":
            services.program_archive(actor=actor, program=program)
            messages.success(request, _("Program archived: its partners no longer hold its tiers."))
        elif action == "recompute":
            run = services.tiers_recompute(actor=actor, program=program)
            messages.success(request, _("Tiers are being recomputed."))
            return redirect("portals:hq_tier_run", pk=run.pk)
        else:
            messages.error(request, _("Choose one of the buttons."))
    except ValidationError as exc:
        add_service_errors(form, exc)
        messages.error(request, error_text(exc))
        return None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None
    return redirect("portals:hq_tier_program", pk=program.pk)


@portal_required(OrgKind.HQ)
def hq_tier_dry_run(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The program page's "try it" button (htmx): the proposed tiers are tried on every partner while the form
    stays as typed; the answer is the run's live status, shown under the form."""
    actor = request.actor  # type: ignore[attr-defined]
    _require(actor, "tiers.edit")
    program = get_object_or_404(selectors.program_visible_to(actor), pk=pk)
    if request.method != "POST":
        return redirect("portals:hq_tier_program", pk=program.pk)
    form = ProgramForm(request.POST, instance=program)
    tiers = _formset(program, request.POST)
    problems: list[str] = []
    if not form.is_valid():
        for name, errors in form.errors.items():
            text = " ".join(str(e) for e in errors)
            problems.append(f"{form.fields[name].label}: {text}" if name in form.fields else text)
    if not tiers.is_valid():
        problems += [str(e) for e in tiers.non_form_errors()]
        for number, errors in enumerate(tiers.errors, start=1):
            for name, messages_ in errors.items():
                label = tiers.forms[number - 1].fields[name].label if name in tiers.forms[number - 1].fields else ""
                problems.append(_("Tier %(number)s, %(field)s: %(problem)s")
                                % {"number": number, "field": label, "problem": " ".join(str(m) for m in messages_)})
    run = None
    if not problems:
        try:
            run = services.tiers_dry_run(actor=actor, program=program, rows=tiers.rows(),
                                         window_days=form.cleaned_data["window_days"],
                                         grace_days=form.cleaned_data["grace_days"])
        except (ServiceError, ValidationError) as exc:
            problems.append(error_text(exc))
    if run is None:
        return render(request, "rewards/_tier_problems.html", {"problems": problems})
    return render(request, "rewards/_tier_run_status.html", {"run": run, "running": True, "moves": [],
                                                              "proposal": None, "inline": True})


@portal_required(OrgKind.HQ)
def hq_tier_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress and result; the page follows it live while it is queued or running."""
    actor = request.actor  # type: ignore[attr-defined]
    _require(actor, "tiers.view")
    run = get_object_or_404(selectors.run_visible_to(actor), pk=pk)
    context = {"run": run, "running": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
               "inline": request.GET.get("inline") == "1",
               "moves": sorted((run.moves or {}).get("moves", {}).items(), key=lambda kv: (-kv[1], kv[0])),
               "proposal": (run.moves or {}).get("proposal")}
    if request.headers.get("HX-Request"):
        return render(request, "rewards/_tier_run_status.html", context)
    return render(request, "rewards/tier_run.html", context)


@portal_required(OrgKind.HQ)
def hq_tier_changes(request: HttpRequest) -> HttpResponse:
    """Every tier change with the figures that caused it; filter by program, partner or direction."""
    actor = request.actor  # type: ignore[attr-defined]
    _require(actor, "tiers.view")
    changes = selectors.tier_change_visible_to(actor)
    program_id = _id(request.GET.get("program"))
    partner_id = _id(request.GET.get("partner"))
    direction = request.GET.get("direction", "")
    q = " ".join(request.GET.get("q", "").split())[:100]
    if program_id:
        changes = changes.filter(program_id=program_id)
    if partner_id:
        changes = changes.filter(partner_id=partner_id)
    if direction in Direction.values:
        changes = changes.filter(direction=direction)
    if q:
        changes = changes.filter(Q(partner__name__icontains=q) | Q(partner__business_number__contains=q.replace(
            "-", "")))
    page = Paginator(changes.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "rewards/tier_changes.html", {
        "page": page, "programs": selectors.program_visible_to(actor).order_by("priority", "id"),
        "directions": Direction.choices, "program_id": program_id, "direction": direction, "q": q,
        "partner_id": partner_id,
    })


@portal_required(OrgKind.DEALER, OrgKind.DISTRIBUTOR)
def partner_tier(request: HttpRequest) -> HttpResponse:
    """The partner's tier: what it gives, exactly what the next one still takes (and by when), a downgrade
    waiting out its grace period, every tier of the program, and the partner's recent changes."""
    actor = request.actor  # type: ignore[attr-defined]
    progress = selectors.tier_progress(actor.organization)
    return render(request, "rewards/partner_tier.html", {
        "progress": progress,
        "tier_rows": selectors.tier_table(progress.tiers) if progress else [],
    })
