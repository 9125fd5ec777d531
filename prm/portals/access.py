"""Which portal a user belongs in, and the guard every portal view goes through."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from prm.core.actor import Actor, actor_for
from prm.core.roles import OrgKind

PORTAL_HOME: dict[str, str] = {
    OrgKind.HQ: "portals:hq_home",
    OrgKind.DISTRIBUTOR: "portals:distributor_home",
    OrgKind.DEALER: "portals:dealer_home",
}


def portal_required(*kinds: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Log-in required; a user of another kind of organisation (than those given) is refused (403) with a link
    to their portal."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = actor_for(request.user)
            if actor is None or actor.kind not in kinds:
                raise PermissionDenied(_("This page belongs to another portal."))
            request.actor = actor  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def request_actor(request: HttpRequest) -> Actor | None:
    actor = getattr(request, "actor", None)
    if actor is None and request.user.is_authenticated:
        actor = actor_for(request.user)
    return actor
