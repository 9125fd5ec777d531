"""The tier program's writes: programs and their tiers, publishing, runs (scheduled, on demand, dry) and the
recomputation of a few partners after something they did."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import PermissionDenied, ServiceError
from rewards.computation import MESSAGES, Outcome, TierSpec, evaluate
from rewards.models import Tier, TierChange, TierProgram, TierRun
from rewards.models.tiers import Direction, ProgramKind, ProgramStatus, RunStatus
from rewards.permissions import can

TIER_FIELDS = ("name", "rank", "min_sales", "min_orders_won", "min_acceptance", "min_certifications",
               "min_satisfaction", "credit_limit", "routing_step", "mdf_share", "benefits_text")


def _check(actor: Actor, action: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(_("Your role cannot change the tier program."))


def _lock() -> None:
    """One tier computation at a time per tenant (beat, on-demand and event runs may meet)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':rewards.tiers'))")


def specs_of(tiers: Iterable[Tier]) -> list[TierSpec]:
    return [TierSpec(id=t.pk, name=t.name, rank=t.rank, min_sales=t.min_sales, min_orders_won=t.min_orders_won,
                     min_acceptance=t.min_acceptance, min_certifications=t.min_certifications,
                     min_satisfaction=t.min_satisfaction) for t in tiers]


def _notify_emails(ids: list[int]) -> None:
    if not ids:
        return
    from prm.core.notifications import EMAILS_PER_TASK
    from prm.core.tasks_mail import send_notification_emails

    for start in range(0, len(ids), EMAILS_PER_TASK):
        chunk = ids[start:start + EMAILS_PER_TASK]
        transaction.on_commit(lambda chunk=chunk: send_notification_emails.delay(chunk))  # type: ignore[misc]


def _published() -> list[TierProgram]:
    return list(TierProgram.objects.filter(status=ProgramStatus.PUBLISHED).order_by("priority", "id"))


def _apply(program: TierProgram, *, only: list[int] | None, run: TierRun | None) -> Outcome:
    tiers = specs_of(program.tiers.all())
    outcome = evaluate(program, tiers, window_days=program.window_days, grace_days=program.grace_days, only=only,
                       run_id=run.pk if run else None)
    _notify_emails(outcome.notification_ids)
    return outcome


def tiers_run(*, run: TierRun) -> TierRun:
    """Carry out a queued run: every published program in priority order (or the run's program), or a dry run
    of the proposal it holds. Idempotent: a run already finished is left alone."""
    run = TierRun.objects.get(pk=run.pk)
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        return run
    TierRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    started = time.monotonic()
    try:
        with transaction.atomic():
            _lock()
            total = Outcome()
            if run.dry_run:
                assert run.program is not None
                proposal = run.moves.get("proposal", {})
                specs = [TierSpec(name=t["name"], rank=int(t["rank"]), min_sales=Decimal(t["min_sales"]),
                                  min_orders_won=int(t["min_orders_won"]),
                                  min_acceptance=None if t["min_acceptance"] is None else int(t["min_acceptance"]),
                                  min_certifications=int(t["min_certifications"]),
                                  min_satisfaction=None if t["min_satisfaction"] is None
                                  else Decimal(t["min_satisfaction"]))
                         for t in proposal.get("tiers", [])]
                total = evaluate(run.program, specs, window_days=int(proposal.get("window_days", 365)),
                                 grace_days=int(proposal.get("grace_days", 0)), write=False)
            else:
                programs = [run.program] if run.program else _published()
                for program in programs:
                    outcome = _apply(program, only=None, run=run)
                    TierProgram.objects.filter(pk=program.pk).update(last_run_at=timezone.now())
                    for name in ("partners", "upgraded", "downgraded", "grace_started", "unchanged"):
                        setattr(total, name, getattr(total, name) + getattr(outcome, name))
                    for key, count in outcome.moves.items():
                        total.moves[key] = total.moves.get(key, 0) + count
                if run.program is None:
                    total.downgraded += _release_orphans(run)
            moves = {**run.moves, "moves": total.moves}
            TierRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, partners=total.partners, upgraded=total.upgraded,
                downgraded=total.downgraded, grace_started=total.grace_started, unchanged=total.unchanged,
                moves=moves, seconds=round(time.monotonic() - started, 3), finished_at=timezone.now())
    except Exception as exc:  # the run's transaction rolled back; say so on the run and let the task log it
        TierRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:500],
                                                 finished_at=timezone.now())
        raise
    return TierRun.objects.get(pk=run.pk)


def _queue(run: TierRun) -> None:
    from rewards.tier_tasks import tiers_run_task

    transaction.on_commit(lambda: tiers_run_task.delay(run.pk))


