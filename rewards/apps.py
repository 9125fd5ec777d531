from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards")

    def ready(self) -> None:
        from rewards import tier_tasks  # noqa: F401  (the tier tasks live beside the ledger's tasks.py)
