from typing import Any

from django.db import models

from prm.core.actor import Actor
from prm.core.models import AuditEvent


def audit(*, actor: Actor, action: str, obj: models.Model, **data: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        user=actor.user,
        organization_id=actor.organization_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )
