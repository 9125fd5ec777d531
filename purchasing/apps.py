from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "purchasing"
    verbose_name = _("Partner ordering")
    default_auto_field = "django.db.models.BigAutoField"
