"""Tier computation tasks (imported by the app's ready(), beside rewards/tasks.py's ledger tasks)."""

from prm.celery import app
from prm.core.tasks import TenantOnlyTask, each_tenant_schema


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def tiers_run_task(self: TenantOnlyTask, run_id: int) -> str:
    """One queued run (scheduled, on demand or dry) in the tenant it was queued from."""
    from rewards.models import TierRun
    from rewards.services.tiers import tiers_run

    run = TierRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"
    return tiers_run(run=run).status


@app.task(base=TenantOnlyTask, bind=True, acks_late=True)
def tiers_recompute_partners_task(self: TenantOnlyTask, partner_ids: list[int]) -> int:
    """After a partner's event (course passed, order delivered, offer answered): upgrades apply at once."""
    from rewards.services.tiers import tiers_recompute_partners

    return tiers_recompute_partners(partner_ids=partner_ids).upgraded


@app.task(ignore_result=True)
def recompute_tiers() -> int:
    """Beat, daily: a run for every tenant with a published program, each a task in its own schema."""
    from prm.core.actor import Actor
    from rewards.models import TierProgram
    from rewards.models.tiers import ProgramStatus
    from rewards.services.tiers import tiers_recompute

    queued = 0
    for _schema in each_tenant_schema():
        if TierProgram.objects.filter(status=ProgramStatus.PUBLISHED).exists():
            tiers_recompute(actor=Actor.system())
            queued += 1
    return queued