def tiers_recompute(*, actor: Actor, program: TierProgram | None = None) -> TierRun:
    """HQ asks for a computation now (of every published program, or one)."""
    if not actor.is_system:
        _check(actor, "tiers.run")
    if program is not None and program.status != ProgramStatus.PUBLISHED:
        raise ServiceError(_("Publish the program first; a draft can only be tried with a dry run."))
    with transaction.atomic():
        run = TierRun.objects.create(program=program, requested_by=actor.user)
        _queue(run)
    return run


def tiers_recompute_partners(*, partner_ids: list[int]) -> Outcome:
    """After something a partner did (passed a course, had an order delivered): its upgrade applies at once."""
    total = Outcome()
    ids = sorted({int(i) for i in partner_ids})
    if not ids:
        return total
    with transaction.atomic():
        _lock()
        for program in _published():
            outcome = _apply(program, only=ids, run=None)
            total.partners += outcome.partners
            total.upgraded += outcome.upgraded
    return total


def tiers_validate(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tier rows (from the form) checked as a whole: names and ranks unique, at least one tier."""
    if not rows:
        raise ServiceError(_("A program needs at least one tier."))
    names: set[str] = set()
    ranks: set[int] = set()
    for row in rows:
        name = " ".join(str(row.get("name", "")).split())
        if not name:
            raise ServiceError(_("Every tier needs a name."))
        if name.casefold() in names:
            raise ServiceError(_("Two tiers are named “%(name)s”; each name must be different.") % {"name": name})
        names.add(name.casefold())
        rank = int(row["rank"])
        if rank in ranks:
            raise ServiceError(_("Two tiers have rank %(rank)s; each rank must be different.") % {"rank": rank})
        ranks.add(rank)
        row["name"] = name
    return sorted(rows, key=lambda r: r["rank"])


def tiers_save(*, actor: Actor, program: TierProgram, rows: list[dict[str, Any]]) -> TierProgram:
    """Replace the program's tiers with ``rows`` (each a dict of Tier fields, with ``id`` for an existing one).
    A published program is recomputed at once, so the partners' prices, credit and routing follow."""
    _check(actor, "tiers.edit")
    rows = tiers_validate(rows)
    with transaction.atomic():
        program = TierProgram.objects.select_for_update().get(pk=program.pk)
        existing = {t.pk: t for t in program.tiers.all()}
        keep = {int(r["id"]) for r in rows if r.get("id") and int(r["id"]) in existing}
        removed = [t for pk, t in existing.items() if pk not in keep]
        Tier.objects.filter(pk__in=[t.pk for t in removed]).delete()
        # ranks and names are unique per program: move the kept ones out of the way before writing
        for offset, pk in enumerate(sorted(keep)):
            Tier.objects.filter(pk=pk).update(rank=1000 + offset, name=f"~{pk}")
        before = {t.pk: {f: str(getattr(t, f)) for f in TIER_FIELDS} for t in existing.values()}
        saved = []
        for row in rows:
            tier = existing[int(row["id"])] if row.get("id") and int(row["id"]) in keep else Tier(program=program)
            for name in TIER_FIELDS:
                if name in row:
                    setattr(tier, name, row[name])
            tier.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
            tier.save()
            saved.append(tier)
        audit(actor=actor, action="tiers.save", obj=program, before=before,
              after={t.pk: {f: str(getattr(t, f)) for f in TIER_FIELDS} for t in saved},
              removed=[t.name for t in removed])
        if program.status == ProgramStatus.PUBLISHED:
            _queue(TierRun.objects.create(program=program, requested_by=actor.user))
    return program


def program_publish(*, actor: Actor, program: TierProgram) -> TierProgram:
    _check(actor, "tiers.edit")
    with transaction.atomic():
        program = TierProgram.objects.select_for_update().get(pk=program.pk)
        if not program.tiers.exists():
            raise ServiceError(_("Add at least one tier before publishing."))
        if program.status == ProgramStatus.PUBLISHED:
            return program
        program.status = ProgramStatus.PUBLISHED
        program.published_at = timezone.now()
        program.save(update_fields=["status", "published_at", "updated_at"])
        audit(actor=actor, action="tiers.publish", obj=program)
        _queue(TierRun.objects.create(requested_by=actor.user))  # every program: partners may change program
    return program


def program_archive(*, actor: Actor, program: TierProgram) -> TierProgram:
    """Stop a program, then recompute every published program: a partner another program takes in is
    compared with the tier it holds (so a downgrade still waits out that program's grace period); a partner
    no program takes in loses its tier and benefits (recorded as a downgrade and told)."""
    _check(actor, "tiers.edit")
    with transaction.atomic():
        program = TierProgram.objects.select_for_update().get(pk=program.pk)
        if program.status == ProgramStatus.ARCHIVED:
            return program
        program.status = ProgramStatus.ARCHIVED
        program.save(update_fields=["status", "updated_at"])
        audit(actor=actor, action="tiers.archive", obj=program)
        _queue(TierRun.objects.create(requested_by=actor.user))
    return program


# standings left with a program that is no longer published (no published program took the partner in)
ORPHANS_SQL = """
DELETE FROM rewards_partnertier pt USING rewards_tierprogram p
WHERE p.id = pt.program_id AND p.status <> 'published'
RETURNING pt.partner_id, pt.program_id, pt.tier_id, pt.values
"""


def _release_orphans(run: TierRun) -> int:
    """The partners whose program was archived and that no published program took in: their tier and its
    benefits end (a full run, after every published program was evaluated)."""
    from partners.models import Organization
    from prm.core.notifications import Notice, notify_many

    with connection.cursor() as cursor:
        cursor.execute(ORPHANS_SQL)
        rows = cursor.fetchall()
    if not rows:
        return 0
    names = dict(Tier.objects.filter(pk__in={r[2] for r in rows if r[2]}).values_list("pk", "name"))
    held = [(partner, program, names.get(tier, ""), values) for partner, program, tier, values in rows]
    TierChange.objects.bulk_create([
        TierChange(partner_id=partner, program_id=program, run=run, direction=Direction.DOWN, from_name=name,
                   to_name="", values=values or {})
        for partner, program, name, values in held if name])
    Organization.objects.filter(pk__in=[r[0] for r in rows]).update(
        tier="", tier_step=0, tier_credit_limit=None, updated_at=timezone.now())
    users = _users_of([partner for partner, _program, name, _values in held if name])
    notify_many([Notice(users=users.get(partner, []), kind="tier.down", message=MESSAGES["msg_down"],
                                  params={"tier": "-", "from": name}, url=MESSAGES["url"])
                           for partner, _program, name, _values in held if name])
    return len(rows)


def _users_of(partner_ids: list[int]) -> dict[int, list[Any]]:
    from partners.models import Membership

    users: dict[int, list[Any]] = {}
    for membership in Membership.objects.filter(organization_id__in=partner_ids, is_active=True,
                                                user__is_active=True).select_related("user"):
        users.setdefault(membership.organization_id, []).append(membership.user)
    return users


def tiers_dry_run(*, actor: Actor, program: TierProgram, rows: list[dict[str, Any]], window_days: int,
                  grace_days: int) -> TierRun:
    """How many partners the proposed tiers would move, computed like a real run but written nowhere."""
    _check(actor, "tiers.edit")
    rows = tiers_validate(rows)
    proposal = {"window_days": window_days, "grace_days": grace_days, "tiers": [
        {"name": r["name"], "rank": int(r["rank"]), "min_sales": str(r.get("min_sales") or 0),
         "min_orders_won": int(r.get("min_orders_won") or 0),
         "min_acceptance": None if r.get("min_acceptance") in (None, "") else int(r["min_acceptance"]),
         "min_certifications": int(r.get("min_certifications") or 0),
         "min_satisfaction": None if r.get("min_satisfaction") in (None, "") else str(r["min_satisfaction"])}
        for r in rows]}
    with transaction.atomic():
        run = TierRun.objects.create(program=program, dry_run=True, requested_by=actor.user,
                                     moves={"proposal": proposal})
        _queue(run)
    return run



PROGRAM_FIELDS = ("name", "description", "kind", "segment", "priority", "window_days", "grace_days", "review_months")


def program_save(*, actor: Actor, program: TierProgram | None = None, name: str, description: str = "",
                 kind: str = ProgramKind.DEALER, segment: str = "", priority: int = 100, window_days: int = 365,
                 grace_days: int = 90, review_months: int = 3) -> TierProgram:
    """HQ creates a program or changes its settings (its tiers are saved by ``tiers_save``). A published
    program's partners are recomputed at once: a new window or vertical market changes who holds what."""
    _check(actor, "tiers.edit")
    with transaction.atomic():
        creating = program is None
        if program is not None:
            program = TierProgram.objects.select_for_update().get(pk=program.pk)
        program = program or TierProgram()
        before = {} if creating else {f: str(getattr(program, f)) for f in PROGRAM_FIELDS}
        program.name = unicodedata.normalize("NFC", " ".join(str(name or "").split()))
        program.description = unicodedata.normalize("NFC", str(description or "").strip())
        program.kind, program.segment = kind, segment or ""
        program.priority, program.window_days = priority, window_days
        program.grace_days, program.review_months = grace_days, review_months
        program.full_clean()
        if program.status == ProgramStatus.ARCHIVED:
            raise ServiceError(_("This program is archived; make a new one instead."))
        program.save()
        after = {f: str(getattr(program, f)) for f in PROGRAM_FIELDS}
        audit(actor=actor, action="tiers.program_create" if creating else "tiers.program_update", obj=program,
              changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v})
        if program.status == ProgramStatus.PUBLISHED and before != after:
            _queue(TierRun.objects.create(requested_by=actor.user))  # every program: members may move
    return program
