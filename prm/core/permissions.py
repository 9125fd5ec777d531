"""Role tables: each app names its actions and the roles that may do them; these answer and enforce."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from prm.core.actor import Actor
from prm.core.errors import NotAllowed


def can(table: Mapping[str, frozenset[str]], actor: Actor | None, action: str) -> bool:
    if actor is None:
        return False
    return actor.is_system or actor.role in table[action]


def require(table: Mapping[str, frozenset[str]], actor: Actor | None, action: str) -> None:
    if not can(table, actor, action):
        raise NotAllowed(_("Your role can't do this. Ask an administrator of your organisation."))
