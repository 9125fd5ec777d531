from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "prm.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from prm.core.activity import on_login

        user_logged_in.connect(on_login, dispatch_uid="prm.core.activity.on_login")
